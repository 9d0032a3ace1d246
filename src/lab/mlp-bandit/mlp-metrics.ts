/**
 * Metrics of a contextual policy, comparable to the tabular engine's (metrics.ts), over the fixed evaluation
 * contexts e = 1..E:
 *   expected_reward  (1/E) Σ_e Σ_a π(a|e) r(a)       = E_π̄[r] of the averaged policy π̄ = (1/E) Σ_e π(·|e)
 *   peak_mass        π̄'s mass in the reward-peak window; edge_mass its mass on bins 0 and K−1
 *   kl_pi_ref        (1/E) Σ_e KL(π(·|e) ‖ π_ref);   kl_ref_pi (1/E) Σ_e KL(π_ref ‖ π(·|e))
 *   entropy          (1/E) Σ_e H(π(·|e))
 * and the step's own numbers (loss, gradient norm of the MLP's parameters, queries, epoch, …).
 * `implicit_chosen` / `implicit_rejected` are not computed (NaN).
 */
import type { Environment } from '../environment.ts';
import { log } from '../math.ts';
import { METRIC_KEYS, type MetricKey } from '../metrics.ts';

export interface MlpStepInfo {
  step: number;
  epoch: number;
  loss: number;
  queries: number;
  gradNorm: number;
  fracNegative: number;
  margin: number;
}

/** One row per recorded step (row 0: after the SFT), every column of METRIC_KEYS. */
export class MlpMetricSeries {
  readonly columns = Object.fromEntries(METRIC_KEYS.map((k) => [k, [] as number[]])) as Record<MetricKey, number[]>;

  get length(): number {
    return this.columns.step.length;
  }

  at(key: MetricKey, row: number): number {
    return this.columns[key][row];
  }

  last(key: MetricKey): number {
    const column = this.columns[key];
    return column.length > 0 ? column[column.length - 1] : Number.NaN;
  }

  /** the row as a record */
  row(index: number): Record<MetricKey, number> {
    return Object.fromEntries(METRIC_KEYS.map((k) => [k, this.columns[k][index]])) as Record<MetricKey, number>;
  }
}

/**
 * Appends the metric row of `probs` ([contexts·K] row-major, π(·|e) per evaluation context) and writes the
 * averaged policy into `distribution`. Returns false if a probability is not finite.
 */
export function evaluatePolicy(series: MlpMetricSeries, distribution: Float64Array, probs: Float32Array, contexts: number, env: Environment, info: MlpStepInfo): boolean {
  const { K, refProbs, logRef, reward } = env;
  distribution.fill(0);
  let klPiRef = 0;
  let klRefPi = 0;
  let entropy = 0;
  let finite = true;
  for (let e = 0; e < contexts; e++) {
    const row = e * K;
    for (let a = 0; a < K; a++) {
      const p = probs[row + a];
      if (!Number.isFinite(p)) finite = false;
      distribution[a] += p;
      if (p > 0) {
        const lp = log(p);
        klPiRef += p * (lp - logRef[a]);
        entropy -= p * lp;
      }
      // a bin the policy rounds to 0 (float32) would make the forward KL infinite; it is floored at 1e-45
      if (refProbs[a] > 0) klRefPi += refProbs[a] * (logRef[a] - log(p > 0 ? p : 1e-45));
    }
  }
  let expected = 0;
  let peak = 0;
  for (let a = 0; a < K; a++) {
    distribution[a] /= contexts;
    expected += distribution[a] * reward[a];
    if (a >= env.peakLo && a <= env.peakHi) peak += distribution[a];
  }
  const c = series.columns;
  c.step.push(info.step);
  c.expected_reward.push(expected);
  c.peak_mass.push(peak);
  c.kl_pi_ref.push(klPiRef / contexts);
  c.kl_ref_pi.push(klRefPi / contexts);
  c.entropy.push(entropy / contexts);
  c.loss.push(info.loss);
  c.queries.push(info.queries);
  c.epoch.push(info.epoch);
  c.grad_norm.push(info.gradNorm);
  c.frac_negative.push(info.fracNegative);
  c.implicit_chosen.push(Number.NaN);
  c.implicit_rejected.push(Number.NaN);
  c.margin.push(info.margin);
  c.edge_mass.push(distribution[0] + distribution[K - 1]);
  return finite;
}
