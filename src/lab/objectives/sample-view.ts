/**
 * A per-sample PolicyView: "action" i is sample i of the epoch (a sequence, or an action of one context), so the
 * objectives' per-action code gives one coefficient per sample unchanged. Used where the policy is a network
 * with no single distribution over actions (the sequence engine, the MLP bandit).
 */
import type { PolicyView } from './index.ts';

export class SampleView implements PolicyView {
  readonly K: number;
  /** there is no distribution over "actions" here; NaN so that a read of one (a dense KL) shows as NaN */
  readonly probs: Float64Array;
  /** log π(sample i) at the current parameters (only the current minibatch's range is fresh) */
  readonly logProbs: Float64Array;
  /** log π_ref(sample i) */
  readonly logRef: Float64Array;

  constructor(size: number) {
    this.K = size;
    this.probs = new Float64Array(size).fill(Number.NaN);
    this.logProbs = new Float64Array(size);
    this.logRef = new Float64Array(size);
  }
}
