import { describe, expect, it } from 'vitest';
import { parseExperimentConfig, resolveRuns, type ConfigError } from '../src/lab/config/experiment.ts';
import { PRESETS } from '../src/lab/config/presets.ts';

const minimal = { runs: [{ name: 'a', objective: 'reinforce' }] };

function errorsOf(input: unknown): ConfigError[] {
  const result = parseExperimentConfig(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.errors;
}

function expectError(input: unknown, path: string, pattern: RegExp): void {
  const errors = errorsOf(input);
  const match = errors.find((e) => e.path === path);
  expect(match, `no error at ${path}; got ${JSON.stringify(errors)}`).toBeDefined();
  expect(match!.message).toMatch(pattern);
}

describe('ExperimentConfig defaults and resolution', () => {
  it('fills every default: π_ref analytic over 100 bins, R1, seed 1, version 1', () => {
    const result = parseExperimentConfig(minimal);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.version).toBe(1);
    expect(result.config.seed).toBe(1);
    expect(result.config.reference).toEqual({ kind: 'cauchy-tanh', bins: 100 });
    expect(result.config.reward).toEqual({ kind: 'gaussian', centre: 70, width: 10 });
    const [run] = resolveRuns(result.config);
    expect(run).toMatchObject({ name: 'a', objective: 'reinforce', lr: 0.05, optimizer: 'adam', init: 'reference', S: 10, N: 10, M: 10, T: 1 });
  });

  it('layers built-in defaults < config.defaults < the run, and M defaults to S', () => {
    const result = parseExperimentConfig({
      defaults: { lr: 0.01, S: 20 },
      runs: [
        { name: 'a', objective: 'dpo' },
        { name: 'b', objective: 'dpo', lr: 0.2, M: 5 },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [a, b] = resolveRuns(result.config);
    expect([a.lr, a.S, a.M]).toEqual([0.01, 20, 20]);
    expect([b.lr, b.S, b.M]).toEqual([0.2, 20, 5]);
  });

  it('accepts every preset', () => {
    for (const preset of PRESETS) {
      const result = parseExperimentConfig(preset.config);
      expect(result.ok, `${preset.name}: ${result.ok ? '' : JSON.stringify(result.errors)}`).toBe(true);
    }
  });
});

describe('ExperimentConfig validation messages name the field and the allowed range', () => {
  it('unknown objective lists the allowed ones', () => {
    expectError({ runs: [{ name: 'a', objective: 'grpo' }] }, 'runs[0].objective', /unknown objective "grpo"; allowed: sft, pref-ft, best-of-n, rwr, dpo, ipo, reinforce, ppo/);
  });
  it('lr ≤ 0', () => {
    expectError({ runs: [{ name: 'a', objective: 'dpo', lr: 0 }] }, 'runs[0].lr', /must be a number greater than 0 and at most 100 \(got 0\)/);
    expectError({ defaults: { lr: -1 }, runs: [{ name: 'a', objective: 'dpo' }] }, 'defaults.lr', /greater than 0.*got -1/);
  });
  it('NaN and non-numbers', () => {
    expectError({ runs: [{ name: 'a', objective: 'dpo', dpoBeta: Number.NaN }] }, 'runs[0].dpoBeta', /must be a number greater than 0/);
    expectError({ runs: [{ name: 'a', objective: 'dpo', lr: '0.1' }] }, 'runs[0].lr', /got "0.1"/);
    expectError({ runs: [{ name: 'a', objective: 'dpo', lr: Number.POSITIVE_INFINITY }] }, 'runs[0].lr', /must be a number/);
  });
  it('N < 2 for pairwise objectives and for a best-of-N negative gradient', () => {
    expectError({ runs: [{ name: 'a', objective: 'ipo', N: 1 }] }, 'runs[0].N', /IPO builds preference pairs within a prompt, so it needs N ≥ 2 \(got 1\)/);
    expectError({ runs: [{ name: 'a', objective: 'best-of-n', N: 1, negativeGradientType: 'worst_action' }] }, 'runs[0].N', /needs N ≥ 2/);
    expect(parseExperimentConfig({ runs: [{ name: 'a', objective: 'reinforce', N: 1 }] }).ok).toBe(true);
  });
  it('integers and out-of-range K', () => {
    expectError({ reference: { kind: 'cauchy-tanh', bins: 1 }, runs: minimal.runs }, 'reference.bins', /between 2 and 4096 \(got 1\)/);
    expectError({ reference: { kind: 'cauchy-tanh', bins: 5000 }, runs: minimal.runs }, 'reference.bins', /between 2 and 4096/);
    expectError({ runs: [{ name: 'a', objective: 'dpo', S: 2.5 }] }, 'runs[0].S', /must be an integer at least 1/);
  });
  it('a zero in a user-given π_ref, and a negative weight', () => {
    expectError({ reference: { kind: 'custom', values: [1, 0, 2] }, reward: { kind: 'custom', values: [0, 1, 0] }, runs: minimal.runs }, 'reference.values[1]', /is 0, but every bin needs positive probability under π_ref/);
    expectError({ reference: { kind: 'custom', values: [1, -1, 2] }, runs: minimal.runs }, 'reference.values[1]', /must be at least 0 \(got -1\)/);
  });
  it('a sampled π_ref with too few draws to fill every bin', () => {
    expectError({ reference: { kind: 'sampled', bins: 100, draws: 50 }, runs: minimal.runs }, 'reference.draws', /50 draws leave bin \d+ empty \(seed 1\)/);
    expect(parseExperimentConfig({ reference: { kind: 'sampled', bins: 100, draws: 10_000 }, runs: minimal.runs }).ok).toBe(true);
  });
  it('a custom reward table of the wrong length, and a reward centre off the bins', () => {
    expectError({ reference: { kind: 'custom', values: [1, 1, 2] }, reward: { kind: 'custom', values: [0, 1] }, runs: minimal.runs }, 'reward.values', /has 2 values but π_ref has 3 bins/);
    expectError({ reward: { kind: 'gaussian', centre: 120, width: 10 }, runs: minimal.runs }, 'reward.centre', /between bin 0 and bin 99 \(got 120\)/);
  });
  it('M > S, duplicate names, unknown keys, unknown version', () => {
    expectError({ runs: [{ name: 'a', objective: 'dpo', S: 4, M: 5 }] }, 'runs[0].M', /M = 5 > S = 4/);
    expectError({ runs: [{ name: 'a', objective: 'dpo' }, { name: 'a', objective: 'ipo' }] }, 'runs[1].name', /used by two runs/);
    expectError({ runs: [{ name: 'a', objective: 'dpo', learningRate: 1 }] }, 'runs[0]', /Unrecognized key: "learningRate"/);
    expectError({ version: 2, runs: minimal.runs }, 'version', /reads config version 1; version 2 is not supported/);
  });
  it('edits must name a run, a live knob and a valid value before the last step', () => {
    expectError({ ...minimal, edits: [{ run: 'b', step: 3, key: 'lr', value: 0.1 }] }, 'edits[0].run', /no run is named "b"/);
    expectError({ ...minimal, edits: [{ run: 'a', step: 3, key: 'S', value: 4 }] }, 'edits[0].key', /is not a live knob/);
    expectError({ ...minimal, edits: [{ run: 'a', step: 3, key: 'lr', value: -4 }] }, 'edits[0].value', /lr must be a number greater than 0/);
    expectError({ ...minimal, edits: [{ run: 'a', step: 1500, key: 'lr', value: 0.1 }] }, 'edits[0].step', /before the run's last step/);
  });
  it('reports every problem at once, not just the first', () => {
    const errors = errorsOf({ runs: [{ name: 'a', objective: 'dpo', lr: 0, N: 0 }], seed: -1 });
    expect(errors.map((e) => e.path).sort()).toEqual(['runs[0].N', 'runs[0].lr', 'seed']);
  });
  it('never throws on arbitrary input', () => {
    for (const input of [null, undefined, 3, 'x', [], { runs: 'x' }, { runs: [null] }, { reference: { kind: 'custom', values: 'abc' }, runs: minimal.runs }]) {
      expect(parseExperimentConfig(input).ok).toBe(false);
    }
  });
});
