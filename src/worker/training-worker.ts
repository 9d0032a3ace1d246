/** The training worker: a `TrainingSession` wired to the worker's message port and timers. */
import type { FromWorker, ToWorker } from './protocol.ts';
import { TrainingSession } from './training-session.ts';
import { scheduleInWorker } from './worker-schedule.ts';

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const session = new TrainingSession({
  post: (message, transfer) => scope.postMessage(message, transfer),
  now: () => performance.now(),
  schedule: scheduleInWorker,
});

scope.onmessage = (event) => session.handle(event.data);
