/**
 * A stand-in for the neural training worker: records what the page posts and lets the test say what the
 * worker says (protocol messages, a crash), plus builders for the protocol's comparison info and frames.
 */
import type {
  FromNeuralWorker,
  NeuralComparisonInfo,
  NeuralLiveKey,
  NeuralLiveValues,
  NeuralMetricRow,
  NeuralRunFrame,
  NeuralRunInfo,
  NeuralSample,
  NeuralWorkerMessage,
  ToNeuralWorker,
} from '../../src/worker/neural/protocol.ts';
import { createSequencesStore, type NeuralWorkerLike, type SequencesStore } from '../../src/app/sequences/sequences-store.ts';

export class FakeNeuralWorker implements NeuralWorkerLike {
  onmessage: ((event: MessageEvent<FromNeuralWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  readonly posted: ToNeuralWorker[] = [];
  terminated = false;

  postMessage(message: ToNeuralWorker): void {
    this.posted.push(message);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** the `load`s posted so far (the current one is the last) */
  loads(): number {
    return this.posted.filter((m) => m.type === 'load').length;
  }

  /** the worker says `message`, tagged with `load` (default: the current load) */
  emit(message: NeuralWorkerMessage, load = this.loads()): void {
    this.onmessage?.({ data: { ...message, load } as FromNeuralWorker } as MessageEvent<FromNeuralWorker>);
  }

  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => {} } as ErrorEvent);
  }

  /** the types of the messages posted, in order */
  types(): string[] {
    return this.posted.map((m) => m.type);
  }
}

export interface TestStore {
  store: SequencesStore;
  workers: FakeNeuralWorker[];
  worker(): FakeNeuralWorker;
  /** run the pending after-paint callbacks (the page "paints") */
  paint(): void;
  /** move the clock */
  advance(ms: number): void;
}

export function makeTestStore(): TestStore {
  const workers: FakeNeuralWorker[] = [];
  const painted: Array<() => void> = [];
  let clock = 0;
  const store = createSequencesStore({
    createWorker: () => {
      const worker = new FakeNeuralWorker();
      workers.push(worker);
      return worker;
    },
    afterPaint: (callback) => painted.push(callback),
    now: () => clock,
  });
  return {
    store,
    workers,
    worker: () => workers[workers.length - 1],
    paint: () => {
      for (const callback of painted.splice(0)) callback();
    },
    advance: (ms) => {
      clock += ms;
    },
  };
}

const POSITIONS = 9;

/** a heatmap whose every position puts `peak` on `token` and spreads the rest evenly */
export function peakedHeatmap(vocab: number, token: number, peak: number): number[] {
  const rest = (1 - peak) / (vocab - 1);
  return Array.from({ length: POSITIONS * vocab }, (_, i) => (i % vocab === token ? peak : rest));
}

export const REFERENCE_LENGTHS = [0.001, 0.0077, 0.0363, 0.1103, 0.2149, 0.2683, 0.2149, 0.1103, 0.0363];

export function banditInfo(): NeuralComparisonInfo {
  return {
    preset: 'official-onpolicy-transformer-best-of-n',
    title: 'On-policy best-of-N (official transformer script)',
    task: 'sequence-bandit',
    vocab: 100,
    positions: POSITIONS,
    endToken: null,
    runs: [{ name: 'on-policy best-of-N', objective: 'best-of-n', sampling: 'on-policy', steps: 1000, lr: 3e-5, liveKeys: ['lr'] }],
    referenceTokens: Array.from({ length: 100 }, () => 0.01),
    referenceLengths: null,
    referenceHeatmap: peakedHeatmap(100, 50, 0.05),
    backend: 'wasm',
  };
}

export function lengthInfo(): NeuralComparisonInfo {
  return {
    preset: 'min-length-comparison',
    title: 'Min length: four methods',
    task: 'min-length',
    vocab: 101,
    positions: POSITIONS,
    endToken: 100,
    runs: [
      { name: 'On-policy DPO', objective: 'dpo', sampling: 'on-policy', steps: 1000, lr: 1e-3, liveKeys: ['lr', 'dpoBeta'] },
      { name: 'Offline DPO', objective: 'dpo', sampling: 'offline', steps: 1000, lr: 1e-3, liveKeys: ['lr', 'dpoBeta'] },
      { name: 'PPO', objective: 'ppo', sampling: 'on-policy', steps: 1000, lr: 1e-3, liveKeys: ['lr', 'klCoef', 'ppoClip'] },
      { name: 'On-policy RWR', objective: 'rwr', sampling: 'on-policy', steps: 1000, lr: 1e-3, liveKeys: ['lr', 'rwrTemperature'] },
    ],
    referenceTokens: Array.from({ length: 100 }, () => 0.01),
    referenceLengths: REFERENCE_LENGTHS,
    referenceHeatmap: peakedHeatmap(101, 50, 0.05),
    backend: 'wasm',
  };
}

export function metricRow(step: number, reward = 0.3 + step / 1000): NeuralMetricRow {
  return { step, reward, klPerToken: step / 100, meanLength: null, loss: 1 - step / 1000, gradNorm: 0.5 };
}

/** the length presets' values of the objectives' own live knobs (lr comes from the run info) */
const PRESET_LIVE_VALUES: Partial<Record<NeuralLiveKey, number>> = { dpoBeta: 0.1, klCoef: 0.01, ppoClip: 0.2, rwrTemperature: 1 };

/** a run's live knob values as the worker reports them at load: the preset's */
export function presetLive(run: NeuralRunInfo): NeuralLiveValues {
  return Object.fromEntries(run.liveKeys.map((key) => [key, key === 'lr' ? run.lr : PRESET_LIVE_VALUES[key]]));
}

/** run `run`'s frame at `step` (its live knobs at the preset's values unless `options` says otherwise) */
export function runFrame(info: NeuralComparisonInfo, step: number, options: Partial<NeuralRunFrame> = {}, run = 0): NeuralRunFrame {
  return {
    step,
    finished: false,
    diverged: null,
    newRows: [],
    heatmap: peakedHeatmap(info.vocab, 20, 0.3),
    lengths: info.referenceLengths ? [0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05] : null,
    samples: [],
    live: presetLive(info.runs[run]),
    liveEdits: [],
    ...options,
  };
}

/** the `loaded` message for `info`, every run at step 0 with its first metric row */
export function loaded(info: NeuralComparisonInfo): NeuralWorkerMessage {
  return { type: 'loaded', info, frame: { playing: false, runs: info.runs.map((_, i) => runFrame(info, 0, { newRows: [metricRow(0)] }, i)) } };
}

export function frame(info: NeuralComparisonInfo, runs: NeuralRunFrame[], playing = true, stepsPerSecond = 9.5): NeuralWorkerMessage {
  return { type: 'frame', playing, stepsPerSecond, runs: runs.length ? runs : info.runs.map((_, i) => runFrame(info, i)) };
}

export function sample(tokens: number[], reward: number, coefficient: number, length = tokens.length - 1): NeuralSample {
  return { tokens, reward, coefficient, length };
}
