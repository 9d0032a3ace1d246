/**
 * gpt-nano (spec C.2): gradients against finite differences, the causal mask, both scorings against a
 * hand computation, sampling / initialisation / dropout determinism, the parameter count, no tensor
 * leaks and a short training run. Correctness tests on a tiny model run on both Node backends (cpu and
 * wasm); the real-size tests run on wasm, which is 5–10× faster here for this model.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeDropoutMasks, GptNano, gptNanoConfig, gptNanoOps, type DropoutMasks, type GptConfig, type ScoringOptions, type SurrogateCoefficients } from '../src/lab/policies/gpt-nano.ts';
import { linearFor } from '../src/lab/policies/tf-matmul.ts';
import { dropoutMaskArray, inverseCdfSample, normalArray, normalQuantile } from '../src/lab/policies/tf-seeded.ts';
import { stream } from '../src/lab/random.ts';
import { useBackend, type TestBackend } from './helpers/tf-backend.ts';

const TINY: GptConfig = { vocab: 7, blockSize: 5, nLayer: 1, nHead: 2, nEmbd: 8, dropout: 0, seed: 3 };

function tokens2d(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0].length], 'int32');
}

function logSoftmax64(row: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]);
  let total = 0;
  for (let i = 0; i < row.length; i++) total += Math.exp(row[i] - max);
  const lse = max + Math.log(total);
  return Array.from(row, (v) => v - lse);
}

/** smallest k with cdf[k] > u, in float64 */
function inverseCdf64(probs: number[], u: number): number {
  let cumulative = 0;
  for (let k = 0; k < probs.length; k++) {
    cumulative += probs[k];
    if (cumulative > u) return k;
  }
  return probs.length - 1;
}

function uniforms(seed: number, count: number): number[] {
  const rng = stream(seed, 'test', 'gpt-uniforms');
  return Array.from({ length: count }, () => rng.uniform());
}

async function lossValue(loss: () => tf.Scalar): Promise<number> {
  const t = loss();
  const value = (await t.data())[0];
  t.dispose();
  return value;
}

/** Moves every parameter away from the init (std 0.02 makes the network nearly linear), from a seeded stream. */
function perturb(model: GptNano, scale: number): void {
  let index = 0;
  for (const variable of model.parameters.values()) {
    const noise = normalArray(stream(11, 'test', 'perturb', index++), variable.size, 0, scale);
    tf.tidy(() => variable.assign(tf.add(variable, tf.tensor(noise, variable.shape))));
  }
}

for (const backend of ['cpu', 'wasm'] as TestBackend[]) {
  describe(`tiny gpt on ${backend}`, () => {
    let model: GptNano;
    let batch: tf.Tensor2D;
    beforeAll(async () => {
      await useBackend(backend);
      model = new GptNano(TINY);
      perturb(model, 0.3);
      batch = tokens2d([
        [1, 4, 0, 6, 2],
        [3, 3, 5, 1, 0],
        [6, 2, 2, 4, 5],
      ]);
    });
    afterAll(() => {
      model.dispose();
      batch.dispose();
    });
    const cases: Array<{ name: string; options: ScoringOptions; coefficients: SurrogateCoefficients; dropout: boolean }> = [
      { name: 'shifted, per sequence', options: { promptLength: 1, scoring: 'shifted' }, coefficients: { perSequence: [0.7, -0.4, 1.1] }, dropout: false },
      { name: 'official, per token', options: { promptLength: 1, scoring: 'official' }, coefficients: { perToken: uniforms(1, 15).map((u) => u - 0.3) }, dropout: false },
      { name: 'shifted, prompt 2, with dropout masks', options: { promptLength: 2, scoring: 'shifted' }, coefficients: { perSequence: [-0.5, 0.9, 0.3] }, dropout: true },
    ];

    for (const testCase of cases) {
      it(`gradient matches central finite differences per parameter tensor (${testCase.name})`, async () => {
        let masks: DropoutMasks | undefined;
        if (testCase.dropout) {
          const maskSource = new GptNano({ ...TINY, dropout: 0.3 });
          masks = maskSource.dropoutMasks(3, 5, 0);
          maskSource.dispose();
        }
        const loss = (): tf.Scalar => model.surrogateLoss(batch, testCase.coefficients, testCase.options, masks);
        const analytic = tf.tidy(() => model.gradients(loss).list.map((g) => Float32Array.from(g.dataSync())));
        const variables = [...model.parameters.values()];
        let worst = 0;
        for (let i = 0; i < variables.length; i++) {
          const variable = variables[i];
          // a unit direction within this tensor, so each tensor's gradient is checked on its own
          const direction = normalArray(stream(12, 'test', 'direction', i), variable.size, 0, 1);
          const length = Math.hypot(...direction);
          for (let j = 0; j < direction.length; j++) direction[j] /= length;
          const expected = analytic[i].reduce((sum, g, j) => sum + g * direction[j], 0);
          const original = variable.clone();
          const at = async (step: number): Promise<number> => {
            tf.tidy(() => variable.assign(tf.add(original, tf.mul(tf.tensor(direction, variable.shape), step))));
            return lossValue(loss);
          };
          const central = async (h: number): Promise<number> => ((await at(h)) - (await at(-h))) / (2 * h);
          // Richardson extrapolation cancels the h² term, so h can stay large against float32 rounding
          const h = 2e-2;
          const numeric = (4 * (await central(h / 2)) - (await central(h))) / 3;
          variable.assign(original);
          original.dispose();
          const error = Math.abs(numeric - expected) / Math.max(1, Math.abs(expected));
          worst = Math.max(worst, error);
          expect(error, `${[...model.parameters.keys()][i]}: autodiff ${expected}, finite differences ${numeric}`).toBeLessThan(2e-3);
        }
        if (masks) disposeDropoutMasks(masks);
        expect(worst).toBeLessThan(2e-3);
      });
    }

    it('the transpose-free matMul backward gives the same gradients as tf.matMul', () => {
      const fast = new GptNano({ ...TINY, transposeFreeMatMul: true });
      const plain = new GptNano(TINY);
      const options: ScoringOptions = { promptLength: 1, scoring: 'shifted' };
      const coefficients = { perSequence: [0.7, -0.4, 1.1] };
      const [a, b] = [fast, plain].map((m) => tf.tidy(() => m.gradients(() => m.surrogateLoss(batch, coefficients, options)).list.map((g) => Float32Array.from(g.dataSync()))));
      for (let i = 0; i < a.length; i++) {
        for (let j = 0; j < a[i].length; j++) expect(a[i][j]).toBeCloseTo(b[i][j], 6);
      }
      fast.dispose();
      plain.dispose();
    });

    it('shifted and official log-likelihoods match a hand computation from the logits', async () => {
      const logits = (await model.logits(batch).array()) as number[][][];
      const rows = (await batch.array()) as number[][];
      for (const promptLength of [1, 2, 4]) {
        const shifted = model.sequenceLogProbs(batch, { promptLength, scoring: 'shifted' });
        const official = model.sequenceLogProbs(batch, { promptLength, scoring: 'official' });
        const shiftedPerToken = (await shifted.perToken.array()) as number[][];
        const shiftedSums = await shifted.perSequence.data();
        const officialSums = await official.perSequence.data();
        for (let b = 0; b < rows.length; b++) {
          let expectedShifted = 0;
          let expectedOfficial = 0;
          for (let t = 0; t < rows[b].length; t++) {
            // official (gpt.py:282-290): token t scored by the head at position t, prompt included
            expectedOfficial += logSoftmax64(logits[b][t])[rows[b][t]];
            // shifted: token t scored by the head at position t − 1, only after the prompt
            const term = t >= promptLength ? logSoftmax64(logits[b][t - 1])[rows[b][t]] : 0;
            expectedShifted += term;
            expect(shiftedPerToken[b][t]).toBeCloseTo(term, 5);
          }
          expect(shiftedSums[b]).toBeCloseTo(expectedShifted, 4);
          expect(officialSums[b]).toBeCloseTo(expectedOfficial, 4);
        }
        for (const t of [shifted.perSequence, shifted.perToken, official.perSequence, official.perToken]) t.dispose();
      }
    });

    it('inverse-CDF sampling of a hand-made distribution gives the expected tokens', async () => {
      // probabilities 0.1, 0.2, 0.3, 0.4: the CDF is 0.1, 0.3, 0.6, 1.0
      const draw = (logits: number[], u: number[]): number[] =>
        tf.tidy(() => Array.from(inverseCdfSample(tf.tensor2d(u.map(() => logits)), tf.tensor1d(u)).dataSync()));
      expect(draw([0.1, 0.2, 0.3, 0.4].map(Math.log), [0.05, 0.15, 0.29, 0.31, 0.65, 0, 0.999999])).toEqual([0, 1, 1, 2, 3, 0, 3]);
      // a zero-probability token is never drawn, even at its boundary
      expect(draw([0, -1e9, 0], [0.49, 0.5, 0.51])).toEqual([0, 2, 2]);
    });

    it('sampling draws each token by inverse CDF from the model’s own next-token distribution', async () => {
      const prompts = tokens2d([[1], [4], [0], [6]]);
      const u = uniforms(2, 4 * 4);
      const sampled = model.sample(prompts, u, 4);
      const rows = (await sampled.array()) as number[][];
      expect(sampled.shape).toEqual([4, 5]);
      for (let s = 0; s < 4; s++) {
        const prefix = tf.slice(sampled, [0, 0], [4, s + 1]) as tf.Tensor2D;
        const logits = (await model.logits(prefix).array()) as number[][][];
        prefix.dispose();
        for (let b = 0; b < 4; b++) {
          const probs = logSoftmax64(logits[b][s]).map(Math.exp);
          expect(rows[b][s + 1], `sequence ${b}, new token ${s}`).toBe(inverseCdf64(probs, u[b * 4 + s]));
        }
      }
      const again = model.sample(prompts, u, 4);
      expect(await again.array()).toEqual(rows);
      sampled.dispose();
      again.dispose();
    });
  });
}

/** values and gradients of `f` at `inputs` (gradient of Σ f ⊙ weights, weights from a seeded stream) */
function valueAndGradients(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number): { value: Float32Array; gradients: Float32Array[] } {
  return tf.tidy(() => {
    const value = f(...inputs);
    const weights = tf.tensor(normalArray(stream(seed, 'test', 'op-weights'), value.size, 0, 1), value.shape);
    const gradients = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights)))(inputs);
    return { value: Float32Array.from(value.dataSync()), gradients: gradients.map((g) => Float32Array.from(g.dataSync())) };
  });
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  expect(worst, what).toBeLessThan(tolerance);
}

for (const backend of ['cpu', 'wasm'] as TestBackend[]) {
  describe(`gpt-nano's custom-gradient ops on ${backend} (values and gradients against the plain-op formulas)`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });
    const seeded = (seed: number, shape: number[], std = 1): tf.Tensor =>
      tf.tensor(normalArray(stream(seed, 'test', 'op-inputs'), shape.reduce((a, b) => a * b, 1), 0, std), shape);

    it('GELU as x·σ(2z) equals minGPT’s 0.5·x·(1 + tanh z) to float32 rounding, and so does its gradient', () => {
      const x = tf.concat([tf.reshape(seeded(1, [13, 12], 2), [-1]), tf.tensor1d([-9, -4, -1e-3, 0, 1e-3, 4, 9])]);
      const tanhForm = (t: tf.Tensor): tf.Tensor =>
        tf.mul(tf.mul(t, 0.5), tf.add(tf.tanh(tf.mul(tf.add(t, tf.mul(tf.mul(tf.mul(t, t), t), 0.044715)), Math.sqrt(2 / Math.PI))), 1));
      const fused = valueAndGradients((t) => gptNanoOps.gelu(t as tf.Tensor2D), [tf.reshape(x, [1, -1])], 2);
      const plain = valueAndGradients((t) => tanhForm(t), [tf.reshape(x, [1, -1])], 2);
      expectClose(fused.value, plain.value, 2e-6, 'GELU values');
      expectClose(fused.gradients[0], plain.gradients[0], 2e-6, 'GELU gradient');
      // and against float64 on the host
      const xs = x.dataSync();
      const host = Float32Array.from(xs, (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
      expectClose(fused.value, host, 2e-6, 'GELU against float64');
      x.dispose();
    });

    it('LayerNorm: the same values bit for bit as tf.moments + the affine map, gradients equal to autodiff', () => {
      const x = tf.add(seeded(3, [6, 8], 1.5), 0.7);
      const gain = seeded(4, [8], 0.5);
      const bias = seeded(5, [8], 0.5);
      const plainForm = (t: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
        const { mean, variance } = tf.moments(t, 1, true);
        return tf.add(tf.mul(tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b);
      };
      const fused = valueAndGradients((t, g, b) => gptNanoOps.layerNorm(t as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D), [x, gain, bias], 6);
      const plain = valueAndGradients(plainForm, [x, gain, bias], 6);
      expect(fused.value).toEqual(plain.value);
      ['x', 'gain', 'bias'].forEach((name, i) => expectClose(fused.gradients[i], plain.gradients[i], 1e-5, `LayerNorm gradient of ${name}`));
      for (const t of [x, gain, bias]) t.dispose();
    });

    it('linear (fused matMul + bias) with either backward equals matMul + add, values and gradients', () => {
      const x = seeded(7, [9, 5]);
      const weight = seeded(8, [5, 12]);
      const bias = seeded(9, [12]);
      const plain = valueAndGradients((a, w, b) => tf.add(tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D), b), [x, weight, bias], 10);
      for (const transposeFree of [false, true]) {
        const linear = linearFor(transposeFree);
        const fused = valueAndGradients((a, w, b) => linear(a as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D), [x, weight, bias], 10);
        expectClose(fused.value, plain.value, 1e-6, `linear values (transpose-free ${transposeFree})`);
        ['x', 'weight', 'bias'].forEach((name, i) => expectClose(fused.gradients[i], plain.gradients[i], 1e-6, `linear gradient of ${name} (transpose-free ${transposeFree})`));
      }
      for (const t of [x, weight, bias]) t.dispose();
    });

    it('causal attention (one head transpose, written-out backward) equals split + head transposes + 4-D matMuls', () => {
      const [batch, length, nHead, headSize] = [2, 4, 2, 3];
      const width = nHead * headSize;
      const qkv = seeded(17, [batch * length, 3 * width]);
      const causalValues = new Float32Array(length * length);
      for (let r = 0; r < length; r++) for (let c = r + 1; c < length; c++) causalValues[r * length + c] = -1e9;
      const causal = tf.tensor2d(causalValues, [length, length]);
      const dropMask = tf.tensor4d(dropoutMaskArray(stream(18, 'test', 'attention-mask'), batch * nHead * length * length, 0.25), [batch, nHead, length, length]);
      const plainForm = (t: tf.Tensor, mask?: tf.Tensor4D): tf.Tensor => {
        const toHeads = (part: tf.Tensor): tf.Tensor4D => tf.transpose(tf.reshape(part, [batch, length, nHead, headSize]), [0, 2, 1, 3]);
        const [q, k, v] = tf.split(t, 3, 1);
        let weights = tf.softmax(tf.add(tf.mul(tf.matMul(toHeads(q), toHeads(k), false, true), 1 / Math.sqrt(headSize)), causal)) as tf.Tensor4D;
        if (mask) weights = tf.mul(weights, mask);
        return tf.reshape(tf.transpose(tf.matMul(weights, toHeads(v)), [0, 2, 1, 3]), [batch * length, width]);
      };
      for (const mask of [undefined, dropMask]) {
        const fused = valueAndGradients((t) => gptNanoOps.attention(t as tf.Tensor2D, batch, nHead, causal, mask), [qkv], 19);
        const plain = valueAndGradients((t) => plainForm(t, mask), [qkv], 19);
        expectClose(fused.value, plain.value, 1e-6, `attention values (dropout ${mask !== undefined})`);
        expectClose(fused.gradients[0], plain.gradients[0], 1e-6, `attention gradient (dropout ${mask !== undefined})`);
      }
      for (const t of [qkv, causal, dropMask]) t.dispose();
    });

    it('log softmax: the values of tf.logSoftmax bit for bit, its gradient to float32 rounding', () => {
      const logits = tf.concat([tf.mul(seeded(20, [5, 9]), 4), tf.tensor2d([[-1e9, 0, 3, -2, 50, 1, 1, 0, -7]])]);
      const fused = valueAndGradients((t) => gptNanoOps.logSoftmax(t as tf.Tensor2D), [logits], 21);
      const plain = valueAndGradients((t) => tf.logSoftmax(t), [logits], 21);
      expect(fused.value).toEqual(plain.value);
      expectClose(fused.gradients[0], plain.gradients[0], 1e-6, 'log-softmax gradient');
      logits.dispose();
    });

    it('dropout, the one-hot embedding and the position add equal their plain-op forms, values and gradients', () => {
      const x = seeded(11, [6, 4]);
      const mask = tf.tensor2d(dropoutMaskArray(stream(12, 'test', 'mask'), 24, 0.3), [6, 4]);
      const dropped = valueAndGradients((t) => gptNanoOps.dropout(t, mask), [x], 13);
      const masked = valueAndGradients((t) => tf.mul(t, mask), [x], 13);
      expect(dropped.value).toEqual(masked.value);
      expect(dropped.gradients[0]).toEqual(masked.gradients[0]);
      const tokens = tokens2d([
        [1, 4, 0],
        [3, 3, 5],
      ]);
      const table = seeded(14, [7, 4]);
      const positions = seeded(15, [3, 4]);
      for (const transposeFree of [false, true]) {
        const fused = valueAndGradients((w, p) => gptNanoOps.addPositions(gptNanoOps.embed(tokens, 7, w as tf.Tensor2D, transposeFree), p as tf.Tensor2D, 2), [table, positions], 16);
        const plain = valueAndGradients(
          (w, p) => tf.reshape(tf.add(tf.reshape(tf.matMul(tf.cast(tf.oneHot(tf.reshape(tokens, [-1]), 7), 'float32'), w as tf.Tensor2D), [2, 3, 4]), p), [6, 4]),
          [table, positions],
          16,
        );
        expect(fused.value).toEqual(plain.value);
        expectClose(fused.gradients[0], plain.gradients[0], 1e-6, `embedding gradient (transpose-free ${transposeFree})`);
        expectClose(fused.gradients[1], plain.gradients[1], 1e-6, `position gradient (transpose-free ${transposeFree})`);
      }
      for (const t of [x, mask, tokens, table, positions]) t.dispose();
    });
  });
}

describe('gpt-nano (spec C.2) on wasm', () => {
  let model: GptNano;
  beforeAll(async () => {
    await useBackend('wasm');
    model = new GptNano(gptNanoConfig(100, 1));
  });
  afterAll(() => model.dispose());

  it('has 94,992 parameters (90,192 without lm_head) and minGPT’s names', () => {
    expect(model.parameterCount).toBe(94_992);
    expect(model.parameterCount - (model.parameters.get('lm_head.weight')?.size ?? 0)).toBe(90_192);
    expect([...model.parameters.keys()].slice(0, 4)).toEqual(['transformer.wte.weight', 'transformer.wpe.weight', 'transformer.h.0.ln_1.weight', 'transformer.h.0.ln_1.bias']);
    const withEnd = new GptNano(gptNanoConfig(101, 1));
    expect(withEnd.parameterCount).toBe(94_992 + 2 * 48);
    withEnd.dispose();
  });

  it('the causal mask: changing a later token leaves earlier positions’ logits exactly unchanged', async () => {
    const base = [5, 17, 42, 99, 0, 63, 8, 8, 21, 77];
    for (const changed of [1, 4, 9]) {
      const other = base.slice();
      other[changed] = (other[changed] + 50) % 100;
      const [a, b] = (await Promise.all([model.logits(tokens2d([base])).array(), model.logits(tokens2d([other])).array()])) as number[][][][];
      for (let t = 0; t < changed; t++) expect(b[0][t], `position ${t}`).toEqual(a[0][t]);
      expect(b[0][changed]).not.toEqual(a[0][changed]);
    }
  });

  it('initialisation: the same seed gives identical weights; N(0, 0.02), c_proj N(0, 0.02/√6), LN 1/0, zero biases', async () => {
    const twin = new GptNano(gptNanoConfig(100, 1));
    const other = new GptNano(gptNanoConfig(100, 2));
    const [mine, twins, others] = await Promise.all([model.readWeights(), twin.readWeights(), other.readWeights()]);
    twin.dispose();
    other.dispose();
    const normal: number[] = [];
    const residual: number[] = [];
    for (const [name, values] of mine) {
      expect(twins.get(name), name).toEqual(values);
      if (name.endsWith('c_proj.weight')) residual.push(...values);
      else if (name.endsWith('ln_1.weight') || name.endsWith('ln_2.weight') || name === 'transformer.ln_f.weight') expect(values.every((v) => v === 1), name).toBe(true);
      else if (name.endsWith('.bias')) expect(values.every((v) => v === 0), name).toBe(true);
      else {
        normal.push(...values);
        expect(others.get(name), name).not.toEqual(values);
      }
    }
    const stats = (xs: number[]): { mean: number; std: number } => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
    };
    const n = stats(normal);
    // wte 4800 + wpe 480 + 3 × (c_attn 6912 + c_fc 9216) + lm_head 4800; c_proj 3 × (2304 + 9216)
    expect(normal.length).toBe(58_464);
    expect(residual.length).toBe(34_560);
    expect(Math.abs(n.mean)).toBeLessThan((4 * 0.02) / Math.sqrt(normal.length));
    expect(n.std / 0.02).toBeGreaterThan(0.99);
    expect(n.std / 0.02).toBeLessThan(1.01);
    const r = stats(residual);
    expect(r.std / (0.02 / Math.sqrt(6))).toBeGreaterThan(0.98);
    expect(r.std / (0.02 / Math.sqrt(6))).toBeLessThan(1.02);
  });

  it('the normal quantile (inverse CDF used for the init) matches known values', () => {
    const known: Array<[number, number]> = [
      [0.5, 0],
      [0.8413447460685429, 1],
      [0.975, 1.959963984540054],
      [0.99, 2.326347874040841],
      [0.02, -2.053748910631823],
      [0.001, -3.090232306167813],
      [1e-10, -6.361340902404056],
    ];
    for (const [u, z] of known) expect(normalQuantile(u)).toBeCloseTo(z, 7);
  });

  it('dropout masks come from the seeded stream: deterministic per step, about 10% zeros, scaled by 1/0.9', async () => {
    const first = model.dropoutMasks(10, 10, 0);
    const repeat = model.dropoutMasks(10, 10, 0);
    const next = model.dropoutMasks(10, 10, 1);
    const flat = async (m: ReturnType<GptNano['dropoutMasks']>): Promise<number[]> => {
      const parts = [m.embedding, ...m.layers.flatMap((l) => [l.attention, l.attentionOutput, l.mlpOutput])];
      const values = (await Promise.all(parts.map((p) => p.data()))).flatMap((d) => Array.from(d));
      for (const p of parts) p.dispose();
      return values;
    };
    const [a, b, c] = await Promise.all([flat(first), flat(repeat), flat(next)]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.length).toBe(100 * 48 + 3 * (10 * 3 * 100 + 2 * 100 * 48));
    const zeros = a.filter((v) => v === 0).length / a.length;
    expect(zeros).toBeGreaterThan(0.095);
    expect(zeros).toBeLessThan(0.105);
    expect(a.every((v) => v === 0 || v === Math.fround(1 / 0.9))).toBe(true);
  });

  it('dropout masks come from the stream’s own uniforms (its fast fillUniform) and leave the stream where uniform() would', () => {
    for (const [count, rate] of [[100_003, 0.1], [517, 0.5], [64, 0]] as const) {
      const fast = stream(21, 'test', 'mask-generator', count);
      const reference = stream(21, 'test', 'mask-generator', count);
      const mask = dropoutMaskArray(fast, count, rate);
      const keep = Math.fround(1 / (1 - rate));
      const expected = Float32Array.from({ length: count }, () => (reference.uniform() < rate ? 0 : keep));
      expect(mask).toEqual(expected);
      for (let i = 0; i < 5; i++) expect(fast.uniform()).toBe(reference.uniform());
    }
  });

  it('two models with the same seed take identical dropout training steps and sample identical tokens', async () => {
    const [left, right] = [new GptNano(gptNanoConfig(100, 9)), new GptNano(gptNanoConfig(100, 9))];
    const sequences = tokens2d([
      [3, 14, 15, 92, 65, 35, 89, 79, 32, 38],
      [2, 71, 82, 81, 82, 84, 59, 4, 52, 35],
    ]);
    for (const m of [left, right]) {
      const adam = m.createAdam();
      for (let i = 0; i < 3; i++) await m.surrogateStep(sequences, { perSequence: [0.5, 0.5] }, adam, { promptLength: 1, scoring: 'shifted', learningRate: 1e-3 });
      adam.dispose();
    }
    expect(await left.readWeights()).toEqual(await right.readWeights());
    const prompts = tokens2d([[1], [2], [3]]);
    const u = uniforms(3, 27);
    const [a, b] = [left.sample(prompts, u, 9), right.sample(prompts, u, 9)];
    expect(await a.array()).toEqual(await b.array());
    for (const t of [a, b, prompts, sequences]) t.dispose();
    left.dispose();
    right.dispose();
  });

  it('leaks no tensors over many steps, samples and scorings; dispose releases everything', async () => {
    const start = tf.memory().numTensors;
    const scratch = new GptNano(gptNanoConfig(100, 4));
    const adam = scratch.createAdam();
    const prompts = tokens2d(Array.from({ length: 10 }, (_, b) => [b * 7]));
    const afterSetUp = tf.memory().numTensors;
    for (let step = 0; step < 8; step++) {
      const sequences = scratch.sample(prompts, uniforms(100 + step, 90), 9);
      await scratch.surrogateStep(sequences, { perToken: new Float32Array(100).fill(0.01) }, adam, { promptLength: 1, scoring: 'official', learningRate: 1e-3 });
      await scratch.surrogateStep(sequences, { perSequence: new Float32Array(10).fill(0.1) }, adam, { promptLength: 1, scoring: 'shifted', learningRate: 1e-3 });
      const scores = scratch.sequenceLogProbs(sequences, { promptLength: 1, scoring: 'shifted' });
      await scores.perSequence.data();
      scores.perSequence.dispose();
      scores.perToken.dispose();
      sequences.dispose();
      expect(tf.memory().numTensors, `after step ${step}`).toBe(afterSetUp);
    }
    prompts.dispose();
    adam.dispose();
    scratch.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('surrogate steps with positive coefficients raise the log-likelihood of fixed sequences', async () => {
    const learner = new GptNano(gptNanoConfig(100, 5));
    const adam = learner.createAdam();
    const sequences = tokens2d([
      [0, 10, 20, 30, 40, 50, 60, 70, 80, 90],
      [5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ]);
    const options: ScoringOptions = { promptLength: 1, scoring: 'shifted' };
    const likelihood = async (): Promise<number[]> => {
      const scores = learner.sequenceLogProbs(sequences, options);
      const values = Array.from(await scores.perSequence.data());
      scores.perSequence.dispose();
      scores.perToken.dispose();
      return values;
    };
    const before = await likelihood();
    for (let step = 0; step < 25; step++) await learner.surrogateStep(sequences, { perSequence: [1 / 3, 1 / 3, 1 / 3] }, adam, { ...options, learningRate: 3e-3 });
    const after = await likelihood();
    for (let b = 0; b < 3; b++) {
      expect(before[b]).toBeCloseTo(9 * Math.log(1 / 100), -0.5); // near uniform at the init
      expect(after[b] - before[b], `sequence ${b}`).toBeGreaterThan(10);
    }
    adam.dispose();
    learner.dispose();
    sequences.dispose();
  });
});
