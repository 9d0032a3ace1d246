/**
 * The lab's UI state (Zustand): the experiment as set up, playback, what the worker last reported, and
 * the view. The store talks to the training worker through the typed protocol; big streamed arrays go to
 * the `LiveView` instead of React state.
 *
 * Changing the experiment follows three rules:
 *   - a live knob (learning rate, an objective's own hyperparameter) changes from the next step of each
 *     run it touches, and the worker records the change in the run's edit log;
 *   - a change that leaves the past unchanged (renaming a run, dropping an edit not yet reached) is
 *     applied by replaying the comparison to where it was: nothing visible is lost;
 *   - any other change restarts every run from the same initialisation, and once training has begun the
 *     store asks first (`pending`).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { recordEdit } from '../../lab/config/edits.ts';
import { parseExperimentConfig, resolveRuns, type ConfigError, type ExperimentConfig, type LiveEdit, type RunConfig } from '../../lab/config/experiment.ts';
import { findPreset, PRESETS, type Preset } from '../../lab/config/presets.ts';
import type { Hideable, UrlProblem, UrlView } from '../../lab/config/url-codec.ts';
import { knobAppliesTo } from '../../lab/config/relevance.ts';
import { RUN_KNOBS, type LiveKnobKey, type RunKnobKey } from '../../lab/config/settings.ts';
import { OBJECTIVES, type ObjectiveId } from '../../lab/objectives/catalog.ts';
import { DEFAULT_SPEED, type ComparisonInfo, type ExportedRun, type Frame, type FromWorker, type Speed, type ToWorker } from '../../worker/protocol.ts';
import { LiveView } from './live-view.ts';

export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

export interface StoreDeps {
  createWorker(): WorkerLike;
  /** call back once the next frame has been painted (requestAnimationFrame in the browser) */
  afterPaint(callback: () => void): void;
  /**
   * A watchdog for a worker that dies without an error event (killed for memory, say): called with a
   * check to run every few seconds. Optional: tests drive crashes directly.
   */
  every?(ms: number, check: () => void): void;
  now?(): number;
  /** whether the page is visible (a hidden tab paints nothing, so frames legitimately stop) */
  visible?(): boolean;
}

/** while playing, a worker that has said nothing for this long is taken for dead */
export const WATCHDOG_SILENCE_MS = 10_000;

export interface RunStatus {
  name: string;
  step: number;
  epoch: number;
  finished: boolean;
  diverged: { step: number; reason: string } | null;
  live: Record<LiveKnobKey, number> | null;
}

export interface PendingChange {
  config: ExperimentConfig;
  /** what the change is, e.g. "Set S to 20 for every run" */
  description: string;
}

export type KnobScope = { kind: 'shared' } | { kind: 'run'; run: string };

export interface LabState {
  /** the experiment: base settings plus the edit log of live changes */
  config: ExperimentConfig;
  caption: { title: string; lookFor: string };
  status: 'starting' | 'ready' | 'failed';
  info: ComparisonInfo | null;
  runs: RunStatus[];
  playing: boolean;
  speed: Speed;
  stepsPerSecond: number;
  /** why the worker stopped, when it did */
  failure: string | null;
  /** a passing message (a refused request, a change that could not apply to every run) */
  notice: string | null;
  pending: PendingChange | null;
  hidden: string[];
  /** the run whose epoch "step one epoch" completes */
  epochRun: string | null;
  helpOpen: boolean;
  /** which page of the app is shown */
  page: Page;
  /** the preset the experiment was loaded from, while it is unchanged apart from live edits */
  preset: string | null;
  /** panels and controls a classroom link hides */
  hide: Hideable[];
  /** presentation mode: large type for a projector */
  present: boolean;
  /** the MLP companion is on (key `mlp=1`): src/app/mlp-companion/companion.ts follows this field */
  mlpCompanion: boolean;
  /** `backend=` from the link: the tfjs backend the neural policies must use (null = measure and pick) */
  backend: UrlView['backend'];
  /** what was wrong with the link the lab was opened from (each rejected key and what was used instead) */
  urlProblems: UrlProblem[];
  /** how many times a whole experiment was opened (a preset, a link, a bundle): each is a browser history entry */
  opened: number;
}

/** An experiment to open as a whole: from a link, a saved experiment or a bundle. */
export interface OpenedExperiment {
  config: ExperimentConfig;
  view: UrlView;
  preset: string | null;
  problems: UrlProblem[];
  /** the caption to show; by default the preset's, or a generic one */
  caption?: LabState['caption'];
}

export type Page = 'lab' | 'theory' | 'sequences';

export interface LabActions {
  togglePlay(): void;
  play(): void;
  pause(): void;
  stepOnce(): void;
  stepEpoch(): void;
  reset(): void;
  setSpeed(speed: Speed): void;
  /** change a run knob for every run that inherits it (`shared`) or for one run; returns the problems, if any */
  changeKnob(scope: KnobScope, key: RunKnobKey, value: unknown): ConfigError[];
  /** give one run its own value of a knob, starting from the value it inherits (nothing trained changes) */
  addOverride(run: string, key: RunKnobKey): ConfigError[];
  /** drop one run's override of a knob, so it inherits the shared value again */
  clearOverride(run: string, key: RunKnobKey): ConfigError[];
  /** any other change of the experiment (reward, reference, seed, runs): restarts every run */
  propose(next: ExperimentConfig, description: string): ConfigError[];
  addRun(objective: ObjectiveId): ConfigError[];
  duplicateRun(name: string): ConfigError[];
  removeRun(name: string): ConfigError[];
  renameRun(from: string, to: string): ConfigError[];
  removeEdit(edit: LiveEdit): ConfigError[];
  confirmPending(): void;
  cancelPending(): void;
  restart(): void;
  dismissNotice(): void;
  toggleHidden(run: string): void;
  solo(run: string): void;
  setEpochRun(run: string): void;
  setHelpOpen(open: boolean): void;
  setPage(page: Page): void;
  /** load a named preset (see `lab/config/presets.ts`) with its caption */
  loadPreset(name: string): ConfigError[];
  /** open a whole experiment with its view (a shared link, a saved experiment), replaying to `view.at` */
  openExperiment(opened: OpenedExperiment): void;
  /** the classroom view: hidden panels and controls, presentation mode */
  setClassroom(hide: Hideable[], present: boolean): void;
  /** switch the MLP companion on or off (it follows; the address bar carries it as `mlp=1`) */
  setMlpCompanion(on: boolean): void;
  dismissUrlProblems(): void;
  /** start the worker with the current experiment (once, when the lab mounts; a no-op if already started) */
  start(): void;
  /** stop the worker (when the lab unmounts) */
  stop(): void;
  /** replace the whole experiment (a preset, a bundle): restarts, and trains at once with `play` */
  load(config: ExperimentConfig, caption: { title: string; lookFor: string }, options?: { play?: boolean }): void;
  /** every run's full metric series and final policy, from the worker (for the CSV and the bundle) */
  requestExport(): Promise<ExportedRun[]>;
}

export type LabStore = StoreApi<LabState & LabActions> & { view: LiveView; messageTimings: Timing };

/** how long handling the worker's messages took on the main thread (ms), for the benchmark */
export interface Timing {
  count: number;
  totalMs: number;
  maxMs: number;
}

export function progressOf(state: Pick<LabState, 'runs'>): number {
  return state.runs.reduce((m, r) => Math.max(m, r.step), 0);
}

function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base} ${i}`)) return `${base} ${i}`;
}

export function createLabStore(initial: ExperimentConfig, caption: LabState['caption'], deps: StoreDeps): LabStore {
  const view = new LiveView();
  const messageTimings: Timing = { count: 0, totalMs: 0, maxMs: 0 };
  let worker: WorkerLike | null = null;
  /** `load`s sent to the current worker: its messages tagged with fewer come from a replaced comparison */
  let loadsSent = 0;
  /** when the worker last said anything (or was last asked to play) */
  let lastHeard = deps.now?.() ?? 0;
  /** export requests awaiting the worker's answer, by id; an answer about a replaced comparison is refused */
  const pendingExports = new Map<number, { resolve(runs: ExportedRun[]): void; reject(error: Error): void }>();
  let exportsRequested = 0;
  const settleExport = (message: Extract<FromWorker, { type: 'export' | 'export-failed' }>) => {
    const request = pendingExports.get(message.id);
    pendingExports.delete(message.id);
    if (!request) return;
    if (message.load !== loadsSent) request.reject(new Error('the experiment changed before its metrics arrived; export again'));
    else if (message.type === 'export-failed') request.reject(new Error(message.message));
    else request.resolve(message.runs);
  };

  const store = createStore<LabState & LabActions>()((set, get) => {
    const send = (message: ToWorker) => worker?.postMessage(message);

    const startWorker = (config: ExperimentConfig, toStep: number, play: boolean) => {
      worker?.terminate();
      const w = deps.createWorker();
      worker = w;
      w.onmessage = (event) => {
        if (worker !== w) return;
        const start = performance.now();
        receive(event.data);
        const ms = performance.now() - start;
        messageTimings.count++;
        messageTimings.totalMs += ms;
        messageTimings.maxMs = Math.max(messageTimings.maxMs, ms);
      };
      w.onerror = (event) => {
        event.preventDefault?.();
        if (worker === w) fail(`the training worker crashed: ${event.message || 'no message'}`);
      };
      w.onmessageerror = () => {
        if (worker === w) fail('the training worker sent a message that could not be read');
      };
      loadsSent = 1;
      w.postMessage({ type: 'load', config, toStep, play });
      // a fresh worker starts at the default speed
      if (get().speed !== DEFAULT_SPEED) w.postMessage({ type: 'speed', speed: get().speed });
    };

    const sendLoad = (config: ExperimentConfig, toStep: number, play = false) => {
      loadsSent++;
      send({ type: 'load', config, toStep, play });
    };

    const fail = (message: string) => set({ status: 'failed', failure: message, playing: false });

    const receive = (message: FromWorker) => {
      lastHeard = deps.now?.() ?? 0;
      if (message.type === 'export' || message.type === 'export-failed') return settleExport(message);
      if (message.load !== loadsSent) return;
      switch (message.type) {
        case 'loaded':
          view.load(message.info);
          set({ info: message.info, status: 'ready', failure: null });
          return applyFrame(message.frame);
        case 'frame':
          return applyFrame(message.frame);
        case 'edit':
          return set((s) => ({ config: { ...s.config, edits: recordEdit(s.config.edits, message.edit) } }));
        case 'refused':
          return set({ notice: message.message });
        case 'error':
          return fail(message.message);
      }
    };

    const applyFrame = (frame: Frame) => {
      view.apply(frame);
      const info = get().info;
      set({
        playing: frame.playing,
        stepsPerSecond: frame.stepsPerSecond,
        runs: frame.runs.map((r, i) => ({
          name: info?.runs[i]?.name ?? `run ${i + 1}`,
          step: r.step,
          epoch: r.epoch,
          finished: r.finished,
          diverged: r.diverged,
          live: r.live,
        })),
      });
      deps.afterPaint(() => send({ type: 'ack' }));
    };

    /** restart every run from the same initialisation with `config` (or replay to where it was) */
    const apply = (config: ExperimentConfig, keepProgress = false) => {
      const { playing, hidden, epochRun } = get();
      const names = config.runs.map((r) => r.name);
      set({
        config,
        preset: null,
        pending: null,
        hidden: hidden.filter((n) => names.includes(n)),
        epochRun: epochRun && names.includes(epochRun) ? epochRun : null,
      });
      const toStep = keepProgress ? progressOf(get()) : 0;
      if (get().status === 'failed' || !worker) startWorker(config, toStep, playing);
      else sendLoad(config, toStep, playing);
    };

    const check = (next: ExperimentConfig): { ok: true; config: ExperimentConfig } | { ok: false; errors: ConfigError[] } => {
      const parsed = parseExperimentConfig(next);
      return parsed.ok ? { ok: true, config: parsed.config } : { ok: false, errors: parsed.errors };
    };

    const propose = (next: ExperimentConfig, description: string): ConfigError[] => {
      const parsed = check(next);
      if (!parsed.ok) return parsed.errors;
      if (progressOf(get()) > 0) set({ pending: { config: parsed.config, description } });
      else apply(parsed.config);
      return [];
    };

    /** a change that does not alter anything already trained: replay to the current step */
    const applyKeepingProgress = (next: ExperimentConfig): ConfigError[] => {
      const parsed = check(next);
      if (!parsed.ok) return parsed.errors;
      apply(parsed.config, true);
      return [];
    };

    const runsTouched = (config: ExperimentConfig, scope: KnobScope, key: RunKnobKey): RunConfig[] =>
      scope.kind === 'run'
        ? config.runs.filter((r) => r.name === scope.run)
        : config.runs.filter((r) => (r as Record<string, unknown>)[key] === undefined && knobAppliesTo(key, r.objective));

    const withKnob = (config: ExperimentConfig, scope: KnobScope, key: RunKnobKey, value: unknown): ExperimentConfig =>
      scope.kind === 'shared'
        ? { ...config, defaults: { ...config.defaults, [key]: value } }
        : { ...config, runs: config.runs.map((r) => (r.name === scope.run ? { ...r, [key]: value } : r)) };

    const describeScope = (scope: KnobScope) => (scope.kind === 'shared' ? 'every run that uses the shared value' : `“${scope.run}”`);

    return {
      config: initial,
      caption,
      status: 'starting',
      info: null,
      runs: [],
      playing: false,
      speed: DEFAULT_SPEED,
      stepsPerSecond: 0,
      failure: null,
      notice: null,
      pending: null,
      hidden: [],
      epochRun: null,
      helpOpen: false,
      page: 'lab',
      preset: null,
      hide: [],
      present: false,
      mlpCompanion: false,
      backend: null,
      urlProblems: [],
      opened: 0,

      togglePlay: () => (get().playing ? get().pause() : get().play()),
      play: () => {
        const { runs, status } = get();
        if (status !== 'ready') return;
        if (runs.length && runs.every((r) => r.finished)) {
          set({ notice: 'Every run has finished. Press Reset to train again from the start.' });
          return;
        }
        set({ playing: true });
        lastHeard = deps.now?.() ?? 0;
        send({ type: 'play' });
      },
      pause: () => {
        set({ playing: false });
        send({ type: 'pause' });
      },
      stepOnce: () => {
        if (get().status !== 'ready') return;
        set({ playing: false });
        send({ type: 'step', unit: 'step' });
      },
      stepEpoch: () => {
        const { status, epochRun } = get();
        if (status !== 'ready') return;
        const run = epochRun ?? defaultEpochRun(get().config);
        set({ playing: false });
        send({ type: 'step', unit: 'epoch', run });
      },
      reset: () => {
        set({ playing: false, notice: null });
        if (get().status === 'failed' || !worker) startWorker(get().config, 0, false);
        else sendLoad(get().config, 0);
      },
      setSpeed: (speed) => {
        set({ speed });
        send({ type: 'speed', speed });
      },

      changeKnob: (scope, key, value) => {
        const state = get();
        const knob = RUN_KNOBS[key];
        const touched = runsTouched(state.config, scope, key);
        const label = `${knob.label} = ${String(value)}`;
        if (!knob.live || progressOf(state) === 0) {
          // a base change; for a live knob before any training, also forget the touched runs' later edits of it
          let next = withKnob(state.config, scope, key, value);
          if (knob.live) {
            const names = touched.map((r) => r.name);
            next = { ...next, edits: next.edits.filter((e) => !(e.key === key && names.includes(e.run))) };
          }
          return propose(next, `Set ${label} for ${describeScope(scope)}.`);
        }
        // a live change: validate it as a base value first, so the message names the range
        const parsed = check(withKnob(state.config, scope, key, value));
        if (!parsed.ok) return parsed.errors;
        const status = new Map(state.runs.map((r) => [r.name, r]));
        const running = touched.filter((r) => !status.get(r.name)?.finished);
        for (const run of running) send({ type: 'live', run: run.name, key: key as LiveKnobKey, value: value as number });
        const skipped = touched.length - running.length;
        if (running.length === 0) set({ notice: `${knob.label}: no running run uses this value, so nothing changed. Reset to train again.` });
        else if (skipped > 0) set({ notice: `${knob.label} changed for ${running.length} run(s); ${skipped} finished run(s) keep their value.` });
        return [];
      },

      addOverride: (run, key) => {
        const { config } = get();
        const index = config.runs.findIndex((r) => r.name === run);
        if (index < 0) return [{ path: 'runs', message: `no run is named "${run}"` }];
        const inherited = (resolveRuns(config)[index] as unknown as Record<string, unknown>)[key];
        return applyKeepingProgress({ ...config, runs: config.runs.map((r, i) => (i === index ? { ...r, [key]: inherited } : r)) });
      },
      clearOverride: (run, key) => {
        const { config } = get();
        const next = {
          ...config,
          runs: config.runs.map((r) => {
            if (r.name !== run) return r;
            const copy = { ...r } as Record<string, unknown>;
            delete copy[key];
            return copy as RunConfig;
          }),
        };
        const index = config.runs.findIndex((r) => r.name === run);
        const valueOf = (c: ExperimentConfig) => (resolveRuns(c)[index] as unknown as Record<string, unknown> | undefined)?.[key];
        // an override equal to the value it would inherit changes nothing that has been trained
        if (index >= 0 && valueOf(config) === valueOf(next)) return applyKeepingProgress(next);
        return propose(next, `“${run}” uses the shared ${RUN_KNOBS[key].label.toLowerCase()} again.`);
      },

      propose,

      addRun: (objective) => {
        const { config } = get();
        const name = uniqueName(OBJECTIVES[objective].label, config.runs.map((r) => r.name));
        return propose({ ...config, runs: [...config.runs, { name, objective }] }, `Add the run “${name}”.`);
      },
      duplicateRun: (name) => {
        const { config } = get();
        const run = config.runs.find((r) => r.name === name);
        if (!run) return [{ path: 'runs', message: `no run is named "${name}"` }];
        const copy = uniqueName(`${name} (copy)`, config.runs.map((r) => r.name));
        const edits = [...config.edits, ...config.edits.filter((e) => e.run === name).map((e) => ({ ...e, run: copy }))];
        return propose({ ...config, runs: [...config.runs, { ...run, name: copy }], edits }, `Duplicate “${name}” as “${copy}”.`);
      },
      removeRun: (name) => {
        const { config } = get();
        return propose(
          { ...config, runs: config.runs.filter((r) => r.name !== name), edits: config.edits.filter((e) => e.run !== name) },
          `Remove the run “${name}”.`,
        );
      },
      renameRun: (from, to) => {
        const { config, hidden, epochRun } = get();
        if (from === to) return [];
        const next = {
          ...config,
          runs: config.runs.map((r) => (r.name === from ? { ...r, name: to } : r)),
          edits: config.edits.map((e) => (e.run === from ? { ...e, run: to } : e)),
        };
        const parsed = check(next);
        if (!parsed.ok) return parsed.errors;
        set({ hidden: hidden.map((n) => (n === from ? to : n)), epochRun: epochRun === from ? to : epochRun });
        apply(parsed.config, true);
        return [];
      },
      removeEdit: (edit) => {
        const { config, runs } = get();
        const next = { ...config, edits: config.edits.filter((e) => e !== edit) };
        const step = runs.find((r) => r.name === edit.run)?.step ?? 0;
        // an edit the run has not reached yet can go without touching the past
        if (edit.step >= step) return applyKeepingProgress(next);
        return propose(next, `Remove the change of ${RUN_KNOBS[edit.key].label.toLowerCase()} at step ${edit.step} of “${edit.run}”.`);
      },

      confirmPending: () => {
        const pending = get().pending;
        if (pending) apply(pending.config);
      },
      cancelPending: () => set({ pending: null }),
      restart: () => {
        const { config } = get();
        set({ status: 'starting', failure: null });
        startWorker(config, progressOf(get()), false);
      },
      dismissNotice: () => set({ notice: null }),
      toggleHidden: (run) => set((s) => ({ hidden: s.hidden.includes(run) ? s.hidden.filter((n) => n !== run) : [...s.hidden, run] })),
      solo: (run) =>
        set((s) => {
          const others = s.config.runs.map((r) => r.name).filter((n) => n !== run);
          const alreadySolo = others.every((n) => s.hidden.includes(n)) && !s.hidden.includes(run);
          return { hidden: alreadySolo ? [] : others };
        }),
      setEpochRun: (run) => set({ epochRun: run }),
      setHelpOpen: (open) => set({ helpOpen: open }),
      setPage: (page) => {
        if (page !== 'lab' && get().playing) get().pause();
        set({ page });
      },
      loadPreset: (name) => {
        const preset = findPreset(name);
        if (!preset) return [{ path: 'preset', message: `no preset is named "${name}"; presets: ${PRESETS.map((p) => p.name).join(', ')}` }];
        const parsed = parseExperimentConfig(preset.config);
        if (!parsed.ok) return parsed.errors;
        get().load(parsed.config, captionOf(preset));
        set({ preset: name });
        return [];
      },
      openExperiment: ({ config, view, preset, problems, caption }) => {
        const names = config.runs.map((r) => r.name);
        const fromPreset = preset ? findPreset(preset) : undefined;
        set({
          config,
          caption: caption ?? (fromPreset ? captionOf(fromPreset) : sharedCaption(config)),
          preset: fromPreset ? preset : null,
          pending: null,
          notice: null,
          playing: false,
          hidden: view.hidden.filter((n) => names.includes(n)),
          epochRun: view.epochRun && names.includes(view.epochRun) ? view.epochRun : null,
          page: view.page,
          hide: view.hide,
          present: view.present,
          mlpCompanion: view.mlp === true,
          backend: view.backend,
          speed: view.speed,
          urlProblems: problems,
          opened: get().opened + 1,
        });
        if (worker && get().status !== 'failed') {
          sendLoad(config, view.at);
          send({ type: 'speed', speed: view.speed });
        } else {
          startWorker(config, view.at, false);
        }
      },
      setClassroom: (hide, present) => set({ hide, present }),
      setMlpCompanion: (on) => set({ mlpCompanion: on }),
      dismissUrlProblems: () => set({ urlProblems: [] }),
      start: () => {
        if (!worker) startWorker(get().config, 0, false);
      },
      stop: () => {
        worker?.terminate();
        worker = null;
      },
      load: (config, nextCaption, options = {}) => {
        const play = options.play ?? false;
        set((s) => ({ caption: nextCaption, preset: null, pending: null, hidden: [], epochRun: null, notice: null, opened: s.opened + 1 }));
        set({ config, playing: play });
        if (play) lastHeard = deps.now?.() ?? 0;
        if (worker && get().status !== 'failed') sendLoad(config, 0, play);
        else startWorker(config, 0, play);
      },
      requestExport: () => {
        const { status } = get();
        if (!worker || status !== 'ready') {
          return Promise.reject(new Error(status === 'failed' ? 'the training worker has stopped; restart it first' : 'the experiment is still loading'));
        }
        const id = ++exportsRequested;
        return new Promise<ExportedRun[]>((resolve, reject) => {
          // a worker that fails never answers: give up then
          const unwatch = store.subscribe((s) => {
            if (s.status === 'failed') settleExport({ type: 'export-failed', id, load: loadsSent, message: 'the training worker stopped before it sent the metrics' });
          });
          pendingExports.set(id, {
            resolve: (runs) => {
              unwatch();
              resolve(runs);
            },
            reject: (error) => {
              unwatch();
              reject(error);
            },
          });
          send({ type: 'export', id });
        });
      },
    };
  });

  if (deps.every && deps.now) {
    const now = deps.now;
    deps.every(2000, () => {
      const { playing, status } = store.getState();
      if (!playing || status !== 'ready' || deps.visible?.() === false) return;
      if (now() - lastHeard > WATCHDOG_SILENCE_MS) {
        store.setState({ status: 'failed', playing: false, failure: `the training worker stopped responding (nothing heard for ${WATCHDOG_SILENCE_MS / 1000} s while playing)` });
      }
    });
  }
  return Object.assign(store, { view, messageTimings });
}

function captionOf(preset: Preset): LabState['caption'] {
  return { title: preset.title, lookFor: preset.lookFor ?? preset.description };
}

function sharedCaption(config: ExperimentConfig): LabState['caption'] {
  return {
    title: config.name ?? 'A shared experiment',
    lookFor: 'This experiment was opened from a link or a saved copy: the same set-up, seed and live changes. Press Play to train it.',
  };
}

/** "Step one epoch" follows the first on-policy run by default (offline runs have one long epoch). */
export function defaultEpochRun(config: ExperimentConfig): string {
  const runs = resolveRuns(config);
  return (runs.find((r) => r.sampling === 'on-policy' && OBJECTIVES[r.objective].usesSamples) ?? runs[0]).name;
}
