/** The store's `requestExport`: the worker's full series, or a clear refusal when it cannot be trusted. */
import { describe, expect, it } from 'vitest';
import { createLabStore, type WorkerLike } from '../../src/app/store/lab-store.ts';
import { parseExperimentConfigOrThrow } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { METRIC_KEYS } from '../../src/lab/metrics.ts';
import { runExperiment } from '../../src/lab/run-experiment.ts';
import type { FromWorker, ToWorker } from '../../src/worker/protocol.ts';
import { createTestStore, InProcessWorker } from '../helpers/in-process-worker.ts';

const F1 = parseExperimentConfigOrThrow(findPreset('f1-r1')!.config);

/** the in-process worker, but its messages reach the store only when the test delivers them (as a real worker's would, later) */
class LateWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  readonly inner = new InProcessWorker();
  private readonly queue: Array<MessageEvent<FromWorker>> = [];

  constructor() {
    this.inner.onmessage = (event) => this.queue.push(event);
  }
  postMessage(message: ToWorker): void {
    this.inner.postMessage(message);
  }
  terminate(): void {
    this.inner.terminate();
  }
  deliver(): void {
    while (this.queue.length) this.onmessage?.(this.queue.shift()!);
  }
}

function lateStore() {
  const workers: LateWorker[] = [];
  const store = createLabStore(F1, { title: 't', lookFor: 'l' }, {
    createWorker: () => {
      const w = new LateWorker();
      workers.push(w);
      return w;
    },
    afterPaint: (callback) => callback(),
  });
  store.getState().start();
  workers[0].deliver();
  return { store, worker: workers[0] };
}

describe('requestExport', () => {
  it('resolves with every run\'s full series, equal to the core\'s', async () => {
    const { store } = createTestStore(F1);
    for (let i = 0; i < 25; i++) store.getState().stepOnce();
    const runs = await store.getState().requestExport();
    const [cli] = runExperiment(F1);
    expect(runs.map((r) => r.name)).toEqual(F1.runs.map((r) => r.name));
    runs.forEach((run, i) => {
      expect(run.rows).toEqual(Array.from({ length: 26 }, (_, r) => METRIC_KEYS.map((key) => cli.comparison.runs[i].metrics.at(key, r))));
      expect(run.finalProbs).toHaveLength(100);
    });
    // the store itself keeps only the chart rows; the export has all of them
    expect(store.view.series[0].length).toBe(26);
  });

  it('answers several requests, each with its own answer', async () => {
    const { store, worker } = lateStore();
    const first = store.getState().requestExport();
    store.getState().stepOnce();
    const second = store.getState().requestExport();
    worker.deliver();
    expect((await first)[0].rows).toHaveLength(1);
    expect((await second)[0].rows).toHaveLength(2);
  });

  it('rejects an answer about a comparison that a newer load replaced', async () => {
    const { store, worker } = lateStore();
    const request = store.getState().requestExport();
    store.getState().reset();
    worker.deliver();
    await expect(request).rejects.toThrow('the experiment changed before its metrics arrived; export again');
    // the next request, about the new comparison, is answered
    const again = store.getState().requestExport();
    worker.deliver();
    await expect(again).resolves.toHaveLength(5);
  });

  it('rejects when the worker crashes before answering, and refuses while there is no experiment', async () => {
    const { store, worker } = lateStore();
    const request = store.getState().requestExport();
    worker.onerror?.({ message: 'out of memory', preventDefault() {} } as ErrorEvent);
    await expect(request).rejects.toThrow('the training worker stopped before it sent the metrics');
    await expect(store.getState().requestExport()).rejects.toThrow('the training worker has stopped; restart it first');

    const starting = createLabStore(F1, { title: 't', lookFor: 'l' }, { createWorker: () => new LateWorker(), afterPaint: (c) => c() });
    starting.getState().start();
    await expect(starting.getState().requestExport()).rejects.toThrow('the experiment is still loading');
  });
});
