/**
 * The MLP companion worker (a module worker): an `MlpSession` wired to the worker's port. The page creates it
 * only when the companion is switched on, so tfjs and its wasm binaries load only then. Backends register
 * themselves when tried (src/worker/backend/candidates.ts: wasm with the `?url` asset URLs served by Vite).
 */
import { selectBackend } from '../backend/select-backend.ts';
import { MlpSession } from './mlp-session.ts';
import type { FromMlpWorker, ToMlpWorker } from './protocol.ts';
import { scheduleInWorker } from '../worker-schedule.ts';

const scope = self as unknown as {
  postMessage(message: FromMlpWorker): void;
  onmessage: ((event: MessageEvent<ToMlpWorker>) => void) | null;
};

const session = new MlpSession({
  post: (message) => scope.postMessage(message),
  now: () => performance.now(),
  schedule: scheduleInWorker,
  selectBackend,
  log: (line) => console.info(`[mlp backend] ${line}`),
});

scope.onmessage = (event) => session.handle(event.data);
