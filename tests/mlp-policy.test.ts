/**
 * The official categorical MLP agent (spec C.1) and the tfjs Adam: the parameter count, the near-uniform
 * start, the surrogate gradient against autodiff of −Σ c·log π written directly, Adam against the
 * core's float64 torch-order Adam, the official SFT to π_ref, and no tensor leaks; on wasm and cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../src/lab/policies/optimizers.ts';
import { banditContexts, MlpPolicy, officialMlpConfig } from '../src/lab/policies/mlp-policy.ts';
import { TfAdam } from '../src/lab/policies/tf-adam.ts';
import { cauchyTanhReference } from '../src/lab/reference.ts';
import { stream } from '../src/lab/random.ts';
import { useBackend, type TestBackend } from './helpers/tf-backend.ts';

const CONTEXTS = 10;
const SAMPLES = 4;

function seededActions(seed: number): tf.Tensor2D {
  const rng = stream(seed, 'test', 'mlp-actions');
  return tf.tensor2d(Int32Array.from({ length: CONTEXTS * SAMPLES }, () => Math.floor(rng.uniform() * 100)), [CONTEXTS, SAMPLES], 'int32');
}

function seededCoefficients(seed: number, count: number): Float32Array {
  const rng = stream(seed, 'test', 'mlp-coefficients');
  return Float32Array.from({ length: count }, () => rng.uniform() * 2 - 1);
}

for (const backend of ['wasm', 'cpu'] as TestBackend[]) {
  describe(`MlpPolicy (spec C.1) on ${backend}`, () => {
    let policy: MlpPolicy;
    let states: tf.Tensor2D;
    beforeAll(async () => {
      await useBackend(backend);
      policy = new MlpPolicy(officialMlpConfig(1));
      states = tf.tensor2d(banditContexts(1, CONTEXTS, 100).train, [CONTEXTS, 100]);
    });
    afterAll(() => {
      policy.dispose();
      states.dispose();
    });

    it('has 109,698 parameters', () => {
      expect(policy.parameterCount).toBe(109_698);
    });

    it('contexts are seeded: train contexts do not depend on the eval count; values in [0, 1)', () => {
      const a = banditContexts(1, CONTEXTS, 100);
      const b = banditContexts(1, CONTEXTS, 5);
      expect(a.train).toEqual(b.train);
      expect(a.train.length).toBe(CONTEXTS * 100);
      expect(a.train.every((v) => v >= 0 && v < 1)).toBe(true);
      expect(banditContexts(2, CONTEXTS, 0).train).not.toEqual(a.train);
    });

    it('starts near uniform (xavier gain 1e-2) and the same seed gives the same weights', async () => {
      const probs = await policy.probs(states).data();
      let worst = 0;
      for (const p of probs) worst = Math.max(worst, Math.abs(p - 0.01));
      expect(worst).toBeLessThan(1e-5);
      const twin = new MlpPolicy(officialMlpConfig(1));
      for (const [name, variable] of policy.parameters) expect(await twin.parameters.get(name)?.data(), name).toEqual(await variable.data());
      twin.dispose();
    });

    it('the surrogate gradient equals autodiff of −Σ c·log π(a|s) − Σ dense·log π written directly', async () => {
      const actions = seededActions(1);
      const actionValues = await actions.data();
      const perSample = seededCoefficients(1, CONTEXTS * SAMPLES);
      const dense = seededCoefficients(2, CONTEXTS * 100).map((v) => v * 0.01);
      // the same loss written as −Σ_{s,a} W[s,a]·log π(a|s), W[s,a] = Σ_j c_{s,j}·[a_{s,j} = a] + dense[s,a], built on the host
      const weights = Float32Array.from(dense);
      for (let i = 0; i < CONTEXTS * SAMPLES; i++) weights[Math.floor(i / SAMPLES) * 100 + actionValues[i]] += perSample[i];
      const variables = [...policy.parameters.values()];
      const [ours, direct] = tf.tidy(() => {
        const ours = policy.gradients(() => policy.surrogateLoss(states, actions, { perSample, dense })).list.map((g) => Float32Array.from(g.dataSync()));
        const { grads } = tf.variableGrads(
          () => tf.neg(tf.sum(tf.mul(tf.logSoftmax(policy.logits(states)), tf.tensor2d(weights, [CONTEXTS, 100])))) as tf.Scalar,
          variables,
        );
        return [ours, variables.map((v) => Float32Array.from(grads[v.name].dataSync()))];
      });
      let scale = 0;
      let worst = 0;
      for (let i = 0; i < ours.length; i++) {
        for (let j = 0; j < ours[i].length; j++) {
          scale = Math.max(scale, Math.abs(direct[i][j]));
          worst = Math.max(worst, Math.abs(ours[i][j] - direct[i][j]));
        }
      }
      expect(scale).toBeGreaterThan(0);
      expect(worst).toBeLessThan(1e-5 * scale);
      actions.dispose();
    });

    it('surrogateStep reports the loss and gradient norm and applies torch’s first Adam step, θ −= lr·g/(|g| + ε)', async () => {
      const scratch = new MlpPolicy(officialMlpConfig(7));
      const actions = seededActions(2);
      const coefficients = { perSample: seededCoefficients(3, CONTEXTS * SAMPLES) };
      const [loss, gradients] = tf.tidy(() => {
        const { value, list } = scratch.gradients(() => scratch.surrogateLoss(states, actions, coefficients));
        return [value.dataSync()[0], list.map((g) => Float32Array.from(g.dataSync()))];
      });
      const before = await Promise.all([...scratch.parameters.values()].map((v) => v.data()));
      const adam = scratch.createAdam();
      const lr = 1e-3;
      const result = await scratch.surrogateStep(states, actions, coefficients, adam, lr);
      expect(result.loss).toBeCloseTo(loss, 5);
      const norm = Math.sqrt(gradients.reduce((sum, g) => sum + g.reduce((s, v) => s + v * v, 0), 0));
      expect(result.gradientNorm).toBeCloseTo(norm, 4);
      const after = await Promise.all([...scratch.parameters.values()].map((v) => v.data()));
      let worst = 0;
      for (let i = 0; i < after.length; i++) {
        for (let j = 0; j < after[i].length; j++) {
          const g = gradients[i][j];
          worst = Math.max(worst, Math.abs(after[i][j] - (before[i][j] - (lr * g) / (Math.abs(g) + 1e-8))));
        }
      }
      expect(worst).toBeLessThan(1e-7);
      adam.dispose();
      scratch.dispose();
      actions.dispose();
    });

    it('TfAdam follows the core’s float64 torch-order Adam over several steps, with the learning rate changed live', async () => {
      const rng = stream(4, 'test', 'adam');
      const initial = Float64Array.from({ length: 64 }, () => Math.fround(rng.uniform() - 0.5));
      const reference = Float64Array.from(initial);
      const coreAdam = new Adam(64);
      const variable = tf.variable(tf.tensor1d(Float32Array.from(initial)));
      const adam = new TfAdam([variable]);
      for (let step = 0; step < 6; step++) {
        // gradients spanning magnitudes, some exactly 0 (torch: no movement from a zero first step)
        const gradient = Float64Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? 0 : Math.fround((rng.uniform() - 0.5) * 10 ** ((i % 5) - 3))));
        const lr = step < 3 ? 0.01 : 0.003;
        coreAdam.step(reference, gradient, lr);
        const g = tf.tensor1d(Float32Array.from(gradient));
        adam.apply([g], lr);
        g.dispose();
      }
      const ours = await variable.data();
      for (let i = 0; i < 64; i++) expect(Math.abs(ours[i] - reference[i])).toBeLessThan(2e-6);
      expect(adam.steps).toBe(6);
      adam.dispose();
      variable.dispose();
    });

    it('the official SFT (100 Adam steps at lr 0.01, spec B.1) ends near π_ref', async () => {
      const reference = cauchyTanhReference(100);
      const learner = new MlpPolicy(officialMlpConfig(3));
      const { initialKl, finalKl } = await learner.sft(states, reference, 100, 0.01);
      // the first step's loss is KL(uniform ‖ π_ref), since the init is ≈ uniform
      let uniformKl = 0;
      for (const p of reference) uniformKl += 0.01 * Math.log(0.01 / p);
      expect(initialKl).toBeCloseTo(uniformKl, 4);
      // measured: 0.526 → 6.0e-7 (wasm) and 1.9e-6 (cpu) after 100 steps; the bound leaves a margin of ~500×
      expect(finalKl).toBeLessThan(1e-3);
      const probs = (await learner.probs(states).array()) as number[][];
      for (const row of probs) {
        let tv = 0;
        for (let a = 0; a < 100; a++) tv += Math.abs(row[a] - reference[a]) / 2;
        expect(tv).toBeLessThan(0.02);
      }
      learner.dispose();
    });

    it('leaks no tensors over many steps and SFT; dispose releases everything', async () => {
      const start = tf.memory().numTensors;
      const scratch = new MlpPolicy(officialMlpConfig(5));
      const adam = scratch.createAdam();
      const actions = seededActions(3);
      const afterSetUp = tf.memory().numTensors;
      for (let step = 0; step < 20; step++) {
        await scratch.surrogateStep(states, actions, { perSample: seededCoefficients(step, CONTEXTS * SAMPLES), dense: new Float32Array(CONTEXTS * 100).fill(1e-3) }, adam, 1e-3);
        const logProbs = scratch.logProbs(states, actions);
        await logProbs.data();
        logProbs.dispose();
      }
      await scratch.sft(states, cauchyTanhReference(100), 5, 0.01);
      expect(tf.memory().numTensors).toBe(afterSetUp);
      actions.dispose();
      adam.dispose();
      scratch.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });
  });
}
