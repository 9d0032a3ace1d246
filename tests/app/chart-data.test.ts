/**
 * The charts' data as streamed by the real training session into the store: a bounded number of points per
 * line, values equal to the CLI's at their rows, points that stay put as runs grow, each run's latest row,
 * and gaps where a run has no value.
 */
import { describe, expect, it } from 'vitest';
import { pathPoints, stepRows } from '../../src/app/components/charts/chart-data.ts';
import type { LabStore } from '../../src/app/store/lab-store.ts';
import { parseExperimentConfigOrThrow } from '../../src/lab/config/experiment.ts';
import { Comparison } from '../../src/lab/train.ts';
import { CHART_POINTS, chartStride } from '../../src/worker/protocol.ts';
import { createTestStore } from '../helpers/in-process-worker.ts';

const config = parseExperimentConfigOrThrow({
  runs: [
    { name: 'long', objective: 'reinforce', steps: 5000 },
    { name: 'short', objective: 'ipo', steps: 700 },
  ],
});

const lab = () => createTestStore(config);

const lines = (store: LabStore) => [
  { key: 'a', series: store.view.series[0], metric: 'expected_reward' as const },
  { key: 'b', series: store.view.series[1], metric: 'expected_reward' as const },
];

describe('chart data from the stream', () => {
  it('the stride is a power of two that keeps at most CHART_POINTS rows', () => {
    for (const rows of [1, 150, 151, 1501, 100_001]) {
      const stride = chartStride(rows);
      expect(Math.log2(stride) % 1).toBe(0);
      expect(Math.ceil(rows / stride)).toBeLessThanOrEqual(CHART_POINTS);
    }
  });

  it('plots a bounded number of points whose values are the CLI\'s at those steps, and every run\'s latest row', () => {
    const { store, worker } = lab();
    store.getState().setSpeed(16);
    store.getState().play();
    worker().advanceTime(7000);
    const data = stepRows(lines(store));
    const steps = store.getState().runs.map((r) => r.step);
    expect(steps[0]).toBeGreaterThan(4000);
    expect(steps[1]).toBe(700);
    expect(data.length).toBeLessThanOrEqual(CHART_POINTS + 2);
    // the main thread keeps a few hundred rows, not thousands
    expect(store.view.series[0].rowIndex.length).toBeLessThan(1000);
    const cli = new Comparison(config);
    for (let i = 0; i < steps[0]; i++) cli.advance();
    const stride = chartStride(store.view.series[0].length);
    for (const point of data) {
      const row = point.step!;
      // on the grid every run has its value; off the grid (another run's latest row) it may not
      if (row % stride === 0 || point.a !== null) expect(point.a).toBe(cli.runs[0].metrics.at('expected_reward', row));
      // the short run stopped at step 700: no value after it (a gap, not a drop to 0)
      if (row <= 700) expect(point.b).toBe(cli.runs[1].metrics.at('expected_reward', row));
      else expect(point.b).toBeNull();
    }
    expect(data.map((p) => p.step)).toContain(700);
    expect(data.at(-1)!.step).toBe(steps[0]);
  });

  it('keeps earlier points where they were as the runs grow (no shimmer)', () => {
    const { store, worker } = lab();
    store.getState().setSpeed(8);
    store.getState().play();
    worker().advanceTime(2000);
    const before = stepRows(lines(store)).slice(0, -1);
    worker().advanceTime(300);
    const after = stepRows(lines(store));
    const stride = chartStride(store.view.series[0].length);
    // every point still on the (possibly coarser) grid is unchanged
    for (const point of before.filter((p) => p.step! % stride === 0)) expect(after).toContainEqual(point);
  });

  it('traces a run through (x, y) for the trade-off charts', () => {
    const { store } = lab();
    for (let i = 0; i < 30; i++) store.getState().stepOnce();
    const points = pathPoints(store.view.series[0], 'kl_pi_ref', 'expected_reward');
    expect(points).toHaveLength(31);
    expect(points[0].x).toBe(0);
    expect(points.at(-1)!.y).toBe(store.view.series[0].last('expected_reward'));
  });
});
