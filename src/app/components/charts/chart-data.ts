/**
 * Chart data from the streamed metric rows. The worker streams only the rows a chart can draw (about
 * `CHART_POINTS` per line, at multiples of a power-of-two stride that grows with the run, see
 * `chartStride`): a chart picks the multiples of the stride of the longest run, plus each run's latest row.
 * Points stay put as a run grows (no shimmering).
 */
import type { MetricKey } from '../../../lab/metrics.ts';
import { chartStride } from '../../../worker/protocol.ts';
import type { RunSeries } from '../../store/live-view.ts';

export interface LineSpec {
  /** the data key of this line, e.g. r0 */
  key: string;
  series: RunSeries;
  metric: MetricKey;
}

/**
 * Rows of { step, [line key]: value | null } for charts with the gradient step on the x axis. A line has
 * null where its run has no value: after it finished, or at another run's latest row when that is off the
 * grid (the charts connect across nulls, so such a point leaves no gap).
 */
export function stepRows(lines: readonly LineSpec[]): Array<Record<string, number | null>> {
  const stride = chartStride(Math.max(0, ...lines.map((l) => l.series.length)));
  const rows = [...new Set(lines.flatMap((l) => l.series.rowsAt(stride)))].sort((a, b) => a - b);
  return rows.map((row) => {
    const point: Record<string, number | null> = { step: row };
    for (const line of lines) {
      const value = line.series.at(line.metric, row);
      point[line.key] = Number.isFinite(value) ? value : null;
    }
    return point;
  });
}

/** One run's path through (x, y), e.g. expected reward against KL: { x, y } points. */
export function pathPoints(series: RunSeries, x: MetricKey, y: MetricKey): Array<{ x: number; y: number }> {
  const points: Array<{ x: number; y: number }> = [];
  for (const row of series.rowsAt(chartStride(series.length))) {
    const px = series.at(x, row);
    const py = series.at(y, row);
    if (Number.isFinite(px) && Number.isFinite(py)) points.push({ x: px, y: py });
  }
  return points;
}
