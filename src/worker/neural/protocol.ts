/**
 * The typed messages between the app's Sequences page and the neural training worker (gpt-nano on the
 * sequence bandit and the length tasks, trained with tfjs). Like the bandit worker's protocol, every
 * message from the worker carries the number of `load`s it had handled, so the page drops messages about
 * a comparison it has replaced.
 */

export type NeuralBackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** A comparison the Sequences page can open: one official transformer script or one length-task comparison. */
export interface NeuralComparisonChoice {
  /** an id of `OFFICIAL_SEQUENCE_PRESETS` or `LENGTH_TASK_PRESETS` (src/lab/sequence/sequence-presets.ts) */
  preset: string;
  seed: number;
  /** `backend=` from the URL; null = measure and pick the fastest */
  backend: NeuralBackendName | null;
  /**
   * Shrink every run for a quick look or a test: multiply its gradient steps by this factor (≥ 1 step) and
   * use at most this many SFT steps. Absent = the preset as specified.
   */
  quick?: { stepFactor: number; sftSteps: number };
}

export type ToNeuralWorker =
  | ({ type: 'load' } & NeuralComparisonChoice)
  | { type: 'play' }
  | { type: 'pause' }
  /** one gradient step of every unfinished run */
  | { type: 'step' }
  /**
   * a live change of one run's learning rate, from its next step; recorded in the run's edit log (a later
   * change rewrites the log from its step on)
   */
  | { type: 'live'; run: string; key: 'lr'; value: number }
  /**
   * every run back to step 0 on the same fine-tuned reference and seed (no second SFT), its learning rate
   * the preset's; the edit log is kept and replayed at its steps, so a replay gives the same numbers
   */
  | { type: 'reset' }
  /** test and console hook: destroy the WebGPU device tfjs trains on, as a driver reset would (refused elsewhere) */
  | { type: 'lose-device' }
  /** the page has painted the last frame: the worker may send the next */
  | { type: 'ack' };

export interface NeuralRunInfo {
  name: string;
  objective: string;
  sampling: 'offline' | 'on-policy';
  /** gradient steps the run takes */
  steps: number;
  lr: number;
}

export interface NeuralComparisonInfo {
  preset: string;
  title: string;
  /** 'sequence-bandit' or a length task id ('min-length', 'mode-length', 'skew-length') */
  task: string;
  /** tokens a position can hold (100 bins, +1 for the end token in length tasks) */
  vocab: number;
  /** generated positions per sequence (9) */
  positions: number;
  /** the end-of-sequence token id, or null for the sequence bandit */
  endToken: number | null;
  runs: NeuralRunInfo[];
  /** π_ref over the 100 bins (what the reference's tokens follow) */
  referenceTokens: number[];
  /** the reference length distribution over lengths 1..9 (index 0 = length 1); null for the sequence bandit */
  referenceLengths: number[] | null;
  /** the frozen reference's per-position token marginals after SFT, row-major positions × vocab */
  referenceHeatmap: number[];
  backend: NeuralBackendName;
}

export interface NeuralMetricRow {
  step: number;
  /** mean reward of the step's batch */
  reward: number;
  /** KL(π‖π_ref) per token, estimated from samples */
  klPerToken: number;
  /** mean length of the batch's sequences (length tasks), else null */
  meanLength: number | null;
  loss: number;
  gradNorm: number;
}

export interface NeuralSample {
  /** the prompt token followed by the generated tokens (padded with the end token after it, in length tasks) */
  tokens: number[];
  reward: number;
  /** the objective's coefficient for this sequence (negative = pushed down) */
  coefficient: number;
  /** generated tokens before the end token */
  length: number;
}

/** a live learning-rate change, from the gradient step after `step` (the run had taken `step` steps) */
export interface NeuralLrEdit {
  step: number;
  value: number;
}

export interface NeuralRunFrame {
  step: number;
  finished: boolean;
  diverged: string | null;
  /** metric rows recorded since the previous frame */
  newRows: NeuralMetricRow[];
  /** per-position token marginals of the latest collection, row-major positions × vocab */
  heatmap: number[];
  /** the latest collection's length histogram over 1..9 (fractions); null for the sequence bandit */
  lengths: number[] | null;
  /** a few sequences of the latest minibatch with their rewards and coefficients (at most 8) */
  samples: NeuralSample[];
  /** the learning rate of the run's next gradient step */
  lr: number;
  /** the run's edit log: every live lr change with its step, in order (replayed after a reset) */
  lrEdits: NeuralLrEdit[];
}

export type NeuralWorkerMessage =
  /** set-up progress before the runs can train: choosing the backend, then the reference's SFT */
  | { type: 'progress'; phase: 'backend' | 'sft'; message: string; fraction: number }
  /** the backend chosen, with every candidate's outcome (see src/worker/backend/select-backend.ts) */
  | { type: 'backend'; backend: NeuralBackendName; detail: string; candidates: Array<{ backend: string; ok: boolean; reason?: string; msPerStep?: number }> }
  | { type: 'loaded'; info: NeuralComparisonInfo; frame: { playing: boolean; runs: NeuralRunFrame[] } }
  | { type: 'frame'; playing: boolean; stepsPerSecond: number; runs: NeuralRunFrame[] }
  /** after a `reset`: every run at step 0 again (the page replaces what it had with this frame) */
  | { type: 'reset-done'; frame: { playing: boolean; runs: NeuralRunFrame[] } }
  /**
   * the GPU device was lost and the worker is choosing another backend (sent at once, then once per candidate
   * tried); `device-lost` follows when training can go on
   */
  | { type: 'recovering'; message: string }
  /** the GPU device was lost: training goes on, from the last completed step, on `fallback` */
  | { type: 'device-lost'; message: string; fallback: NeuralBackendName }
  | { type: 'refused'; message: string }
  | { type: 'error'; message: string };

export type FromNeuralWorker = NeuralWorkerMessage & { load: number };
