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
  | { type: 'ack' };

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

/** What changed in one run since the previous frame. */
export interface RunFrame {
  step: number;
  epoch: number;
  finished: boolean;
  diverged: { step: number; reason: string } | null;
  /** the metric rows recorded since the last frame, column-wise; `firstRow` is the index of rows[k][0] */
  firstRow: number;
  rows: Record<MetricKey, Float64Array>;
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

export type FromWorker =
  | { type: 'loaded'; info: ComparisonInfo; frame: Frame }
  | { type: 'frame'; frame: Frame }
  | { type: 'edit'; edit: LiveEdit }
  /** a request the worker could not honour (e.g. a live edit on a finished run); training goes on */
  | { type: 'refused'; message: string }
  /** the worker failed: the comparison is gone until the next `load` */
  | { type: 'error'; message: string };
