/**
 * A stand-in for the training worker that runs the real `TrainingSession` in the test's thread, with a
 * clock and timers the test drives: `flush()` runs due timers, `advanceTime(ms)` moves the clock.
 * Messages are delivered synchronously, structured-cloned as a real worker would.
 */
import type { WorkerLike } from '../../src/app/store/lab-store.ts';
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
