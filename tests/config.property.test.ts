/** Property tests: parsing is total, and a parsed config is a fixed point of parsing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../src/lab/config/experiment.ts';
import { OBJECTIVE_IDS } from '../src/lab/objectives/catalog.ts';
import { RUN_KNOB_KEYS, RUN_KNOBS, type Knob } from '../src/lab/config/settings.ts';
import { Comparison } from '../src/lab/train.ts';

/** an arbitrary value for one knob: sometimes valid, sometimes not */
function knobValue(key: (typeof RUN_KNOB_KEYS)[number]): fc.Arbitrary<unknown> {
  const knob: Knob = RUN_KNOBS[key];
  const junk = fc.oneof(fc.string(), fc.constant(null), fc.double(), fc.boolean());
  switch (knob.kind) {
    case 'number':
      return fc.oneof(
        knob.integer ? fc.integer({ min: knob.min, max: Math.min(knob.max, 50) }) : fc.double({ min: knob.min, max: Math.min(knob.max, 10), noNaN: true }),
        junk,
      );
    case 'choice':
      return fc.oneof(fc.constantFrom(...knob.options), junk);
    case 'boolean':
      return fc.oneof(fc.boolean(), junk);
  }
}

const runArb = fc.record(
  {
    name: fc.string({ minLength: 0, maxLength: 8 }),
    objective: fc.oneof(fc.constantFrom(...OBJECTIVE_IDS), fc.string()),
    ...Object.fromEntries(RUN_KNOB_KEYS.map((k) => [k, knobValue(k)])),
  },
  { requiredKeys: ['name', 'objective'] },
);

const configArb = fc.record(
  {
    seed: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double()),
    reference: fc.oneof(
      fc.record({ kind: fc.constant('cauchy-tanh'), bins: fc.integer({ min: 0, max: 300 }) }),
      fc.record({ kind: fc.constant('custom'), values: fc.array(fc.double({ min: -1, max: 5 }), { maxLength: 12 }) }),
      fc.anything(),
    ),
    reward: fc.oneof(fc.record({ kind: fc.constant('gaussian'), centre: fc.double({ min: -10, max: 120 }), width: fc.double({ min: -1, max: 40 }) }), fc.anything()),
    runs: fc.array(runArb, { minLength: 0, maxLength: 4 }),
    edits: fc.array(fc.record({ run: fc.string({ maxLength: 3 }), step: fc.integer({ min: -2, max: 2000 }), key: fc.constantFrom('lr', 'S', 'ipoMargin'), value: fc.double() }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/** configs built from valid values only (unique names, N ≥ 2, M unset, K = 100) */
function validKnobValue(key: (typeof RUN_KNOB_KEYS)[number]): fc.Arbitrary<unknown> {
  const knob: Knob = RUN_KNOBS[key];
  if (key === 'N') return fc.integer({ min: 2, max: 20 });
  switch (knob.kind) {
    case 'number':
      return knob.integer
        ? fc.integer({ min: knob.min, max: Math.min(knob.max, 50) })
        : fc.double({ min: knob.exclusiveMin ? knob.min + 1e-6 : knob.min, max: Math.min(knob.max, 10), noNaN: true, noDefaultInfinity: true });
    case 'choice':
      return fc.constantFrom(...knob.options);
    case 'boolean':
      return fc.boolean();
  }
}
const validRunArb = fc.record(
  { objective: fc.constantFrom(...OBJECTIVE_IDS), ...Object.fromEntries(RUN_KNOB_KEYS.filter((k) => k !== 'M').map((k) => [k, validKnobValue(k)])) },
  { requiredKeys: ['objective'] },
);
const validConfigArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  reward: fc.record({ kind: fc.constant('gaussian'), centre: fc.double({ min: 0, max: 99, noNaN: true }), width: fc.double({ min: 0.1, max: 40, noNaN: true }) }),
  runs: fc.array(validRunArb, { minLength: 1, maxLength: 4 }).map((runs) => runs.map((r, i) => ({ name: `run ${i}`, ...r }))),
});

describe('parseExperimentConfig', () => {
  it('never throws, and every rejection names a field with a message', () => {
    fc.assert(
      fc.property(fc.oneof(configArb, fc.anything()), (input) => {
        const result = parseExperimentConfig(input);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) {
            expect(e.path.length).toBeGreaterThan(0);
            expect(e.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a parsed config parses again to itself (defaults filled once, nothing coerced)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(validConfigArb, configArb), (input) => {
        const first = parseExperimentConfig(input);
        if (!first.ok) return;
        accepted++;
        const again = parseExperimentConfig(JSON.parse(JSON.stringify(first.config)));
        expect(again.ok).toBe(true);
        if (again.ok) expect(again.config).toEqual(first.config);
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(100); // the generators do reach valid configs
  });
});

describe('the engine on any valid config', () => {
  it('runs to the end or stops as diverged, with π normalised and metrics finite until then', () => {
    fc.assert(
      fc.property(validConfigArb, (input) => {
        const parsed = parseExperimentConfig(input);
        if (!parsed.ok) return;
        const comparison = new Comparison(parsed.config);
        comparison.runToEnd();
        for (const run of comparison.runs) {
          expect(run.finished).toBe(true);
          if (run.diverged) continue;
          expect(run.step).toBe(run.spec.steps);
          const total = run.policy.probs.reduce((a, b) => a + b, 0);
          expect(Math.abs(total - 1)).toBeLessThan(1e-9);
          for (const key of ['expected_reward', 'peak_mass', 'kl_pi_ref', 'kl_ref_pi', 'entropy'] as const) {
            expect(run.metrics.toArray(key).every(Number.isFinite)).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
