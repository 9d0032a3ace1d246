/** Property tests of experiment links: config → URL → config is the identity; no string breaks the decoder. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig, type ExperimentConfig, type ExperimentConfigInput } from '../src/lab/config/experiment.ts';
import { PRESETS } from '../src/lab/config/presets.ts';
import { LIVE_KNOB_KEYS, RUN_KNOB_KEYS, RUN_KNOBS, type Knob, type RunKnobKey } from '../src/lab/config/settings.ts';
import { OBJECTIVE_IDS } from '../src/lab/objectives/catalog.ts';
import { decodeExperimentUrl, encodeExperimentUrl, HIDEABLE, type DecodedUrl, type UrlView } from '../src/lab/config/url-codec.ts';

/**
 * A valid value of one knob, over its whole range (with -0 and extreme doubles where the range allows).
 * The data sizes stay small and consistent (N ≥ 2 for pairs, M ≤ S, at least 300 steps for the edits).
 */
function knobValue(key: RunKnobKey): fc.Arbitrary<unknown> {
  const knob: Knob = RUN_KNOBS[key];
  if (key === 'N') return fc.integer({ min: 2, max: 40 });
  if (key === 'M') return fc.constant(1);
  if (key === 'steps') return fc.integer({ min: 300, max: 100_000 });
  switch (knob.kind) {
    case 'number': {
      if (knob.integer) return fc.integer({ min: knob.min, max: Math.min(knob.max, 40) });
      const min = knob.exclusiveMin ? Number.MIN_VALUE : knob.min;
      return fc.double({ min, max: knob.max, noNaN: true, noDefaultInfinity: true });
    }
    case 'choice':
      return fc.constantFrom(...knob.options);
    case 'boolean':
      return fc.boolean();
  }
}

const knobsArb = (keys: readonly RunKnobKey[]) =>
  fc.record(Object.fromEntries(keys.map((k) => [k, knobValue(k)])) as Record<RunKnobKey, fc.Arbitrary<unknown>>, { requiredKeys: [] });

/** any unicode text without lone surrogates (a URL cannot carry those: they become U+FFFD) */
const text = (minLength: number, maxLength: number) => fc.string({ unit: 'binary', minLength, maxLength }).filter((s) => s.length >= minLength && s.length <= 2 * maxLength);
const runName = fc.oneof(text(1, 30), fc.constantFrom('a & b = c', '<script>alert(1)</script>', '__proto__', 'constructor', '%41+%2B', 'e=1:lr:1:1'));

const tableArb = (length: number, min: number) => fc.array(fc.double({ min, max: 1e6, noNaN: true, noDefaultInfinity: true }), { minLength: length, maxLength: length });

/** reference and reward that fit each other */
const environmentArb = fc
  .oneof(
    fc.integer({ min: 2, max: 300 }).map((bins) => ({ reference: { kind: 'cauchy-tanh' as const, bins }, bins })),
    fc.record({ bins: fc.integer({ min: 2, max: 30 }), draws: fc.integer({ min: 2000, max: 20_000 }) }).map(({ bins, draws }) => ({ reference: { kind: 'sampled' as const, bins, draws }, bins })),
    fc.integer({ min: 2, max: 60 }).chain((bins) => tableArb(bins, Number.MIN_VALUE).map((values) => ({ reference: { kind: 'custom' as const, values }, bins }))),
  )
  .chain(({ reference, bins }) =>
    fc.record({
      reference: fc.constant(reference),
      reward: fc.oneof(
        fc.record({ kind: fc.constant('gaussian' as const), centre: fc.double({ min: 0, max: bins - 1, noNaN: true }), width: fc.double({ min: 1e-3, max: 1e4, noNaN: true }) }),
        tableArb(bins, -1e6).map((values) => ({ kind: 'custom' as const, values })),
      ),
    }),
  );

const configInputArb: fc.Arbitrary<ExperimentConfigInput> = fc
  .record({
    name: fc.option(text(0, 60), { nil: undefined }),
    seed: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 4_294_967_295 })),
    environment: environmentArb,
    peakHalfWidth: fc.integer({ min: 0, max: 50 }),
    defaults: knobsArb(RUN_KNOB_KEYS),
    runs: fc.uniqueArray(
      fc.record({ name: runName, objective: fc.constantFrom(...OBJECTIVE_IDS), knobs: knobsArb(RUN_KNOB_KEYS) }),
      { minLength: 1, maxLength: 6, selector: (run) => run.name },
    ),
  })
  .chain(({ name, seed, environment, peakHalfWidth, defaults, runs }) =>
    fc
      .array(
        fc.record({ run: fc.constantFrom(...runs.map((r) => r.name)), step: fc.integer({ min: 0, max: 299 }), key: fc.constantFrom(...LIVE_KNOB_KEYS) }).chain((edit) =>
          knobValue(edit.key).map((value) => ({ ...edit, value: value as number })),
        ),
      { maxLength: 6 },
    )
    .map((edits) => ({
      ...(name !== undefined && { name }),
      seed,
      ...environment,
      peakHalfWidth,
      defaults,
      runs: runs.map((r) => ({ name: r.name, objective: r.objective, ...r.knobs })),
      edits,
    })),
  );

/** valid configs only (a sampled π_ref can still leave a bin empty) */
function validConfigs(numRuns: number, check: (config: ExperimentConfig) => void): number {
  let accepted = 0;
  fc.assert(
    fc.property(configInputArb, (input) => {
      const parsed = parseExperimentConfig(input);
      if (!parsed.ok) return;
      accepted++;
      check(parsed.config);
    }),
    { numRuns },
  );
  return accepted;
}

function viewArb(config: ExperimentConfig): fc.Arbitrary<UrlView> {
  const names = config.runs.map((r) => r.name);
  return fc.record({
    page: fc.constantFrom('lab' as const, 'theory' as const, 'sequences' as const),
    at: fc.integer({ min: 0, max: 100_000 }),
    speed: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant('auto' as const)),
    hidden: fc.shuffledSubarray(names),
    epochRun: fc.option(fc.constantFrom(...names), { nil: null }),
    hide: fc.shuffledSubarray([...HIDEABLE]),
    present: fc.boolean(),
    backend: fc.constantFrom(null, 'webgpu' as const, 'webgl' as const, 'wasm' as const, 'cpu' as const),
  });
}

/** what every decoded link must satisfy, whatever it was */
function expectSound(decoded: DecodedUrl): void {
  const parsed = parseExperimentConfig(decoded.config);
  expect(parsed.ok).toBe(true);
  if (parsed.ok) expect(parsed.config).toEqual(decoded.config);
  const names = decoded.config.runs.map((r) => r.name);
  for (const name of decoded.view.hidden) expect(names).toContain(name);
  if (decoded.view.epochRun !== null) expect(names).toContain(decoded.view.epochRun);
  expect(decoded.problems.length).toBeLessThanOrEqual(100);
  for (const problem of decoded.problems) {
    expect(typeof problem.key).toBe('string');
    expect(problem.message.length).toBeGreaterThan(0);
    expect(problem.usedInstead.length).toBeGreaterThan(0);
    expect(problem.message).not.toMatch(/^could not be read/); // the decoder's last-resort catch
  }
}

describe('config → URL → config', () => {
  it('is the identity for any valid config, names and live edits included', () => {
    const accepted = validConfigs(300, (config) => {
      const decoded = decodeExperimentUrl(encodeExperimentUrl(config));
      expect(decoded.problems).toEqual([]);
      expect(decoded.config).toEqual(config);
    });
    expect(accepted).toBeGreaterThan(200);
  });

  it('is the identity in the compact form too', () => {
    let compact = 0;
    fc.assert(
      fc.property(configInputArb, fc.integer({ min: 120, max: 400 }).chain((n) => tableArb(n, Number.MIN_VALUE)), (input, values) => {
        const parsed = parseExperimentConfig({ ...input, reference: { kind: 'custom', values }, reward: { kind: 'gaussian', centre: 0, width: 1 } });
        if (!parsed.ok) return;
        const query = encodeExperimentUrl(parsed.config);
        if (query.includes('z=')) compact++;
        const decoded = decodeExperimentUrl(query);
        expect(decoded.problems).toEqual([]);
        expect(decoded.config).toEqual(parsed.config);
      }),
      { numRuns: 80 },
    );
    expect(compact).toBeGreaterThan(40);
  });

  it('keeps the preset form for a preset with any live edits', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PRESETS), fc.nat(), (preset, pick) => {
        const parsed = parseExperimentConfig(preset.config);
        if (!parsed.ok) throw new Error(preset.name);
        const run = parsed.config.runs[pick % parsed.config.runs.length];
        const steps = (run as { steps?: number }).steps ?? (parsed.config.defaults as { steps?: number }).steps ?? 1500;
        const edits = [{ run: run.name, step: pick % steps, key: 'lr' as const, value: 1 / (1 + (pick % 97)) }];
        const config = { ...parsed.config, edits };
        const query = encodeExperimentUrl(config, {}, { preset: preset.name });
        expect(query.startsWith(`v=1&preset=${preset.name}&e=`)).toBe(true);
        expect(decodeExperimentUrl(query)).toMatchObject({ config, preset: preset.name, problems: [] });
      }),
      { numRuns: 60 },
    );
  });

  it('the view comes back as it was', () => {
    validConfigs(150, (config) => {
      fc.assert(
        fc.property(viewArb(config), (view) => {
          const decoded = decodeExperimentUrl(encodeExperimentUrl(config, view));
          expect(decoded.problems).toEqual([]);
          expect(decoded.view).toEqual(view);
        }),
        { numRuns: 3 },
      );
    });
  });
});

const KNOWN_KEYS = [
  'v', 'z', 'preset', 'name', 'seed', 'ref', 'reward', 'peak', 'e', 'page', 'at', 'speed', 'hidden', 'epoch', 'hide', 'present', 'backend',
  ...RUN_KNOB_KEYS,
  'r0', 'r1', 'r2', 'r3', 'r16', 'r17', 'r1.name', 'r2.name', 'r1.lr', 'r2.N', 'r3.M', 'r1.steps', 'r2.negativeGradientType', 'r1.x',
  '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString',
];
const VALUES = [
  '', '1', '0', '-1', '-0', '2', '10', '0.05', '1e999', '-1e999', 'NaN', 'Infinity', '1e-320', '99999999999999999999', '0x10', 'true', 'false', 'auto',
  ...OBJECTIVE_IDS, 'grpo', 'offline', 'on-policy', 'sgd', 'lab', 'theory', 'wasm', 'f1-r1', 'nope',
  'cauchy-tanh:10', 'sampled:10:100', 'sampled:4:50000', 'custom:1,2,3', 'custom:0,1', 'custom:', 'gaussian:5:1', 'gaussian:70:10', 'gaussian::',
  '1:lr:5:0.1', '2:lr:0:1', '1:S:1:1', '1:lr:-1:1', '1,2,3', 'setup,speed,bogus', '%E0%A4%A', '__proto__',
];
const keyArb = fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 8 }));
const valueArb = fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 12 }), fc.double().map(String));

describe('any input', () => {
  it('arbitrary strings never throw and always give a valid config', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }), fc.webUrl({ withQueryParameters: true, withFragments: true })), (input) => {
        expectSound(decodeExperimentUrl(input));
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary mixtures of known and unknown keys and values never throw and always give a valid config', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, valueArb), { maxLength: 30 }), fc.boolean(), (pairs, raw) => {
        // raw: written as is (malformed escapes and stray '&', '=' included); otherwise escaped properly
        const query = raw ? pairs.map(([k, v]) => `${k}=${v}`).join('&') : new URLSearchParams(pairs).toString();
        expectSound(decodeExperimentUrl(query));
      }),
      { numRuns: 600 },
    );
  });

  it('a valid link cut, spliced or garbled anywhere still opens a valid experiment', () => {
    let checked = 0;
    validConfigs(120, (config) => {
      const query = encodeExperimentUrl(config);
      fc.assert(
        fc.property(fc.nat(query.length), fc.nat(query.length), fc.string({ maxLength: 4 }), (a, b, junk) => {
          const [from, to] = a < b ? [a, b] : [b, a];
          expectSound(decodeExperimentUrl(query.slice(0, from)));
          expectSound(decodeExperimentUrl(query.slice(0, from) + junk + query.slice(to)));
          checked++;
        }),
        { numRuns: 3 },
      );
    });
    expect(checked).toBeGreaterThan(200);
  });

  it('arbitrary compact values never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 }), (a, b) => {
        expectSound(decodeExperimentUrl(`v=1&z=${encodeURIComponent(a)}`));
        expectSound(decodeExperimentUrl(`v=1&z=${b}`));
      }),
      { numRuns: 400 },
    );
  });
});
