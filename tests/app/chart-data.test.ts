/** Downsampling for the charts: bounded points, stable positions, every run's last row, gaps for missing values. */
import { describe, expect, it } from 'vitest';
import { pathPoints, sampledRows, stepRows, strideFor } from '../../src/app/components/charts/chart-data.ts';
import { RunSeries } from '../../src/app/store/live-view.ts';
import { METRIC_KEYS, type MetricKey } from '../../src/lab/metrics.ts';

function series(length: number, value: (row: number) => number): RunSeries {
  const s = new RunSeries(4);
  const rows = Object.fromEntries(METRIC_KEYS.map((k) => [k, new Float64Array(length)])) as Record<MetricKey, Float64Array>;
  for (let i = 0; i < length; i++) {
    rows.step[i] = i;
    rows.expected_reward[i] = value(i);
    rows.kl_pi_ref[i] = i / 10;
  }
  s.write(0, rows);
  return s;
}

describe('chart data', () => {
  it('never plots more than about maxPoints per line, with a power-of-two stride', () => {
    for (const rows of [1, 10, 240, 241, 1501, 100_001]) {
      const stride = strideFor(rows, 240);
      expect(Math.log2(stride) % 1).toBe(0);
      expect(sampledRows([rows], 240).length).toBeLessThanOrEqual(242);
    }
  });

  it('keeps earlier points where they were as a run grows (no shimmer) and includes each run\'s last row', () => {
    const early = sampledRows([1000], 240);
    const later = sampledRows([1010], 240);
    expect(later.filter((r) => r < 999)).toEqual(early.filter((r) => r < 999));
    expect(sampledRows([1501, 301], 240)).toContain(300);
    expect(sampledRows([1501, 301], 240)).toContain(1500);
  });

  it('gives null where a run has no value (finished earlier, or NaN), so lines stop instead of dropping to 0', () => {
    const rows = stepRows([
      { key: 'a', series: series(11, (i) => i), metric: 'expected_reward' },
      { key: 'b', series: series(5, (i) => (i === 2 ? Number.NaN : i)), metric: 'expected_reward' },
    ]);
    expect(rows.find((r) => r.step === 2)!.b).toBeNull();
    expect(rows.find((r) => r.step === 8)!.b).toBeNull();
    expect(rows.find((r) => r.step === 8)!.a).toBe(8);
  });

  it('traces one run through (x, y) for the trade-off charts', () => {
    const points = pathPoints(series(21, (i) => i / 20), 'kl_pi_ref', 'expected_reward');
    expect(points[0]).toEqual({ x: 0, y: 0 });
    expect(points.at(-1)).toEqual({ x: 2, y: 1 });
  });
});
