/**
 * The typed messages between the app's Sequences page and the neural training worker (gpt-nano on the
 * sequence bandit and the length tasks, trained with tfjs). Like the bandit worker's protocol, every
 * message from the worker carries the number of `load`s it had handled, so the page drops messages about
 * a comparison it has replaced.
 */

import { knobSchema, RUN_KNOBS } from '../../lab/config/settings.ts';
import { OBJECTIVES, type ObjectiveId } from '../../lab/objectives/catalog.ts';
import type { SequenceLiveKey } from '../../lab/sequence-engine/sequence-run.ts';

export type NeuralBackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** The knobs a sequence run can change while it trains (the engine's `SequenceRun.setLive` keys). */
export type NeuralLiveKey = SequenceLiveKey;
/** Every live knob, in the order the page lists them. */
export const NEURAL_LIVE_KEYS = ['lr', 'dpoBeta', 'ipoMargin', 'rwrTemperature', 'klCoef', 'ppoClip', 'entropyBonus', 'negGradWeight'] as const satisfies readonly NeuralLiveKey[];

/** Current values of a run's live knobs: exactly the knobs its objective reads. */
export type NeuralLiveValues = Partial<Record<NeuralLiveKey, number>>;

/**
 * The live knobs a run's objective reads: lr for every run, then its own live hyperparameters as the objective
 * catalog lists them (DPO β, IPO margin, RWR τ, REINFORCE's KL coefficient and sampled "entropy bonus", PPO's
 * clip and KL coefficient), and best-of-N's negative-gradient weight only when it has a negative gradient.
 */
export function neuralLiveKeys(objective: string, negativeGradientType = 'no_negative_gradient'): NeuralLiveKey[] {
  const info = (OBJECTIVES as Record<string, (typeof OBJECTIVES)[ObjectiveId] | undefined>)[objective];
  const own = info ? info.hyperparameters : [];
  return NEURAL_LIVE_KEYS.filter((key) => {
    if (key === 'lr') return true;
    if (key === 'negGradWeight' && negativeGradientType === 'no_negative_gradient') return false;
    return own.includes(key);
  });
}

/** A live knob's name as the lab's settings table has it ("DPO temperature β"). */
export function liveKnobLabel(key: NeuralLiveKey): string {
  return RUN_KNOBS[key].label;
}

/**
 * Why `value` cannot be a live knob's value, naming the knob and the range of the lab's settings table
 * ("DPO temperature β must be a number greater than 0 and at most 1000 (got -1)"), or null when it can.
 */
export function liveValueProblem(key: NeuralLiveKey, value: number): string | null {
  const knob = RUN_KNOBS[key];
  const parsed = knobSchema(knob).safeParse(value);
  if (parsed.success && Number.isFinite(value)) return null;
  const message = parsed.success ? `must be a finite number (got ${value})` : parsed.error.issues[0].message;
  return `${knob.label} ${message}`;
}

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
   * a live change of one of the run's live knobs (`NeuralRunInfo.liveKeys`: those its objective reads), from its
   * next step; recorded in the run's edit log (a later change of the same knob rewrites that knob's log from its
   * step on). A knob the objective does not read, or a value out of the knob's range, is refused.
   */
  | { type: 'live'; run: string; key: NeuralLiveKey; value: number }
  /**
   * every run back to step 0 on the same fine-tuned reference and seed (no second SFT), its live knobs the
   * preset's; the edit log is kept and replayed at its steps, so a replay gives the same numbers
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
  /** the preset's learning rate */
  lr: number;
  /** the knobs that can change live: those the run's objective reads, lr first (see `neuralLiveKeys`) */
  liveKeys: NeuralLiveKey[];
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
  /** mean reward of the policy's own latest samples (SequenceRun.policySamples; offline: its monitor samples) */
  reward: number;
  /** KL(π‖π_ref) per token, estimated from samples of the policy */
  klPerToken: number;
  /** mean length of the policy's latest samples (length tasks), else null */
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

/** a live change of one knob, from the gradient step after `step` (the run had taken `step` steps) */
export interface NeuralLiveEdit {
  step: number;
  key: NeuralLiveKey;
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
  /** the value of each of the run's live knobs (`NeuralRunInfo.liveKeys`) for its next gradient step */
  live: NeuralLiveValues;
  /** the run's edit log: every live change with its step and knob, in step order (replayed after a reset) */
  liveEdits: NeuralLiveEdit[];
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
