/**
 * Backend selection for the neural worker: the gpt-nano workload it times candidates with, the default
 * device-loss watcher, and how a selection is reported to the page.
 */
import * as tf from '@tensorflow/tfjs';
import { GptNano, gptNanoConfig } from '../../lab/policies/gpt-nano.ts';
import { perTokenSurrogateStep } from '../../lab/policies/gpt-training.ts';
import { stream } from '../../lab/random.ts';
import { BIN_COUNT, SEQUENCE_SLOTS } from '../../lab/sequence/tokens.ts';
import { watchWebGpuDeviceLoss, type DeviceLoss, type DeviceLossWatcher } from '../backend/device-loss.ts';
import type { BackendOutcome, BackendSelection, DisposableWorkload, SelectBackendOptions } from '../backend/select-backend.ts';
import { NEURAL_STREAMS } from './neural-comparison.ts';
import type { NeuralBackendName } from './protocol.ts';

export type SelectBackendFunction = (options: SelectBackendOptions) => Promise<BackendSelection>;

/** Starts watching the device of `backend` (webgpu); null when there is nothing that can be lost. */
export type WatchDeviceLoss = (backend: NeuralBackendName, onLost: (loss: DeviceLoss) => void) => DeviceLossWatcher | null;

export const watchDeviceLossOfTfjs: WatchDeviceLoss = (backend, onLost) => (backend === 'webgpu' ? watchWebGpuDeviceLoss(onLost) : null);

/** Sequences per timed step: enough to rank the backends, small enough that cpu does not take seconds. */
const TIMING_BATCH = 20;

/**
 * A gpt-nano training step of the task's vocabulary, built on each candidate backend (with the transpose-free
 * matMul where that backend is wasm, as training will use): 20 fixed random sequences, per-token coefficients.
 */
export function gptNanoTimingWorkload(vocab: number, seed: number): DisposableWorkload {
  const model = new GptNano(gptNanoConfig(vocab, seed, { transposeFreeMatMul: tf.getBackend() === 'wasm' }));
  const optimizer = model.createAdam();
  const rng = stream(seed, NEURAL_STREAMS.backendWorkload);
  const tokens = new Int32Array(TIMING_BATCH * SEQUENCE_SLOTS);
  for (let i = 0; i < tokens.length; i++) tokens[i] = Math.min(BIN_COUNT - 1, Math.floor(rng.uniform() * BIN_COUNT));
  const coefficients = new Float64Array(tokens.length);
  for (let i = 0; i < coefficients.length; i++) coefficients[i] = i % SEQUENCE_SLOTS === 0 ? 0 : 1 / (TIMING_BATCH * (SEQUENCE_SLOTS - 1));
  return {
    step: async () => {
      await perTokenSurrogateStep(model, { count: TIMING_BATCH, length: SEQUENCE_SLOTS, tokens }, coefficients, optimizer, { scoring: 'shifted', learningRate: 1e-4 });
    },
    dispose: () => {
      optimizer.dispose();
      model.dispose();
    },
  };
}

const NAMES: readonly string[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function asNeuralBackend(name: string): NeuralBackendName {
  if (!NAMES.includes(name)) throw new Error(`the backend "${name}" is not one the Sequences page knows`);
  return name as NeuralBackendName;
}

export function candidateReports(timings: readonly BackendOutcome[]): Array<{ backend: string; ok: boolean; reason?: string; msPerStep?: number }> {
  return timings.map((outcome) => ({
    backend: outcome.backend,
    ok: outcome.ok,
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    ...(outcome.msPerStep === undefined ? {} : { msPerStep: outcome.msPerStep }),
  }));
}

/** One line for the badge's tooltip: why this backend. */
export function describeSelection(backend: string, timings: readonly BackendOutcome[], forced: boolean): string {
  const chosen = timings.find((outcome) => outcome.backend === backend);
  const on = chosen?.detail ? ` (${chosen.detail})` : '';
  if (forced) return `${backend}${on}, forced by backend=${backend}`;
  const working = timings.filter((outcome) => outcome.ok).map((outcome) => `${outcome.backend} ${(outcome.msPerStep ?? 0).toFixed(1)} ms`);
  return `${backend}${on}, the fastest gpt-nano step of ${working.join(', ')}`;
}
