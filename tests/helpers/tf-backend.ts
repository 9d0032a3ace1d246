/**
 * tfjs backend set-up for Node tests. 'wasm' follows platform-notes appendix A minus the Vite `?url`
 * imports: in Node the backend finds its .wasm files next to its own module. The flag must be set after
 * the import (it registers the flag) and before setBackend (pitfall 3).
 */
import * as tf from '@tensorflow/tfjs';

export type TestBackend = 'cpu' | 'wasm';

export async function useBackend(name: TestBackend): Promise<void> {
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`setBackend(${name}) failed; the backend is ${tf.getBackend()}`);
}
