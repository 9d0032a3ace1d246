/** What the metric charts need from the MLP companion: its lines, keyed `m<run index>`, drawn dashed. */
import type { MetricKey } from '../../lab/metrics.ts';
import type { LineSpec } from '../components/charts/chart-data.ts';
import type { MlpCompanion } from './companion.ts';

/** the step charts that get MLP lines (the metrics of the averaged policy that compare with the tabular ones) */
export const MLP_CHART_METRICS: readonly MetricKey[] = ['expected_reward', 'peak_mass', 'kl_pi_ref'];

export const MLP_DASH = '6 3';

export function mlpLineKey(index: number): string {
  return `m${index}`;
}

/** one line per visible run that has MLP rows, or none when the companion is off or the metric is not one of them */
export function mlpLines(companion: MlpCompanion, enabled: boolean, runs: ReadonlyArray<{ index: number }>, metric: MetricKey): LineSpec[] {
  if (!enabled || !MLP_CHART_METRICS.includes(metric)) return [];
  return runs.flatMap((r) => {
    const series = companion.series[r.index];
    return series && series.length > 0 ? [{ key: mlpLineKey(r.index), series, metric }] : [];
  });
}
