/**
 * `npm run bench` (neural part): speed of the tfjs policies in Node, per backend (wasm, cpu).
 *   1. gpt-nano (spec C.2, vocab 100) on the official on-policy configuration (spec B.11,
 *      `onpolicy_transformer_best_of_n.sh`): S = 10 prompts × N = 10 samples = 100 sequences of
 *      1 prompt token + 9 sampled tokens, and T = 10 gradient steps on the same samples per collection.
 *      A collection = sampling (batched on the device, read back) + host rewards and best-of-N coefficients
 *      + T surrogate steps (host dropout masks, forward, backward, Adam, loss and norm read back).
 *      On wasm both with tfjs's own matMul gradient and with the transpose-free one; on cpu the plain one.
 *   2. the reference: the step's FLOP count (analytic, below) divided by the FLOP/s of a plain,
 *      non-transposed [1000 × 48] · [48 × 192] tf.matMul timed in the same process on the same backend.
 *      Target: step time within 4× of that on wasm in Node on a 2-core machine.
 *   3. the official MLP agent (spec C.1) on the 1-D configurations: on-policy S = 10 × N = 10 and
 *      offline 100 × 10, one surrogate step each.
 *   4. tfjs tensor counts: flat across the timed work (fails if they grow), back to the start after dispose.
 * Medians after warm-up. Printed, and written to bench/neural-results.json.
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
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { stream } from '../src/lab/random.ts';
import { GptNano, gptNanoConfig } from '../src/lab/policies/gpt-nano.ts';
import { banditContexts, MlpPolicy, officialMlpConfig } from '../src/lab/policies/mlp-policy.ts';
import { useBackend, type TestBackend } from '../tests/helpers/tf-backend.ts';

const SEED = 1;
const PROMPTS = 10;
const SAMPLES_PER_PROMPT = 10;
const NEW_TOKENS = 9;
const PROMPT_LENGTH = 1;
const PASSES = 10; // T = num_iterations_on_same_samples
const VOCAB = 100;
const LEARNING_RATE = 3e-5; // onpolicy_transformer_best_of_n.sh
const TARGET_RATIO = 4;
const REFERENCE_SHAPE = { rows: 1000, inner: 48, cols: 192 } as const;

interface Plan {
  /** timed collections, each one sampling + PASSES steps */
  collections: number;
  /** gradient steps in the warm-up (after one sampling) */
  warmUpSteps: number;
  referenceBatches: number;
  referenceRepeats: number;
  mlpSteps: number;
  dropoutMaskRepeats: number;
}

const PLANS: Record<TestBackend, Plan> = {
  wasm: { collections: 3, warmUpSteps: 2, referenceBatches: 5, referenceRepeats: 40, mlpSteps: 30, dropoutMaskRepeats: 10 },
  // cpu is ≈ 20× slower: one timed collection (10 steps), a shorter warm-up, fewer repetitions
  cpu: { collections: 1, warmUpSteps: 1, referenceBatches: 3, referenceRepeats: 4, mlpSteps: 10, dropoutMaskRepeats: 3 },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/** the analytic FLOP count of the header comment */
function gptStepFlops(batch: number, length: number, vocab: number, nLayer: number, nEmbd: number): { forward: number; step: number } {
  const rows = batch * length;
  const perLayer = 24 * rows * nEmbd * nEmbd + 4 * batch * length * length * nEmbd;
  const head = 2 * rows * nEmbd * vocab;
  const embedding = 2 * rows * vocab * nEmbd;
  const forward = nLayer * perLayer + head + embedding;
  return { forward, step: 3 * (forward - embedding) + 2 * embedding };
}

/** ms per plain [rows × inner]·[inner × cols] tf.matMul, one entry per batch of `repeats` (result read back per batch), after a warm-up */
async function referenceMatMulTimes(plan: Plan, batches = plan.referenceBatches): Promise<number[]> {
  const { rows, inner, cols } = REFERENCE_SHAPE;
  const rng = stream(SEED, 'bench', 'reference-matmul');
  const a = tf.tensor2d(Float32Array.from({ length: rows * inner }, () => rng.uniform() - 0.5), [rows, inner]);
  const b = tf.tensor2d(Float32Array.from({ length: inner * cols }, () => rng.uniform() - 0.5), [inner, cols]);
  const batch = async (repeats: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < repeats - 1; i++) tf.matMul(a, b).dispose();
    const last = tf.matMul(a, b);
    await last.data();
    last.dispose();
    return (performance.now() - t0) / repeats;
  };
  await batch(Math.max(3, Math.ceil(plan.referenceRepeats / 4))); // warm-up
  const times: number[] = [];
  for (let i = 0; i < batches; i++) times.push(await batch(plan.referenceRepeats));
  a.dispose();
  b.dispose();
  return times;
}

const REFERENCE_FLOPS = 2 * REFERENCE_SHAPE.rows * REFERENCE_SHAPE.inner * REFERENCE_SHAPE.cols;

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
function bestOfNCoefficients(tokens: Int32Array, length: number): Float32Array {
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

interface GptResult {
  backend: TestBackend;
  matMul: 'tf.matMul' | 'transpose-free';
  msPerStep: number;
  /** the fastest step, for a contention-insensitive ratio */
  msFastestStep: number;
  msSampling: number;
  msPerCollection: number;
  msDropoutMasks: number;
  timedSteps: number;
  timedSamplings: number;
  tensors: { beforeModel: number; afterWarmUp: number; afterTimed: number; afterDispose: number };
}

/** `interleave` runs before every timed collection (the reference matMul batches, so that both see the same load) */
async function benchGpt(backend: TestBackend, transposeFree: boolean, plan: Plan, interleave: () => Promise<void>): Promise<GptResult> {
  const beforeModel = tf.memory().numTensors;
  const model = new GptNano(gptNanoConfig(VOCAB, SEED, { transposeFreeMatMul: transposeFree }));
  const adam = model.createAdam();
  const batch = PROMPTS * SAMPLES_PER_PROMPT;
  const length = PROMPT_LENGTH + NEW_TOKENS;
  let collectionIndex = 0;

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
    if (!Number.isFinite(loss)) throw new Error(`gpt-nano ${backend}: non-finite loss ${loss}`);
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
    for (let pass = 0; pass < PASSES; pass++) stepTimes.push(await step(tokens, c));
    tokens.dispose();
    collectionTimes.push(performance.now() - t0);
  }
  const afterTimed = tf.memory().numTensors;

  // the host-side part of a step: this step's dropout masks drawn from the seeded stream and uploaded
  const maskTimes: number[] = [];
  for (let r = 0; r < plan.dropoutMaskRepeats; r++) {
    const t0 = performance.now();
    const masks = model.dropoutMasks(batch, length, 1_000_000 + r);
    maskTimes.push(performance.now() - t0);
    masks.embedding.dispose();
    for (const layer of masks.layers) {
      layer.attention.dispose();
      layer.attentionOutput.dispose();
      layer.mlpOutput.dispose();
    }
  }

  adam.dispose();
  model.dispose();
  const afterDispose = tf.memory().numTensors;

  const msPerStep = median(stepTimes);
  const msSampling = median(samplingTimes);
  return {
    backend,
    matMul: transposeFree ? 'transpose-free' : 'tf.matMul',
    msPerStep,
    msFastestStep: Math.min(...stepTimes),
    msSampling,
    msPerCollection: median(collectionTimes),
    msDropoutMasks: median(maskTimes),
    timedSteps: stepTimes.length,
    timedSamplings: samplingTimes.length,
    tensors: { beforeModel, afterWarmUp, afterTimed, afterDispose },
  };
}

interface MlpResult {
  backend: TestBackend;
  configuration: string;
  contexts: number;
  samples: number;
  matMul: 'tf.matMul' | 'transpose-free';
  msPerStep: number;
  timedSteps: number;
  tensors: { beforeModel: number; afterWarmUp: number; afterTimed: number; afterDispose: number };
}

async function benchMlp(backend: TestBackend, configuration: string, contexts: number, samples: number, transposeFree: boolean, plan: Plan): Promise<MlpResult> {
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
    if (!Number.isFinite(loss)) throw new Error(`MLP ${backend}: non-finite loss`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 5; i++) await step();
  const afterWarmUp = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < plan.mlpSteps; i++) times.push(await step());
  const afterTimed = tf.memory().numTensors;
  states.dispose();
  actions.dispose();
  adam.dispose();
  policy.dispose();
  const afterDispose = tf.memory().numTensors;
  return {
    backend,
    configuration,
    contexts,
    samples,
    matMul: transposeFree ? 'transpose-free' : 'tf.matMul',
    msPerStep: median(times),
    timedSteps: times.length,
    tensors: { beforeModel, afterWarmUp, afterTimed, afterDispose },
  };
}

const flops = gptStepFlops(PROMPTS * SAMPLES_PER_PROMPT, PROMPT_LENGTH + NEW_TOKENS, VOCAB, 3, 48);
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  tfjs: tf.version.tfjs,
  date: new Date().toISOString().slice(0, 10),
  loadAverageAtStart: loadavg().map((x) => round(x, 2)),
  loadAverageAtEnd: [] as number[],
};
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, tfjs ${machine.tfjs}`);
console.log(`load average at start: ${machine.loadAverageAtStart.join(', ')}`);

const failures: string[] = [];
const checkFlat = (what: string, t: { beforeModel: number; afterWarmUp: number; afterTimed: number; afterDispose: number }): void => {
  if (t.afterTimed !== t.afterWarmUp) failures.push(`${what}: tensor count grew from ${t.afterWarmUp} to ${t.afterTimed} during the timed steps`);
  if (t.afterDispose !== t.beforeModel) failures.push(`${what}: ${t.afterDispose - t.beforeModel} tensors left after dispose (${t.beforeModel} → ${t.afterDispose})`);
};

const gptResults: GptResult[] = [];
const mlpResults: MlpResult[] = [];
const references: Record<
  string,
  { flopsPerSecond: number; msPerMatMul: number; batches: number; msPerMatMulRange: number[]; msPerStepAtReference: number }
> = {};
const processTensors: Record<string, { start: number; end: number }> = {};
const started = performance.now();

for (const backend of ['wasm', 'cpu'] as const) {
  const plan = PLANS[backend];
  await useBackend(backend);
  const start = tf.memory().numTensors;
  // the reference is timed before, between the collections of, and after the gpt-nano runs (median over
  // all), so that a change of load on the shared cores affects both sides of the ratio alike
  const referenceTimes = await referenceMatMulTimes(plan);
  const interleave = async (): Promise<void> => {
    referenceTimes.push(...(await referenceMatMulTimes(plan, 1)));
  };
  const variants = backend === 'wasm' ? [true, false] : [false];
  for (const transposeFree of variants) {
    const result = await benchGpt(backend, transposeFree, plan, interleave);
    gptResults.push(result);
    checkFlat(`gpt-nano ${backend} ${result.matMul}`, result.tensors);
    console.log(`  [${((performance.now() - started) / 1000).toFixed(0)} s] gpt-nano ${backend} ${result.matMul}: ${result.msPerStep.toFixed(1)} ms/step`);
  }
  referenceTimes.push(...(await referenceMatMulTimes(plan)));
  const msPerMatMul = median(referenceTimes);
  const flopsPerSecond = REFERENCE_FLOPS / (msPerMatMul / 1000);
  references[backend] = {
    flopsPerSecond,
    msPerMatMul,
    batches: referenceTimes.length,
    msPerMatMulRange: [Math.min(...referenceTimes), Math.max(...referenceTimes)],
    msPerStepAtReference: (flops.step / flopsPerSecond) * 1000,
  };
  for (const transposeFree of variants) {
    for (const [configuration, contexts, samples] of [
      ['on-policy S 10 × N 10', 10, 10],
      ['offline 100 × 10', 100, 10],
    ] as const) {
      const result = await benchMlp(backend, configuration, contexts, samples, transposeFree, plan);
      mlpResults.push(result);
      checkFlat(`MLP ${backend} ${configuration} ${result.matMul}`, result.tensors);
    }
  }
  processTensors[backend] = { start, end: tf.memory().numTensors };
  if (processTensors[backend].end !== start) failures.push(`${backend}: ${start} tensors at the start, ${processTensors[backend].end} at the end`);
}
machine.loadAverageAtEnd = loadavg().map((x) => round(x, 2));
const totalSeconds = (performance.now() - started) / 1000;

// ---- report
const pad = (s: string, n: number): string => s.padEnd(n);
const num = (x: number, n: number, digits = 1): string => x.toFixed(digits).padStart(n);
console.log(`\ngpt-nano (spec C.2, vocab 100), official on-policy configuration: ${PROMPTS} prompts × ${SAMPLES_PER_PROMPT} samples = ${PROMPTS * SAMPLES_PER_PROMPT} sequences of ${PROMPT_LENGTH} + ${NEW_TOKENS} tokens, T = ${PASSES} steps per collection`);
console.log(`step FLOPs (analytic): ${(flops.step / 1e6).toFixed(1)} M (forward ${(flops.forward / 1e6).toFixed(1)} M)`);
console.log(`${pad('backend', 8)}${pad('matMul gradient', 17)}${'ms/step'.padStart(9)}${'of which masks'.padStart(16)}${'sampling ms'.padStart(13)}${'ms/collection'.padStart(15)}${'ref ms/step'.padStart(13)}${'ratio'.padStart(8)}`);
const ratios: Record<string, number> = {};
/** fastest step ÷ (FLOPs at the fastest reference batch): both sides at their least contended */
const fastestRatios: Record<string, number> = {};
for (const r of gptResults) {
  const ref = references[r.backend];
  const ratio = r.msPerStep / ref.msPerStepAtReference;
  ratios[`${r.backend} ${r.matMul}`] = ratio;
  fastestRatios[`${r.backend} ${r.matMul}`] = r.msFastestStep / ((flops.step * ref.msPerMatMulRange[0]) / REFERENCE_FLOPS);
  console.log(
    `${pad(r.backend, 8)}${pad(r.matMul, 17)}${num(r.msPerStep, 9)}${num(r.msDropoutMasks, 16)}${num(r.msSampling, 13)}${num(r.msPerCollection, 15, 0)}${num(ref.msPerStepAtReference, 13)}${num(ratio, 8, 2)}`,
  );
}
console.log(`\nreference: plain [${REFERENCE_SHAPE.rows} × ${REFERENCE_SHAPE.inner}] · [${REFERENCE_SHAPE.inner} × ${REFERENCE_SHAPE.cols}] tf.matMul (median, result read back)`);
for (const [backend, ref] of Object.entries(references)) {
  console.log(`  ${pad(backend, 6)} ${(ref.flopsPerSecond / 1e9).toFixed(2)} GFLOP/s (median ${ref.msPerMatMul.toFixed(3)} ms per matMul over ${ref.batches} batches, range ${ref.msPerMatMulRange.map((x) => x.toFixed(3)).join('–')}) → ${ref.msPerStepAtReference.toFixed(1)} ms for one step's FLOPs`);
}
const wasmRatio = ratios['wasm transpose-free'];
const targetMet = wasmRatio <= TARGET_RATIO;
console.log(
  `\ntarget: wasm step (transpose-free, as the lab runs it) within ${TARGET_RATIO}× of the reference on a 2-core machine: ratio ${wasmRatio.toFixed(2)} → ${targetMet ? 'OK' : 'NOT MET'}` +
    (machine.cores === 2 ? '' : ` (this machine has ${machine.cores} cores)`),
);
console.log(`  (wasm with tfjs's own matMul gradient: ratio ${ratios['wasm tf.matMul'].toFixed(2)})`);
console.log(
  `  fastest step ÷ fastest reference (both least contended): ${Object.entries(fastestRatios)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ')}`,
);

console.log('\nMLP agent (spec C.1), one surrogate step (gradient + Adam + read-back):');
console.log(`${pad('backend', 8)}${pad('matMul gradient', 17)}${pad('configuration', 24)}${'ms/step'.padStart(9)}`);
for (const r of mlpResults) console.log(`${pad(r.backend, 8)}${pad(r.matMul, 17)}${pad(r.configuration, 24)}${num(r.msPerStep, 9, 2)}`);

console.log('\ntfjs tensor counts (after warm-up → after the timed steps; before the model → after dispose):');
for (const r of gptResults) console.log(`  gpt-nano ${pad(r.backend, 5)} ${pad(r.matMul, 15)} ${r.tensors.afterWarmUp} → ${r.tensors.afterTimed}; ${r.tensors.beforeModel} → ${r.tensors.afterDispose}`);
for (const r of mlpResults) console.log(`  MLP ${pad(r.backend, 5)} ${pad(r.matMul, 15)} ${pad(r.configuration, 22)} ${r.tensors.afterWarmUp} → ${r.tensors.afterTimed}; ${r.tensors.beforeModel} → ${r.tensors.afterDispose}`);
console.log(`load average at end: ${machine.loadAverageAtEnd.join(', ')}; total ${totalSeconds.toFixed(0)} s`);

const results = {
  machine,
  totalSeconds: round(totalSeconds),
  gptNano: {
    configuration: {
      model: 'gpt-nano (spec C.2): 3 layers, 3 heads, 48-dim, vocab 100, block 10, dropout 0.1 in steps',
      prompts: PROMPTS,
      samplesPerPrompt: SAMPLES_PER_PROMPT,
      sequences: PROMPTS * SAMPLES_PER_PROMPT,
      promptLength: PROMPT_LENGTH,
      newTokens: NEW_TOKENS,
      stepsPerCollection: PASSES,
      scoring: 'shifted',
      coefficients: 'best-of-N: 1/S on the best sample of each prompt, 0 otherwise (per sequence)',
      learningRate: LEARNING_RATE,
    },
    flops: {
      formula:
        'F = L·(24·R·C² + 4·B·T²·C) + 2·R·C·V + 2·R·V·C (one-hot embedding); step = 3·(F − embedding) + 2·embedding; R = B·T',
      forward: flops.forward,
      step: flops.step,
    },
    results: gptResults.map((r) => ({
      backend: r.backend,
      matMulGradient: r.matMul,
      msPerStep: round(r.msPerStep),
      msDropoutMasksPerStep: round(r.msDropoutMasks),
      msSampling: round(r.msSampling),
      msPerCollection: round(r.msPerCollection, 0),
      timedSteps: r.timedSteps,
      timedSamplings: r.timedSamplings,
      referenceMsPerStep: round(references[r.backend].msPerStepAtReference),
      ratioToReference: round(ratios[`${r.backend} ${r.matMul}`], 2),
      msFastestStep: round(r.msFastestStep),
      fastestRatioToReference: round(fastestRatios[`${r.backend} ${r.matMul}`], 2),
      tensors: r.tensors,
    })),
  },
  reference: {
    matMul: `plain [${REFERENCE_SHAPE.rows} × ${REFERENCE_SHAPE.inner}] · [${REFERENCE_SHAPE.inner} × ${REFERENCE_SHAPE.cols}], result read back per batch`,
    byBackend: Object.fromEntries(
      Object.entries(references).map(([backend, ref]) => [backend, { gflopsPerSecond: round(ref.flopsPerSecond / 1e9, 2), msPerMatMul: round(ref.msPerMatMul, 3), batches: ref.batches, msPerMatMulRange: ref.msPerMatMulRange.map((x) => round(x, 3)), msPerStepAtReference: round(ref.msPerStepAtReference) }]),
    ),
  },
  target: {
    statement: `gpt-nano step on wasm (transpose-free matMul) in Node on a 2-core machine within ${TARGET_RATIO}× of the reference`,
    ratio: round(wasmRatio, 2),
    met: targetMet,
  },
  mlp: mlpResults.map((r) => ({
    backend: r.backend,
    matMulGradient: r.matMul,
    configuration: r.configuration,
    contexts: r.contexts,
    samplesPerContext: r.samples,
    msPerStep: round(r.msPerStep, 2),
    timedSteps: r.timedSteps,
    tensors: r.tensors,
  })),
  tensorCounts: { byBackend: processTensors, flat: failures.length === 0, failures },
};
const path = new URL('./neural-results.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path.pathname}`);

if (failures.length > 0) {
  for (const f of failures) console.error(`TENSOR LEAK: ${f}`);
  throw new Error(`bench/neural.ts: ${failures.length} tensor-count failure(s)`);
}
