/**
 * Watches the WebGPU device that tfjs trains on, so that the worker can fall back to the next backend and go on
 * from its last checkpoint when the device is lost (a driver reset, the GPU process crashing, `device.destroy()`).
 *
 * tfjs-backend-webgpu 4.22 creates its own `GPUDevice` in the backend factory and keeps it as the public
 * `device` field of its `WebGPUBackend` (the instance tfjs holds in `tf.engine().registry.webgpu` once the
 * backend is initialised). `device.lost` is a promise that resolves once, with `{ reason, message }`.
 *
 * After a loss every tensor that lived on the device is gone: dispose the model, call
 * `selectBackend({ exclude: ['webgpu'], … })` and restore the checkpoint on the backend it picks.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

export interface DeviceLoss {
  backend: 'webgpu';
  /** GPUDeviceLostReason: 'destroyed' after `device.destroy()`, 'unknown' otherwise */
  reason: string;
  message: string;
}

export interface DeviceLossWatcher {
  /** resolves with the loss, or never when the watcher is stopped first */
  readonly lost: Promise<DeviceLoss>;
  /** stops reporting (e.g. when the app switches backend on purpose); the callback is not called after this */
  stop(): void;
}

function looksLikeGpuDevice(candidate: unknown): candidate is GPUDevice {
  return typeof candidate === 'object' && candidate !== null && 'lost' in candidate && 'queue' in candidate && typeof (candidate as GPUDevice).destroy === 'function';
}

/**
 * The device of tfjs's webgpu backend, or null when that backend has not been initialised here (not registered,
 * never selected, or this is Node). Never initialises it.
 */
export function webGpuDeviceOfTfjs(): GPUDevice | null {
  const backend = tf.engine().registry.webgpu as Partial<Pick<WebGPUBackend, 'device'>> | undefined;
  return looksLikeGpuDevice(backend?.device) ? backend.device : null;
}

/**
 * Starts watching the device of tfjs's webgpu backend; `onLost` is called once if it is lost (never after
 * `stop()`). Returns null when there is no such device to watch (webgpu is not in use).
 */
export function watchWebGpuDeviceLoss(onLost?: (loss: DeviceLoss) => void, device: GPUDevice | null = webGpuDeviceOfTfjs()): DeviceLossWatcher | null {
  if (device === null) return null;
  let stopped = false;
  const lost = new Promise<DeviceLoss>((resolve) => {
    void device.lost.then((info) => {
      if (stopped) return;
      const loss: DeviceLoss = { backend: 'webgpu', reason: String(info.reason), message: info.message || 'the WebGPU device was lost' };
      onLost?.(loss);
      resolve(loss);
    });
  });
  return {
    lost,
    stop() {
      stopped = true;
    },
  };
}

/** The text of the visible notice, e.g. "WebGPU device lost (destroyed): …; continuing on wasm from step 120". */
export function describeDeviceLoss(loss: DeviceLoss): string {
  return `WebGPU device lost (${loss.reason}): ${loss.message}`;
}
