/** parseValues: the parser behind the "Paste values" boxes of the reward & reference editor. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseValues } from '../../src/app/components/setup/parse-values.ts';
import { MAX_BINS } from '../../src/lab/config/experiment.ts';

describe('parseValues', () => {
  it('reads a JSON array', () => {
    expect(parseValues('[0.1, 0.2, 3e-2, -4]')).toEqual({ ok: true, values: [0.1, 0.2, 0.03, -4] });
    expect(parseValues('  [1,2]\n')).toEqual({ ok: true, values: [1, 2] });
  });

  it('reads numbers separated by commas, semicolons, whitespace and newlines', () => {
    expect(parseValues('1, 2;3\t4\n5  6\r\n.5,')).toEqual({ ok: true, values: [1, 2, 3, 4, 5, 6, 0.5] });
  });

  it('names a bad token by its 1-based position, truncated to 20 characters', () => {
    const bad = parseValues('1, 2, abc, 4');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toBe('value 3 is not a number: "abc"');
    const long = parseValues(`1 ${'x'.repeat(50)}`);
    expect(long.ok).toBe(false);
    if (!long.ok) {
      expect(long.error).toContain('value 2');
      expect(long.error).toContain(`"${'x'.repeat(20)}…"`);
      expect(long.error).not.toContain('x'.repeat(21));
    }
    expect(parseValues('[1, 2, 0x10]')).toEqual({ ok: false, error: 'value 3 is not a number: "0x10"' });
  });

  it('refuses non-finite values', () => {
    for (const text of ['1, Infinity', '1 NaN', '1, -inf', '1, 1e400']) {
      const result = parseValues(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.error, text).toMatch(/^value 2 is .*finite/);
    }
  });

  it('refuses empty input and a single number', () => {
    expect(parseValues('')).toEqual({ ok: false, error: 'paste at least 2 numbers' });
    expect(parseValues(' ,; \n')).toEqual({ ok: false, error: 'paste at least 2 numbers' });
    expect(parseValues('[]')).toEqual({ ok: false, error: 'paste at least 2 numbers' });
    expect(parseValues('7')).toEqual({ ok: false, error: 'paste at least 2 numbers (got 1)' });
  });

  it(`refuses more than ${MAX_BINS} values`, () => {
    const ok = parseValues(Array.from({ length: MAX_BINS }, () => '1').join(','));
    expect(ok.ok && ok.values.length).toBe(MAX_BINS);
    const tooMany = parseValues(Array.from({ length: MAX_BINS + 1 }, () => '1').join(','));
    expect(tooMany).toEqual({ ok: false, error: `paste at most ${MAX_BINS} numbers (got ${MAX_BINS + 1})` });
  });

  it('round-trips any list of finite numbers, in both forms', () => {
    const list = fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 50 });
    fc.assert(
      fc.property(list, (values) => {
        const expected = values.map((v) => (Object.is(v, -0) ? 0 : v));
        const json = parseValues(JSON.stringify(values));
        const separated = parseValues(values.map(String).join(' ; '));
        expect(json.ok && json.values).toEqual(expected);
        expect(separated.ok && separated.values).toEqual(expected);
      }),
    );
  });

  it('never throws and always answers ok with finite values or an error message', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const result = parseValues(text);
        if (result.ok) {
          expect(result.values.length).toBeGreaterThanOrEqual(2);
          expect(result.values.every(Number.isFinite)).toBe(true);
        } else {
          expect(result.error.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
