/** The tabular engine: sampling, data schedule, optimisers, divergence, determinism and common random numbers. */
import { describe, expect, it } from 'vitest';
import { parseExperimentConfigOrThrow, resolveRuns, type ExperimentConfigInput } from '../src/lab/config/experiment.ts';
import { findPreset } from '../src/lab/config/presets.ts';
import { EpochData, RunningMoments } from '../src/lab/data.ts';
import { buildEnvironment } from '../src/lab/environment.ts';
import { METRIC_KEYS } from '../src/lab/metrics.ts';
import { officialSftLogits } from '../src/lab/policies/initialisation.ts';
import { Adam, Sgd } from '../src/lab/policies/optimizers.ts';
import { cauchyTanhReference } from '../src/lab/reference.ts';
import { stream } from '../src/lab/random.ts';
import { Comparison, Run } from '../src/lab/train.ts';

function comparison(input: ExperimentConfigInput, seed?: number): Comparison {
  const c = new Comparison(parseExperimentConfigOrThrow(input), seed);
  c.runToEnd();
  return c;
}

function series(run: Run): number[][] {
  return METRIC_KEYS.map((k) => run.metrics.toArray(k));
}

const SMALL: ExperimentConfigInput = {
  defaults: { steps: 60, S: 4, N: 6, T: 3 },
  runs: [
    { name: 'bon', objective: 'best-of-n' },
    { name: 'ipo', objective: 'ipo' },
    { name: 'dpo', objective: 'dpo', sampling: 'offline' },
    { name: 'rwr', objective: 'rwr' },
    { name: 'reinforce', objective: 'reinforce', klCoef: 0.1 },
    { name: 'ppo', objective: 'ppo' },
    { name: 'pref-ft', objective: 'pref-ft', labels: 'bradley-terry', labelTemperature: 0.2 },
  ],
};

describe('determinism and common random numbers', () => {
  it('fillUniform gives exactly the uniforms of repeated uniform() calls and leaves the stream in the same place', () => {
    for (const count of [0, 1, 7, 10_001]) {
      const bulk = stream(5, 'fill-test', count);
      const oneByOne = stream(5, 'fill-test', count);
      const out = new Float64Array(count + 3).fill(-1);
      bulk.fillUniform(out, count);
      for (let i = 0; i < count; i++) expect(out[i]).toBe(oneByOne.uniform());
      expect(Array.from(out.subarray(count))).toEqual([-1, -1, -1]);
      for (let i = 0; i < 4; i++) expect(bulk.nextUint32()).toBe(oneByOne.nextUint32());
    }
  });

  it('the same config and seed give identical metrics; another seed gives different ones', () => {
    const a = comparison(SMALL, 7);
    const b = comparison(SMALL, 7);
    const c = comparison(SMALL, 8);
    a.runs.forEach((run, i) => {
      expect(series(run)).toEqual(series(b.runs[i]));
      expect(series(run)).not.toEqual(series(c.runs[i]));
    });
  });

  it('a run in a comparison gives the same metrics as the same run alone', () => {
    const all = comparison(SMALL, 3);
    const config = parseExperimentConfigOrThrow(SMALL);
    for (const spec of config.runs) {
      const alone = comparison({ ...SMALL, runs: [spec] }, 3);
      expect(series(alone.runs[0])).toEqual(series(all.runs.find((r) => r.name === spec.name)!));
    }
  });

  it('offline and on-policy runs start from the same π_ref dataset, and differ once on-policy resamples', () => {
    const c = comparison(
      {
        defaults: { S: 5, N: 4, T: 2, steps: 4 },
        runs: [
          { name: 'off', objective: 'best-of-n', sampling: 'offline' },
          { name: 'on', objective: 'best-of-n', sampling: 'on-policy' },
        ],
      },
      11,
    );
    const [off, on] = c.runs;
    // after 4 steps with T = 2 the on-policy run is in epoch 1 (resampled); the offline one still on epoch 0's data
    expect(series(off).map((col) => col.slice(0, 3))).toEqual(series(on).map((col) => col.slice(0, 3)));
    expect(Array.from(off.data.actions)).not.toEqual(Array.from(on.data.actions));
  });
});

describe('data schedule (Algorithm 1)', () => {
  it('collects S·N samples per epoch, M prompts per step, T passes, and counts reward queries', () => {
    const c = comparison({ runs: [{ name: 'a', objective: 'reinforce', S: 6, N: 5, M: 4, T: 3, steps: 13 }] });
    const m = c.runs[0].metrics;
    // ⌈6/4⌉ = 2 minibatches × 3 passes = 6 steps per epoch
    expect(m.toArray('epoch')).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2]);
    expect(m.toArray('queries')).toEqual([0, 30, 30, 30, 30, 30, 30, 60, 60, 60, 60, 60, 60, 90]);
  });

  it('an offline run queries the reward model once', () => {
    const c = comparison({ runs: [{ name: 'a', objective: 'dpo', sampling: 'offline', S: 3, N: 4, T: 2, steps: 10 }] });
    expect(c.runs[0].metrics.last('queries')).toBe(12);
  });

  it('SFT to π_ref uses no samples and makes no queries', () => {
    const c = comparison({ runs: [{ name: 'a', objective: 'sft', steps: 5 }] });
    expect(c.runs[0].metrics.last('queries')).toBe(0);
  });

  it('inverse-CDF sampling draws bins with their probabilities', () => {
    const p = cauchyTanhReference(10);
    const cdf = new Float64Array(10);
    let c = 0;
    for (let a = 0; a < 10; a++) cdf[a] = c += p[a];
    const data = new EpochData(1000, 100, false);
    data.sample(cdf, stream(5, 'test'), new Float64Array(10));
    const counts = new Float64Array(10);
    for (const a of data.actions) counts[a] += 1;
    for (let a = 0; a < 10; a++) {
      const expected = p[a] * data.size;
      expect(Math.abs(counts[a] - expected)).toBeLessThan(5 * Math.sqrt(expected)); // 5σ
    }
  });

  it('builds all N(N−1)/2 pairs per prompt, the later one in reward order wins (ties included), threshold drops pairs', () => {
    const reward = Float64Array.from([0, 0.5, 0.5, 1]);
    const data = new EpochData(1, 4, true);
    data.setSamples([3, 1, 2, 1], reward); // rewards 1, .5, .5, .5
    data.buildPairs(0, 'reward', 1, null);
    expect(data.pairStart[1]).toBe(6);
    const pairs = Array.from({ length: 6 }, (_, k) => [data.pairW[k], data.pairL[k]]);
    // sorted ascending, stable: samples 1, 2, 3 (all 0.5) then 0 (reward 1); the later one wins
    expect(pairs).toEqual([[2, 1], [3, 1], [0, 1], [3, 2], [0, 2], [0, 3]]);
    data.buildPairs(0.2, 'reward', 1, null);
    expect(data.pairStart[1]).toBe(3);
    expect(Array.from(data.best)).toEqual([0]);
    expect(Array.from(data.worst)).toEqual([1]);
  });

  it('Bradley–Terry labels follow σ((r_a − r_b)/τ)', () => {
    const reward = Float64Array.from([0, 0.1]);
    const data = new EpochData(20000, 2, true);
    data.setSamples(Array.from({ length: 40000 }, (_, i) => i % 2), reward);
    data.buildPairs(0, 'bradley-terry', 0.1, stream(1, 'bt'));
    let laterWins = 0;
    for (let k = 0; k < 20000; k++) if (data.pairW[k] % 2 === 1) laterWins++;
    const p = 1 / (1 + Math.exp(-1));
    expect(Math.abs(laterWins / 20000 - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / 20000));
  });

  it('running moments equal the population mean and std of everything added', () => {
    const m = new RunningMoments();
    const xs = [0.1, 0.5, 0.2, 3, -1, 0.7, 0.7];
    m.add(Float64Array.from(xs.slice(0, 3)));
    m.add(Float64Array.from(xs.slice(3)));
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(m.mean).toBeCloseTo(mean, 12);
    expect(m.std).toBeCloseTo(sd, 12);
  });
});

describe('optimisers and initialisation', () => {
  it('Adam (torch defaults): the first step moves every parameter by about lr·sign(g); the second matches torch\'s formula by hand', () => {
    const params = Float64Array.from([1, 2, 3]);
    const adam = new Adam(3);
    adam.step(params, Float64Array.from([0.5, -2, 0]), 0.1);
    // step 1: m̂ = g, √v̂ = |g|, so θ moves by lr·g/(|g| + ε)
    const first = 1 - (0.1 * 0.5) / (0.5 + 1e-8);
    expect(params[0]).toBeCloseTo(first, 14);
    expect(params[1]).toBeCloseTo(2 + (0.1 * 2) / (2 + 1e-8), 14);
    expect(params[2]).toBe(3);
    adam.step(params, Float64Array.from([0.25, -2, 0]), 0.1);
    // torch: m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; θ −= (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε)
    const m = 0.9 * 0.05 + 0.1 * 0.25;
    const v = 0.999 * 0.00025 + 0.001 * 0.0625;
    const expected = first - ((0.1 / (1 - 0.9 ** 2)) * m) / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** 2) + 1e-8);
    expect(params[0]).toBeCloseTo(expected, 14);
  });

  it('SGD is θ − lr·g', () => {
    const params = Float64Array.from([1, 2]);
    new Sgd().step(params, Float64Array.from([0.5, -2]), 0.1);
    expect(Array.from(params)).toEqual([0.95, 2.2]);
  });

  // Adam moves each logit by at most about lr per step, so 100 steps at 0.01 cannot reach log π_ref exactly
  // (bin 0 needs ≈ +2 above the mean): the official SFT ends at KL(π‖π_ref) ≈ 0.064 nats, from 0.526 at uniform.
  it('the official SFT (100 Adam steps at lr 0.01 from uniform) ends near π_ref, and "reference" starts exactly at it', () => {
    const ref = cauchyTanhReference();
    const logRef = ref.map(Math.log);
    const z = officialSftLogits(logRef);
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const total = e.reduce((a, b) => a + b);
    const p = e.map((v) => v / total);
    const kl = p.reduce((acc, pa, a) => acc + pa * Math.log(pa / ref[a]), 0);
    const uniformKl = ref.reduce((acc, _r, a) => acc + (1 / 100) * Math.log(1 / 100 / ref[a]), 0);
    expect(uniformKl).toBeCloseTo(0.526, 3);
    expect(kl).toBeLessThan(0.07);
    const config = parseExperimentConfigOrThrow({ runs: [{ name: 'a', objective: 'dpo' }] });
    const run = new Run(resolveRuns(config)[0], buildEnvironment(config), 1);
    expect(run.metrics.at('kl_pi_ref', 0)).toBeLessThan(1e-12);
  });
});

describe('divergence', () => {
  it('a run whose logits blow up stops, marked at that step, and the other runs go on', () => {
    const c = comparison({
      defaults: { steps: 50, optimizer: 'sgd' },
      runs: [
        { name: 'blows up', objective: 'rwr', rwrTemperature: 1e-3, lr: 100 },
        { name: 'fine', objective: 'reinforce' },
      ],
    });
    const [bad, fine] = c.runs;
    expect(bad.diverged).not.toBeNull();
    expect(bad.diverged!.step).toBeGreaterThanOrEqual(1);
    expect(bad.step).toBe(bad.diverged!.step);
    expect(bad.metrics.length).toBe(bad.diverged!.step); // the diverged step itself is not recorded
    expect(fine.diverged).toBeNull();
    expect(fine.step).toBe(50);
  });
});

describe('live edits', () => {
  it('an edit changes the knob from its step on, only for its run, and replays exactly', () => {
    const base: ExperimentConfigInput = { defaults: { steps: 40 }, runs: [{ name: 'a', objective: 'reinforce' }, { name: 'b', objective: 'reinforce' }] };
    const edited = { ...base, edits: [{ run: 'a', step: 20, key: 'lr' as const, value: 0.5 }] };
    const plain = comparison(base);
    const once = comparison(edited);
    const twice = comparison(edited);
    const er = (c: Comparison, i: number) => c.runs[i].metrics.toArray('expected_reward');
    expect(er(once, 0).slice(0, 21)).toEqual(er(plain, 0).slice(0, 21));
    expect(er(once, 0).slice(21)).not.toEqual(er(plain, 0).slice(21));
    expect(er(once, 1)).toEqual(er(plain, 1));
    expect(er(once, 0)).toEqual(er(twice, 0));
  });
});

describe('presets', () => {
  it('F1 presets run the settings of the spec calibration', () => {
    const config = parseExperimentConfigOrThrow(findPreset('f1-r1')!.config);
    const runs = resolveRuns(config);
    expect(runs.map((r) => [r.name, r.sampling, r.S, r.N, r.T, r.steps, r.lr])).toEqual([
      ['offline best-of-N', 'offline', 100, 10, 1500, 1500, 0.05],
      ['offline IPO', 'offline', 100, 10, 300, 300, 0.05],
      ['on-policy best-of-N', 'on-policy', 10, 10, 15, 1500, 0.05],
      ['on-policy IPO', 'on-policy', 10, 10, 15, 1500, 0.05],
      ['REINFORCE', 'on-policy', 10, 10, 1, 1500, 0.05],
    ]);
    expect(runs[1]).toMatchObject({ ipoMargin: 10, rewardThreshold: 0.2 });
  });
});

describe('nested datasets', () => {
  it('an offline dataset of S prompts is the prefix of one with more prompts (same N)', () => {
    const config = parseExperimentConfigOrThrow({
      runs: [
        { name: 'small', objective: 'best-of-n', sampling: 'offline', S: 3, N: 5, steps: 1 },
        { name: 'large', objective: 'best-of-n', sampling: 'offline', S: 8, N: 5, steps: 1 },
      ],
    });
    const c = new Comparison(config);
    c.runToEnd();
    const [small, large] = c.runs;
    expect(Array.from(small.data.actions)).toEqual(Array.from(large.data.actions.subarray(0, 15)));
  });
});
