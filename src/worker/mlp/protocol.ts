/**
 * Messages between the lab page and the MLP companion worker (src/worker/mlp/mlp-worker.ts).
 *
 * The page sends a `load` with the lab's whole config; every message back carries that load's `load` id, so
 * the page drops what a replaced comparison still says. Training never runs ahead of the lab: `advance` gives
 * the step the tabular runs have reached (`target`) and whether to train toward it now (`running`).
 */
import type { ExperimentConfig, LiveEdit } from '../../lab/config/experiment.ts';
import type { MetricKey } from '../../lab/metrics.ts';
import type { BackendName } from '../backend/candidates.ts';

export type ToMlpWorker =
  /** a new comparison (cancels the old one and frees its tensors): SFT, then wait for `advance` */
  | { type: 'load'; load: number; config: ExperimentConfig; backend?: BackendName | null; sftSteps?: number }
  /** train in lock step toward `target` while `running` */
  | { type: 'advance'; target: number; running: boolean }
  /** the lab's edit log (live changes of lr, β, …): applied at their steps */
  | { type: 'edits'; edits: LiveEdit[] }
  /** drop the comparison and free its tensors */
  | { type: 'stop' };

export interface MlpRunFrame {
  step: number;
  finished: boolean;
  diverged: string | null;
  /** rows recorded so far (row r is step r) */
  length: number;
  /** new rows since the previous frame: multiples of chartStride(length) */
  rowIndex: Int32Array;
  rows: Record<MetricKey, Float64Array>;
  /** the latest row (every run has row 0, the policy after the SFT, once `ready` was sent) */
  latest: Record<MetricKey, number>;
  /** π averaged over the evaluation contexts, now */
  distribution: number[];
}

export type FromMlpWorker =
  | { type: 'backend'; load: number; backend: string; detail: string }
  | { type: 'sft'; load: number; done: number; total: number }
  | { type: 'ready'; load: number; runs: string[]; evalContexts: number }
  | { type: 'frame'; load: number; step: number; finished: boolean; msPerStep: number; runs: MlpRunFrame[] }
  | { type: 'error'; load: number; message: string };
