/** What bench/neural-browser.ts sends to and gets from the benchmark page (plain JSON). */
import type { GptPlan, MlpTiming, TensorCounts } from '../neural-workload.ts';

export type BrowserBackend = 'webgpu' | 'webgl' | 'wasm';

export interface BrowserBenchPlan {
  transposeFree: boolean;
  gpt: GptPlan;
  referenceRepeats: number;
  referenceBatches: number;
  mlpSteps: number;
  mlpWarmUpSteps: number;
}

export interface BrowserBenchResult {
  backend: BrowserBackend;
  userAgent: string;
  adapter: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean | null } | null;
  available: boolean;
  /** why the backend could not be used (or failed) */
  reason?: string;
  backendDetail?: { wasmSimd?: boolean; renderer?: string };
  matMulGradient?: 'transpose-free' | 'tf.matMul';
  gpt?: {
    msPerStep: number;
    msFastestStep: number;
    stepTimes: number[];
    msSampling: number;
    samplingTimes: number[];
    msPerCollection: number;
    stepsPerCollection: number;
    firstLoss: number;
    tensors: TensorCounts;
  };
  reference?: { msPerMatMul: number; msPerMatMulRange: number[]; batches: number; gflopsPerSecond: number; msPerStepAtReference: number };
  ratioToReference?: number;
  mlp?: MlpTiming[];
  seconds?: number;
}
