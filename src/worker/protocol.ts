/**
 * The typed message protocol between the app (main thread) and the training worker.
 * The main thread only renders; the worker owns the `Comparison` and streams what changed.
 */
import type { ExperimentConfig, LiveEdit } from '../lab/config/experiment.ts';
import type { LiveKnobKey } from '../lab/config/settings.ts';
import type { MetricKey } from '../lab/metrics.ts';
import type { ObjectiveId } from '../lab/objectives/catalog.ts';

/** Steps per animation frame (≈ 60 per second), or as fast as the worker can go. */
export type Speed = number | 'auto';

/** What a user first sees: fast enough to watch mass move within a second, slow enough to follow. */
export const DEFAULT_SPEED: Speed = 4;

export type ToWorker =
  /** build the comparison from scratch (a reset), then fast-forward every run to `toStep` (a restore) */
  | { type: 'load'; config: ExperimentConfig; toStep?: number; play?: boolean }
  | { type: 'play' }
  | { type: 'pause' }
  /** pause, then take one gradient step, or as many as the named run needs to start its next epoch */
  | { type: 'step'; unit: 'step' }
  | { type: 'step'; unit: 'epoch'; run: string }
  | { type: 'speed'; speed: Speed }
  /** change a live knob of a run from its next step (the worker answers with the recorded `edit`) */
  | { type: 'live'; run: string; key: LiveKnobKey; value: number }
  /** the main thread has drawn the last frame: the worker may send the next one */
  | { type: 'ack' }
  /** every run's full metric series and final policy, for the CSV and the bundle (answered by `export`) */
  | { type: 'export'; id: number };

export interface RunInfo {
  name: string;
  objective: ObjectiveId;
  sampling: 'offline' | 'on-policy';
  steps: number;
  pairwise: boolean;
  /** gradient steps per epoch: T · ⌈S/M⌉ */
  stepsPerEpoch: number;
}

export interface ComparisonInfo {
  K: number;
  refProbs: Float64Array;
  reward: Float64Array;
  peakLo: number;
  peakHi: number;
  rewardLabel: string;
  runs: RunInfo[];
}

/**
 * The app keeps only the metric rows its charts can draw: a chart shows at most about `CHART_POINTS` points
 * per line, at rows that are multiples of a power-of-two stride which only grows as a run gets longer. So the
 * worker streams, of each run's new rows, the multiples of `chartStride(rows so far)` (a later, coarser stride
 * picks a subset of them), plus the latest row. The full series stays in the worker (and in the CLI).
 */
export const CHART_POINTS = 150;

export function chartStride(rows: number): number {
  let stride = 1;
  while (rows / stride > CHART_POINTS) stride *= 2;
  return stride;
}

/** What changed in one run since the previous frame. */
export interface RunFrame {
  step: number;
  epoch: number;
  finished: boolean;
  diverged: { step: number; reason: string } | null;
  /** metric rows recorded so far (row r is the policy after r gradient steps) */
  length: number;
  /** the new rows the charts need (multiples of the stride), in order, column-wise */
  rowIndex: Int32Array;
  rows: Record<MetricKey, Float64Array>;
  /** the run's latest row (row length − 1), for the readouts */
  latest: Record<MetricKey, number>;
  /** π over the bins now; null when the run has not moved since the last frame (or has diverged) */
  probs: Float64Array | null;
  /** the last minibatch's samples (bin index) and their coefficients: > 0 pushed up, < 0 pushed down */
  sampleBins: Int32Array;
  sampleCoefficients: Float64Array;
  /** the live knobs' values for the next step */
  live: Record<LiveKnobKey, number>;
}

export interface Frame {
  runs: RunFrame[];
  playing: boolean;
  /** gradient steps per second, summed over runs, over the last second of training (0 when paused) */
  stepsPerSecond: number;
}

/**
 * One run as exported: every recorded step's metrics (not only the chart grid the frames carry), the run's
 * final policy and how it ended. Plain arrays, so that the CSV and the JSON bundle can use it as it is.
 */
export interface ExportedRun {
  name: string;
  /** the metric names, in the order of each row's values (`METRIC_KEYS`: `step` first) */
  columns: MetricKey[];
  /** one row per recorded step: row r is the policy after r gradient steps; NaN where a metric does not apply */
  rows: number[][];
  /** π over the bins after the last step; null when the run diverged (its policy is NaN) */
  finalProbs: number[] | null;
  /** gradient steps taken (for a diverged run, the step that diverged; its metrics stop one row before) */
  step: number;
  diverged: { step: number; reason: string } | null;
}

export type WorkerMessage =
  | { type: 'loaded'; info: ComparisonInfo; frame: Frame }
  | { type: 'frame'; frame: Frame }
  | { type: 'edit'; edit: LiveEdit }
  /** a request the worker could not honour (e.g. a live edit on a finished run); training goes on */
  | { type: 'refused'; message: string }
  /** the worker failed: the comparison is gone until the next `load` */
  | { type: 'error'; message: string }
  /** the answer to the export request `id`: every run, in the comparison's order */
  | { type: 'export'; id: number; runs: ExportedRun[] }
  /** the export request `id` could not be answered (no experiment is loaded); training is unaffected */
  | { type: 'export-failed'; id: number; message: string };

/**
 * Every message says how many `load`s the worker had handled when it sent it. The worker handles messages
 * in order, so the app drops anything tagged with an older count: it came from a comparison that a newer
 * `load` has replaced (a frame, or the edit answering a live change made just before a restart).
 */
export type FromWorker = WorkerMessage & { load: number };
