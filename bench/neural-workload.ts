/**
 * The neural benchmark's workload, shared by the Node bench (bench/neural.ts) and the browser bench
 * (bench/neural-browser/page.ts): no Node or DOM imports here, only tfjs and the lab.
 *
 * gpt-nano (spec C.2, vocab 100) on the official on-policy configuration (spec B.11,
 * `onpolicy_transformer_best_of_n.sh`): S = 10 prompts × N = 10 samples = 100 sequences of 1 prompt token +
 * 9 sampled tokens, T = 10 gradient steps on the same samples per collection. A step is `surrogateStep` with
 * best-of-N coefficients; sampling is timed on its own. The reference: the step's FLOP count (below) at the
 * throughput of a plain, non-transposed [1000 × 48] · [48 × 192] tf.matMul on the same backend.
 *
 * FLOPs of one gpt-nano gradient step (a multiply-add counts 2; R = B·T rows, C embedding, V vocab,
 * L layers, B sequences of length T):
 *   forward matMuls per layer: qkv 2·R·C·3C + attention projection 2·R·C·C + MLP 2·R·C·4C + 2·R·4C·C
 *                              = 24·R·C², plus the attention scores Q·Kᵀ and weights·V, 2·B·T²·C each
 *   forward: F = L·(24·R·C² + 4·B·T²·C) + 2·R·C·V (lm_head) + 2·R·V·C (the one-hot embedding matMul)
 *   step ≈ 3·(F − embedding) + 2·embedding: the backward of each matMul costs twice its forward (the
 *   gradients of both operands), except the embedding's, whose one-hot operand needs no gradient.
 * Element-wise work (LayerNorm, GELU, softmax, masks, Adam: a few MFLOP) is left out; at B = 100, T = 10
 * the step is ≈ 563 MFLOP, the forward ≈ 191 MFLOP.
 */
import * as tf from '@tensorflow/tfjs';
import { stream } from '../src/lab/random.ts';
import { GptNano, gptNanoConfig } from '../src/lab/policies/gpt-nano.ts';
import { banditContexts, MlpPolicy, officialMlpConfig } from '../src/lab/policies/mlp-policy.ts';

export const SEED = 1;
export const PROMPTS = 10;
export const SAMPLES_PER_PROMPT = 10;
export const NEW_TOKENS = 9;
export const PROMPT_LENGTH = 1;
export const PASSES = 10; // T = num_iterations_on_same_samples
export const VOCAB = 100;
export const LEARNING_RATE = 3e-5; // onpolicy_transformer_best_of_n.sh
export const TARGET_RATIO = 4;
export const REFERENCE_SHAPE = { rows: 1000, inner: 48, cols: 192 } as const;
export const REFERENCE_FLOPS = 2 * REFERENCE_SHAPE.rows * REFERENCE_SHAPE.inner * REFERENCE_SHAPE.cols;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/** the analytic FLOP count of the header comment */
export function gptStepFlops(batch: number, length: number, vocab: number, nLayer: number, nEmbd: number): { forward: number; step: number } {
  const rows = batch * length;
  const perLayer = 24 * rows * nEmbd * nEmbd + 4 * batch * length * length * nEmbd;
  const head = 2 * rows * nEmbd * vocab;
  const embedding = 2 * rows * vocab * nEmbd;
  const forward = nLayer * perLayer + head + embedding;
  return { forward, step: 3 * (forward - embedding) + 2 * embedding };
}

export const OFFICIAL_STEP_FLOPS = gptStepFlops(PROMPTS * SAMPLES_PER_PROMPT, PROMPT_LENGTH + NEW_TOKENS, VOCAB, 3, 48);

/**
 * ms per plain [rows × inner]·[inner × cols] tf.matMul, one entry per batch of `repeats` (the result read back
 * per batch, so GPU backends are timed for the work), after a warm-up batch.
 */
export async function referenceMatMulTimes(repeats: number, batches: number): Promise<number[]> {
  const { rows, inner, cols } = REFERENCE_SHAPE;
  const rng = stream(SEED, 'bench', 'reference-matmul');
  const a = tf.tensor2d(Float32Array.from({ length: rows * inner }, () => rng.uniform() - 0.5), [rows, inner]);
  const b = tf.tensor2d(Float32Array.from({ length: inner * cols }, () => rng.uniform() - 0.5), [inner, cols]);
  const batch = async (count: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < count - 1; i++) tf.matMul(a, b).dispose();
    const last = tf.matMul(a, b);
    await last.data();
    last.dispose();
    return (performance.now() - t0) / count;
  };
  await batch(Math.max(3, Math.ceil(repeats / 4))); // warm-up
  const times: number[] = [];
  for (let i = 0; i < batches; i++) times.push(await batch(repeats));
  a.dispose();
  b.dispose();
  return times;
}

/** a stand-in sequence reward (a Gaussian bump per token around 70); only the best-of-N choice depends on it */
function sequenceReward(tokens: Int32Array, row: number, length: number): number {
  let total = 0;
  for (let t = PROMPT_LENGTH; t < length; t++) {
    const d = (tokens[row * length + t] - 70) / 10;
    total += Math.exp(-0.5 * d * d);
  }
  return total;
}

/** best-of-N coefficients: 1/S for the best sample of each prompt, 0 otherwise */
export function bestOfNCoefficients(tokens: Int32Array, length: number): Float32Array {
  const c = new Float32Array(PROMPTS * SAMPLES_PER_PROMPT);
  for (let p = 0; p < PROMPTS; p++) {
    let best = p * SAMPLES_PER_PROMPT;
    let bestReward = -Infinity;
    for (let j = 0; j < SAMPLES_PER_PROMPT; j++) {
      const row = p * SAMPLES_PER_PROMPT + j;
      const r = sequenceReward(tokens, row, length);
      if (r > bestReward) {
        bestReward = r;
        best = row;
      }
    }
    c[best] = 1 / PROMPTS;
  }
  return c;
}

export interface TensorCounts {
  beforeModel: number;
  afterWarmUp: number;
  afterTimed: number;
  afterDispose: number;
}

export interface GptPlan {
  /** timed collections, each one sampling + `stepsPerCollection` steps */
  collections: number;
  /** PASSES for the official configuration; fewer where a backend is too slow to run ten */
  stepsPerCollection: number;
  /** gradient steps in the warm-up (after one sampling) */
  warmUpSteps: number;
}

export interface GptTiming {
  stepTimes: number[];
  samplingTimes: number[];
  collectionTimes: number[];
  /** the loss of the very first step (same seed and data on every backend: a cross-backend check) */
  firstLoss: number;
  tensors: TensorCounts;
  model: GptNano;
}

/**
 * Times gpt-nano on the current backend. `interleave` runs before every timed collection (e.g. reference
 * matMul batches, so that both sides of the ratio see the same load). The model is returned undisposed (the
 * Node bench times its dropout masks); call `finish` to dispose it and count the tensors.
 */
export async function timeGptNano(transposeFree: boolean, plan: GptPlan, interleave: () => Promise<void> = async () => {}): Promise<GptTiming & { finish(): TensorCounts }> {
  const beforeModel = tf.memory().numTensors;
  const model = new GptNano(gptNanoConfig(VOCAB, SEED, { transposeFreeMatMul: transposeFree }));
  const adam = model.createAdam();
  const batch = PROMPTS * SAMPLES_PER_PROMPT;
  const length = PROMPT_LENGTH + NEW_TOKENS;
  let collectionIndex = 0;
  let firstLoss = Number.NaN;

  /** one collection's sampling: prompts [S·N, 1] (each prompt N times), read back; returns the tokens and the time */
  const sample = async (): Promise<{ tokens: tf.Tensor2D; host: Int32Array; ms: number }> => {
    const rng = stream(SEED, 'bench', 'on-policy-sampling', collectionIndex++);
    const promptTokens = new Int32Array(batch);
    for (let p = 0; p < PROMPTS; p++) {
      const token = Math.floor(rng.uniform() * VOCAB);
      for (let j = 0; j < SAMPLES_PER_PROMPT; j++) promptTokens[p * SAMPLES_PER_PROMPT + j] = token;
    }
    const uniforms = new Float64Array(batch * NEW_TOKENS);
    rng.fillUniform(uniforms);
    const t0 = performance.now();
    const prompts = tf.tensor2d(promptTokens, [batch, PROMPT_LENGTH], 'int32');
    const tokens = model.sample(prompts, uniforms, NEW_TOKENS);
    prompts.dispose();
    const host = (await tokens.data()) as Int32Array;
    return { tokens, host, ms: performance.now() - t0 };
  };
  const step = async (tokens: tf.Tensor2D, coefficients: Float32Array): Promise<number> => {
    const t0 = performance.now();
    const { loss } = await model.surrogateStep(tokens, { perSequence: coefficients }, adam, {
      promptLength: PROMPT_LENGTH,
      scoring: 'shifted',
      learningRate: LEARNING_RATE,
    });
    if (!Number.isFinite(loss)) throw new Error(`gpt-nano on ${tf.getBackend()}: non-finite loss ${loss}`);
    if (Number.isNaN(firstLoss)) firstLoss = loss;
    return performance.now() - t0;
  };

  // warm-up: one sampling and a step or two
  {
    const { tokens, host } = await sample();
    const c = bestOfNCoefficients(host, length);
    for (let s = 0; s < plan.warmUpSteps; s++) await step(tokens, c);
    tokens.dispose();
  }
  const afterWarmUp = tf.memory().numTensors;

  const stepTimes: number[] = [];
  const samplingTimes: number[] = [];
  const collectionTimes: number[] = [];
  for (let k = 0; k < plan.collections; k++) {
    await interleave();
    const t0 = performance.now();
    const { tokens, host, ms } = await sample();
    samplingTimes.push(ms);
    const c = bestOfNCoefficients(host, length);
    for (let pass = 0; pass < plan.stepsPerCollection; pass++) stepTimes.push(await step(tokens, c));
    tokens.dispose();
    collectionTimes.push(performance.now() - t0);
  }
  const afterTimed = tf.memory().numTensors;
  const tensors: TensorCounts = { beforeModel, afterWarmUp, afterTimed, afterDispose: Number.NaN };
  return {
    stepTimes,
    samplingTimes,
    collectionTimes,
    firstLoss,
    tensors,
    model,
    finish: () => {
      adam.dispose();
      model.dispose();
      tensors.afterDispose = tf.memory().numTensors;
      return tensors;
    },
  };
}

export interface MlpTiming {
  configuration: string;
  contexts: number;
  samples: number;
  msPerStep: number;
  timedSteps: number;
  tensors: TensorCounts;
}

/** the official MLP agent (spec C.1): one surrogate step with per-sample best-of-N style coefficients */
export async function timeMlp(configuration: string, contexts: number, samples: number, transposeFree: boolean, timedSteps: number, warmUpSteps = 5): Promise<MlpTiming> {
  const beforeModel = tf.memory().numTensors;
  const policy = new MlpPolicy(officialMlpConfig(SEED, { transposeFreeMatMul: transposeFree }));
  const adam = policy.createAdam();
  const states = tf.tensor2d(banditContexts(SEED, contexts, 0).train, [contexts, policy.config.stateDim]);
  const rng = stream(SEED, 'bench', 'mlp-actions', contexts, samples);
  const actionValues = Int32Array.from({ length: contexts * samples }, () => Math.floor(rng.uniform() * policy.config.actions));
  const actions = tf.tensor2d(actionValues, [contexts, samples], 'int32');
  // best-of-N style: 1/S on the highest action of each context (a stand-in reward)
  const coefficients = new Float32Array(contexts * samples);
  for (let s = 0; s < contexts; s++) {
    let best = s * samples;
    for (let j = 1; j < samples; j++) if (actionValues[s * samples + j] > actionValues[best]) best = s * samples + j;
    coefficients[best] = 1 / contexts;
  }
  const step = async (): Promise<number> => {
    const t0 = performance.now();
    const { loss } = await policy.surrogateStep(states, actions, { perSample: coefficients }, adam, 1e-3);
    if (!Number.isFinite(loss)) throw new Error(`MLP on ${tf.getBackend()}: non-finite loss`);
    return performance.now() - t0;
  };
  for (let i = 0; i < warmUpSteps; i++) await step();
  const afterWarmUp = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < timedSteps; i++) times.push(await step());
  const afterTimed = tf.memory().numTensors;
  states.dispose();
  actions.dispose();
  adam.dispose();
  policy.dispose();
  const afterDispose = tf.memory().numTensors;
  return { configuration, contexts, samples, msPerStep: median(times), timedSteps: times.length, tensors: { beforeModel, afterWarmUp, afterTimed, afterDispose } };
}
