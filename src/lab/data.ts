/**
 * One epoch's data (spec A.5–A.6): S prompts × N samples, their rewards, the best and worst sample of
 * each prompt, the preference pairs within each prompt, and per-sample advantages / behaviour
 * log-probabilities for the policy-gradient objectives.
 *
 * Samples are stored prompt-major: sample i belongs to prompt ⌊i/N⌋. A minibatch is a range of prompts,
 * so all N samples of a prompt (and its pairs) stay together.
 */
import type { RandomStream } from './random.ts';
import { exp } from './math.ts';
import { inverseCdf } from './inverse-cdf.ts';

export type LabelRule = 'reward' | 'bradley-terry';

export class EpochData {
  readonly size: number;
  readonly actions: Int32Array;
  readonly rewards: Float64Array;
  /** global index of the first highest-reward sample of each prompt */
  readonly best: Int32Array;
  /** global index of the first lowest-reward sample of each prompt */
  readonly worst: Int32Array;
  /** counted preference pairs (global sample indices), grouped by prompt: prompt s owns [pairStart[s], pairStart[s+1]) */
  readonly pairW: Int32Array;
  readonly pairL: Int32Array;
  readonly pairStart: Int32Array;
  /** normalised rewards for REINFORCE/PPO */
  readonly advantages: Float64Array;
  /** log π_old(a_i): the policy at the start of the epoch (PPO's ratio denominator) */
  readonly logOld: Float64Array;
  private readonly order: Int32Array;

  constructor(
    readonly S: number,
    readonly N: number,
    withPairs: boolean,
  ) {
    this.size = S * N;
    this.actions = new Int32Array(this.size);
    this.rewards = new Float64Array(this.size);
    this.best = new Int32Array(S);
    this.worst = new Int32Array(S);
    const maxPairs = withPairs ? (S * N * (N - 1)) / 2 : 0;
    this.pairW = new Int32Array(maxPairs);
    this.pairL = new Int32Array(maxPairs);
    this.pairStart = new Int32Array(S + 1);
    this.advantages = new Float64Array(this.size);
    this.logOld = new Float64Array(this.size);
    this.order = new Int32Array(N);
  }

  /**
   * Draw every sample by inverse CDF from `cdf` (cumulative probabilities, last entry the total) with the
   * uniforms of `rng`, and look up the rewards.
   */
  sample(cdf: Float64Array, rng: RandomStream, reward: Float64Array): void {
    const { actions, rewards, size } = this;
    for (let i = 0; i < size; i++) {
      const action = inverseCdf(cdf, rng.uniform());
      actions[i] = action;
      rewards[i] = reward[action];
    }
    this.findExtremes();
  }

  /** Set the samples directly (tests, imported datasets). */
  setSamples(actions: ArrayLike<number>, reward: Float64Array): void {
    for (let i = 0; i < this.size; i++) {
      this.actions[i] = actions[i];
      this.rewards[i] = reward[actions[i]];
    }
    this.findExtremes();
  }

  private findExtremes(): void {
    const { N, rewards } = this;
    for (let s = 0; s < this.S; s++) {
      let best = s * N;
      let worst = s * N;
      for (let i = s * N + 1; i < (s + 1) * N; i++) {
        if (rewards[i] > rewards[best]) best = i;
        if (rewards[i] < rewards[worst]) worst = i;
      }
      this.best[s] = best;
      this.worst[s] = worst;
    }
  }

  /**
   * All N(N−1)/2 pairs within each prompt, as the official code builds them: the prompt's samples are
   * sorted by reward (ascending; equal rewards keep sample order) and in each pair the later one wins,
   * ties included. A pair whose rewards differ by less than `threshold` is dropped and not counted.
   * With Bradley–Terry labels the winner is drawn with P(later wins) = σ((r_later − r_earlier)/τ).
   */
  buildPairs(threshold: number, labels: LabelRule, temperature: number, rng: RandomStream | null): void {
    const { N, rewards, order, pairW, pairL, pairStart } = this;
    let count = 0;
    for (let s = 0; s < this.S; s++) {
      pairStart[s] = count;
      const first = s * N;
      for (let j = 0; j < N; j++) order[j] = first + j;
      // insertion sort: N is small, and it is stable
      for (let j = 1; j < N; j++) {
        const idx = order[j];
        const r = rewards[idx];
        let k = j - 1;
        while (k >= 0 && rewards[order[k]] > r) {
          order[k + 1] = order[k];
          k--;
        }
        order[k + 1] = idx;
      }
      for (let a = 0; a < N; a++) {
        for (let b = a + 1; b < N; b++) {
          const earlier = order[a];
          const later = order[b];
          const gap = rewards[later] - rewards[earlier];
          if (gap < threshold) continue;
          let laterWins = true;
          if (labels === 'bradley-terry') {
            const pLater = 1 / (1 + exp(-gap / temperature));
            laterWins = (rng as RandomStream).uniform() < pLater;
          }
          pairW[count] = laterWins ? later : earlier;
          pairL[count] = laterWins ? earlier : later;
          count++;
        }
      }
    }
    pairStart[this.S] = count;
  }
}

/** A range of prompts [p0, p1) of an epoch: one gradient step's data. */
export interface Minibatch {
  data: EpochData;
  p0: number;
  p1: number;
}

/** Running mean and population standard deviation over every reward seen so far (Chan et al. merge). */
export class RunningMoments {
  count = 0;
  mean = 0;
  private m2 = 0;

  add(values: Float64Array, from = 0, to = values.length): void {
    const n = to - from;
    if (n <= 0) return;
    let mean = 0;
    for (let i = from; i < to; i++) mean += values[i];
    mean /= n;
    let m2 = 0;
    for (let i = from; i < to; i++) m2 += (values[i] - mean) * (values[i] - mean);
    const total = this.count + n;
    const delta = mean - this.mean;
    this.mean += (delta * n) / total;
    this.m2 += m2 + (delta * delta * this.count * n) / total;
    this.count = total;
  }

  get std(): number {
    return this.count > 0 ? Math.sqrt(this.m2 / this.count) : 0;
  }
}

/** Advantages (r − μ)/(σ + 1e-12), with μ, σ either running over all rewards or per prompt (spec B.8). */
export function computeAdvantages(data: EpochData, mode: 'running' | 'per-prompt', running: RunningMoments): void {
  const { rewards, advantages, N, size } = data;
  if (mode === 'running') {
    running.add(rewards);
    const mu = running.mean;
    const sd = running.std + 1e-12;
    for (let i = 0; i < size; i++) advantages[i] = (rewards[i] - mu) / sd;
    return;
  }
  for (let s = 0; s < data.S; s++) {
    let mu = 0;
    for (let i = s * N; i < (s + 1) * N; i++) mu += rewards[i];
    mu /= N;
    let v = 0;
    for (let i = s * N; i < (s + 1) * N; i++) v += (rewards[i] - mu) * (rewards[i] - mu);
    const sd = Math.sqrt(v / N) + 1e-12;
    for (let i = s * N; i < (s + 1) * N; i++) advantages[i] = (rewards[i] - mu) / sd;
  }
}
