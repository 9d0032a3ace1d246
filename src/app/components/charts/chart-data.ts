/**
 * Chart data from the streamed metric rows, downsampled so that a chart never draws more than about
 * `maxPoints` points per line however long the runs are. The stride is a power of two, so points stay
 * put as a run grows (no shimmering), and every run's last row is always included.
 */
import type { MetricKey } from '../../../lab/metrics.ts';
import type { RunSeries } from '../../store/live-view.ts';

export const MAX_POINTS = 150;

export function strideFor(rows: number, maxPoints = MAX_POINTS): number {
  let stride = 1;
  while (rows / stride > maxPoints) stride *= 2;
  return stride;
}

/** The row indices to plot: multiples of the stride, plus each run's last row. */
export function sampledRows(lengths: readonly number[], maxPoints = MAX_POINTS): number[] {
  const longest = Math.max(0, ...lengths);
  const stride = strideFor(longest, maxPoints);
  const rows = new Set<number>();
  for (let row = 0; row < longest; row += stride) rows.add(row);
  for (const length of lengths) if (length > 0) rows.add(length - 1);
  return [...rows].sort((a, b) => a - b);
}

export interface LineSpec {
  /** the data key of this line, e.g. r0 */
  key: string;
  series: RunSeries;
  metric: MetricKey;
}

/** Rows of { step, [line key]: value | null } for charts with the gradient step on the x axis. */
export function stepRows(lines: readonly LineSpec[], maxPoints = MAX_POINTS): Array<Record<string, number | null>> {
  const rows = sampledRows(
    lines.map((l) => l.series.length),
    maxPoints,
  );
  return rows.map((row) => {
    const point: Record<string, number | null> = { step: row };
    for (const line of lines) {
      const value = row < line.series.length ? line.series.at(line.metric, row) : Number.NaN;
      point[line.key] = Number.isFinite(value) ? value : null;
    }
    return point;
  });
}

/** One run's path through (x, y), e.g. expected reward against KL: { x, y } points, downsampled. */
export function pathPoints(series: RunSeries, x: MetricKey, y: MetricKey, maxPoints = MAX_POINTS): Array<{ x: number; y: number }> {
  const points: Array<{ x: number; y: number }> = [];
  for (const row of sampledRows([series.length], maxPoints)) {
    const px = series.at(x, row);
    const py = series.at(y, row);
    if (Number.isFinite(px) && Number.isFinite(py)) points.push({ x: px, y: py });
  }
  return points;
}
