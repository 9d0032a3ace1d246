/**
 * The Sequences page's state (Zustand): the comparison chosen, the neural worker's set-up progress and
 * backend, and per run what its frames reported (metric rows accumulated in order, the latest heatmap,
 * lengths and samples). It talks to the worker through the typed protocol of
 * `src/worker/neural/protocol.ts`, the way the bandit lab's store talks to its worker:
 *   - every `load` sent to a worker is counted, and a message tagged with an older count is about a
 *     comparison that has been replaced: it is dropped;
 *   - after a frame is applied the store waits for the page to paint, then acks, so the worker never
 *     runs ahead of what the page can show;
 *   - a worker that crashes (or, while playing, falls silent) leaves a failure with a way back: `restart`
 *     builds a fresh worker and opens the same comparison again;
 *   - `reset` puts every run back to step 0 on the same reference and seed; the worker answers with a frame
 *     that replaces every run's rows (the live changes are kept in each run's edit log and replayed);
 *   - `setLive` changes one of a run's live knobs (those its objective reads: lr, DPO β, IPO margin, …), checked
 *     against the knob's range first; the new value shows at once, even while frames sent before the worker
 *     heard of it still carry the old one.
 * It also holds what the address bar carries for the page (the choice, the quick look, the runs hidden from
 * the charts): see `sequencesUrlView`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  liveKnobLabel,
  liveValueProblem,
  type FromNeuralWorker,
  type NeuralBackendName,
  type NeuralComparisonChoice,
  type NeuralComparisonInfo,
  type NeuralLiveEdit,
  type NeuralLiveKey,
  type NeuralLiveValues,
  type NeuralMetricRow,
  type NeuralRunFrame,
  type NeuralSample,
  type ToNeuralWorker,
} from '../../worker/neural/protocol.ts';
import { DEFAULT_SEQUENCE_PRESET } from './preset-choices.ts';

export interface NeuralWorkerLike {
  postMessage(message: ToNeuralWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromNeuralWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

export interface SequencesStoreDeps {
  createWorker(): NeuralWorkerLike;
  /** call back once the next frame has been painted (requestAnimationFrame in the browser) */
  afterPaint(callback: () => void): void;
  now?(): number;
}

/** "Quick look": a tenth of every run's gradient steps and a short SFT, for slow machines */
export const QUICK_LOOK = { stepFactor: 0.1, sftSteps: 40 } as const;

/** while playing, a worker that has said nothing for this long is taken for dead (a gpt-nano step is ~0.1 s on wasm) */
export const SEQUENCES_WATCHDOG_SILENCE_MS = 30_000;
/** while it recovers from a lost GPU device (timing each backend can take tens of seconds on a busy machine) */
export const SEQUENCES_RECOVERY_SILENCE_MS = 120_000;

export type SequencesStatus = 'idle' | 'preparing' | 'ready' | 'failed';

export interface PreparationProgress {
  phase: 'backend' | 'sft';
  message: string;
  /** 0..1 */
  fraction: number;
}

export interface BackendCandidate {
  backend: string;
  ok: boolean;
  reason?: string;
  msPerStep?: number;
}

export interface BackendReport {
  /** the backend chosen at set-up */
  backend: NeuralBackendName;
  detail: string;
  candidates: BackendCandidate[];
}

export interface DeviceLostNotice {
  message: string;
  fallback: NeuralBackendName;
}

export interface SequenceRunState {
  name: string;
  objective: string;
  sampling: 'offline' | 'on-policy';
  /** gradient steps the run takes */
  totalSteps: number;
  /** the knobs that can change live: those the run's objective reads, lr first */
  liveKeys: NeuralLiveKey[];
  /** each live knob's value for the run's next step (after any live change) */
  live: NeuralLiveValues;
  /** the run's live changes with their steps and knobs, replayed after a reset */
  liveEdits: NeuralLiveEdit[];
  step: number;
  finished: boolean;
  diverged: string | null;
  /** every metric row received, in order of arrival */
  rows: NeuralMetricRow[];
  /** per-position token marginals of the latest collection, row-major positions × vocab (empty before the first) */
  heatmap: number[];
  lengths: number[] | null;
  samples: NeuralSample[];
}

export interface OpenOptions {
  seed?: number;
  /** shrink every run (`QUICK_LOOK`) */
  quick?: boolean;
  /** how much a quick look shrinks (default `QUICK_LOOK`; tests and the console use smaller ones) */
  shrink?: { stepFactor: number; sftSteps: number };
  /** the URL's `backend=`; absent keeps the current override */
  backend?: NeuralBackendName | null;
  /** runs (by name) hidden from the charts; absent shows every run */
  hidden?: string[];
}

export interface SequencesState {
  preset: string;
  seed: number;
  quick: boolean;
  shrink: { stepFactor: number; sftSteps: number };
  /** `backend=` from the URL; null = the worker measures and picks */
  backendOverride: NeuralBackendName | null;
  /** runs (by name) hidden from the metric charts */
  hidden: string[];
  status: SequencesStatus;
  progress: PreparationProgress | null;
  backendReport: BackendReport | null;
  info: NeuralComparisonInfo | null;
  runs: SequenceRunState[];
  playing: boolean;
  stepsPerSecond: number;
  /** the worker refused a request (why) */
  refusal: string | null;
  /** the GPU device was lost and the worker is choosing another backend (what it is doing), until `deviceLost` */
  recovering: string | null;
  /** the GPU device was lost and training went on on another backend */
  deviceLost: DeviceLostNotice | null;
  /** why the worker stopped, when it did */
  failure: string | null;
}

export interface SequencesActions {
  /** open a comparison (restarts training from its reference) */
  open(preset: string, options?: OpenOptions): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  /** one gradient step of every unfinished run */
  step(): void;
  /** every run back to step 0 (same reference, same seed, the edit log replayed) */
  reset(): void;
  /** show or hide a run in the metric charts */
  toggleHidden(run: string): void;
  /** show only this run in the charts; on the run shown alone, show every run again */
  solo(run: string): void;
  /** test and console hook: ask the worker to destroy its WebGPU device, as a driver reset would */
  simulateDeviceLoss(): void;
  /**
   * a live change of one of a run's live knobs, from its next step; returns why it was not sent (the knob's
   * name and range when the value is out of it), or null
   */
  setLive(run: string, key: NeuralLiveKey, value: number): string | null;
  /** after a failure: a fresh worker, the same comparison from the start */
  restart(): void;
  dismissRefusal(): void;
  dismissDeviceLost(): void;
  /** terminate the worker (the page unmounts); `open` starts a fresh one */
  stop(): void;
  /**
   * The watchdog (the page calls it every few seconds): while playing, a worker that has said nothing
   * for `SEQUENCES_WATCHDOG_SILENCE_MS` has died without an error event (killed for memory, say).
   */
  checkAlive(): void;
}

export type SequencesStore = StoreApi<SequencesState & SequencesActions>;

/** the backend training runs on now: the fallback after a device loss, else the one chosen */
export function activeBackend(state: Pick<SequencesState, 'deviceLost' | 'backendReport' | 'info'>): NeuralBackendName | null {
  return state.deviceLost?.fallback ?? state.backendReport?.backend ?? state.info?.backend ?? null;
}

export function sequencesProgress(state: Pick<SequencesState, 'runs'>): number {
  return state.runs.reduce((furthest, run) => Math.max(furthest, run.step), 0);
}

function runsFromInfo(info: NeuralComparisonInfo): SequenceRunState[] {
  return info.runs.map((run) => ({
    name: run.name,
    objective: run.objective,
    sampling: run.sampling,
    totalSteps: run.steps,
    liveKeys: [...run.liveKeys],
    // the preset's lr until the load's frame brings every knob's value
    live: { lr: run.lr },
    liveEdits: [],
    step: 0,
    finished: false,
    diverged: null,
    rows: [],
    heatmap: [],
    lengths: null,
    samples: [],
  }));
}

/** a run's state after one of its frames: new rows appended in order, the latest pictures replaced */
export function applyRunFrame(run: SequenceRunState, frame: NeuralRunFrame): SequenceRunState {
  return {
    ...run,
    step: frame.step,
    finished: frame.finished,
    diverged: frame.diverged,
    rows: frame.newRows.length ? [...run.rows, ...frame.newRows] : run.rows,
    // a frame without a collection keeps the last one drawn
    heatmap: frame.heatmap.length ? frame.heatmap : run.heatmap,
    lengths: frame.lengths ?? run.lengths,
    samples: frame.samples,
    live: frame.live,
    liveEdits: frame.liveEdits,
  };
}

const describeError = (event: ErrorEvent) => event.message || 'no message';

/** The state of a page with no comparison loaded: at the start, and while a new one is prepared. */
const NO_COMPARISON = {
  progress: null,
  info: null,
  runs: [],
  playing: false,
  stepsPerSecond: 0,
  refusal: null,
  recovering: null,
  deviceLost: null,
  failure: null,
} satisfies Partial<SequencesState>;

export function createSequencesStore(deps: SequencesStoreDeps): SequencesStore {
  let worker: NeuralWorkerLike | null = null;
  /** `load`s sent to the current worker: its messages tagged with fewer are about a replaced comparison */
  let loadsSent = 0;
  const now = () => deps.now?.() ?? 0;
  let lastHeard = now();
  /** live values sent but not yet seen in a frame, per run and knob: frames already on their way still carry the old value */
  const pendingLive = new Map<string, Map<NeuralLiveKey, number>>();

  const store = createStore<SequencesState & SequencesActions>()((set, get) => {
    const send = (message: ToNeuralWorker) => worker?.postMessage(message);

    const fail = (message: string) => set({ status: 'failed', failure: message, playing: false, progress: null });

    const choiceOf = (state: SequencesState): NeuralComparisonChoice => ({
      preset: state.preset,
      seed: state.seed,
      backend: state.backendOverride,
      ...(state.quick ? { quick: { ...state.shrink } } : {}),
    });

    const startWorker = () => {
      worker?.terminate();
      const created = deps.createWorker();
      worker = created;
      loadsSent = 0;
      created.onmessage = (event) => {
        if (worker === created) receive(event.data);
      };
      created.onerror = (event) => {
        event.preventDefault?.();
        if (worker === created) fail(`the training worker crashed: ${describeError(event)}`);
      };
      created.onmessageerror = () => {
        if (worker === created) fail('the training worker sent a message that could not be read');
      };
    };

    const sendLoad = () => {
      if (!worker || get().status === 'failed') startWorker();
      set({ ...NO_COMPARISON, status: 'preparing' });
      loadsSent++;
      lastHeard = now();
      pendingLive.clear();
      send({ type: 'load', ...choiceOf(get()) });
    };

    const withPendingLive = (run: SequenceRunState): SequenceRunState => {
      const pending = pendingLive.get(run.name);
      if (!pending) return run;
      const live = { ...run.live };
      for (const [key, value] of pending) {
        // the worker has applied it: later frames rule again
        if (run.live[key] === value) pending.delete(key);
        live[key] = value;
      }
      if (pending.size === 0) pendingLive.delete(run.name);
      return { ...run, live };
    };

    const applyFrame = (frame: { playing: boolean; runs: NeuralRunFrame[] }, stepsPerSecond: number) => {
      set((state) => ({
        playing: frame.playing,
        stepsPerSecond,
        runs: state.runs.map((run, index) => (frame.runs[index] ? withPendingLive(applyRunFrame(run, frame.runs[index])) : run)),
      }));
      const painted = worker;
      deps.afterPaint(() => {
        if (worker === painted) send({ type: 'ack' });
      });
    };

    const receive = (message: FromNeuralWorker) => {
      lastHeard = now();
      if (message.load !== loadsSent) return;
      switch (message.type) {
        case 'progress':
          return set({ progress: { phase: message.phase, message: message.message, fraction: message.fraction } });
        case 'backend':
          return set({ backendReport: { backend: message.backend, detail: message.detail, candidates: message.candidates } });
        case 'loaded':
          set({ info: message.info, runs: runsFromInfo(message.info), status: 'ready', progress: null, failure: null });
          return applyFrame(message.frame, 0);
        case 'frame':
          if (get().status !== 'ready') return;
          return applyFrame(message, message.stepsPerSecond);
        case 'reset-done': {
          const info = get().info;
          if (get().status !== 'ready' || !info) return;
          pendingLive.clear();
          set({ runs: runsFromInfo(info) });
          return applyFrame(message.frame, 0);
        }
        case 'recovering':
          return set({ recovering: message.message });
        case 'device-lost':
          return set({ deviceLost: { message: message.message, fallback: message.fallback }, recovering: null });
        case 'refused':
          return set({ refusal: message.message });
        case 'error':
          return fail(message.message);
      }
    };

    return {
      preset: DEFAULT_SEQUENCE_PRESET,
      seed: 1,
      quick: false,
      shrink: { ...QUICK_LOOK },
      backendOverride: null,
      hidden: [],
      status: 'idle',
      backendReport: null,
      ...NO_COMPARISON,

      open: (preset, options = {}) => {
        const state = get();
        set({
          preset,
          seed: options.seed ?? state.seed,
          quick: options.quick ?? state.quick,
          shrink: options.shrink ?? state.shrink,
          backendOverride: options.backend === undefined ? state.backendOverride : options.backend,
          // another comparison has other runs: what was hidden does not carry over
          hidden: options.hidden ?? (preset === state.preset ? state.hidden : []),
        });
        sendLoad();
      },
      play: () => {
        const { status, runs } = get();
        if (status !== 'ready') return;
        if (runs.length > 0 && runs.every((run) => run.finished)) {
          set({ refusal: 'Every run has finished. Reset to train again from step 0.' });
          return;
        }
        set({ playing: true });
        lastHeard = now();
        send({ type: 'play' });
      },
      pause: () => {
        set({ playing: false });
        send({ type: 'pause' });
      },
      togglePlay: () => (get().playing ? get().pause() : get().play()),
      step: () => {
        const { status, runs } = get();
        if (status !== 'ready' || runs.every((run) => run.finished)) return;
        set({ playing: false });
        send({ type: 'step' });
      },
      reset: () => {
        if (get().status !== 'ready') return;
        set({ playing: false, refusal: null });
        lastHeard = now();
        send({ type: 'reset' });
      },
      toggleHidden: (run) => set((state) => ({ hidden: state.hidden.includes(run) ? state.hidden.filter((name) => name !== run) : [...state.hidden, run] })),
      solo: (run) =>
        set((state) => {
          const others = state.runs.map((r) => r.name).filter((name) => name !== run);
          const alone = others.length > 0 && others.every((name) => state.hidden.includes(name)) && !state.hidden.includes(run);
          return { hidden: alone ? [] : others };
        }),
      simulateDeviceLoss: () => {
        if (get().status === 'ready') send({ type: 'lose-device' });
      },
      setLive: (runName, key, value) => {
        const { status, runs } = get();
        const run = runs.find((r) => r.name === runName);
        if (status !== 'ready' || !run) return 'the comparison is not ready yet';
        if (!run.liveKeys.includes(key)) return `${runName} does not use ${liveKnobLabel(key)} (its live knobs: ${run.liveKeys.map(liveKnobLabel).join(', ')})`;
        if (run.finished) return `${runName} has finished; reset to train it again with another ${liveKnobLabel(key)}`;
        const problem = liveValueProblem(key, value);
        if (problem) return problem;
        set({ runs: runs.map((r) => (r.name === runName ? { ...r, live: { ...r.live, [key]: value } } : r)) });
        const pending = pendingLive.get(runName) ?? new Map<NeuralLiveKey, number>();
        pending.set(key, value);
        pendingLive.set(runName, pending);
        send({ type: 'live', run: runName, key, value });
        return null;
      },
      restart: () => {
        worker?.terminate();
        worker = null;
        sendLoad();
      },
      dismissRefusal: () => set({ refusal: null }),
      dismissDeviceLost: () => set({ deviceLost: null }),
      stop: () => {
        worker?.terminate();
        worker = null;
        loadsSent = 0;
        set({ playing: false, status: get().status === 'failed' ? 'failed' : 'idle' });
      },
      checkAlive: () => {
        const { playing, status, recovering } = get();
        if (!worker || !playing || status !== 'ready') return;
        const limit = recovering ? SEQUENCES_RECOVERY_SILENCE_MS : SEQUENCES_WATCHDOG_SILENCE_MS;
        if (now() - lastHeard > limit) {
          fail(`the training worker stopped responding (nothing heard for ${limit / 1000} s while ${recovering ? 'recovering from a lost GPU device' : 'playing'})`);
        }
      },
    };
  });

  return store;
}
