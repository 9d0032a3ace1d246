/**
 * The browser side of the neural benchmark (bench/neural-browser.ts drives it through Playwright): the same
 * workload as the Node bench (bench/neural-workload.ts) on one tfjs backend per page load, on the main thread.
 * `window.modeLabNeuralBench(backend, plan)` sets the backend up (or reports why it cannot), then times the
 * reference matMul, gpt-nano's sampling and steps, and the MLP step, and returns plain JSON.
 */
import * as tf from '@tensorflow/tfjs';
import plainWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { median, OFFICIAL_STEP_FLOPS, REFERENCE_FLOPS, referenceMatMulTimes, timeGptNano, timeMlp } from '../neural-workload.ts';
import type { BrowserBackend, BrowserBenchPlan, BrowserBenchResult } from './protocol.ts';

async function describeAdapter(): Promise<BrowserBenchResult['adapter']> {
  if (!('gpu' in navigator) || !navigator.gpu) return null;
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return null;
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  const fallback = (info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined)?.isFallbackAdapter ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? null;
  return { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', description: info?.description ?? '', isFallbackAdapter: fallback };
}

/** null when the backend works; else why not */
async function setUp(backend: BrowserBackend): Promise<string | null> {
  if (backend === 'webgpu') {
    if (!('gpu' in navigator) || !navigator.gpu) return 'navigator.gpu does not exist in this browser';
    if (!(await navigator.gpu.requestAdapter())) return 'navigator.gpu.requestAdapter() returned null (no WebGPU adapter; Chromium needs --enable-unsafe-webgpu here)';
    await import('@tensorflow/tfjs-backend-webgpu');
  } else if (backend === 'webgl') {
    const canvas = document.createElement('canvas');
    if (!canvas.getContext('webgl2')) return 'no WebGL2 context';
  } else {
    if (typeof WebAssembly !== 'object') return 'WebAssembly does not exist here';
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': plainWasmUrl, 'tfjs-backend-wasm-simd.wasm': simdWasmUrl, 'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdWasmUrl });
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch (error) {
    return `tf.setBackend('${backend}') threw: ${String(error)}`;
  }
  if (!ok || tf.getBackend() !== backend) return `tf.setBackend('${backend}') returned ${ok}; the backend is ${tf.getBackend()}`;
  return null;
}

async function run(backend: BrowserBackend, plan: BrowserBenchPlan): Promise<BrowserBenchResult> {
  const started = performance.now();
  const adapter = backend === 'webgpu' ? await describeAdapter() : null;
  const unavailable = await setUp(backend);
  const base = { backend, userAgent: navigator.userAgent, adapter };
  if (unavailable) return { ...base, available: false, reason: unavailable };
  const extra: BrowserBenchResult['backendDetail'] = {};
  if (backend === 'wasm') extra.wasmSimd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT' as never) as unknown as boolean;
  if (backend === 'webgl') {
    const gl = document.createElement('canvas').getContext('webgl2');
    const debug = gl?.getExtension('WEBGL_debug_renderer_info');
    extra.renderer = gl && debug ? String(gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)) : gl ? String(gl.getParameter(gl.RENDERER)) : '';
  }
  const referenceTimes = await referenceMatMulTimes(plan.referenceRepeats, plan.referenceBatches);
  const interleave = async (): Promise<void> => {
    referenceTimes.push(...(await referenceMatMulTimes(plan.referenceRepeats, 1)));
  };
  const timing = await timeGptNano(plan.transposeFree, plan.gpt, interleave);
  const tensors = timing.finish();
  referenceTimes.push(...(await referenceMatMulTimes(plan.referenceRepeats, plan.referenceBatches)));
  const msPerMatMul = median(referenceTimes);
  const flopsPerSecond = REFERENCE_FLOPS / (msPerMatMul / 1000);
  const msPerStepAtReference = (OFFICIAL_STEP_FLOPS.step / flopsPerSecond) * 1000;
  const mlp = [];
  for (const [configuration, contexts, samples] of [
    ['on-policy S 10 × N 10', 10, 10],
    ['offline 100 × 10', 100, 10],
  ] as const) {
    mlp.push(await timeMlp(configuration, contexts, samples, plan.transposeFree, plan.mlpSteps, plan.mlpWarmUpSteps));
  }
  const msPerStep = median(timing.stepTimes);
  return {
    ...base,
    available: true,
    backendDetail: extra,
    matMulGradient: plan.transposeFree ? 'transpose-free' : 'tf.matMul',
    gpt: {
      msPerStep,
      msFastestStep: Math.min(...timing.stepTimes),
      stepTimes: timing.stepTimes,
      msSampling: median(timing.samplingTimes),
      samplingTimes: timing.samplingTimes,
      msPerCollection: median(timing.collectionTimes),
      stepsPerCollection: plan.gpt.stepsPerCollection,
      firstLoss: timing.firstLoss,
      tensors,
    },
    reference: { msPerMatMul, msPerMatMulRange: [Math.min(...referenceTimes), Math.max(...referenceTimes)], batches: referenceTimes.length, gflopsPerSecond: flopsPerSecond / 1e9, msPerStepAtReference },
    ratioToReference: msPerStep / msPerStepAtReference,
    mlp,
    seconds: (performance.now() - started) / 1000,
  };
}

declare global {
  interface Window {
    modeLabNeuralBench: (backend: BrowserBackend, plan: BrowserBenchPlan) => Promise<BrowserBenchResult>;
  }
}

window.modeLabNeuralBench = async (backend, plan) => {
  try {
    return await run(backend, plan);
  } catch (error) {
    return { backend, userAgent: navigator.userAgent, adapter: null, available: false, reason: `failed while running: ${error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)}` };
  }
};
document.title = 'neural bench ready';
