/**
 * The neural training worker (a module worker): a `NeuralSession` wired to the worker's message port and timers.
 * The tfjs backends are registered by the candidates of select-backend.ts as docs/backends.md says (webgpu by a
 * dynamic import of tfjs-backend-webgpu; wasm by a dynamic import of tfjs-backend-wasm, the multithread flag
 * off, and `setWasmPaths` with the `?url` asset URLs of wasm-asset-urls.ts, served by Vite; webgl and cpu come
 * with @tensorflow/tfjs), each only when it is tried.
 */
import { webGpuDeviceOfTfjs } from '../backend/device-loss.ts';
import { selectBackend } from '../backend/select-backend.ts';
import { watchDeviceLossOfTfjs } from './neural-backend.ts';
import { NeuralSession } from './neural-session.ts';
import type { FromNeuralWorker, ToNeuralWorker } from './protocol.ts';
import { scheduleInWorker } from '../worker-schedule.ts';

const scope = self as unknown as {
  postMessage(message: FromNeuralWorker): void;
  onmessage: ((event: MessageEvent<ToNeuralWorker>) => void) | null;
};

const session = new NeuralSession({
  post: (message) => scope.postMessage(message),
  now: () => performance.now(),
  schedule: scheduleInWorker,
  selectBackend,
  watchDeviceLoss: watchDeviceLossOfTfjs,
  // the `lose-device` hook (end-to-end tests, the console): what a driver reset does to the device
  loseDevice: (backend) => {
    const device = backend === 'webgpu' ? webGpuDeviceOfTfjs() : null;
    device?.destroy();
    return device !== null;
  },
  log: (line) => console.info(`[neural backend] ${line}`),
});

scope.onmessage = (event) => session.handle(event.data);
