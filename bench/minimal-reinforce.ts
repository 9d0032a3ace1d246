/**
 * The reference for the engine benchmark: a minimal hand-written on-policy REINFORCE step on K logits
 * (softmax, inverse-CDF sampling of S·N actions, running-normalised advantages, the logit gradient, Adam),
 * with no metrics, no configurability and no coefficient bookkeeping. A class with fields copied into
 * locals, as platform-notes §7 advises.
 */
import { stream, type RandomStream } from '../src/lab/random.ts';

export class MinimalReinforce {
  private readonly z: Float64Array;
  private readonly p: Float64Array;
  private readonly cdf: Float64Array;
  private readonly w: Float64Array;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float64Array;
  private t = 0;
  private count = 0;
  private mean = 0;
  private m2 = 0;
  private epoch = 0;

  constructor(
    logRef: Float64Array,
    private readonly reward: Float64Array,
    private readonly batch: number,
    private readonly lr: number,
    private readonly seed: number,
  ) {
    const K = logRef.length;
    this.z = Float64Array.from(logRef);
    this.p = new Float64Array(K);
    this.cdf = new Float64Array(K);
    this.w = new Float64Array(K);
    this.m = new Float64Array(K);
    this.v = new Float64Array(K);
    this.actions = new Int32Array(batch);
    this.rewards = new Float64Array(batch);
  }

  step(): void {
    const { z, p, cdf, w, m, v, actions, rewards, reward, batch } = this;
    const K = z.length;
    let max = -Infinity;
    for (let a = 0; a < K; a++) if (z[a] > max) max = z[a];
    let total = 0;
    for (let a = 0; a < K; a++) total += p[a] = Math.exp(z[a] - max);
    let c = 0;
    for (let a = 0; a < K; a++) cdf[a] = c += p[a] /= total;
    const rng: RandomStream = stream(this.seed, 'minimal', this.epoch++);
    let mean = 0;
    for (let i = 0; i < batch; i++) {
      const u = rng.uniform() * c;
      let lo = 0;
      let hi = K - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      actions[i] = lo;
      mean += rewards[i] = reward[lo];
    }
    mean /= batch;
    let m2 = 0;
    for (let i = 0; i < batch; i++) m2 += (rewards[i] - mean) * (rewards[i] - mean);
    const n = this.count + batch;
    const delta = mean - this.mean;
    this.mean += (delta * batch) / n;
    this.m2 += m2 + (delta * delta * this.count * batch) / n;
    this.count = n;
    const sd = Math.sqrt(this.m2 / n) + 1e-12;
    w.fill(0);
    let sumW = 0;
    for (let i = 0; i < batch; i++) {
      const coef = (rewards[i] - this.mean) / sd / batch;
      w[actions[i]] += coef;
      sumW += coef;
    }
    this.t += 1;
    const step = this.lr / (1 - Math.pow(0.9, this.t));
    const bias2 = Math.sqrt(1 - Math.pow(0.999, this.t));
    for (let a = 0; a < K; a++) {
      const g = p[a] * sumW - w[a];
      m[a] = 0.9 * m[a] + 0.1 * g;
      v[a] = 0.999 * v[a] + 0.001 * g * g;
      z[a] -= (step * m[a]) / (Math.sqrt(v[a]) / bias2 + 1e-8);
    }
  }

  expectedReward(): number {
    let er = 0;
    for (let a = 0; a < this.p.length; a++) er += this.p[a] * this.reward[a];
    return er;
  }
}
