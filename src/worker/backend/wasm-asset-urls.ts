/**
 * Where Vite serves tfjs-backend-wasm's binaries (platform notes, appendix A): `?url` imports of the files in the
 * package, so they are fingerprinted into the build and served by the dev server, never fetched from a CDN.
 * Browser-only (Node cannot import `?url`): candidates.ts loads this module dynamically, outside Node.
 */
import plainWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const WASM_FILE_URLS = {
  'tfjs-backend-wasm.wasm': plainWasmUrl,
  'tfjs-backend-wasm-simd.wasm': simdWasmUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdWasmUrl,
};
