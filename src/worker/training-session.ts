/**
 * The training worker's logic, free of worker globals so that it runs (and is tested) in Node: it owns
 * a `Comparison`, advances it at the chosen speed in short time slices, and streams frames of what
 * changed. Frames are paced by the main thread: after a frame the session waits for an `ack` (sent
 * once the frame is drawn) before streaming the next, so a slow renderer gets fewer, larger frames
 * instead of a growing queue.
 */
import type { ExperimentConfig } from '../lab/config/experiment.ts';
import type { LiveKnobKey } from '../lab/config/settings.ts';
import { OBJECTIVES } from '../lab/objectives/catalog.ts';
import { METRIC_KEYS, type MetricKey } from '../lab/metrics.ts';
import { Comparison, type Run } from '../lab/train.ts';
import { chartStride, DEFAULT_SPEED, type ComparisonInfo, type ExportedRun, type Frame, type FromWorker, type RunFrame, type Speed, type ToWorker, type WorkerMessage } from './protocol.ts';
import { StepsMeter } from './steps-meter.ts';

export interface SessionHost {
  post(message: FromWorker, transfer: Transferable[]): void;
  now(): number;
  /** run `callback` after `delayMs` (setTimeout in the worker; the event loop gets a turn in between) */
  schedule(callback: () => void, delayMs: number): void;
}

const FRAME_MS = 1000 / 60;
/** longest stretch of training between two looks at the message queue in auto mode */
const AUTO_SLICE_MS = 12;
/** stream a frame at most this often… */
const MIN_FRAME_INTERVAL_MS = 15;
/** …and at least this often, even if the main thread has not acknowledged the last one (a hidden tab) */
const ACK_TIMEOUT_MS = 500;

export class TrainingSession {
  private comparison: Comparison | null = null;
  /** per run: metric rows already considered for streaming, and the step its policy was last sent at */
  private sentRows: number[] = [];
  private sentStep: number[] = [];
  private playing = false;
  private speed: Speed = DEFAULT_SPEED;
  private tickPending = false;
  private lastTick = 0;
  private owedSteps = 0;
  private awaitingAck = false;
  private lastPost = -Infinity;
  private readonly meter = new StepsMeter(1000);
  /** how many `load` messages have been handled (every message out carries it) */
  private loads = 0;

  constructor(private readonly host: SessionHost) {}

  handle(message: ToWorker): void {
    try {
      this.dispatch(message);
    } catch (error) {
      this.fail(error);
    }
  }

  private dispatch(message: ToWorker): void {
    switch (message.type) {
      case 'load':
        this.loads++;
        return this.load(message.config, message.toStep ?? 0, message.play ?? false);
      case 'play':
        return this.play();
      case 'pause':
        this.playing = false;
        return this.postFrame();
      case 'step':
        return this.stepOnce(message.unit === 'epoch' ? message.run : null);
      case 'speed':
        this.speed = message.speed;
        this.owedSteps = 0;
        return;
      case 'live':
        return this.live(message.run, message.key, message.value);
      case 'ack':
        this.awaitingAck = false;
        return;
      case 'export':
        return this.exportRuns(message.id);
    }
  }

  /** Answer an export request with every run's full series; without a comparison, say so (not a failure). */
  private exportRuns(id: number): void {
    const comparison = this.comparison;
    if (!comparison) {
      this.post({ type: 'export-failed', id, message: 'no experiment is loaded' }, []);
      return;
    }
    this.post({ type: 'export', id, runs: comparison.runs.map(exportRun) }, []);
  }

  private load(config: ExperimentConfig, toStep: number, play: boolean): void {
    this.playing = false;
    this.comparison = null;
    const comparison = new Comparison(config);
    while (comparison.runs.some((r) => !r.finished && r.step < toStep)) comparison.advance();
    this.comparison = comparison;
    this.sentRows = comparison.runs.map(() => 0);
    this.sentStep = comparison.runs.map(() => -1);
    this.meter.reset();
    // the first frame already says whether it plays, so the app shows Pause from the start
    this.playing = play && !comparison.finished;
    const frame = this.buildFrame();
    this.awaitingAck = true;
    this.lastPost = this.host.now();
    this.post({ type: 'loaded', info: describe(comparison), frame: frame.frame }, frame.transfer);
    if (this.playing) this.play();
  }

  private play(): void {
    const comparison = this.requireComparison();
    if (comparison.finished) {
      this.playing = false;
      return this.postFrame();
    }
    this.playing = true;
    this.owedSteps = 0;
    // the first tick owes one frame's worth of steps, so Play shows movement at once
    this.lastTick = this.host.now() - FRAME_MS;
    this.scheduleTick(0);
  }

  private stepOnce(epochOf: string | null): void {
    const comparison = this.requireComparison();
    this.playing = false;
    let steps = 1;
    if (epochOf !== null) {
      const run = comparison.runs.find((r) => r.name === epochOf);
      if (!run) throw new Error(`no run is named "${epochOf}"`);
      if (run.finished) {
        this.post({ type: 'refused', message: `"${epochOf}" has finished, so it has no next epoch` }, []);
        return;
      }
      steps = run.stepsLeftInEpoch;
    }
    for (let i = 0; i < steps && comparison.advance(); i++) {
      /* lock step */
    }
    this.postFrame();
  }

  private live(run: string, key: LiveKnobKey, value: number): void {
    const comparison = this.requireComparison();
    try {
      const edit = comparison.applyLiveEdit(run, key, value);
      this.post({ type: 'edit', edit }, []);
      // show the new value at once, even while paused
      if (!this.playing) this.postFrame();
    } catch (error) {
      this.post({ type: 'refused', message: (error as Error).message }, []);
    }
  }

  private scheduleTick(delay: number): void {
    if (this.tickPending) return;
    this.tickPending = true;
    this.host.schedule(() => {
      this.tickPending = false;
      try {
        this.tick();
      } catch (error) {
        this.fail(error);
      }
    }, delay);
  }

  private tick(): void {
    const comparison = this.comparison;
    if (!this.playing || !comparison) return;
    const now = this.host.now();
    if (this.speed === 'auto') {
      const end = now + AUTO_SLICE_MS;
      while (comparison.advance() && this.host.now() < end) {
        /* train until the slice is used up */
      }
    } else {
      // steps owed by the clock, so the rate holds even when timers fire late (capped after a stall)
      this.owedSteps = Math.min(this.owedSteps + ((now - this.lastTick) / FRAME_MS) * this.speed, this.speed * 4);
      const due = Math.floor(this.owedSteps);
      this.owedSteps -= due;
      for (let i = 0; i < due && comparison.advance(); i++) {
        /* lock step */
      }
    }
    this.lastTick = now;
    this.meter.record(this.host.now(), totalSteps(comparison));
    if (comparison.finished) {
      this.playing = false;
      return this.postFrame();
    }
    const sinceLast = this.host.now() - this.lastPost;
    if ((!this.awaitingAck && sinceLast >= MIN_FRAME_INTERVAL_MS) || sinceLast >= ACK_TIMEOUT_MS) this.postFrame();
    this.scheduleTick(this.speed === 'auto' ? 0 : FRAME_MS);
  }

  private postFrame(): void {
    if (!this.comparison) return;
    const { frame, transfer } = this.buildFrame();
    // set before posting: an in-process host may deliver the ack during post()
    this.awaitingAck = true;
    this.lastPost = this.host.now();
    this.post({ type: 'frame', frame }, transfer);
  }

  private buildFrame(): { frame: Frame; transfer: Transferable[] } {
    const comparison = this.requireComparison();
    const transfer: Transferable[] = [];
    const runs = comparison.runs.map((run, i) => {
      // a diverged run's policy is NaN: the app keeps showing the last finite one it was sent
      const frame = runFrame(run, this.sentRows[i], this.sentStep[i] !== run.step && !run.diverged);
      this.sentRows[i] = run.metrics.length;
      this.sentStep[i] = run.step;
      transfer.push(frame.rowIndex.buffer);
      for (const key of METRIC_KEYS) transfer.push(frame.rows[key].buffer);
      if (frame.probs) transfer.push(frame.probs.buffer, frame.sampleBins.buffer, frame.sampleCoefficients.buffer);
      return frame;
    });
    if (!this.playing) this.meter.reset();
    return { frame: { runs, playing: this.playing, stepsPerSecond: this.meter.rate() }, transfer };
  }

  private post(message: WorkerMessage, transfer: Transferable[]): void {
    this.host.post({ ...message, load: this.loads }, transfer);
  }

  private requireComparison(): Comparison {
    if (!this.comparison) throw new Error('no experiment is loaded');
    return this.comparison;
  }

  private fail(error: unknown): void {
    this.playing = false;
    this.comparison = null;
    const message = error instanceof Error ? error.message : String(error);
    this.post({ type: 'error', message }, []);
  }
}

function runFrame(run: Run, fromRow: number, withPolicy: boolean): RunFrame {
  const { metrics } = run;
  const length = metrics.length;
  const stride = chartStride(length);
  const first = Math.ceil(fromRow / stride) * stride;
  const count = first < length ? Math.floor((length - 1 - first) / stride) + 1 : 0;
  const rowIndex = new Int32Array(count);
  for (let k = 0; k < count; k++) rowIndex[k] = first + k * stride;
  const rows = {} as Record<MetricKey, Float64Array>;
  const latest = {} as Record<MetricKey, number>;
  for (const key of METRIC_KEYS) {
    const column = metrics.columns[key];
    const values = new Float64Array(count);
    for (let k = 0; k < count; k++) values[k] = column[rowIndex[k]];
    rows[key] = values;
    latest[key] = column[length - 1];
  }
  let probs: Float64Array | null = null;
  let sampleBins = new Int32Array(0);
  let sampleCoefficients = new Float64Array(0);
  if (withPolicy) {
    probs = Float64Array.from(run.policy.probs);
    const batch = run.lastBatch;
    if (batch) {
      const from = batch.p0 * batch.data.N;
      const to = batch.p1 * batch.data.N;
      sampleBins = batch.data.actions.slice(from, to);
      sampleCoefficients = run.coefficients.coef.slice(from, to);
    }
  }
  return {
    step: run.step,
    epoch: run.epoch,
    finished: run.finished,
    diverged: run.diverged ? { ...run.diverged } : null,
    length,
    rowIndex,
    rows,
    latest,
    probs,
    sampleBins,
    sampleCoefficients,
    live: run.liveValues(),
  };
}

function exportRun(run: Run): ExportedRun {
  const { metrics } = run;
  const columns = [...METRIC_KEYS];
  const rows: number[][] = [];
  for (let row = 0; row < metrics.length; row++) rows.push(columns.map((key) => metrics.columns[key][row]));
  return {
    name: run.name,
    columns,
    rows,
    finalProbs: run.diverged ? null : Array.from(run.policy.probs),
    step: run.step,
    diverged: run.diverged ? { ...run.diverged } : null,
  };
}

function describe(comparison: Comparison): ComparisonInfo {
  const { env } = comparison;
  return {
    K: env.K,
    refProbs: Float64Array.from(env.refProbs),
    reward: Float64Array.from(env.reward),
    peakLo: env.peakLo,
    peakHi: env.peakHi,
    rewardLabel: env.rewardLabel,
    runs: comparison.runs.map((run) => ({
      name: run.name,
      objective: run.spec.objective,
      sampling: run.settings.sampling,
      steps: run.spec.steps,
      pairwise: OBJECTIVES[run.spec.objective].pairwise,
      stepsPerEpoch: run.settings.T * run.minibatchesPerEpoch,
    })),
  };
}

function totalSteps(comparison: Comparison): number {
  let total = 0;
  for (const run of comparison.runs) total += run.step;
  return total;
}
