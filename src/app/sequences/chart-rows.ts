/**
 * The metric charts' data: every run's rows merged by gradient step into one row per step, each run's
 * value under `r<index>` (Recharts draws one line per key; a run without that step leaves a gap).
 */
import type { NeuralMetricRow } from '../../worker/neural/protocol.ts';

export type SequenceMetric = 'reward' | 'klPerToken' | 'meanLength' | 'loss';

export type ChartRow = { step: number } & Record<string, number>;

export function runKey(index: number): string {
  return `r${index}`;
}

export function mergeRunRows(runs: ReadonlyArray<{ rows: readonly NeuralMetricRow[] }>, metric: SequenceMetric): ChartRow[] {
  const byStep = new Map<number, ChartRow>();
  runs.forEach((run, index) => {
    for (const row of run.rows) {
      const value = row[metric];
      if (value === null || !Number.isFinite(value)) continue;
      let merged = byStep.get(row.step);
      if (!merged) {
        merged = { step: row.step } as ChartRow;
        byStep.set(row.step, merged);
      }
      merged[runKey(index)] = value;
    }
  });
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}
