/**
 * The gradient contract of every objective (spec B.1–B.8, objectives/types.ts):
 *   `objective.compute(batch, policy, hp, out)` returns the loss L(z) at the current logits z, and
 *   `policy.gradientFrom(batch, out)` writes ∇z L into `policy.grad`.
 *
 * Checked four ways:
 *   1. against tfjs autodiff of each loss written directly from the spec's equations (the pairs, the
 *      best/worst samples and the advantages are rebuilt here from the rewards, not read from EpochData);
 *   2. against central finite differences of the returned loss in float64;
 *   3. against the spec's closed forms for the coefficients (DPO/IPO, REINFORCE, best-of-N);
 *   4. the sign convention: coef[i] < 0 exactly for the samples that are pushed down.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRunSettings, NEGATIVE_GRADIENT_TYPES, type RunSettings } from '../src/lab/config/settings.ts';
import { computeAdvantages, EpochData, RunningMoments, type Minibatch } from '../src/lab/data.ts';
import { OBJECTIVE_IMPLEMENTATIONS, type ObjectiveId } from '../src/lab/objectives/index.ts';
import type { Coefficients } from '../src/lab/objectives/types.ts';
import { TabularPolicy } from '../src/lab/policies/tabular.ts';
import { stream, type RandomStream } from '../src/lab/random.ts';

// ---------------------------------------------------------------------------------------------------
// Random small cases
// ---------------------------------------------------------------------------------------------------

interface Case {
  seed: number;
  K: number;
  S: number;
  N: number;
  /** float32-exact, so that tfjs and the float64 engine see the same z */
  logits: Float64Array;
  logRef: Float64Array;
  rewardTable: Float64Array;
  actions: Int32Array;
  /** a proper sub-range of prompts [p0, p1) */
  sub: [number, number];
  rng: RandomStream;
}

function int(rng: RandomStream, lo: number, hi: number): number {
  return lo + Math.floor(rng.uniform() * (hi - lo + 1));
}

function logSoftmax64(z: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let a = 0; a < z.length; a++) max = Math.max(max, z[a]);
  let total = 0;
  for (let a = 0; a < z.length; a++) total += Math.exp(z[a] - max);
  const lse = max + Math.log(total);
  return Float64Array.from(z, (v) => v - lse);
}

function makeCase(seed: number): Case {
  const rng = stream(seed, 'test', 'objectives-gradient');
  const K = int(rng, 5, 12);
  const S = int(rng, 2, 4);
  const N = int(rng, 3, 6);
  const logits = Float64Array.from({ length: K }, () => Math.fround((rng.uniform() - 0.5) * 2));
  const rawRef = Float64Array.from({ length: K }, () => (rng.uniform() - 0.5) * 3);
  const logRef = logSoftmax64(rawRef).map((v) => Math.fround(v));
  // quarter steps: ties between different bins are common, and every gap is exact
  const rewardTable = Float64Array.from({ length: K }, () => Math.floor(rng.uniform() * 5) / 4);
  const actions = new Int32Array(S * N);
  for (let i = 0; i < S * N; i++) {
    // repeat the previous sample's bin now and then; skew towards low bins otherwise
    if (i % N > 0 && rng.uniform() < 0.3) actions[i] = actions[i - 1];
    else {
      const u = rng.uniform();
      actions[i] = Math.min(K - 1, Math.floor(u * u * K));
    }
  }
  let p0 = int(rng, 0, S - 1);
  let p1 = int(rng, p0 + 1, S);
  if (p0 === 0 && p1 === S) {
    if (rng.uniform() < 0.5) p0 = 1;
    else p1 = S - 1;
  }
  return { seed, K, S, N, logits, logRef, rewardTable, actions, sub: [p0, p1], rng };
}

const CASE_SEEDS = [11, 12, 13, 14, 15, 16, 17, 18];
const CASES = CASE_SEEDS.map(makeCase);

// ---------------------------------------------------------------------------------------------------
// The spec's data, rebuilt independently of EpochData (float64)
// ---------------------------------------------------------------------------------------------------

/** Spec A.6: per prompt, sort by reward ascending (stable), every pair (earlier, later), later wins; drop gap < threshold. */
function specPairs(rewards: ArrayLike<number>, S: number, N: number, threshold: number): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  for (let s = 0; s < S; s++) {
    const order = Array.from({ length: N }, (_, j) => s * N + j);
    order.sort((x, y) => rewards[x] - rewards[y]); // Array.prototype.sort is stable
    const pairs: Array<[number, number]> = [];
    for (let a = 0; a < N; a++) {
      for (let b = a + 1; b < N; b++) {
        const earlier = order[a];
        const later = order[b];
        if (Math.abs(rewards[later] - rewards[earlier]) < threshold) continue;
        pairs.push([later, earlier]);
      }
    }
    out.push(pairs);
  }
  return out;
}

/** First argmax / first argmin of a prompt's rewards (global sample index). */
function firstArgmax(rewards: ArrayLike<number>, s: number, N: number): number {
  let best = s * N;
  for (let i = s * N; i < (s + 1) * N; i++) if (rewards[i] > rewards[best]) best = i;
  return best;
}
function firstArgmin(rewards: ArrayLike<number>, s: number, N: number): number {
  let worst = s * N;
  for (let i = s * N; i < (s + 1) * N; i++) if (rewards[i] < rewards[worst]) worst = i;
  return worst;
}

function meanStd(values: number[]): [number, number] {
  const mu = values.reduce((t, v) => t + v, 0) / values.length;
  const v = values.reduce((t, x) => t + (x - mu) * (x - mu), 0) / values.length;
  return [mu, Math.sqrt(v)];
}

/** Spec B.8: (r − μ)/(σ + 1e-12), μ and σ over all the epoch's rewards (a fresh running statistic) or per prompt. */
function specAdvantages(rewards: ArrayLike<number>, S: number, N: number, mode: 'running' | 'per-prompt'): Float64Array {
  const out = new Float64Array(S * N);
  if (mode === 'running') {
    const [mu, sd] = meanStd(Array.from(rewards));
    for (let i = 0; i < S * N; i++) out[i] = (rewards[i] - mu) / (sd + 1e-12);
    return out;
  }
  for (let s = 0; s < S; s++) {
    const [mu, sd] = meanStd(Array.from(rewards).slice(s * N, (s + 1) * N));
    for (let i = s * N; i < (s + 1) * N; i++) out[i] = (rewards[i] - mu) / (sd + 1e-12);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Variants: one objective with one setting of its hyperparameters
// ---------------------------------------------------------------------------------------------------

interface Variant {
  name: string;
  id: ObjectiveId;
  hp: Partial<RunSettings>;
}

const COMMON: Partial<RunSettings> = {
  dpoBeta: 0.7,
  ipoMargin: 1.3,
  rwrTemperature: 0.5,
  negGradWeight: 0.3,
  ppoClip: 0.2,
};

const VARIANTS: Variant[] = [
  { name: 'sft', id: 'sft', hp: {} },
  { name: 'pref-ft', id: 'pref-ft', hp: { rewardThreshold: 0 } },
  { name: 'pref-ft (threshold 0.5)', id: 'pref-ft', hp: { rewardThreshold: 0.5 } },
  ...NEGATIVE_GRADIENT_TYPES.map(
    (t): Variant => ({ name: `best-of-n ${t}`, id: 'best-of-n', hp: { negativeGradientType: t } }),
  ),
  { name: 'rwr', id: 'rwr', hp: { rwrNormalize: false } },
  { name: 'rwr (normalised)', id: 'rwr', hp: { rwrNormalize: true } },
  { name: 'dpo', id: 'dpo', hp: { rewardThreshold: 0 } },
  { name: 'dpo (threshold 0.5)', id: 'dpo', hp: { rewardThreshold: 0.5 } },
  { name: 'ipo', id: 'ipo', hp: { rewardThreshold: 0 } },
  { name: 'ipo (threshold 0.5)', id: 'ipo', hp: { rewardThreshold: 0.5 } },
  { name: 'reinforce running', id: 'reinforce', hp: { advantage: 'running', klCoef: 0.4, entropyBonus: 0.2 } },
  { name: 'reinforce per-prompt', id: 'reinforce', hp: { advantage: 'per-prompt', klCoef: 0.4, entropyBonus: 0.2 } },
  { name: 'reinforce (no KL, no bonus)', id: 'reinforce', hp: { advantage: 'running', klCoef: 0, entropyBonus: 0 } },
  { name: 'ppo running', id: 'ppo', hp: { advantage: 'running', klCoef: 0.4 } },
  { name: 'ppo per-prompt', id: 'ppo', hp: { advantage: 'per-prompt', klCoef: 0.4 } },
];

function settingsFor(c: Case, v: Variant): RunSettings {
  return { ...defaultRunSettings(), M: c.S, ...COMMON, ...v.hp } as RunSettings;
}

// ---------------------------------------------------------------------------------------------------
// Setting up the engine's side
// ---------------------------------------------------------------------------------------------------

const PPO_BOUNDARY_MARGIN = 1e-3;

interface Setup {
  data: EpochData;
  policy: TabularPolicy;
  hp: RunSettings;
  batch: Minibatch;
  /** the spec's pairs of every prompt (threshold applied) */
  pairs: Array<Array<[number, number]>>;
  /** the spec's advantages (where the objective uses them) */
  adv: Float64Array;
}

/**
 * A π_old that differs from π by up to ±0.9 per logit, redrawn until no ratio lies within
 * PPO_BOUNDARY_MARGIN of 1 ± ε (so both finite differences and float32 are safe).
 */
function fillLogOld(data: EpochData, policy: TabularPolicy, clip: number, rng: RandomStream): void {
  for (let attempt = 0; attempt < 200; attempt++) {
    const zOld = Array.from(policy.logits, (z) => z + (rng.uniform() - 0.5) * 1.8);
    const lpOld = logSoftmax64(zOld);
    let ok = true;
    for (let i = 0; i < data.size; i++) {
      data.logOld[i] = Math.fround(lpOld[data.actions[i]]);
      const ratio = Math.exp(policy.logProbs[data.actions[i]] - data.logOld[i]);
      if (Math.abs(ratio - (1 - clip)) < PPO_BOUNDARY_MARGIN || Math.abs(ratio - (1 + clip)) < PPO_BOUNDARY_MARGIN) ok = false;
    }
    if (ok) return;
  }
  throw new Error('could not draw a π_old away from the clip boundaries');
}

function setup(c: Case, v: Variant, range: [number, number]): Setup {
  const hp = settingsFor(c, v);
  const data = new EpochData(c.S, c.N, true);
  data.setSamples(c.actions, c.rewardTable);
  data.buildPairs(hp.rewardThreshold, 'reward', 1, null);
  const policy = new TabularPolicy(c.logits, c.logRef);
  let adv: Float64Array = new Float64Array(0);
  if (v.id === 'reinforce' || v.id === 'ppo') {
    computeAdvantages(data, hp.advantage, new RunningMoments());
    adv = specAdvantages(data.rewards, c.S, c.N, hp.advantage);
  }
  if (v.id === 'ppo') fillLogOld(data, policy, hp.ppoClip, stream(c.seed, 'test', 'ppo-old', v.name));
  const pairs = specPairs(data.rewards, c.S, c.N, hp.rewardThreshold);
  return { data, policy, hp, batch: { data, p0: range[0], p1: range[1] }, pairs, adv };
}

const STALE = 7.25;

/** Coefficients left in a stale state, as after an earlier minibatch of a run. */
function staleCoefficients(size: number, K: number): Coefficients {
  const coef = new Float64Array(size).fill(STALE);
  const dense = new Float64Array(K).fill(-3.5);
  return { coef, dense, denseActive: true };
}

function runEngine(st: Setup, id: ObjectiveId): { loss: number; grad: Float64Array; out: Coefficients } {
  const out = staleCoefficients(st.data.size, st.policy.K);
  const loss = OBJECTIVE_IMPLEMENTATIONS[id].compute(st.batch, st.policy, st.hp, out);
  st.policy.gradientFrom(st.batch, out);
  return { loss, grad: Float64Array.from(st.policy.grad), out };
}

// ---------------------------------------------------------------------------------------------------
// The losses in tfjs, from the spec's equations
// ---------------------------------------------------------------------------------------------------

function idx(values: number[]): tf.Tensor1D {
  return tf.tensor1d(Int32Array.from(values), 'int32');
}

/** log π at the given bins (gather on a constant index tensor) */
function pick(logp: tf.Tensor1D, bins: number[]): tf.Tensor1D {
  return tf.gather(logp, idx(bins));
}

function klToRef(logp: tf.Tensor1D, logRef: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.mul(tf.exp(logp), tf.sub(logp, logRef)));
}

function zeroLike(z: tf.Tensor1D): tf.Scalar {
  return tf.mul(tf.sum(z), 0);
}

type SpecLoss = (z: tf.Tensor1D) => tf.Scalar;

function specLoss(st: Setup, v: Variant): SpecLoss {
  const { hp, data } = st;
  const { p0, p1 } = st.batch;
  const { N, actions, rewards } = data;
  const A = Array.from(actions);
  const S = p1 - p0;
  const samples = Array.from({ length: S * N }, (_, j) => p0 * N + j);
  const batchBins = samples.map((i) => A[i]);
  const batchPairs = st.pairs.slice(p0, p1).flat();
  const P = batchPairs.length;
  const logRefArr = Array.from(st.policy.logRef);

  return (z) => {
    const logp = tf.logSoftmax(z) as tf.Tensor1D;
    const logRef = tf.tensor1d(logRefArr);
    switch (v.id) {
      case 'sft':
        // B.1: L = KL(π ‖ π_ref)
        return klToRef(logp, logRef);
      case 'pref-ft': {
        // L = −(1/P) Σ_pairs log π(y_w)
        if (P === 0) return zeroLike(z);
        return tf.div(tf.neg(tf.sum(pick(logp, batchPairs.map(([w]) => A[w])))), P);
      }
      case 'best-of-n': {
        // B.2 + B.3: per prompt −log π(a*) + the negative-gradient term; the whole divided by S
        const type = hp.negativeGradientType;
        const beta = hp.negGradWeight;
        const constrained = type.endsWith('_constrained');
        let loss: tf.Scalar = tf.scalar(0);
        let constant = 0;
        for (let s = p0; s < p1; s++) {
          const star = firstArgmax(rewards, s, N);
          loss = tf.sub(loss, tf.sum(pick(logp, [A[star]])));
          if (type === 'no_negative_gradient') continue;
          if (constrained) constant += logRefArr[A[star]];
          let worse: number[];
          let w: number;
          if (type.startsWith('worst_action')) {
            worse = [firstArgmin(rewards, s, N)];
            w = beta;
          } else {
            worse = [];
            for (let j = s * N; j < (s + 1) * N; j++) if (j !== star) worse.push(j);
            w = type.startsWith('average') ? beta / (N - 1) : beta;
          }
          loss = tf.add(loss, tf.mul(w, tf.sum(pick(logp, worse.map((j) => A[j])))));
          if (constrained) for (const j of worse) constant -= w * logRefArr[A[j]];
        }
        return tf.div(tf.add(loss, constant), S);
      }
      case 'rwr': {
        // B.4: L = −(1/(S·N)) Σ exp(r̃/τ) log π(a), r̃ = r or the per-prompt z-score
        const weights: number[] = [];
        for (let s = p0; s < p1; s++) {
          const r = Array.from(rewards.slice(s * N, (s + 1) * N));
          const [mu, sd] = meanStd(r);
          for (const x of r) {
            const rt = hp.rwrNormalize ? (sd > 0 ? (x - mu) / sd : 0) : x;
            weights.push(Math.exp(rt / hp.rwrTemperature) / (S * N));
          }
        }
        const lp = pick(logp, batchBins);
        return tf.neg(tf.sum(tf.mul(lp, tf.tensor1d(weights))));
      }
      case 'dpo':
      case 'ipo': {
        // B.5/B.6: h = [log π(w) − log π_ref(w)] − [log π(l) − log π_ref(l)], averaged over counted pairs
        if (P === 0) return zeroLike(z);
        const ratio = tf.sub(logp, logRef) as tf.Tensor1D;
        const h = tf.sub(
          tf.gather(ratio, idx(batchPairs.map(([w]) => A[w]))),
          tf.gather(ratio, idx(batchPairs.map(([, l]) => A[l]))),
        );
        if (v.id === 'dpo') return tf.mean(tf.softplus(tf.mul(-hp.dpoBeta, h)));
        return tf.mean(tf.square(tf.sub(h, hp.ipoMargin)));
      }
      case 'reinforce': {
        // B.8 (1-D): −(1/B) Σ Â log π(a) + e (1/B) Σ log π(a), plus the lab's exact k·KL(π‖π_ref)
        const lp = pick(logp, batchBins);
        const adv = tf.tensor1d(samples.map((i) => st.adv[i]));
        const pg = tf.neg(tf.mean(tf.mul(adv, lp)));
        const bonus = tf.mul(hp.entropyBonus, tf.mean(lp));
        return tf.add(tf.add(pg, bonus), tf.mul(hp.klCoef, klToRef(logp, logRef)));
      }
      case 'ppo': {
        // B.8: (1/B) Σ max(−Â ρ, −Â clip(ρ, 1−ε, 1+ε)), ρ = π(a)/π_old(a), plus k·KL(π‖π_ref)
        const lp = pick(logp, batchBins);
        const ratio = tf.exp(tf.sub(lp, tf.tensor1d(samples.map((i) => data.logOld[i]))));
        const negAdv = tf.tensor1d(samples.map((i) => -st.adv[i]));
        const clipped = tf.clipByValue(ratio, 1 - hp.ppoClip, 1 + hp.ppoClip);
        const surrogate = tf.mean(tf.maximum(tf.mul(negAdv, ratio), tf.mul(negAdv, clipped)));
        return tf.add(surrogate, tf.mul(hp.klCoef, klToRef(logp, logRef)));
      }
    }
  };
}

function tfLossAndGrad(loss: SpecLoss, logits: Float64Array): { loss: number; grad: Float64Array } {
  let value = Number.NaN;
  let grad = new Float64Array(0);
  tf.tidy(() => {
    const z = tf.tensor1d(Float32Array.from(logits));
    value = loss(z).dataSync()[0];
    grad = Float64Array.from(tf.grad((x) => loss(x as tf.Tensor1D))(z).dataSync());
  });
  return { loss: value, grad };
}

// ---------------------------------------------------------------------------------------------------
// Comparison helpers
// ---------------------------------------------------------------------------------------------------

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

function expectVectorClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  const scale = Math.max(1, maxAbs(expected));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(
    worst,
    `${label}: max |Δ| = ${worst} at [${at}] (actual ${actual[at]}, expected ${expected[at]})\n` +
      `  actual   ${Array.from(actual, (x) => x.toPrecision(7)).join(', ')}\n` +
      `  expected ${Array.from(expected, (x) => x.toPrecision(7)).join(', ')}`,
  ).toBeLessThanOrEqual(tol * scale);
}

function expectScalarClose(actual: number, expected: number, tol: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: actual ${actual}, expected ${expected}`).toBeLessThanOrEqual(
    tol * Math.max(1, Math.abs(expected)),
  );
}

function ranges(c: Case): Array<[string, [number, number]]> {
  return [
    ['all prompts', [0, c.S]],
    [`prompts [${c.sub[0]}, ${c.sub[1]})`, c.sub],
  ];
}

// ---------------------------------------------------------------------------------------------------
// 1. tfjs autodiff
// ---------------------------------------------------------------------------------------------------

describe('objective gradients match tfjs autodiff of the spec losses', () => {
  let tensorsBefore = 0;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    tensorsBefore = tf.memory().numTensors;
  });
  // every reference computation runs in tf.tidy: nothing may be left behind
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  for (const v of VARIANTS) {
    it(v.name, () => {
      for (const c of CASES) {
        for (const [rangeName, range] of ranges(c)) {
          const label = `${v.name}, seed ${c.seed} (K=${c.K}, S=${c.S}, N=${c.N}), ${rangeName}`;
          const st = setup(c, v, range);
          const engine = runEngine(st, v.id);
          const reference = tfLossAndGrad(specLoss(st, v), st.policy.logits);
          expect(Number.isFinite(engine.loss), label).toBe(true);
          expectScalarClose(engine.loss, reference.loss, 1e-5, `${label}: loss`);
          expectVectorClose(engine.grad, reference.grad, 1e-5, `${label}: ∇z L`);
          // only the minibatch's range of coef is written
          const { N } = st.data;
          for (let i = 0; i < st.data.size; i++) {
            if (i >= range[0] * N && i < range[1] * N) continue;
            expect(engine.out.coef[i], `${label}: coef[${i}] outside the minibatch`).toBe(STALE);
          }
        }
      }
    });
  }

  it('the cases exercise ties, repeated bins, dropped pairs and clipping on both sides', () => {
    let repeatedBins = 0;
    let tiedRewardsDifferentBins = 0;
    let dropped = 0;
    let kept = 0;
    for (const c of CASES) {
      const data = new EpochData(c.S, c.N, true);
      data.setSamples(c.actions, c.rewardTable);
      for (let s = 0; s < c.S; s++) {
        for (let i = s * c.N; i < (s + 1) * c.N; i++) {
          for (let j = i + 1; j < (s + 1) * c.N; j++) {
            if (c.actions[i] === c.actions[j]) repeatedBins++;
            else if (data.rewards[i] === data.rewards[j]) tiedRewardsDifferentBins++;
          }
        }
      }
      const all = specPairs(data.rewards, c.S, c.N, 0).flat().length;
      const some = specPairs(data.rewards, c.S, c.N, 0.5).flat().length;
      dropped += all - some;
      kept += some;
    }
    expect(repeatedBins).toBeGreaterThan(0);
    expect(tiedRewardsDifferentBins).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);

    // PPO: every combination of the advantage's sign and the ratio's side occurs
    const seen = new Set<string>();
    for (const c of CASES) {
      for (const v of VARIANTS.filter((x) => x.id === 'ppo')) {
        const st = setup(c, v, [0, c.S]);
        for (let i = 0; i < st.data.size; i++) {
          const ratio = Math.exp(st.policy.logProbs[st.data.actions[i]] - st.data.logOld[i]);
          const side = ratio < 1 - st.hp.ppoClip ? 'below' : ratio > 1 + st.hp.ppoClip ? 'above' : 'inside';
          const sign = st.adv[i] > 0 ? '+' : st.adv[i] < 0 ? '-' : '0';
          seen.add(`${sign}${side}`);
        }
      }
    }
    for (const key of ['+below', '+inside', '+above', '-below', '-inside', '-above']) expect(seen, key).toContain(key);
  });
});

// ---------------------------------------------------------------------------------------------------
// 2. finite differences (float64)
// ---------------------------------------------------------------------------------------------------

describe('objective gradients match central finite differences of the returned loss (float64)', () => {
  const EPS = 1e-6;
  for (const v of VARIANTS) {
    it(v.name, () => {
      for (const c of CASES) {
        for (const [rangeName, range] of ranges(c)) {
          const label = `${v.name}, seed ${c.seed}, ${rangeName}`;
          const st = setup(c, v, range);
          const engine = runEngine(st, v.id);
          const objective = OBJECTIVE_IMPLEMENTATIONS[v.id];
          const { policy } = st;
          const fd = new Float64Array(policy.K);
          const lossAt = (): number => {
            policy.refresh();
            return objective.compute(st.batch, policy, st.hp, staleCoefficients(st.data.size, policy.K));
          };
          for (let k = 0; k < policy.K; k++) {
            const z0 = policy.logits[k];
            policy.logits[k] = z0 + EPS;
            const plus = lossAt();
            policy.logits[k] = z0 - EPS;
            const minus = lossAt();
            policy.logits[k] = z0;
            fd[k] = (plus - minus) / (2 * EPS);
          }
          policy.refresh();
          expectVectorClose(engine.grad, fd, 1e-6, `${label}: ∇z L vs finite differences`);
          // the loss at z is a deterministic function of z: recomputing gives the same value
          expect(lossAt(), label).toBe(engine.loss);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// Pair construction
// ---------------------------------------------------------------------------------------------------

describe('preference pairs', () => {
  it('are the spec pairs of each prompt (stable ascending sort, later wins, ties included, gap < threshold dropped)', () => {
    for (const c of CASES) {
      for (const threshold of [0, 0.25, 0.5, 1]) {
        const data = new EpochData(c.S, c.N, true);
        data.setSamples(c.actions, c.rewardTable);
        data.buildPairs(threshold, 'reward', 1, null);
        const expected = specPairs(data.rewards, c.S, c.N, threshold);
        for (let s = 0; s < c.S; s++) {
          const got: Array<[number, number]> = [];
          for (let k = data.pairStart[s]; k < data.pairStart[s + 1]; k++) got.push([data.pairW[k], data.pairL[k]]);
          const key = (p: [number, number]): string => `${p[0]}>${p[1]}`;
          expect(got.map(key).sort(), `seed ${c.seed}, threshold ${threshold}, prompt ${s}`).toEqual(expected[s].map(key).sort());
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// 3. closed forms
// ---------------------------------------------------------------------------------------------------

function handSetup(
  K: number,
  S: number,
  N: number,
  actions: number[],
  rewardTable: number[],
  hp: Partial<RunSettings>,
  logits?: number[],
): { data: EpochData; policy: TabularPolicy; settings: RunSettings; out: Coefficients } {
  const data = new EpochData(S, N, true);
  data.setSamples(actions, Float64Array.from(rewardTable));
  const settings = { ...defaultRunSettings(), M: S, ...COMMON, ...hp } as RunSettings;
  data.buildPairs(settings.rewardThreshold, 'reward', 1, null);
  const z = Float64Array.from(logits ?? Array.from({ length: K }, (_, a) => 0.3 * Math.sin(a + 1)));
  const ref = logSoftmax64(Array.from({ length: K }, (_, a) => 0.2 * Math.cos(2 * a)));
  const policy = new TabularPolicy(z, ref);
  return { data, policy, settings, out: staleCoefficients(S * N, K) };
}

describe('closed forms of the spec', () => {
  for (const id of ['dpo', 'ipo'] as const) {
    it(`a single ${id.toUpperCase()} pair moves only the logits of y_w and y_l (∇z h = e_w − e_l)`, () => {
      const K = 6;
      // sample 0 in bin 4 (reward 0.25) loses to sample 1 in bin 1 (reward 0.75)
      const { data, policy, settings, out } = handSetup(K, 1, 2, [4, 1], [0, 0.75, 0, 0, 0.25, 0], {});
      expect(data.pairStart[1]).toBe(1);
      expect([data.pairW[0], data.pairL[0]]).toEqual([1, 0]);
      OBJECTIVE_IMPLEMENTATIONS[id].compute({ data, p0: 0, p1: 1 }, policy, settings, out);
      policy.gradientFrom({ data, p0: 0, p1: 1 }, out);
      const h = policy.logProbs[1] - policy.logRef[1] - (policy.logProbs[4] - policy.logRef[4]);
      const cw =
        id === 'ipo' ? 2 * (settings.ipoMargin - h) : settings.dpoBeta / (1 + Math.exp(settings.dpoBeta * h)); // β σ(−βh)
      expect(out.coef[1]).toBeCloseTo(cw, 14);
      expect(out.coef[0]).toBeCloseTo(-cw, 14);
      for (let a = 0; a < K; a++) {
        const expected = a === 1 ? -cw : a === 4 ? cw : 0;
        expect(Math.abs(policy.grad[a] - expected), `bin ${a}`).toBeLessThan(1e-14);
      }
    });
  }

  it('DPO and IPO coefficients are Σ over the sample\'s pairs of ±β σ(−βh)/P and ±2(margin − h)/P', () => {
    for (const c of CASES) {
      for (const threshold of [0, 0.5]) {
        for (const id of ['dpo', 'ipo'] as const) {
          const v: Variant = { name: id, id, hp: { rewardThreshold: threshold } };
          for (const [rangeName, range] of ranges(c)) {
            const st = setup(c, v, range);
            const { out } = runEngine(st, id);
            const pairs = st.pairs.slice(range[0], range[1]).flat();
            const P = pairs.length;
            const expected = new Float64Array(st.data.size);
            const lp = st.policy.logProbs;
            const lr = st.policy.logRef;
            const A = st.data.actions;
            for (const [w, l] of pairs) {
              const h = lp[A[w]] - lr[A[w]] - (lp[A[l]] - lr[A[l]]);
              const cw =
                id === 'ipo'
                  ? (2 * (st.hp.ipoMargin - h)) / P
                  : (st.hp.dpoBeta / (1 + Math.exp(st.hp.dpoBeta * h))) / P;
              expected[w] += cw;
              expected[l] -= cw;
            }
            const N = st.data.N;
            expectVectorClose(
              out.coef.slice(range[0] * N, range[1] * N),
              expected.slice(range[0] * N, range[1] * N),
              1e-12,
              `${id}, seed ${c.seed}, threshold ${threshold}, ${rangeName}`,
            );
            expect(out.denseActive).toBe(false);
          }
        }
      }
    }
  });

  it('pairwise objectives with no counted pair have loss 0 and gradient 0', () => {
    for (const id of ['pref-ft', 'dpo', 'ipo'] as const) {
      const { data, policy, settings, out } = handSetup(6, 2, 3, [0, 1, 2, 3, 4, 5], [0, 0.25, 0.5, 0.75, 1, 0], {
        rewardThreshold: 2,
      });
      expect(data.pairStart[2]).toBe(0);
      const loss = OBJECTIVE_IMPLEMENTATIONS[id].compute({ data, p0: 0, p1: 2 }, policy, settings, out);
      policy.gradientFrom({ data, p0: 0, p1: 2 }, out);
      expect(loss, id).toBe(0);
      expect(maxAbs(policy.grad), id).toBe(0);
    }
  });

  it('REINFORCE coefficients are (Â_i − entropyBonus)/B with Â the spec advantages', () => {
    for (const c of CASES) {
      for (const mode of ['running', 'per-prompt'] as const) {
        const v: Variant = { name: 'reinforce', id: 'reinforce', hp: { advantage: mode, klCoef: 0.4, entropyBonus: 0.2 } };
        for (const [rangeName, range] of ranges(c)) {
          const st = setup(c, v, range);
          const label = `${mode}, seed ${c.seed}, ${rangeName}`;
          expectVectorClose(st.data.advantages, st.adv, 1e-9, `${label}: advantages`);
          const { out } = runEngine(st, 'reinforce');
          const N = st.data.N;
          const B = (range[1] - range[0]) * N;
          const expected = Array.from({ length: B }, (_, j) => (st.adv[range[0] * N + j] - st.hp.entropyBonus) / B);
          expectVectorClose(out.coef.slice(range[0] * N, range[1] * N), expected, 1e-9, `${label}: coef`);
        }
      }
    }
  });

  it('best-of-N: 1/S on the first argmax of each prompt and −β/S (or −β/((N−1)S)) on the worse samples', () => {
    // prompt 0: samples 0 and 2 tie for the best reward in different bins (the first one is a*); samples 1 and 3 tie for the worst
    // prompt 1: all samples in one bin (best = worst = the first sample)
    const actions = [1, 0, 3, 2, 4, 4, 4, 4];
    const table = [0, 0.75, 0.25, 0.75, 0.5];
    const S = 2;
    const N = 4;
    const beta = 0.3;
    const coefsOf = (type: RunSettings['negativeGradientType']): { coef: Float64Array; loss: number } => {
      const { data, policy, settings, out } = handSetup(5, S, N, actions, table, { negativeGradientType: type, negGradWeight: beta });
      const loss = OBJECTIVE_IMPLEMENTATIONS['best-of-n'].compute({ data, p0: 0, p1: S }, policy, settings, out);
      return { coef: out.coef.slice(0, S * N), loss };
    };
    const expectedFor = (type: RunSettings['negativeGradientType']): number[] => {
      const e: number[] = Array.from({ length: S * N }, () => 0);
      e[0] += 1 / S; // first argmax of prompt 0 (sample 2 ties with it)
      e[4] += 1 / S;
      if (type.startsWith('worst_action')) {
        e[1] -= beta / S; // first argmin of prompt 0
        e[4] -= beta / S; // prompt 1: a⁻ = a* = sample 4
      } else if (type !== 'no_negative_gradient') {
        const w = type.startsWith('average') ? beta / (N - 1) : beta;
        for (const j of [1, 2, 3, 5, 6, 7]) e[j] -= w / S;
      }
      return e;
    };
    for (const type of NEGATIVE_GRADIENT_TYPES) expectVectorClose(coefsOf(type).coef, expectedFor(type), 1e-15, type);

    // the *_constrained variants: identical coefficients, loss shifted by the π_ref constants
    const { policy } = handSetup(5, S, N, actions, table, {});
    const lr = policy.logRef;
    for (const base of ['worst_action', 'sum_over_worse_actions', 'average_over_worse_actions'] as const) {
      const plain = coefsOf(base);
      const constrained = coefsOf(`${base}_constrained`);
      expect(Array.from(constrained.coef), base).toEqual(Array.from(plain.coef));
      const prompts: Array<{ star: number; worse: number[] }> = [
        { star: 0, worse: base === 'worst_action' ? [1] : [1, 2, 3] },
        { star: 4, worse: base === 'worst_action' ? [4] : [5, 6, 7] },
      ];
      const w = base === 'average_over_worse_actions' ? beta / (N - 1) : beta;
      let constant = 0;
      for (const { star, worse } of prompts) {
        constant += lr[actions[star]];
        for (const j of worse) constant -= w * lr[actions[j]];
      }
      constant /= S;
      expect(constrained.loss - plain.loss, base).toBeCloseTo(constant, 12);
      expect(Math.abs(constant), base).toBeGreaterThan(1e-3); // the constants do change the loss
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// 4. sign convention
// ---------------------------------------------------------------------------------------------------

describe('sign convention: coef[i] < 0 exactly for the samples pushed down', () => {
  it('IPO pushes y_l down while h < margin, and y_w down once h > margin', () => {
    for (const [margin, wDown] of [
      [10, false],
      [-5, true],
    ] as const) {
      const { data, policy, settings, out } = handSetup(6, 1, 2, [4, 1], [0, 0.75, 0, 0, 0.25, 0], { ipoMargin: margin });
      OBJECTIVE_IMPLEMENTATIONS.ipo.compute({ data, p0: 0, p1: 1 }, policy, settings, out);
      const h = policy.logProbs[1] - policy.logRef[1] - (policy.logProbs[4] - policy.logRef[4]);
      expect(h < margin).toBe(!wDown);
      expect(out.coef[1] < 0, `y_w, margin ${margin}`).toBe(wDown);
      expect(out.coef[0] < 0, `y_l, margin ${margin}`).toBe(!wDown);
    }
  });

  it('DPO pushes y_l down and y_w up', () => {
    const { data, policy, settings, out } = handSetup(6, 1, 2, [4, 1], [0, 0.75, 0, 0, 0.25, 0], {});
    OBJECTIVE_IMPLEMENTATIONS.dpo.compute({ data, p0: 0, p1: 1 }, policy, settings, out);
    expect(out.coef[0]).toBeLessThan(0);
    expect(out.coef[1]).toBeGreaterThan(0);
  });

  it('REINFORCE (entropyBonus = 0) pushes down exactly the samples with below-average reward', () => {
    // S·N = 8 and rewards in eighths: the means are exact, so a sample at the mean gets exactly 0
    // prompt 0: rewards 0, 0.25, 0.5, 0.25; prompt 1: 0, 0.5, 0.125, 0.375 (both means, and the overall one, are 0.25)
    const actions = [0, 1, 2, 1, 0, 2, 3, 4];
    const table = [0, 0.25, 0.5, 0.125, 0.375, 1];
    for (const mode of ['running', 'per-prompt'] as const) {
      const { data, policy, settings, out } = handSetup(6, 2, 4, actions, table, { advantage: mode, entropyBonus: 0, klCoef: 0 });
      computeAdvantages(data, mode, new RunningMoments());
      OBJECTIVE_IMPLEMENTATIONS.reinforce.compute({ data, p0: 0, p1: 2 }, policy, settings, out);
      let below = 0;
      let atMean = 0;
      for (let s = 0; s < 2; s++) {
        const group = mode === 'running' ? Array.from(data.rewards) : Array.from(data.rewards.slice(s * 4, s * 4 + 4));
        const mu = group.reduce((t, r) => t + r, 0) / group.length;
        for (let i = s * 4; i < s * 4 + 4; i++) {
          expect(out.coef[i] < 0, `${mode}: sample ${i}, r = ${data.rewards[i]}, mean ${mu}`).toBe(data.rewards[i] < mu);
          expect(out.coef[i] > 0, `${mode}: sample ${i}`).toBe(data.rewards[i] > mu);
          if (data.rewards[i] < mu) below++;
          if (data.rewards[i] === mu) atMean++;
        }
      }
      expect(below).toBeGreaterThan(0);
      expect(atMean).toBeGreaterThan(0);
    }
  });

  it('PPO pushes down exactly the negative-advantage samples whose unclipped branch is active (ρ > 1 − ε)', () => {
    for (const c of CASES) {
      const v = VARIANTS.find((x) => x.id === 'ppo') as Variant;
      const st = setup(c, v, [0, c.S]);
      const { out } = runEngine(st, 'ppo');
      for (let i = 0; i < st.data.size; i++) {
        const ratio = Math.exp(st.policy.logProbs[st.data.actions[i]] - st.data.logOld[i]);
        const A = st.adv[i];
        const label = `seed ${c.seed}, sample ${i}: Â = ${A}, ρ = ${ratio}`;
        expect(out.coef[i] < 0, label).toBe(A < 0 && ratio > 1 - st.hp.ppoClip);
        expect(out.coef[i] > 0, label).toBe(A > 0 && ratio < 1 + st.hp.ppoClip);
      }
    }
  });

  it('best-of-N with a negative gradient pushes down every non-best sample; the maximum-likelihood objectives push nothing down', () => {
    for (const c of CASES) {
      for (const v of VARIANTS) {
        if (v.id === 'reinforce' || v.id === 'ppo' || v.id === 'dpo' || v.id === 'ipo') continue;
        const st = setup(c, v, [0, c.S]);
        const { out } = runEngine(st, v.id);
        const N = st.data.N;
        for (let i = 0; i < st.data.size; i++) {
          const s = Math.floor(i / N);
          const star = firstArgmax(st.data.rewards, s, N);
          let down = false;
          if (v.id === 'best-of-n' && i !== star) {
            const type = st.hp.negativeGradientType;
            if (type.startsWith('sum') || type.startsWith('average')) down = true;
            if (type.startsWith('worst_action')) down = i === firstArgmin(st.data.rewards, s, N);
          }
          expect(out.coef[i] < 0, `${v.name}, seed ${c.seed}, sample ${i}`).toBe(down);
        }
      }
    }
  });
});
