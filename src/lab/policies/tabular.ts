/**
 * The tabular policy: one logit per bin, π = softmax(z). The fast engine of the lab.
 *
 * Given coefficients (objectives/types.ts), the gradient of the loss with respect to the logits is
 * exact and cheap, because ∇z log π(a) = e_a − π:
 *   ∇z L = −(w − π·Σ_a w_a),   w_a = Σ_{i: a_i = a} coef_i + dense_a.
 * Written as a class whose hot methods copy fields into locals (platform-notes §7, pitfall 9).
 */
import type { Coefficients, PolicyView } from '../objectives/types.ts';
import type { Minibatch } from '../data.ts';
import { exp, log } from '../math.ts';

export class TabularPolicy implements PolicyView {
  readonly K: number;
  readonly logits: Float64Array;
  readonly probs: Float64Array;
  readonly logProbs: Float64Array;
  /** cumulative probabilities, for inverse-CDF sampling */
  readonly cdf: Float64Array;
  readonly grad: Float64Array;
  /** per-bin weights w of the last gradient */
  readonly weights: Float64Array;

  constructor(
    initialLogits: Float64Array,
    readonly logRef: Float64Array,
  ) {
    this.K = initialLogits.length;
    this.logits = Float64Array.from(initialLogits);
    this.probs = new Float64Array(this.K);
    this.logProbs = new Float64Array(this.K);
    this.cdf = new Float64Array(this.K);
    this.grad = new Float64Array(this.K);
    this.weights = new Float64Array(this.K);
    this.refresh();
  }

  /** Recompute π, log π and the CDF from the logits. Returns false if a logit is NaN or infinite. */
  refresh(): boolean {
    const { logits: z, probs: p, logProbs: lp, cdf, K } = this;
    let max = -Infinity;
    let check = 0;
    for (let a = 0; a < K; a++) {
      const v = z[a];
      check += v;
      if (v > max) max = v;
    }
    if (!Number.isFinite(check)) return false;
    let total = 0;
    for (let a = 0; a < K; a++) {
      const e = exp(z[a] - max);
      p[a] = e;
      total += e;
    }
    const logTotal = log(total);
    const inv = 1 / total;
    let cumulative = 0;
    for (let a = 0; a < K; a++) {
      p[a] *= inv;
      lp[a] = z[a] - max - logTotal;
      cumulative += p[a];
      cdf[a] = cumulative;
    }
    return true;
  }

  /**
   * The loss gradient from a minibatch's coefficients, into `this.grad`; returns its L2 norm.
   * Also returns, through `this.weights`, the per-bin weights w.
   */
  gradientFrom(batch: Minibatch, c: Coefficients): number {
    const { probs: p, grad: g, weights: w, K } = this;
    const { actions, N } = batch.data;
    const coef = c.coef;
    if (c.denseActive) w.set(c.dense);
    else w.fill(0);
    const to = batch.p1 * N;
    for (let i = batch.p0 * N; i < to; i++) w[actions[i]] += coef[i];
    let sumW = 0;
    for (let a = 0; a < K; a++) sumW += w[a];
    let norm2 = 0;
    for (let a = 0; a < K; a++) {
      const ga = p[a] * sumW - w[a];
      g[a] = ga;
      norm2 += ga * ga;
    }
    return Math.sqrt(norm2);
  }
}
