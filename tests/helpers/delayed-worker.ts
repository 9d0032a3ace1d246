/**
 * A lab store whose worker answers late, like a real one: the in-process training session runs at once,
 * but what it says reaches the store only when the test calls `deliver()`. Between a `loadPreset` and the
 * delivery the store still holds the previous comparison's runs, as it does in the browser.
 */
import { createLabStore, type LabStore, type WorkerLike } from '../../src/app/store/lab-store.ts';
import type { ExperimentConfig } from '../../src/lab/config/experiment.ts';
import type { FromWorker, ToWorker } from '../../src/worker/protocol.ts';
import { InProcessWorker } from './in-process-worker.ts';

export class DelayedWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  readonly inner = new InProcessWorker();
  private queue: Array<MessageEvent<FromWorker>> = [];

  constructor() {
    this.inner.onmessage = (event) => this.queue.push(event);
  }

  postMessage(message: ToWorker): void {
    this.inner.postMessage(message);
  }

  terminate(): void {
    this.inner.terminate();
  }

  /** hand everything the worker has said so far to the store */
  deliver(): void {
    while (this.queue.length) this.onmessage?.(this.queue.shift()!);
  }

  /** move the worker's clock, delivering as it goes */
  advance(ms: number): void {
    for (let t = 0; t < ms; t += 1000 / 60) {
      this.inner.advanceTime(1000 / 60);
      this.deliver();
    }
  }
}

export function makeDelayedLab(config: ExperimentConfig): { store: LabStore; worker(): DelayedWorker } {
  const workers: DelayedWorker[] = [];
  const store = createLabStore(config, { title: 'Test caption', lookFor: 'what to look for' }, {
    createWorker: () => {
      const worker = new DelayedWorker();
      workers.push(worker);
      return worker;
    },
    afterPaint: (callback) => callback(),
  });
  store.getState().start();
  workers[0].deliver();
  return { store, worker: () => workers[workers.length - 1] };
}
