/**
 * Metrics after every gradient step (spec D and the lab's additions), stored column-wise in typed arrays
 * so that recording a step allocates nothing.
 */
import type { Minibatch } from './data.ts';
import type { Environment } from './environment.ts';
import type { PolicyView } from './objectives/types.ts';

/** Column names; the CSV uses them as they are, in this order (the first eight are the documented core). */
export const METRIC_KEYS = [
  'step',
  'expected_reward',
  'peak_mass',
  'kl_pi_ref',
  'kl_ref_pi',
  'entropy',
  'loss',
  'queries',
  'epoch',
  'grad_norm',
  'frac_negative',
  'implicit_chosen',
  'implicit_rejected',
  'margin',
  'edge_mass',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export const METRIC_LABELS: Record<MetricKey, string> = {
  step: 'gradient step',
  epoch: 'epoch',
  expected_reward: 'expected reward E_π[r] (exact)',
  peak_mass: 'mass in the reward-peak window',
  kl_pi_ref: 'KL(π‖π_ref)',
  kl_ref_pi: 'KL(π_ref‖π)',
  entropy: 'entropy H(π)',
  loss: 'training loss (before the step)',
  queries: 'reward-model queries so far',
  grad_norm: 'gradient norm (logits)',
  frac_negative: 'fraction of samples with a negative coefficient',
  implicit_chosen: 'implicit reward of y_w: log π(y_w) − log π_ref(y_w)',
  implicit_rejected: 'implicit reward of y_l: mean log π(y_l) − log π_ref(y_l) over the other samples',
  margin: 'mean DPO/IPO margin h over counted pairs',
  edge_mass: 'mass on the edge bins 0 and K−1',
};

export class MetricSeries {
  readonly columns: Record<MetricKey, Float64Array>;
  length = 0;

  constructor(readonly capacity: number) {
    this.columns = Object.fromEntries(METRIC_KEYS.map((k) => [k, new Float64Array(capacity)])) as Record<
      MetricKey,
      Float64Array
    >;
  }

  /** the value of `key` at row `row` (row 0 is the starting policy) */
  at(key: MetricKey, row: number): number {
    return this.columns[key][row];
  }

  last(key: MetricKey): number {
    return this.length > 0 ? this.columns[key][this.length - 1] : Number.NaN;
  }

  /** a plain-array copy of one column, for charts and JSON */
  toArray(key: MetricKey): number[] {
    return Array.from(this.columns[key].subarray(0, this.length));
  }
}

export interface StepInfo {
  step: number;
  epoch: number;
  loss: number;
  queries: number;
  gradNorm: number;
  fracNegative: number;
  margin: number;
}

/** Exact functionals of the policy: expected reward, window masses, both KLs to π_ref and the entropy. */
export function recordPolicyMetrics(series: MetricSeries, env: Environment, policy: PolicyView, info: StepInfo, batch: Minibatch | null): void {
  const { probs: p, logProbs: lp, K } = policy;
  const { reward, refProbs, logRef, peakLo, peakHi } = env;
  let er = 0;
  let klPiRef = 0;
  let klRefPi = 0;
  let entropy = 0;
  for (let a = 0; a < K; a++) {
    const pa = p[a];
    er += pa * reward[a];
    klRefPi += refProbs[a] * (logRef[a] - lp[a]);
    if (pa > 0) {
      klPiRef += pa * (lp[a] - logRef[a]);
      entropy -= pa * lp[a];
    }
  }
  let peak = 0;
  for (let a = peakLo; a <= peakHi; a++) peak += p[a];

  const row = series.length;
  const c = series.columns;
  c.step[row] = info.step;
  c.epoch[row] = info.epoch;
  c.expected_reward[row] = er;
  c.peak_mass[row] = peak;
  // both KLs are ≥ 0; a sum of rounded terms can land a few ulps below zero at π = π_ref
  c.kl_pi_ref[row] = Math.max(0, klPiRef);
  c.kl_ref_pi[row] = Math.max(0, klRefPi);
  c.entropy[row] = entropy;
  c.loss[row] = info.loss;
  c.queries[row] = info.queries;
  c.grad_norm[row] = info.gradNorm;
  c.frac_negative[row] = info.fracNegative;
  c.margin[row] = info.margin;
  c.edge_mass[row] = p[0] + p[K - 1];
  if (batch) recordImplicitRewards(c, row, batch, policy);
  else {
    c.implicit_chosen[row] = Number.NaN;
    c.implicit_rejected[row] = Number.NaN;
  }
  series.length = row + 1;
}

/**
 * Implicit rewards (divided by β) of the minibatch's chosen and rejected responses, as the official code
 * logs them (spec D): the best sample of each prompt vs the other N − 1.
 */
function recordImplicitRewards(c: Record<MetricKey, Float64Array>, row: number, batch: Minibatch, policy: PolicyView): void {
  const { data, p0, p1 } = batch;
  const { N, best, actions } = data;
  const lp = policy.logProbs;
  const lr = policy.logRef;
  let chosen = 0;
  let rejected = 0;
  for (let s = p0; s < p1; s++) {
    const star = best[s];
    chosen += lp[actions[star]] - lr[actions[star]];
    let others = 0;
    for (let i = s * N; i < (s + 1) * N; i++) {
      if (i !== star) others += lp[actions[i]] - lr[actions[i]];
    }
    rejected += N > 1 ? others / (N - 1) : Number.NaN;
  }
  const S = p1 - p0;
  c.implicit_chosen[row] = chosen / S;
  c.implicit_rejected[row] = rejected / S;
}

/** The shortest text that parses back to the same double, so a CSV compares bit for bit with the lab's runs. */
export function formatMetric(x: number): string {
  if (Number.isNaN(x)) return '';
  // String(-0) is "0": keep the sign so that the value reads back as the same double
  return Object.is(x, -0) ? '-0' : String(x);
}
