/**
 * The sequence training engine (src/lab/sequence-engine/): SFT of gpt-nano to the task's reference, short
 * on-policy runs that must move the reward, hand checks of the DPO/IPO and PPO coefficients, determinism
 * and a flat tensor count. Real-size gpt-nano (spec C.2) on the wasm backend with the transpose-free matMul
 * backward; the SFTs are short (80 and 120 steps of 64 sequences) and the runs small (S = 8, N = 8, T = 2, 20 steps).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EpochData } from '../src/lab/data.ts';
import type { Coefficients } from '../src/lab/objectives/index.ts';
import type { GptNano } from '../src/lab/policies/gpt-nano.ts';
import { buildSkewLengthTask, discretisedGaussianLengths } from '../src/lab/sequence/length-tasks.ts';
import { cauchyTanhReference } from '../src/lab/reference.ts';
import { stream } from '../src/lab/random.ts';
import { officialSequenceRewardSpec } from '../src/lab/sequence/sequence-rewards.ts';
import { BIN_COUNT, SEQUENCE_SLOTS, sequenceLength } from '../src/lab/sequence/tokens.ts';
import { SampleView } from '../src/lab/objectives/sample-view.ts';
import { computeSequenceCoefficients, type TokenScores } from '../src/lab/sequence-engine/sequence-objectives.ts';
import { MONITOR_INTERVAL, MONITOR_SAMPLES, SequenceRun } from '../src/lab/sequence-engine/sequence-run.ts';
import { defaultSequenceRunSettings, type SequenceRunSettings } from '../src/lab/sequence-engine/sequence-settings.ts';
import { lengthTaskDefinition, minLengthTaskDefinition, sequenceBanditTask } from '../src/lab/sequence-engine/sequence-task.ts';
import { trainSequenceReference, type SequenceSftResult } from '../src/lab/sequence-engine/sft.ts';
import { useBackend } from './helpers/tf-backend.ts';

const SFT = { steps: 80, batchSize: 64, learningRate: 3e-3, modelOverrides: { transposeFreeMatMul: true } };
const SMALL_RUN: Partial<SequenceRunSettings> = { sampling: 'on-policy', S: 8, N: 8, T: 2, steps: 20, lr: 1e-3 };

const bandit = sequenceBanditTask(officialSequenceRewardSpec(7));
const minLength = minLengthTaskDefinition(discretisedGaussianLengths());
let banditSft: SequenceSftResult;
let lengthSft: SequenceSftResult;

beforeAll(async () => {
  await useBackend('wasm');
  banditSft = await trainSequenceReference(bandit, 1, SFT);
  // the end-token hazard of the long, rare lengths needs a few more steps
  lengthSft = await trainSequenceReference(minLength, 1, { ...SFT, steps: 120 });
}, 60_000);

afterAll(() => {
  banditSft?.reference.dispose();
  lengthSft?.reference.dispose();
});

async function trainedRun(task: typeof bandit, reference: GptNano, settings: SequenceRunSettings, seed = 1) {
  const run = new SequenceRun(task, reference, settings, seed);
  const before = await run.evaluate(64);
  await run.runToEnd();
  const after = await run.evaluate(64);
  run.dispose();
  return { run, before, after };
}

describe('SFT to the reference (spec B.1, maximum likelihood on reference sequences)', () => {
  it('brings the bandit model’s per-token distribution close to π_ref', () => {
    const d = banditSft.diagnostics;
    // measured (wasm, seed 1, 80 steps): KL(π_θ‖π_ref) = 0.0053 per token, TV = 0.037, NLL 4.1454 vs H(π_ref) 4.1405
    expect(d.tokenKl).toBeLessThan(0.03);
    expect(d.tokenTotalVariation).toBeLessThan(0.1);
    expect(d.finalNll - d.idealNll).toBeLessThan(0.04);
    expect(d.lossHistory[d.lossHistory.length - 1]).toBeLessThan(d.lossHistory[0] - 0.3);
  });

  it('teaches the length model the end-token hazard of the length distribution', () => {
    const d = lengthSft.diagnostics;
    const probability = d.endTokenProbability as Float64Array;
    const hazard = d.endTokenHazard as Float64Array;
    // measured (120 steps): |P(end) − hazard| < 0.03 at slots 2–8; slot 9 (seen by 15% of the data) 0.642 vs 0.752;
    // bins TV 0.064, KL 0.014; NLL 3.8325 vs the reference law's 3.8193
    for (let slot = 2; slot <= 8; slot++) expect(Math.abs(probability[slot - 1] - hazard[slot - 1]), `slot ${slot}`).toBeLessThan(0.08);
    expect(Math.abs(probability[8] - hazard[8])).toBeLessThan(0.2);
    expect(d.tokenTotalVariation).toBeLessThan(0.12);
    expect(d.finalNll - d.idealNll).toBeLessThan(0.05);
  });
});

describe('short on-policy runs', () => {
  it('best-of-N raises the sequence reward (reward 7) above the reference’s', async () => {
    const { run, before, after } = await trainedRun(bandit, banditSft.reference, defaultSequenceRunSettings('best-of-n', SMALL_RUN));
    // measured: 0.354 → 0.556 on 64 evaluation prompts (the exact π_ref value is 0.357)
    expect(run.diverged).toBeNull();
    expect(before.meanReward).toBeGreaterThan(0.3);
    expect(before.meanReward).toBeLessThan(0.42);
    expect(after.meanReward).toBeGreaterThan(before.meanReward + 0.1);
    expect(after.klPerToken).toBeGreaterThan(0);
  }, 30_000);

  it('min-length best-of-N shortens the sequences', async () => {
    const { run, before, after } = await trainedRun(minLength, lengthSft.reference, defaultSequenceRunSettings('best-of-n', SMALL_RUN));
    // measured: mean length 5.91 → 1.17 on 64 evaluation prompts
    expect(run.diverged).toBeNull();
    expect(before.meanLength).toBeGreaterThan(4.5);
    expect(after.meanLength).toBeLessThan(before.meanLength - 2);
    expect(after.lengthHistogram[0]).toBe(0); // the end token is never sampled first
  }, 30_000);
});

/** One prompt, N samples with hand-made log-probabilities (3 counted tokens each). */
function handBatch(N: number, rewards: number[], logProbs: number[], logRef: number[], threshold = 0) {
  const data = new EpochData(1, N, true);
  data.setSamples(Int32Array.from({ length: N }, (_, i) => i), Float64Array.from(rewards));
  data.buildPairs(threshold, 'reward', 1, null);
  const view = new SampleView(N);
  view.logProbs.set(logProbs);
  view.logRef.set(logRef);
  const mask = new Float64Array(N * SEQUENCE_SLOTS);
  for (let i = 0; i < N; i++) mask.fill(1, i * SEQUENCE_SLOTS + 1, i * SEQUENCE_SLOTS + 4);
  const zeros = () => new Float64Array(N * SEQUENCE_SLOTS);
  const scores: TokenScores = { mask, current: zeros(), reference: zeros(), old: zeros() };
  const out: Coefficients = { coef: new Float64Array(N), dense: new Float64Array(0), denseActive: false };
  return { batch: { data, p0: 0, p1: 1 }, view, scores, out, perToken: zeros() };
}

describe('coefficients on hand cases', () => {
  it('DPO and IPO on one pair match the bandit formulas, on every counted token', () => {
    // sample 1 wins (reward 0.9 > 0.2): h = (−4 − −5) − (−6 − −5.5) = 1.5
    const h = 1.5;
    for (const objective of ['dpo', 'ipo'] as const) {
      const { batch, view, scores, out, perToken } = handBatch(2, [0.2, 0.9], [-6, -4], [-5.5, -5]);
      const settings = defaultSequenceRunSettings(objective, { dpoBeta: 0.5, ipoMargin: 10, S: 1, N: 2 });
      const loss = computeSequenceCoefficients(objective, batch, view, scores, settings, out, perToken);
      const slope = objective === 'dpo' ? -0.5 / (1 + Math.exp(0.5 * h)) : 2 * (h - 10);
      const expectedLoss = objective === 'dpo' ? Math.log1p(Math.exp(-0.5 * h)) : (h - 10) ** 2;
      expect(loss).toBeCloseTo(expectedLoss, 12);
      expect(out.coef[1]).toBeCloseTo(-slope, 12);
      expect(out.coef[0]).toBeCloseTo(slope, 12);
      for (let t = 0; t < SEQUENCE_SLOTS; t++) {
        expect(perToken[SEQUENCE_SLOTS + t]).toBeCloseTo(t >= 1 && t <= 3 ? -slope : 0, 12);
        expect(perToken[t]).toBeCloseTo(t >= 1 && t <= 3 ? slope : 0, 12);
      }
    }
  });

  it('drops tied pairs under a threshold, as the bandit does', () => {
    const { batch, view, scores, out, perToken } = handBatch(2, [0.5, 0.5], [-6, -4], [-5.5, -5], 1e-6);
    const loss = computeSequenceCoefficients('dpo', batch, view, scores, defaultSequenceRunSettings('dpo', { S: 1, N: 2 }), out, perToken);
    expect(loss).toBe(0);
    expect(perToken.every((c) => c === 0)).toBe(true);
  });

  it('PPO per-token coefficients are the clipped-ratio formula plus the per-token KL penalty (spec B.8)', () => {
    const { batch, view, scores, out, perToken } = handBatch(2, [0, 1], [0, 0], [0, 0]);
    batch.data.advantages.set([-1, 2]);
    // sample 0 (Â = −1): ratios 0.5 (clipped branch active: no gradient), 1.1 (inside), 1.5 (unclipped active)
    // sample 1 (Â = +2): ratios 0.5 (unclipped active), 1.1 (inside), 1.5 (clipped: no gradient)
    const ratios = [0.5, 1.1, 1.5];
    for (let i = 0; i < 2; i++) {
      for (let t = 1; t <= 3; t++) {
        scores.old[i * SEQUENCE_SLOTS + t] = -2;
        scores.current[i * SEQUENCE_SLOTS + t] = -2 + Math.log(ratios[t - 1]);
        scores.reference[i * SEQUENCE_SLOTS + t] = -2.5;
      }
    }
    const beta = 0.1;
    const settings = defaultSequenceRunSettings('ppo', { ppoClip: 0.2, klCoef: beta, S: 1, N: 2 });
    const loss = computeSequenceCoefficients('ppo', batch, view, scores, settings, out, perToken);
    const B = 2;
    const expected = [
      [0, -1 * 1.1, -1 * 1.5],
      [2 * 0.5, 2 * 1.1, 0],
    ];
    let expectedLoss = 0;
    for (let i = 0; i < 2; i++) {
      const A = [-1, 2][i];
      for (let t = 1; t <= 3; t++) {
        const rho = ratios[t - 1];
        const clipped = Math.min(1.2, Math.max(0.8, rho));
        expectedLoss += (Math.max(-A * rho, -A * clipped) + beta * (Math.log(rho) + 0.5)) / B;
        expect(perToken[i * SEQUENCE_SLOTS + t], `sample ${i} token ${t}`).toBeCloseTo(expected[i][t - 1] / B - beta / B, 12);
      }
      expect(perToken[i * SEQUENCE_SLOTS]).toBe(0);
    }
    expect(loss).toBeCloseTo(expectedLoss, 12);
  });
});

describe('engine mechanics', () => {
  const settings = defaultSequenceRunSettings('dpo', { sampling: 'on-policy', S: 2, N: 4, T: 1, steps: 4, lr: 1e-3 });

  it('is deterministic: the same seed gives identical metrics on the same backend', async () => {
    const rows = [];
    for (let k = 0; k < 2; k++) {
      const run = new SequenceRun(bandit, banditSft.reference, settings, 5);
      await run.runToEnd();
      rows.push(run.metrics.map((m) => ({ ...m })));
      run.dispose();
    }
    expect(rows[0]).toHaveLength(4);
    expect(rows[1]).toEqual(rows[0]);
  }, 30_000);

  it('leaks no tensors: the count is flat across steps and back to the start after dispose()', async () => {
    const start = tf.memory().numTensors;
    const run = new SequenceRun(minLength, lengthSft.reference, { ...settings, objective: 'ppo', klCoef: 0.01 }, 2);
    await run.advance();
    const afterFirst = tf.memory().numTensors;
    await run.runToEnd();
    await run.evaluate(8);
    expect(tf.memory().numTensors).toBe(afterFirst);
    run.dispose();
    expect(tf.memory().numTensors).toBe(start);
  }, 30_000);
});

describe('offline runs: the task\'s own pairs and the policy monitor', () => {
  const lengths = discretisedGaussianLengths();
  const skew = buildSkewLengthTask({ tokenDistribution: cauchyTanhReference(BIN_COUNT), lengthDistribution: lengths }, stream(4, 'skew-test-pairs'), { candidatePairCount: 40 });
  const skewTask = lengthTaskDefinition(skew.task, lengths, cauchyTanhReference(BIN_COUNT), skew.pairs);
  const offlineDpo = defaultSequenceRunSettings('dpo', { sampling: 'offline', offlineSource: 'task-pairs', S: 10, N: 10, T: 12, steps: 12, lr: 1e-3, rewardThreshold: 1e-6 });

  it('trains on the truncated pairs themselves: one prompt per pair, chosen then rejected, the shorter one preferred', async () => {
    const run = new SequenceRun(skewTask, lengthSft.reference, offlineDpo, 3);
    expect(run.settings.S).toBe(skew.pairs.count);
    expect(run.settings.N).toBe(2);
    expect(run.settings.M).toBe(skew.pairs.count);
    await run.advance();
    for (let p = 0; p < skew.pairs.count; p++) {
      const chosen = Array.from(run.tokens.subarray(2 * p * SEQUENCE_SLOTS, (2 * p + 1) * SEQUENCE_SLOTS));
      const rejected = Array.from(run.tokens.subarray((2 * p + 1) * SEQUENCE_SLOTS, (2 * p + 2) * SEQUENCE_SLOTS));
      expect(chosen).toEqual(Array.from(skew.pairs.chosen.tokens.subarray(p * SEQUENCE_SLOTS, (p + 1) * SEQUENCE_SLOTS)));
      expect(rejected).toEqual(Array.from(skew.pairs.rejected.tokens.subarray(p * SEQUENCE_SLOTS, (p + 1) * SEQUENCE_SLOTS)));
      // the reward model prefers the shorter sequence, as the pair's label does
      expect(run.data.best[p]).toBe(2 * p);
    }
    // every length in the dataset is truncated to at most shortLimit; the batch metric is the dataset's
    expect(run.metrics[0].meanLength).toBeLessThanOrEqual(skew.pairs.shortLimit);
    run.dispose();
  }, 60_000);

  it('shows the policy, not the dataset: monitor samples of the current policy every MONITOR_INTERVAL steps', async () => {
    const start = tf.memory().numTensors;
    const run = new SequenceRun(skewTask, lengthSft.reference, offlineDpo, 3);
    await run.advance();
    const first = run.policySamples;
    expect(first?.atStep).toBe(0);
    expect(first?.count).toBe(MONITOR_SAMPLES);
    // step 0's policy is the reference: its samples are long (mean ≈ 6), unlike the truncated pairs (≤ 4)
    expect(first!.meanLength).toBeGreaterThan(4.5);
    expect(run.metrics[0].policyLength).toBe(first!.meanLength);
    expect(Number.isFinite(run.metrics[0].policyKlPerToken)).toBe(true);
    expect(Math.abs(run.metrics[0].policyKlPerToken)).toBeLessThan(1e-6); // the policy is still the reference
    let recomputed = 0;
    for (let i = 0; i < first!.count; i++) recomputed += sequenceLength(first!.tokens, i * SEQUENCE_SLOTS);
    expect(recomputed / first!.count).toBeCloseTo(first!.meanLength, 12);
    while (run.step < MONITOR_INTERVAL + 1) await run.advance();
    const second = run.policySamples;
    expect(second?.atStep).toBe(MONITOR_INTERVAL);
    expect(run.metrics[MONITOR_INTERVAL].policyStep).toBe(MONITOR_INTERVAL);
    expect(run.metrics[MONITOR_INTERVAL - 1].policyStep).toBe(0);
    expect(second!.klPerToken).toBeGreaterThan(0); // ten DPO steps moved the policy away from π_ref
    run.dispose();
    expect(tf.memory().numTensors).toBe(start);
  }, 60_000);

  it('says clearly when the task has no pairs to train on', () => {
    expect(() => new SequenceRun(minLength, lengthSft.reference, offlineDpo, 3)).toThrow(/has none/);
  });

  it('on-policy runs report their own collection as the policy\'s samples', async () => {
    const run = new SequenceRun(minLength, lengthSft.reference, { ...offlineDpo, sampling: 'on-policy', S: 4, N: 4, T: 1, steps: 2, offlineSource: 'reference-samples' }, 3);
    await run.advance();
    expect(run.policySamples?.atStep).toBe(0);
    expect(run.policySamples?.count).toBe(16);
    expect(run.metrics[0].policyLength).toBeCloseTo(run.metrics[0].meanLength, 12);
    await run.advance();
    expect(run.policySamples?.atStep).toBe(1);
    run.dispose();
  }, 60_000);
});
