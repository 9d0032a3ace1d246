/**
 * The neural training worker's logic, free of worker globals so that it runs (and is tested) in Node, like
 * the bandit's TrainingSession: it chooses a tfjs backend, SFTs gpt-nano to the task's reference, builds one
 * `SequenceRun` per run of the preset (sharing the reference) and trains them in lock step, one gradient step
 * of every unfinished run per time slice, streaming a frame of what changed after each slice. Frames are paced
 * by the page: after a frame the session waits for an `ack` before sending the next (training goes on; the next
 * frame then carries every row since the last one), or ACK_TIMEOUT_MS at most.
 *
 * Everything that touches tfjs runs on one promise chain, one task at a time (a load, a slice, a step, a live
 * edit, a device-loss recovery), so a message never lands in the middle of a gradient step; `ack` and `pause`
 * take effect at once. A newer `load` cancels an older one at its next yield (between SFT steps) and disposes
 * the comparison it replaces. On webgpu the runs are checkpointed to the host after every slice; when the
 * device is lost the session picks the next backend, rebuilds the reference and the runs there and goes on from
 * the last completed step. `live` changes one knob that the run's objective reads (lr, DPO β, IPO margin, …: see
 * `neuralLiveKeys`) from the run's next step. `reset` rebuilds every run at step 0 on the same reference and seed;
 * live changes are kept in each run's edit log as (step, knob, value) and replayed at their steps, so a replay
 * gives the same numbers.
 */
import { GptNano, type GptNanoSnapshot } from '../../lab/policies/gpt-nano.ts';
import { SequenceRun, type SequenceRunSnapshot } from '../../lab/sequence-engine/sequence-run.ts';
import type { SequenceRunSettings } from '../../lab/sequence-engine/sequence-settings.ts';
import type { SequenceTaskDefinition } from '../../lab/sequence-engine/sequence-task.ts';
import { trainSequenceReference } from '../../lab/sequence-engine/sft.ts';
import { END_TOKEN, MAX_GENERATED_TOKENS } from '../../lab/sequence/tokens.ts';
import { describeDeviceLoss, type DeviceLoss, type DeviceLossWatcher } from '../backend/device-loss.ts';
import { selectBackend, type BackendSelection } from '../backend/select-backend.ts';
import { asNeuralBackend, candidateReports, describeSelection, gptNanoTimingWorkload, watchDeviceLossOfTfjs, type SelectBackendFunction, type WatchDeviceLoss } from './neural-backend.ts';
import {
  buildTask,
  frameSamples,
  lengthHistogram,
  metricRow,
  QUICK_REFERENCE_HEATMAP_SAMPLES,
  REFERENCE_HEATMAP_SAMPLES,
  referenceView,
  resolvePreset,
  runSettings,
  sftOptions,
  taskId,
  tokenMarginals,
  type ReferenceView,
} from './neural-comparison.ts';
import {
  liveValueProblem,
  neuralLiveKeys,
  type FromNeuralWorker,
  type NeuralBackendName,
  type NeuralComparisonChoice,
  type NeuralComparisonInfo,
  type NeuralLiveEdit,
  type NeuralLiveKey,
  type NeuralLiveValues,
  type NeuralRunFrame,
  type NeuralWorkerMessage,
  type ToNeuralWorker,
} from './protocol.ts';
import { StepsMeter } from '../steps-meter.ts';

export interface NeuralSessionHost {
  post(message: FromNeuralWorker): void;
  now(): number;
  /** run `callback` after `delayMs` (0: as soon as the event loop has had a turn, so messages get handled) */
  schedule(callback: () => void, delayMs: number): void;
  /** backend selection; default: select-backend.ts's `selectBackend` over every candidate */
  selectBackend?: SelectBackendFunction;
  /** device-loss watching; default: the WebGPU device of tfjs, when the backend is webgpu */
  watchDeviceLoss?: WatchDeviceLoss;
  /**
   * destroy the device of `backend` as a driver reset would (the `lose-device` test hook); false where there is
   * none to destroy. Absent: the hook is refused.
   */
  loseDevice?: (backend: NeuralBackendName) => boolean;
  log?: (line: string) => void;
}

/** at most this long between frames while playing, even if the page has not acknowledged the last one */
export const ACK_TIMEOUT_MS = 500;
/** after a device loss, how long to let the step in flight settle before choosing the next backend */
const ABANDONED_TASK_WAIT_MS = 1000;
/**
 * a step that throws while a device loss is possible may have failed because the device has just gone, before the
 * watcher has heard of it: wait this long for the loss before calling the run diverged
 */
const DEVICE_LOSS_GRACE_MS = 1000;
/** SFT progress messages at most this often */
const PROGRESS_INTERVAL_MS = 100;

/** Thrown inside a task that a newer load or a device loss has made pointless; never reported. */
class Superseded extends Error {
  constructor() {
    super('superseded');
  }
}

interface LoadedComparison {
  load: number;
  info: NeuralComparisonInfo;
  task: SequenceTaskDefinition;
  reference: GptNano;
  runs: SequenceRun[];
  /** spec ids, also accepted as run names by `live` */
  ids: string[];
  seed: number;
  /** per run: its settings as built at load (before any live change): what `reset` rebuilds it with */
  initialSettings: SequenceRunSettings[];
  /** per run: the live changes with the step they apply after and their knob, in step order (replayed after a reset) */
  liveEdits: NeuralLiveEdit[][];
  /** per run: metric rows already streamed */
  sentRows: number[];
  /** what a run's frame shows before its first collection (its policy is still the reference) */
  initial: ReferenceView;
  backend: NeuralBackendName;
  watcher: DeviceLossWatcher | null;
  /** host checkpoints (kept only while a device loss is possible) */
  referenceSnapshot: GptNanoSnapshot | null;
  snapshots: SequenceRunSnapshot[] | null;
}

export class NeuralSession {
  private comparison: LoadedComparison | null = null;
  /** how many `load` messages have been handled (every message out carries it) */
  private loads = 0;
  private playing = false;
  private tickPending = false;
  private awaitingAck = false;
  private lastPost = Number.NEGATIVE_INFINITY;
  /** the chain every tfjs task runs on, one at a time */
  private work: Promise<void> = Promise.resolve();
  /** bumped on a device loss: tasks of the abandoned chain do nothing when they get their turn */
  private generation = 0;
  private readonly meter = new StepsMeter(2000);
  private readonly select: SelectBackendFunction;
  private readonly watch: WatchDeviceLoss;

  constructor(private readonly host: NeuralSessionHost) {
    this.select = host.selectBackend ?? selectBackend;
    this.watch = host.watchDeviceLoss ?? watchDeviceLossOfTfjs;
  }

  handle(message: ToNeuralWorker): void {
    switch (message.type) {
      case 'load': {
        this.loads++;
        this.playing = false;
        const load = this.loads;
        return this.enqueue(() => this.load(message, load));
      }
      case 'play':
        return this.enqueue(() => this.play());
      case 'pause':
        this.playing = false;
        return this.enqueue(() => this.postFrame());
      case 'step':
        this.playing = false;
        return this.enqueue(() => this.stepOnce());
      case 'live':
        return this.enqueue(() => this.live(message.run, message.key, message.value));
      case 'reset':
        this.playing = false;
        return this.enqueue(() => this.reset());
      case 'lose-device':
        // at once, not queued: a real loss lands in the middle of whatever runs
        return this.loseDevice();
      case 'ack':
        this.awaitingAck = false;
        return;
    }
  }

  /** Resolves once every task queued so far has finished (for tests and an orderly shutdown). */
  idle(): Promise<void> {
    return this.work;
  }

  /** Gradient steps each run of the current comparison has taken (empty before a load). */
  get runSteps(): number[] {
    return this.comparison ? this.comparison.runs.map((run) => run.step) : [];
  }

  /** Stops training and frees every tensor of the current comparison (after the task in flight). */
  dispose(): Promise<void> {
    this.playing = false;
    this.loads++;
    this.enqueue(() => this.disposeComparison());
    return this.work;
  }

  private enqueue(task: () => Promise<void> | void): void {
    const generation = this.generation;
    this.work = this.work.then(async () => {
      if (generation !== this.generation) return;
      try {
        await task();
      } catch (error) {
        if (error instanceof Superseded || generation !== this.generation) return;
        this.fail(error);
      }
    });
  }

  // ───────────────────────────── load ─────────────────────────────

  private async load(choice: NeuralComparisonChoice, load: number): Promise<void> {
    this.disposeComparison();
    const check = () => {
      if (load !== this.loads) throw new Superseded();
    };
    check();
    const preset = resolvePreset(choice.preset);
    const quick = choice.quick;
    if (quick && !(quick.stepFactor > 0 && quick.sftSteps >= 1)) throw new Error(`quick needs stepFactor > 0 and sftSteps ≥ 1, got ${JSON.stringify(quick)}`);
    const task = buildTask(preset.task, choice.seed);

    this.post({ type: 'progress', phase: 'backend', message: 'Choosing a backend: smoke tests and timed gpt-nano steps', fraction: 0 });
    const backend = await this.chooseBackend(choice.backend, task.vocabulary, choice.seed, [], check);
    check();

    const sft = sftOptions(quick, backend);
    const totalSft = sft.steps ?? 0;
    let lastProgress = Number.NEGATIVE_INFINITY;
    this.post({ type: 'progress', phase: 'sft', message: `SFT of the reference: 0 / ${totalSft} steps`, fraction: 0 });
    const { reference, diagnostics } = await trainSequenceReference(task, choice.seed, {
      ...sft,
      onStep: async (done, total, loss) => {
        const now = this.host.now();
        if (done < total && now - lastProgress >= PROGRESS_INTERVAL_MS) {
          lastProgress = now;
          this.post({ type: 'progress', phase: 'sft', message: `SFT of the reference: ${done} / ${total} steps, loss ${loss.toFixed(3)}`, fraction: done / total });
        }
        await this.yieldToQueue();
        check();
      },
    });
    const runs: SequenceRun[] = [];
    let watcher: DeviceLossWatcher | null = null;
    try {
      check();
      this.post({
        type: 'progress',
        phase: 'sft',
        message: `SFT done: per-token KL(π_θ‖π_ref) ${diagnostics.tokenKl.toFixed(4)}, held-out NLL ${diagnostics.finalNll.toFixed(3)} (floor ${diagnostics.idealNll.toFixed(3)}); sampling the reference`,
        fraction: 1,
      });
      const initial = await referenceView(reference, task, choice.seed, quick ? QUICK_REFERENCE_HEATMAP_SAMPLES : REFERENCE_HEATMAP_SAMPLES);
      check();
      for (const spec of preset.runs) runs.push(new SequenceRun(task, reference, runSettings(spec, quick), choice.seed));
      const comparison: LoadedComparison = {
        load,
        task,
        reference,
        runs,
        ids: preset.runs.map((spec) => spec.id),
        seed: choice.seed,
        initialSettings: runs.map((run) => ({ ...run.settings })),
        liveEdits: runs.map(() => []),
        sentRows: runs.map(() => 0),
        initial,
        backend,
        watcher: null,
        referenceSnapshot: null,
        snapshots: null,
        info: {
          preset: preset.id,
          title: preset.title,
          task: taskId(preset.task),
          vocab: task.vocabulary,
          positions: MAX_GENERATED_TOKENS,
          endToken: task.hasEndToken ? END_TOKEN : null,
          runs: preset.runs.map((spec, i) => ({
            name: spec.label,
            objective: spec.objective,
            sampling: spec.sampling,
            steps: runs[i].settings.steps,
            lr: runs[i].settings.lr,
            liveKeys: neuralLiveKeys(spec.objective, runs[i].settings.negativeGradientType),
          })),
          referenceTokens: Array.from(task.tokenDistribution),
          referenceLengths: task.hasEndToken ? Array.from(task.lengthDistribution.probabilities) : null,
          referenceHeatmap: initial.heatmap,
          backend,
        },
      };
      watcher = this.watch(backend, (loss) => this.onDeviceLost(comparison, loss));
      comparison.watcher = watcher;
      if (watcher) {
        comparison.referenceSnapshot = await reference.snapshot();
        comparison.snapshots = await Promise.all(runs.map((run) => run.snapshot()));
        check();
      }
      this.comparison = comparison;
    } catch (error) {
      watcher?.stop();
      for (const run of runs) run.dispose();
      reference.dispose();
      throw error;
    }
    this.meter.reset();
    const frame = this.buildFrame(this.comparison);
    this.awaitingAck = true;
    this.lastPost = this.host.now();
    this.post({ type: 'loaded', info: this.comparison.info, frame: { playing: false, runs: frame } });
  }

  /**
   * Select a backend (the forced one first, if any) and report it. A forced backend that fails is refused with
   * the reason, and the choice falls back to measuring every candidate.
   */
  private async chooseBackend(
    forced: NeuralBackendName | null,
    vocab: number,
    seed: number,
    exclude: string[],
    check: () => void,
    /** also told each candidate's outcome as it comes (after a device loss the page hears of each) */
    report?: (line: string) => void,
  ): Promise<NeuralBackendName> {
    const log = this.host.log;
    const tell = (line: string) => {
      log?.(line);
      report?.(line);
    };
    const logLines = log || report ? { log: tell } : {};
    const options = {
      createWorkload: () => gptNanoTimingWorkload(vocab, seed),
      warmUpSteps: 1,
      timedSteps: 3,
      timeBudgetMs: 1500,
      exclude,
      ...logLines,
    };
    let selection: BackendSelection = await this.select({ ...options, forced });
    let wasForced = forced !== null;
    if (!selection.ok && forced !== null) {
      check();
      this.post({ type: 'refused', message: `backend=${forced} cannot be used here, so the backend is chosen by measurement instead: ${selection.error}` });
      this.post({ type: 'progress', phase: 'backend', message: `backend=${forced} failed; measuring the other backends`, fraction: 0.5 });
      selection = await this.select({ ...options, forced: null });
      wasForced = false;
    }
    if (!selection.ok) throw new Error(selection.error);
    const backend = asNeuralBackend(selection.backend);
    check();
    this.post({ type: 'backend', backend, detail: describeSelection(backend, selection.timings, wasForced), candidates: candidateReports(selection.timings) });
    return backend;
  }

  private disposeComparison(): void {
    const comparison = this.comparison;
    if (!comparison) return;
    this.comparison = null;
    comparison.watcher?.stop();
    for (const run of comparison.runs) run.dispose();
    comparison.reference.dispose();
  }

  // ───────────────────────────── training ─────────────────────────────

  /** The comparison, or null after refusing the request (nothing is loaded: the page sent it too early). */
  private loadedComparison(what: string): LoadedComparison | null {
    if (!this.comparison) this.post({ type: 'refused', message: `no comparison is loaded, so there is nothing to ${what}` });
    return this.comparison;
  }

  private play(): void {
    const comparison = this.loadedComparison('play');
    if (!comparison) return;
    if (comparison.runs.every((run) => run.finished)) {
      this.playing = false;
      return this.postFrame();
    }
    this.playing = true;
    this.meter.reset();
    this.meter.record(this.host.now(), totalSteps(comparison));
    this.scheduleTick();
  }

  private scheduleTick(): void {
    if (this.tickPending) return;
    this.tickPending = true;
    this.host.schedule(() => {
      this.tickPending = false;
      if (this.playing) this.enqueue(() => this.slice());
    }, 0);
  }

  /** One gradient step of every unfinished run, then a frame if the page is ready for one. */
  private async slice(): Promise<void> {
    const comparison = this.comparison;
    if (!this.playing || !comparison) return;
    await this.advanceAll(comparison);
    if (comparison !== this.comparison || comparison.load !== this.loads) return;
    this.meter.record(this.host.now(), totalSteps(comparison));
    if (comparison.runs.every((run) => run.finished)) {
      this.playing = false;
      return this.postFrame();
    }
    // paused meanwhile: the pause task posts the frame
    if (!this.playing) return;
    if (!this.awaitingAck || this.host.now() - this.lastPost >= ACK_TIMEOUT_MS) this.postFrame();
    this.scheduleTick();
  }

  private async stepOnce(): Promise<void> {
    const comparison = this.loadedComparison('step');
    if (!comparison) return;
    this.playing = false;
    await this.advanceAll(comparison);
    this.postFrame();
  }

  /**
   * One step of each unfinished run, in order. A run that throws stops alone (marked diverged with the error);
   * a newer load stops the lock step early; then, while a device loss is possible, a checkpoint of every run.
   */
  private async advanceAll(comparison: LoadedComparison): Promise<void> {
    const generation = this.generation;
    const stale = () => generation !== this.generation || comparison !== this.comparison;
    const runs = comparison.runs;
    for (const [index, run] of runs.entries()) {
      if (run.finished) continue;
      if (comparison.load !== this.loads) return;
      try {
        await run.advance();
      } catch (error) {
        if (comparison.watcher && !stale()) await Promise.race([comparison.watcher.lost, this.delay(DEVICE_LOSS_GRACE_MS)]);
        if (stale()) throw new Superseded();
        run.diverged = { step: run.step, reason: `stopped by an error: ${messageOf(error)}` };
      }
      if (stale() || runs !== comparison.runs) throw new Superseded();
      applyDueEdits(run, comparison.liveEdits[index]);
    }
    if (comparison.watcher) {
      const snapshots = await Promise.all(comparison.runs.map((run) => run.snapshot()));
      if (stale()) throw new Superseded();
      comparison.snapshots = snapshots;
    }
  }

  private live(runName: string, key: string, value: number): void {
    const comparison = this.loadedComparison('change');
    if (!comparison) return;
    const index = comparison.info.runs.findIndex((run, i) => run.name === runName || comparison.ids[i] === runName);
    if (index < 0) {
      const names = comparison.info.runs.map((run) => `"${run.name}"`).join(', ');
      return this.post({ type: 'refused', message: `no run is named "${runName}" (the runs: ${names})` });
    }
    const info = comparison.info.runs[index];
    const liveKeys: readonly string[] = info.liveKeys;
    if (!liveKeys.includes(key)) {
      return this.post({
        type: 'refused',
        message: `"${key}" cannot be changed live in "${info.name}": its objective (${info.objective}) reads only ${info.liveKeys.join(', ')}`,
      });
    }
    const liveKey = key as NeuralLiveKey;
    const problem = liveValueProblem(liveKey, value);
    if (problem) return this.post({ type: 'refused', message: `${info.name}: ${problem}` });
    const run = comparison.runs[index];
    comparison.liveEdits[index] = recordLiveEdit(comparison.liveEdits[index], { step: run.step, key: liveKey, value });
    run.setLive(liveKey, value);
  }

  /**
   * Every run back to step 0: new runs from the settings they were built with, on the same fine-tuned reference
   * and seed, so that they replay the first pass exactly; the edit log is kept and replayed at its steps. The old
   * runs' tensors are freed. While a device loss is possible the checkpoints are replaced before the runs are.
   */
  private async reset(): Promise<void> {
    const comparison = this.loadedComparison('reset');
    if (!comparison) return;
    const generation = this.generation;
    const runs: SequenceRun[] = [];
    try {
      for (const settings of comparison.initialSettings) runs.push(new SequenceRun(comparison.task, comparison.reference, settings, comparison.seed));
      runs.forEach((run, i) => applyDueEdits(run, comparison.liveEdits[i]));
      const snapshots = comparison.watcher ? await Promise.all(runs.map((run) => run.snapshot())) : null;
      if (generation !== this.generation || comparison !== this.comparison) throw new Superseded();
      if (snapshots) comparison.snapshots = snapshots;
    } catch (error) {
      for (const run of runs) disposeQuietly(run);
      throw error;
    }
    const old = comparison.runs;
    comparison.runs = runs;
    comparison.sentRows = runs.map(() => 0);
    for (const run of old) disposeQuietly(run);
    this.playing = false;
    this.meter.reset();
    this.awaitingAck = true;
    this.lastPost = this.host.now();
    this.post({ type: 'reset-done', frame: { playing: false, runs: this.buildFrame(comparison) } });
  }

  /** The `lose-device` hook: destroys the device now; the watcher then reports the loss as for a real one. */
  private loseDevice(): void {
    const comparison = this.comparison;
    const backend = comparison?.backend;
    if (!comparison || !backend) return this.post({ type: 'refused', message: 'no comparison is loaded, so there is no device to lose' });
    if (!this.host.loseDevice?.(backend)) this.post({ type: 'refused', message: `there is no GPU device to lose: training runs on ${backend}` });
  }

  // ───────────────────────────── device loss ─────────────────────────────

  private onDeviceLost(comparison: LoadedComparison, loss: DeviceLoss): void {
    if (comparison !== this.comparison) return;
    comparison.watcher?.stop();
    comparison.watcher = null;
    const wasPlaying = this.playing;
    this.playing = false;
    // the task in flight may never settle on a lost device: abandon its chain and start a new one
    this.generation++;
    const abandoned = this.work;
    this.work = Promise.resolve();
    this.enqueue(() => this.recover(comparison, loss, wasPlaying, abandoned));
  }

  private async recover(comparison: LoadedComparison, loss: DeviceLoss, wasPlaying: boolean, abandoned: Promise<void>): Promise<void> {
    // the page hears of the loss at once and of each candidate tried: choosing can take a while, and silence
    // would look like a dead worker
    const recovering = (line: string) => this.post({ type: 'recovering', message: `${lossText(loss)}; choosing another backend: ${line}` });
    recovering('waiting for the step in flight');
    // a step in flight usually fails at once on a lost device; let it settle (or give up on it) before the
    // backend selection, whose smoke test counts tensors
    await Promise.race([abandoned, new Promise<void>((resolve) => this.host.schedule(resolve, ABANDONED_TASK_WAIT_MS))]);
    if (comparison !== this.comparison) return;
    const { referenceSnapshot, snapshots } = comparison;
    if (!referenceSnapshot || !snapshots) throw new Error(`${lossText(loss)}, and there is no checkpoint to continue from`);
    const load = comparison.load;
    const backend = await this.chooseBackend(
      null,
      comparison.task.vocabulary,
      referenceSnapshot.config.seed,
      [comparison.backend],
      () => {
        if (load !== this.loads || comparison !== this.comparison) throw new Superseded();
      },
      recovering,
    );
    const modelOverrides = { transposeFreeMatMul: backend === 'wasm' };
    const reference = GptNano.fromSnapshot(referenceSnapshot, modelOverrides);
    try {
      comparison.runs.forEach((run, i) => {
        run.restore(snapshots[i], { reference, modelOverrides });
        applyDueEdits(run, comparison.liveEdits[i]);
      });
    } catch (error) {
      reference.dispose();
      throw error;
    }
    try {
      comparison.reference.dispose();
    } catch {
      // its tensors went with the device
    }
    comparison.reference = reference;
    comparison.backend = backend;
    comparison.sentRows = comparison.runs.map((run, i) => Math.min(comparison.sentRows[i], run.metrics.length));
    const steps = comparison.runs.map((run) => run.step).join(', ');
    this.post({ type: 'device-lost', message: `${lossText(loss)}; continuing on ${backend} from step ${steps}`, fallback: backend });
    const watcher = this.watch(backend, (next) => this.onDeviceLost(comparison, next));
    comparison.watcher = watcher;
    if (watcher) {
      comparison.referenceSnapshot = await reference.snapshot();
      comparison.snapshots = await Promise.all(comparison.runs.map((run) => run.snapshot()));
    } else {
      comparison.referenceSnapshot = null;
      comparison.snapshots = null;
    }
    this.postFrame();
    if (wasPlaying) this.play();
  }

  // ───────────────────────────── frames ─────────────────────────────

  private postFrame(): void {
    const comparison = this.comparison;
    if (!comparison || comparison.load !== this.loads) return;
    const runs = this.buildFrame(comparison);
    if (!this.playing) this.meter.reset();
    // set before posting: an in-process host may deliver the ack during post()
    this.awaitingAck = true;
    this.lastPost = this.host.now();
    this.post({ type: 'frame', playing: this.playing, stepsPerSecond: this.meter.rate(), runs });
  }

  private buildFrame(comparison: LoadedComparison): NeuralRunFrame[] {
    const { task, initial } = comparison;
    return comparison.runs.map((run, i) => {
      const newRows = run.metrics.slice(comparison.sentRows[i]).map((row) => metricRow(row, task.hasEndToken));
      comparison.sentRows[i] = run.metrics.length;
      // the policy's own samples (offline: monitor samples, not the dataset); before the first step, the reference
      const own = run.step > 0 ? run.policySamples : null;
      return {
        step: run.step,
        finished: run.finished,
        diverged: run.diverged ? `at step ${run.diverged.step}: ${run.diverged.reason}` : null,
        newRows,
        heatmap: own ? tokenMarginals(own.tokens, own.count, task.vocabulary) : initial.heatmap,
        lengths: task.hasEndToken ? (own ? lengthHistogram(own.tokens, own.count) : initial.lengths) : null,
        samples: frameSamples(run),
        live: liveValues(run, comparison.info.runs[i].liveKeys),
        liveEdits: comparison.liveEdits[i].map((edit) => ({ ...edit })),
      };
    });
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.host.schedule(resolve, ms));
  }

  private yieldToQueue(): Promise<void> {
    return new Promise((resolve) => this.host.schedule(resolve, 0));
  }

  private post(message: NeuralWorkerMessage): void {
    this.host.post({ ...message, load: this.loads });
  }

  private fail(error: unknown): void {
    this.playing = false;
    this.post({ type: 'error', message: messageOf(error) });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The loss in words, without the browser message's closing full stop (more words follow it). */
function lossText(loss: DeviceLoss): string {
  return describeDeviceLoss(loss).replace(/\.$/, '');
}

/** Apply the logged changes that take effect at the run's next step, if any (one per knob: see `recordLiveEdit`). */
function applyDueEdits(run: SequenceRun, edits: readonly NeuralLiveEdit[]): void {
  for (const edit of edits) if (edit.step === run.step) run.setLive(edit.key, edit.value);
}

/**
 * The bandit lab's rule for the edit log (src/lab/config/edits.ts): a change rewrites its knob's future, so the
 * entries of the same knob from its step on (left from before a reset, or an earlier change at the same step)
 * are dropped; other knobs' entries are kept, and the log stays in step order.
 */
function recordLiveEdit(edits: readonly NeuralLiveEdit[], edit: NeuralLiveEdit): NeuralLiveEdit[] {
  const kept = edits.filter((e) => !(e.key === edit.key && e.step >= edit.step));
  let at = kept.length;
  while (at > 0 && kept[at - 1].step > edit.step) at--;
  return [...kept.slice(0, at), edit, ...kept.slice(at)];
}

/** The run's value of each of its live knobs, for its next step. */
function liveValues(run: SequenceRun, keys: readonly NeuralLiveKey[]): NeuralLiveValues {
  const values: NeuralLiveValues = {};
  for (const key of keys) values[key] = run.settings[key];
  return values;
}

function disposeQuietly(run: SequenceRun): void {
  try {
    run.dispose();
  } catch {
    // the tensors of a lost device may refuse to be disposed; they are gone either way
  }
}

function totalSteps(comparison: LoadedComparison): number {
  let total = 0;
  for (const run of comparison.runs) total += run.step;
  return total;
}
