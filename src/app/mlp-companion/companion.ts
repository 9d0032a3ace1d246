/**
 * The MLP companion of the lab: every run of the current experiment trained on the paper's own 1-D agent
 * (the categorical MLP of spec C.1) in a tfjs worker of its own, beside the tabular runs.
 *
 * It follows the lab (documented in docs/mlp-companion.md):
 *   - it never runs ahead of the tabular runs: its target is the lab's step (`progressOf`);
 *   - it trains while the lab plays, and after the lab has finished every run, until it catches up; Pause
 *     pauses it; the step buttons move the tabular runs only (the MLP catches up on the next Play);
 *   - Reset, a new config or any restart of the lab (a new `loaded`) restarts it: the SFT again, then step 0;
 *   - the lab's live edits (its config's edit log) are applied at the same steps.
 * Switching it off terminates the worker (its tensors go with it) and removes the overlays.
 *
 * The worker module (and with it tfjs) is created only when the companion is switched on; this module itself
 * is small and imports no tfjs.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ExperimentConfig } from '../../lab/config/experiment.ts';
import type { FromMlpWorker, ToMlpWorker } from '../../worker/mlp/protocol.ts';
import { RunSeries } from '../store/live-view.ts';
import { progressOf, type LabState, type LabStore } from '../store/lab-store.ts';

export interface MlpWorkerLike {
  postMessage(message: ToMlpWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromMlpWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export interface MlpCompanionDeps {
  createWorker(): MlpWorkerLike;
  /** SFT steps (tests use fewer); default: the official 100 */
  sftSteps?: number;
}

export type MlpStatus = 'off' | 'starting' | 'sft' | 'training' | 'waiting' | 'finished' | 'failed';

export interface MlpRunStatus {
  name: string;
  step: number;
  finished: boolean;
  diverged: string | null;
}

export interface MlpCompanionState {
  enabled: boolean;
  status: MlpStatus;
  backend: string | null;
  backendDetail: string | null;
  sft: { done: number; total: number } | null;
  /** the lock step of the MLP runs */
  step: number;
  msPerStep: number;
  runs: MlpRunStatus[];
  failure: string | null;
  setEnabled(enabled: boolean): void;
}

export interface MlpCompanion {
  store: StoreApi<MlpCompanionState>;
  /** per lab run (same index): the MLP's metric rows, in the charts' format */
  series: RunSeries[];
  /** per lab run: π averaged over the evaluation contexts, now */
  distributions: Array<Float64Array | null>;
}

function defaultWorker(): MlpWorkerLike {
  return new Worker(new URL('../../worker/mlp/mlp-worker.ts', import.meta.url), { type: 'module', name: 'mlp-companion' }) as unknown as MlpWorkerLike;
}

const companions = new WeakMap<LabStore, MlpCompanion>();

/** The lab's companion (one per lab store; `deps` only count on the first call). */
export function companionFor(lab: LabStore, deps?: MlpCompanionDeps): MlpCompanion {
  let companion = companions.get(lab);
  if (!companion) {
    companion = createMlpCompanion(lab, deps ?? { createWorker: defaultWorker });
    companions.set(lab, companion);
  }
  return companion;
}

export function createMlpCompanion(lab: LabStore, deps: MlpCompanionDeps): MlpCompanion {
  let worker: MlpWorkerLike | null = null;
  let unsubscribe: (() => void) | null = null;
  let loads = 0;
  let seenInfo: LabState['info'] = null;
  let seenEdits: ExperimentConfig['edits'] | null = null;
  let sentAdvance = '';

  const companion: MlpCompanion = { store: null as unknown as StoreApi<MlpCompanionState>, series: [], distributions: [] };

  const send = (message: ToMlpWorker) => worker?.postMessage(message);

  const redraw = () => lab.view.changed();

  const load = (state: LabState) => {
    loads++;
    seenInfo = state.info;
    seenEdits = state.config.edits;
    sentAdvance = '';
    const runs = state.info?.runs ?? [];
    companion.series = runs.map(() => new RunSeries());
    companion.distributions = runs.map(() => null);
    companion.store.setState({ status: 'starting', sft: null, step: 0, msPerStep: Number.NaN, runs: runs.map((r) => ({ name: r.name, step: 0, finished: false, diverged: null })), failure: null });
    send({ type: 'load', load: loads, config: state.config, backend: state.backend, ...(deps.sftSteps === undefined ? {} : { sftSteps: deps.sftSteps }) });
    redraw();
  };

  const follow = (state: LabState) => {
    if (!worker || state.status !== 'ready' || !state.info) return;
    if (state.info !== seenInfo) load(state);
    if (state.config.edits !== seenEdits) {
      seenEdits = state.config.edits;
      send({ type: 'edits', edits: state.config.edits });
    }
    const finished = state.runs.length > 0 && state.runs.every((r) => r.finished);
    const advance = { target: progressOf(state), running: state.playing || finished };
    const key = `${advance.target}:${advance.running}`;
    if (key !== sentAdvance) {
      sentAdvance = key;
      send({ type: 'advance', ...advance });
    }
  };

  const receive = (message: FromMlpWorker) => {
    if (message.load !== loads) return;
    const set = companion.store.setState;
    switch (message.type) {
      case 'backend':
        return set({ backend: message.backend, backendDetail: message.detail, status: 'sft' });
      case 'sft':
        return set({ sft: { done: message.done, total: message.total }, status: 'sft' });
      case 'ready':
        set({ status: 'waiting' });
        return follow(lab.getState());
      case 'frame': {
        message.runs.forEach((run, i) => {
          companion.series[i]?.write(run);
          companion.distributions[i] = Float64Array.from(run.distribution);
        });
        const target = progressOf(lab.getState());
        set({
          step: message.step,
          msPerStep: message.msPerStep,
          status: message.finished ? 'finished' : message.step < target ? 'training' : 'waiting',
          runs: message.runs.map((run, i) => ({ name: companion.store.getState().runs[i]?.name ?? `run ${i + 1}`, step: run.step, finished: run.finished, diverged: run.diverged })),
        });
        return redraw();
      }
      case 'error':
        set({ status: 'failed', failure: message.message });
        return;
    }
  };

  const stop = () => {
    unsubscribe?.();
    unsubscribe = null;
    worker?.terminate();
    worker = null;
    companion.series = [];
    companion.distributions = [];
    seenInfo = null;
    seenEdits = null;
  };

  const start = () => {
    const w = deps.createWorker();
    worker = w;
    w.onmessage = (event) => {
      if (worker === w) receive(event.data);
    };
    w.onerror = (event) => {
      event.preventDefault?.();
      if (worker === w) companion.store.setState({ status: 'failed', failure: `the MLP worker crashed: ${event.message || 'no message'}` });
    };
    unsubscribe = lab.subscribe((state) => follow(state));
    companion.store.setState({ status: 'starting', backend: null, backendDetail: null });
    const state = lab.getState();
    if (state.status === 'ready' && state.info) follow(state);
  };

  companion.store = createStore<MlpCompanionState>()(() => ({
    enabled: false,
    status: 'off',
    backend: null,
    backendDetail: null,
    sft: null,
    step: 0,
    msPerStep: Number.NaN,
    runs: [],
    failure: null,
    // the lab's state is the source of truth (so a link can carry it); `follow` below applies it
    setEnabled: (enabled) => lab.getState().setMlpCompanion(enabled),
  }));

  const apply = (enabled: boolean) => {
    if (enabled === companion.store.getState().enabled) return;
    if (enabled) {
      companion.store.setState({ enabled: true });
      start();
    } else {
      stop();
      companion.store.setState({ enabled: false, status: 'off', sft: null, step: 0, runs: [], failure: null });
      redraw();
    }
  };
  lab.subscribe((state) => apply(state.mlpCompanion));
  apply(lab.getState().mlpCompanion);
  return companion;
}
