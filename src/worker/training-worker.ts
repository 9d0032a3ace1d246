/** The training worker: a `TrainingSession` wired to the worker's message port and timers. */
import type { FromWorker, ToWorker } from './protocol.ts';
import { TrainingSession } from './training-session.ts';

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

// A zero-delay yield through a message channel: nested setTimeout(0) is clamped to 4 ms, which would
// idle the "as fast as possible" loop for a quarter of the time. Messages from the app still get a turn
// in between, because each callback is its own task.
const channel = new MessageChannel();
const immediate: Array<() => void> = [];
channel.port1.onmessage = () => immediate.shift()?.();

const session = new TrainingSession({
  post: (message, transfer) => scope.postMessage(message, transfer),
  now: () => performance.now(),
  schedule: (callback, delay) => {
    if (delay > 0) {
      setTimeout(callback, delay);
      return;
    }
    immediate.push(callback);
    channel.port2.postMessage(null);
  },
});

scope.onmessage = (event) => session.handle(event.data);
