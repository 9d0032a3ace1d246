/**
 * A stand-in for the training worker that runs the real `TrainingSession` in the test's thread, with a
 * clock and timers the test drives: `flush()` runs due timers, `advanceTime(ms)` moves the clock.
 * Messages are delivered synchronously, structured-cloned as a real worker would.
 */
import { createLabStore, type LabStore, type StoreDeps, type WorkerLike } from '../../src/app/store/lab-store.ts';
import type { ExperimentConfig } from '../../src/lab/config/experiment.ts';
import type { FromWorker, ToWorker } from '../../src/worker/protocol.ts';
import { TrainingSession } from '../../src/worker/training-session.ts';

export class InProcessWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  terminated = false;
  readonly received: ToWorker[] = [];
  readonly sent: FromWorker[] = [];
  time = 0;
  private timers: Array<{ at: number; callback: () => void }> = [];
  private readonly session: TrainingSession;

  constructor() {
    this.session = new TrainingSession({
      post: (message) => {
        if (this.terminated) return;
        this.sent.push(message);
        this.onmessage?.({ data: structuredClone(message) } as MessageEvent<FromWorker>);
      },
      now: () => this.time,
      schedule: (callback, delay) => this.timers.push({ at: this.time + delay, callback }),
    });
  }

  postMessage(message: ToWorker): void {
    if (this.terminated) return;
    this.received.push(message);
    this.session.handle(structuredClone(message));
  }

  terminate(): void {
    this.terminated = true;
    this.timers = [];
  }

  /** run the timers that are due (and the ones they schedule for now), at most `limit` */
  flush(limit = 1000): void {
    for (let i = 0; i < limit; i++) {
      const due = this.timers.findIndex((t) => t.at <= this.time);
      if (due < 0) return;
      const [timer] = this.timers.splice(due, 1);
      timer.callback();
    }
  }

  /** move the clock in `stepMs` steps, running timers as they come due */
  advanceTime(ms: number, stepMs = 1000 / 60): void {
    const end = this.time + ms;
    while (this.time < end) {
      this.time = Math.min(end, this.time + stepMs);
      this.flush();
    }
  }

  /** simulate a crash: an uncaught error in the worker */
  crash(message: string): void {
    this.terminated = true;
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

/**
 * A started lab store whose workers are `InProcessWorker`s (node-safe: no DOM needed). `workers` lists
 * every worker it made (a restart makes another); `worker()` is the current one.
 */
export function createTestStore(
  config: ExperimentConfig,
  extra: Partial<StoreDeps> = {},
): { store: LabStore; workers: InProcessWorker[]; worker: () => InProcessWorker } {
  const workers: InProcessWorker[] = [];
  const store = createLabStore(config, { title: 'Test caption', lookFor: 'what to look for' }, {
    createWorker: () => {
      const w = new InProcessWorker();
      workers.push(w);
      return w;
    },
    afterPaint: (callback) => callback(),
    ...extra,
  });
  store.getState().start();
  return { store, workers, worker: () => workers[workers.length - 1] };
}
