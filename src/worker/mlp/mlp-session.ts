/**
 * The MLP companion's worker logic, Node-testable behind a host (as src/worker/neural/neural-session.ts):
 * backend selection (once per worker, timed on an MLP surrogate step), the official SFT of every run with
 * progress, then lock-step training toward the lab's step, streaming per-step metrics.
 *
 * Everything that touches tfjs runs on one promise chain, so a message never lands inside a step; a newer
 * `load` is noticed between SFT steps and between lock steps, and the old comparison is disposed before the
 * new one starts.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig, LiveEdit } from '../../lab/config/experiment.ts';
import { METRIC_KEYS, type MetricKey } from '../../lab/metrics.ts';
import { MlpComparison } from '../../lab/mlp-bandit/mlp-comparison.ts';
import { MLP_EVAL_CONTEXTS } from '../../lab/mlp-bandit/mlp-run.ts';
import { selectBackend as defaultSelectBackend, type BackendSelection, type DisposableWorkload, type SelectBackendOptions } from '../backend/select-backend.ts';
import type { BackendName } from '../backend/candidates.ts';
import { chartStride } from '../protocol.ts';
import type { FromMlpWorker, MlpRunFrame, ToMlpWorker } from './protocol.ts';
import { TfMlpBanditModel, tfMlpModelFactory } from './tf-mlp-model.ts';

export interface MlpSessionHost {
  post(message: FromMlpWorker): void;
  now(): number;
  schedule(callback: () => void, delayMs: number): void;
  selectBackend?: (options: SelectBackendOptions) => Promise<BackendSelection>;
  log?: (line: string) => void;
}

/** a frame at most this often while training (and always when training stops) */
export const FRAME_INTERVAL_MS = 100;

/** The timing workload: one surrogate step of the official MLP on 10 contexts × 10 samples. */
export function mlpTimingWorkload(): DisposableWorkload {
  const model = new TfMlpBanditModel({ seed: 1, trainCount: 10, evalCount: 1, K: 100 }, { transposeFreeMatMul: tf.getBackend() === 'wasm' });
  model.endSft();
  const actions = Int32Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
  const coefficients = new Float64Array(100).fill(0.01);
  return {
    step: async () => {
      await model.step(0, 10, actions, 10, coefficients, null, 1e-3);
    },
    dispose: () => model.dispose(),
  };
}

interface Sent {
  /** rows already considered for streaming */
  rows: number;
}

export class MlpSession {
  private chain: Promise<void> = Promise.resolve();
  private load = 0;
  private comparison: MlpComparison | null = null;
  private sent: Sent[] = [];
  private target = 0;
  private running = false;
  private pumping = false;
  private lastFrame = -Infinity;
  private backend: { name: string; forced: BackendName | null } | null = null;
  private stepTimes: number[] = [];

  constructor(private readonly host: MlpSessionHost) {}

  handle(message: ToMlpWorker): void {
    switch (message.type) {
      case 'load': {
        this.load = message.load;
        this.running = false;
        this.target = 0;
        const load = message.load;
        this.enqueue(() => this.start(load, message.config, message.backend ?? null, message.sftSteps));
        return;
      }
      case 'advance':
        this.target = message.target;
        this.running = message.running;
        this.pump();
        return;
      case 'edits': {
        const edits: LiveEdit[] = message.edits;
        this.enqueue(async () => this.comparison?.setEdits(edits));
        return;
      }
      case 'stop':
        this.load = -1;
        this.running = false;
        this.enqueue(async () => this.disposeComparison());
        return;
    }
  }

  /** resolves when every queued task has run (tests) */
  idle(): Promise<void> {
    return this.chain;
  }

  dispose(): Promise<void> {
    this.load = -1;
    this.running = false;
    this.enqueue(async () => this.disposeComparison());
    return this.chain;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(task).catch((error: unknown) => {
      this.host.post({ type: 'error', load: this.load, message: error instanceof Error ? error.message : String(error) });
    });
    return this.chain;
  }

  private disposeComparison(): void {
    this.comparison?.dispose();
    this.comparison = null;
    this.sent = [];
  }

  private yieldToMessages(): Promise<void> {
    return new Promise((resolve) => this.host.schedule(resolve, 0));
  }

  private async start(load: number, config: ExperimentConfig, forced: BackendName | null, sftSteps: number | undefined): Promise<void> {
    this.disposeComparison();
    if (load !== this.load) return;
    if (!this.backend || this.backend.forced !== forced) {
      const select = this.host.selectBackend ?? defaultSelectBackend;
      const selection = await select({ forced, createWorkload: mlpTimingWorkload, warmUpSteps: 1, timedSteps: 3, timeBudgetMs: 1000, log: this.host.log });
      if (!selection.ok) throw new Error(`no tfjs backend for the MLP: ${selection.error}`);
      const chosen = selection.timings.find((t) => t.backend === selection.backend);
      const timing = chosen?.msPerStep === undefined ? '' : `, ${chosen.msPerStep.toFixed(1)} ms per MLP step`;
      this.backend = { name: selection.backend, forced };
      this.host.post({ type: 'backend', load, backend: selection.backend, detail: `${selection.backend}${chosen?.detail ? ` (${chosen.detail})` : ''}${timing}` });
    } else {
      this.host.post({ type: 'backend', load, backend: this.backend.name, detail: this.backend.name });
    }
    if (load !== this.load) return;
    let lastProgress = -Infinity;
    const comparison = await MlpComparison.create(config, tfMlpModelFactory(), {
      sftSteps,
      keepGoing: () => load === this.load,
      onSftProgress: async (done, total) => {
        if (done === total || this.host.now() - lastProgress >= FRAME_INTERVAL_MS) {
          lastProgress = this.host.now();
          this.host.post({ type: 'sft', load, done, total });
        }
        await this.yieldToMessages();
      },
    });
    if (!comparison) return;
    if (load !== this.load) {
      comparison.dispose();
      return;
    }
    this.comparison = comparison;
    this.sent = comparison.runs.map(() => ({ rows: 0 }));
    this.stepTimes = [];
    this.host.post({ type: 'ready', load, runs: comparison.runs.map((r) => r.name), evalContexts: MLP_EVAL_CONTEXTS });
    this.postFrame();
    this.pump();
  }

  private get wanted(): boolean {
    const c = this.comparison;
    return c !== null && this.running && !c.finished && c.step < this.target;
  }

  private pump(): void {
    if (this.pumping || !this.wanted) return;
    this.pumping = true;
    const load = this.load;
    void this.enqueue(async () => {
      const comparison = this.comparison;
      if (!comparison || load !== this.load || !this.wanted) return;
      const start = this.host.now();
      await comparison.advance();
      this.stepTimes.push(this.host.now() - start);
      if (this.stepTimes.length > 20) this.stepTimes.shift();
      if (this.host.now() - this.lastFrame >= FRAME_INTERVAL_MS || !this.wanted) this.postFrame();
    }).then(() => {
      this.pumping = false;
      if (this.wanted) this.host.schedule(() => this.pump(), 0);
      else if (this.comparison && this.unsentRows()) void this.enqueue(async () => this.postFrame());
    });
  }

  private unsentRows(): boolean {
    return this.comparison?.runs.some((run, i) => run.metrics.length > (this.sent[i]?.rows ?? 0)) ?? false;
  }

  private postFrame(): void {
    const comparison = this.comparison;
    if (!comparison) return;
    this.lastFrame = this.host.now();
    const runs: MlpRunFrame[] = comparison.runs.map((run, i) => {
      const metrics = run.metrics;
      const length = metrics.length;
      const stride = chartStride(length);
      const from = this.sent[i].rows;
      const rowIndex: number[] = [];
      for (let r = from; r < length; r++) if (r % stride === 0) rowIndex.push(r);
      this.sent[i].rows = length;
      const rows = Object.fromEntries(METRIC_KEYS.map((k) => [k, Float64Array.from(rowIndex, (r) => metrics.at(k, r))])) as Record<MetricKey, Float64Array>;
      return {
        step: run.step,
        finished: run.finished,
        diverged: run.diverged ? `at step ${run.diverged.step}: ${run.diverged.reason}` : null,
        length,
        rowIndex: Int32Array.from(rowIndex),
        rows,
        latest: metrics.row(length - 1),
        distribution: Array.from(run.distribution),
      };
    });
    const times = this.stepTimes;
    const msPerStep = times.length ? times.reduce((a, b) => a + b, 0) / times.length : Number.NaN;
    this.host.post({ type: 'frame', load: this.load, step: comparison.step, finished: comparison.finished, msPerStep, runs });
  }
}
