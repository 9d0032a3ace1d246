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
 * The workload, the FLOP count and the reference matMul are in bench/neural-workload.ts (shared with the
 * browser bench, bench/neural-browser.ts).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { useBackend, type TestBackend } from '../tests/helpers/tf-backend.ts';
import {
  LEARNING_RATE,
  median,
  NEW_TOKENS,
  OFFICIAL_STEP_FLOPS,
  PASSES,
  PROMPT_LENGTH,
  PROMPTS,
  REFERENCE_FLOPS,
  REFERENCE_SHAPE,
  referenceMatMulTimes,
  round,
  SAMPLES_PER_PROMPT,
  TARGET_RATIO,
  timeGptNano,
  timeMlp,
  type TensorCounts,
} from './neural-workload.ts';

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
  tensors: TensorCounts;
}

/** `interleave` runs before every timed collection (the reference matMul batches, so that both see the same load) */
async function benchGpt(backend: TestBackend, transposeFree: boolean, plan: Plan, interleave: () => Promise<void>): Promise<GptResult> {
  const timing = await timeGptNano(transposeFree, { collections: plan.collections, stepsPerCollection: PASSES, warmUpSteps: plan.warmUpSteps }, interleave);
  const batch = PROMPTS * SAMPLES_PER_PROMPT;
  const length = PROMPT_LENGTH + NEW_TOKENS;
  // the host-side part of a step: this step's dropout masks drawn from the seeded stream and uploaded
  const maskTimes: number[] = [];
  for (let r = 0; r < plan.dropoutMaskRepeats; r++) {
    const t0 = performance.now();
    const masks = timing.model.dropoutMasks(batch, length, 1_000_000 + r);
    maskTimes.push(performance.now() - t0);
    masks.embedding.dispose();
    for (const layer of masks.layers) {
      layer.attention.dispose();
      layer.attentionOutput.dispose();
      layer.mlpOutput.dispose();
    }
  }
  const tensors = timing.finish();
  return {
    backend,
    matMul: transposeFree ? 'transpose-free' : 'tf.matMul',
    msPerStep: median(timing.stepTimes),
    msFastestStep: Math.min(...timing.stepTimes),
    msSampling: median(timing.samplingTimes),
    msPerCollection: median(timing.collectionTimes),
    msDropoutMasks: median(maskTimes),
    timedSteps: timing.stepTimes.length,
    timedSamplings: timing.samplingTimes.length,
    tensors,
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
  tensors: TensorCounts;
}

async function benchMlp(backend: TestBackend, configuration: string, contexts: number, samples: number, transposeFree: boolean, plan: Plan): Promise<MlpResult> {
  const timing = await timeMlp(configuration, contexts, samples, transposeFree, plan.mlpSteps);
  return { backend, matMul: transposeFree ? 'transpose-free' : 'tf.matMul', ...timing };
}

const flops = OFFICIAL_STEP_FLOPS;
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
const checkFlat = (what: string, t: TensorCounts): void => {
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
  const referenceTimes = await referenceMatMulTimes(plan.referenceRepeats, plan.referenceBatches);
  const interleave = async (): Promise<void> => {
    referenceTimes.push(...(await referenceMatMulTimes(plan.referenceRepeats, 1)));
  };
  const variants = backend === 'wasm' ? [true, false] : [false];
  for (const transposeFree of variants) {
    const result = await benchGpt(backend, transposeFree, plan, interleave);
    gptResults.push(result);
    checkFlat(`gpt-nano ${backend} ${result.matMul}`, result.tensors);
    console.log(`  [${((performance.now() - started) / 1000).toFixed(0)} s] gpt-nano ${backend} ${result.matMul}: ${result.msPerStep.toFixed(1)} ms/step`);
  }
  referenceTimes.push(...(await referenceMatMulTimes(plan.referenceRepeats, plan.referenceBatches)));
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
