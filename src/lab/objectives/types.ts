/**
 * The coefficient form of every objective (design principle 2, the paper's Lemma 6.2): an update is
 * Σ_i c_i ∇θ log πθ(y_i). An objective turns a minibatch into
 *   - `coef[i]`, one coefficient per sample (negative = pushed down: the negative gradient), and
 *   - `dense[a]`, optional exact-expectation coefficients over every bin (the KL terms),
 * so that the gradient of its loss is  ∇θ L = −Σ_i coef[i] ∇θ log π(y_i) − Σ_a dense[a] ∇θ log π(a),
 * and returns the loss itself (for display and for finite-difference checks).
 */
import type { RunSettings } from '../config/settings.ts';
import type { Minibatch } from '../data.ts';
import type { ObjectiveId } from './catalog.ts';

export interface PolicyView {
  readonly K: number;
  readonly probs: Float64Array;
  readonly logProbs: Float64Array;
  readonly logRef: Float64Array;
}

export interface Coefficients {
  /** indexed by global sample index; only the minibatch's range is written */
  coef: Float64Array;
  /** per bin; meaningful only when `denseActive` */
  dense: Float64Array;
  denseActive: boolean;
}

export type Hyperparameters = Readonly<RunSettings>;

export interface Objective {
  id: ObjectiveId;
  /** writes `out` for the minibatch and returns the loss at the current parameters */
  compute(batch: Minibatch, policy: PolicyView, h: Hyperparameters, out: Coefficients): number;
}

export function clearSampleCoefficients(batch: Minibatch, out: Coefficients): void {
  out.coef.fill(0, batch.p0 * batch.data.N, batch.p1 * batch.data.N);
  out.denseActive = false;
}
