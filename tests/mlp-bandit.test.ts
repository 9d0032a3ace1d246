/**
 * The MLP companion's core (src/lab/mlp-bandit/): Algorithm 1 on the official MLP with the tabular engine's
 * data and objective code. Coefficients against the tabular engine (a context-free fake model, then the real
 * MLP on the shared epoch-0 dataset), a short on-policy best-of-N run on R1, determinism, tensors, edits.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfigOrThrow, resolveRuns, type ExperimentConfigInput } from '../src/lab/config/experiment.ts';
import { findPreset } from '../src/lab/config/presets.ts';
import { buildEnvironment } from '../src/lab/environment.ts';
import { exp, log } from '../src/lab/math.ts';
import { MlpComparison } from '../src/lab/mlp-bandit/mlp-comparison.ts';
import { MlpBanditRun } from '../src/lab/mlp-bandit/mlp-run.ts';
import type { ContextualBanditModel, ModelRequest } from '../src/lab/mlp-bandit/model.ts';
import { METRIC_KEYS } from '../src/lab/metrics.ts';
import { stream } from '../src/lab/random.ts';
import { Run } from '../src/lab/train.ts';
import { TfMlpBanditModel, tfMlpModelFactory } from '../src/worker/mlp/tf-mlp-model.ts';
import { useBackend } from './helpers/tf-backend.ts';

/** A context-free policy q (the same for every context) that records what each step was given. */
class FixedPolicyModel implements ContextualBanditModel {
  readonly K: number;
  readonly trainCount: number;
  readonly evalCount: number;
  readonly steps: Array<{ from: number; to: number; actions: Int32Array; n: number; perSample: Float64Array; dense: Float64Array | null }> = [];
  constructor(
    request: ModelRequest,
    private readonly logQ: Float64Array,
  ) {
    this.K = request.K;
    this.trainCount = request.trainCount;
    this.evalCount = request.evalCount;
  }
  private rows(count: number, f: (lq: number) => number): Float32Array {
    const out = new Float32Array(count * this.K);
    for (let i = 0; i < out.length; i++) out[i] = f(this.logQ[i % this.K]);
    return out;
  }
  trainLogProbs(from: number, to: number) {
    return Promise.resolve(this.rows(to - from, (lq) => lq));
  }
  evalProbs() {
    return Promise.resolve(this.rows(this.evalCount, (lq) => exp(lq)));
  }
  sftStep() {
    return Promise.resolve(0);
  }
  endSft() {}
  copyWeightsFrom() {}
  step(from: number, to: number, actions: Int32Array, n: number, perSample: Float64Array, dense: Float64Array | null) {
    this.steps.push({ from, to, actions: actions.slice(), n, perSample: perSample.slice(), dense: dense?.slice() ?? null });
    return Promise.resolve({ loss: 0, gradNorm: 1 });
  }
  dispose() {}
}

/** seeded logits far from π_ref, as float64 log-probabilities */
function seededLogQ(K: number): Float64Array {
  const rng = stream(11, 'test', 'mlp-bandit-q');
  const z = Float64Array.from({ length: K }, () => 3 * rng.uniform());
  let total = 0;
  for (const v of z) total += exp(v);
  return z.map((v) => v - log(total));
}

const OBJECTIVE_RUNS: ExperimentConfigInput['runs'] = [
  { name: 'bon', objective: 'best-of-n' },
  { name: 'bon-neg', objective: 'best-of-n', negativeGradientType: 'average_over_worse_actions', negGradWeight: 0.5 },
  { name: 'rwr', objective: 'rwr' },
  { name: 'dpo', objective: 'dpo', dpoBeta: 0.5 },
  { name: 'ipo', objective: 'ipo', ipoMargin: 2, rewardThreshold: 0 },
  { name: 'pref-ft', objective: 'pref-ft' },
  { name: 'reinforce', objective: 'reinforce', klCoef: 0.3, entropyBonus: 0.1 },
  { name: 'ppo', objective: 'ppo', klCoef: 0.2 },
  { name: 'sft', objective: 'sft' },
];

describe('the MLP run uses the tabular engine’s data and objectives', () => {
  const config = parseExperimentConfigOrThrow({ seed: 5, defaults: { S: 6, N: 4, M: 3, T: 2, steps: 4 }, runs: OBJECTIVE_RUNS });
  const env = buildEnvironment(config);
  const logQ = seededLogQ(env.K);

  for (const spec of resolveRuns(config)) {
    it(`${spec.name}: first-step coefficients, dense KL terms and loss equal the tabular run’s at the same policy`, async () => {
      const model = new FixedPolicyModel({ seed: 5, trainCount: spec.S, evalCount: 7, K: env.K }, logQ);
      const mlp = new MlpBanditRun(spec, env, 5, model);
      await mlp.afterSft();
      await mlp.advance();
      const tabular = new Run(spec, env, 5, logQ);
      tabular.advance();

      const step = model.steps[0];
      const M = spec.objective === 'sft' ? spec.S : spec.M;
      expect(step.to - step.from).toBe(M);
      if (spec.objective !== 'sft') {
        // the same samples (epoch 0: the shared offline dataset) in the same order
        expect(Array.from(step.actions)).toEqual(Array.from(tabular.data.actions.subarray(0, M * spec.N)));
        expect(Array.from(mlp.data.rewards)).toEqual(Array.from(tabular.data.rewards));
        const expected = Array.from(tabular.coefficients.coef.subarray(0, M * spec.N));
        expect(expected.some((c) => c !== 0)).toBe(true);
        step.perSample.forEach((c, i) => expect(c, `coef[${i}]`).toBeCloseTo(expected[i], 6));
      }
      if (tabular.coefficients.denseActive) {
        expect(step.dense).not.toBeNull();
        // per-context rows that average to the tabular term: their sum over the contexts is the tabular dense
        for (let a = 0; a < env.K; a++) {
          let sum = 0;
          for (let c = 0; c < M; c++) sum += (step.dense as Float64Array)[c * env.K + a];
          expect(sum, `dense[${a}]`).toBeCloseTo(tabular.coefficients.dense[a], 6);
        }
      } else {
        expect(step.dense).toBeNull();
      }
      expect(mlp.metrics.at('loss', 1)).toBeCloseTo(tabular.metrics.at('loss', 1), 5);
    });
  }
});

describe('on the official MLP (wasm)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('epoch 0 draws the tabular run’s offline dataset; best-of-N’s coefficients are the tabular ones exactly', async () => {
    const config = parseExperimentConfigOrThrow({ seed: 3, defaults: { S: 8, N: 5, steps: 2, lr: 1e-3 }, runs: [{ name: 'bon', objective: 'best-of-n', negativeGradientType: 'worst_action' }] });
    const env = buildEnvironment(config);
    const [spec] = resolveRuns(config);
    const factory = tfMlpModelFactory();
    const model = factory({ seed: 3, trainCount: spec.S, evalCount: 10, K: env.K });
    const mlp = new MlpBanditRun(spec, env, 3, model);
    await mlp.sft({ steps: 3 });
    await mlp.advance();
    const tabular = new Run(spec, env, 3);
    tabular.advance();
    expect(Array.from(mlp.bins)).toEqual(Array.from(tabular.data.actions));
    expect(Array.from(mlp.coefficients.coef)).toEqual(Array.from(tabular.coefficients.coef));
    model.dispose();
  });

  it('a short on-policy best-of-N run (F1 on R1’s run, 60 steps) raises the expected reward', async () => {
    const preset = parseExperimentConfigOrThrow(findPreset('f1-r1')!.config);
    const run = preset.runs.find((r) => r.name === 'on-policy best-of-N')!;
    const config = { ...preset, runs: [{ ...run, steps: 60 }], edits: [] };
    const comparison = (await MlpComparison.create(config, tfMlpModelFactory()))!;
    while (await comparison.advance()) {
      /* lock step */
    }
    const metrics = comparison.runs[0].metrics;
    expect(metrics.length).toBe(61);
    const start = metrics.at('expected_reward', 0);
    const end = metrics.last('expected_reward');
    // after the SFT the MLP is close to π_ref (E_π_ref[r] ≈ 0.04 on R1)
    expect(start).toBeLessThan(0.1);
    expect(metrics.at('kl_pi_ref', 0)).toBeLessThan(0.3);
    expect(end).toBeGreaterThan(start + 0.3);
    expect(comparison.runs[0].diverged).toBeNull();
    comparison.dispose();
  });

  const SMALL: ExperimentConfigInput = {
    seed: 2,
    defaults: { S: 4, N: 4, T: 2, steps: 6, lr: 0.01 },
    runs: [
      { name: 'ipo', objective: 'ipo', ipoMargin: 2 },
      { name: 'reinforce', objective: 'reinforce', klCoef: 0.1 },
      { name: 'ppo', objective: 'ppo', S: 6, M: 3 },
    ],
  };
  const runAll = async (input: ExperimentConfigInput, seed?: number) => {
    const comparison = (await MlpComparison.create(parseExperimentConfigOrThrow(input), tfMlpModelFactory(), { seed, sftSteps: 5 }))!;
    while (await comparison.advance()) {
      /* lock step */
    }
    const result = comparison.runs.map((run) => METRIC_KEYS.map((k) => run.metrics.columns[k].slice()));
    comparison.dispose();
    return result;
  };

  it('is deterministic for a seed; another seed gives other metrics', async () => {
    const a = await runAll(SMALL);
    const b = await runAll(SMALL);
    const c = await runAll(SMALL, 9);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[0][0]).toHaveLength(7);
  });

  it('leaks no tensor: flat while training, back to the start after dispose', async () => {
    const before = tf.memory().numTensors;
    const comparison = (await MlpComparison.create(parseExperimentConfigOrThrow(SMALL), tfMlpModelFactory(), { sftSteps: 3 }))!;
    await comparison.advance();
    const trained = tf.memory().numTensors;
    while (await comparison.advance()) expect(tf.memory().numTensors).toBe(trained);
    comparison.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('applies the config’s live edits at their steps (a recorded lr change alters the run from there on)', async () => {
    const base: ExperimentConfigInput = { seed: 4, defaults: { S: 4, N: 4, steps: 5, lr: 0.001 }, runs: [{ name: 'bon', objective: 'best-of-n' }] };
    const plain = await runAll(base);
    const edited = await runAll({ ...base, edits: [{ run: 'bon', step: 3, key: 'lr', value: 0.05 }] });
    const reward = METRIC_KEYS.indexOf('expected_reward');
    expect(edited[0][reward].slice(0, 4)).toEqual(plain[0][reward].slice(0, 4));
    expect(edited[0][reward][4]).not.toBe(plain[0][reward][4]);
  });

  it('shares one SFT between runs with the same S (the copied weights give the same step-0 policy)', async () => {
    const comparison = (await MlpComparison.create(parseExperimentConfigOrThrow({ seed: 6, defaults: { S: 4, N: 3, steps: 1 }, runs: [{ name: 'a', objective: 'best-of-n' }, { name: 'b', objective: 'rwr' }] }), tfMlpModelFactory(), { sftSteps: 4 }))!;
    const [a, b] = comparison.runs;
    expect(a.metrics.row(0)).toEqual(b.metrics.row(0));
    const weights = async (model: ContextualBanditModel) => Promise.all([...(model as TfMlpBanditModel).policy.parameters.values()].map((v) => v.data()));
    expect(await weights(b.model)).toEqual(await weights(a.model));
    expect(a.metrics.at('kl_pi_ref', 0)).toBeGreaterThan(0);
    comparison.dispose();
  });
});
