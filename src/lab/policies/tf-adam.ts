/**
 * Adam on tf.Variables, written out to match torch.optim.Adam with its defaults (β₁ 0.9, β₂ 0.999,
 * ε 1e-8, no weight decay) in torch's order of operations:
 *   m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
 *   θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
 *
 * Why not tf.train.adam: its ε defaults to the backend's epsilon (1e-7 on float32 backends, 1e-4 on a
 * float16 WebGL device) instead of 1e-8; its learning rate is fixed at construction (the lab changes it
 * live); it keeps βᵗ as float32 tensors multiplied step by step; and it creates its moment slots lazily
 * on the first step. Here the bias corrections are computed in float64 on the host and the slots exist
 * from the start, so the tensor count is flat from step 0.
 *
 * The moments of all parameters live in two flat variables, and an update runs on the concatenated
 * gradient: ≈ 12 kernels plus one subtraction per parameter, instead of ≈ 13 kernels per parameter (the
 * per-kernel overhead dominates at gpt-nano's 41 parameter tensors on wasm). Every element goes through
 * the same float32 operations in the same order as before, so the result is unchanged. The flat update is
 * cut into the parameters' pieces on the device (tf.split) on GPU backends; on the synchronous cpu and wasm
 * backends it is read into host memory (a memory copy there, no device stall) and the pieces uploaded,
 * because tfjs-backend-wasm's Slice copies its whole input on every call: a 41-way split of gpt-nano's
 * 95,000 values took ≈ 12 ms, the copy and uploads ≈ 1 ms.
 *
 * Caveat: on a float16 WebGL device ε = 1e-8 rounds to 0, so a parameter whose gradient has always been
 * exactly 0 would get 0/0. The lab's backends (webgpu, wasm, cpu, float32 WebGL) are all float32.
 */
import * as tf from '@tensorflow/tfjs';
import { pow } from '../math.ts';

export interface AdamSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Adam's state as host arrays (a checkpoint that survives the loss of the device the slots lived on). */
export interface AdamSnapshot {
  steps: number;
  /** m and v per parameter, in the parameters' order */
  firstMoments: Float32Array[];
  secondMoments: Float32Array[];
}

/** backends whose data lives in host memory, where `dataSync` is a copy rather than a device round trip */
const SYNCHRONOUS_BACKENDS = new Set(['cpu', 'wasm']);

export const TORCH_ADAM_DEFAULTS: Readonly<AdamSettings> = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** The gradients flattened and concatenated in order, [Σ sizes] (the caller owns it). */
export function flattenGradients(gradients: readonly tf.Tensor[]): tf.Tensor1D {
  return tf.tidy(() => (gradients.length === 1 ? tf.reshape(gradients[0], [-1]) : tf.concat(gradients.map((g) => tf.reshape(g, [-1])))) as tf.Tensor1D);
}

export class TfAdam {
  /** m and v of every parameter, concatenated in the parameters' order */
  private readonly firstMoments: tf.Variable;
  private readonly secondMoments: tf.Variable;
  private readonly sizes: number[];
  private readonly totalSize: number;
  private stepCount = 0;
  private readonly settings: AdamSettings;

  constructor(
    private readonly parameters: readonly tf.Variable[],
    settings: Partial<AdamSettings> = {},
  ) {
    this.settings = { ...TORCH_ADAM_DEFAULTS, ...settings };
    this.sizes = parameters.map((p) => p.size);
    this.totalSize = this.sizes.reduce((a, b) => a + b, 0);
    // tidy disposes the zeros; each variable keeps its own reference to the data
    this.firstMoments = tf.tidy(() => tf.variable(tf.zeros([this.totalSize]), false));
    this.secondMoments = tf.tidy(() => tf.variable(tf.zeros([this.totalSize]), false));
  }

  /** whether this optimizer updates exactly `parameters`, in that order */
  isFor(parameters: readonly tf.Variable[]): boolean {
    return parameters.length === this.parameters.length && parameters.every((p, i) => p === this.parameters[i]);
  }

  /** how many updates have been applied */
  get steps(): number {
    return this.stepCount;
  }

  /** One update. `gradients[i]` belongs to `parameters[i]`; the gradients are not disposed here. */
  apply(gradients: readonly tf.Tensor[], learningRate: number): void {
    if (gradients.length !== this.parameters.length) {
      throw new Error(`TfAdam.apply: ${gradients.length} gradients for ${this.parameters.length} parameters`);
    }
    gradients.forEach((g, i) => {
      if (g.size !== this.sizes[i]) throw new Error(`TfAdam.apply: gradient ${i} has ${g.size} values, its parameter ${this.sizes[i]}`);
    });
    const flat = flattenGradients(gradients);
    try {
      this.applyFlat(flat, learningRate);
    } finally {
      flat.dispose();
    }
  }

  /** One update from the gradients already flattened by `flattenGradients` (not disposed here). */
  applyFlat(flatGradient: tf.Tensor1D, learningRate: number): void {
    if (flatGradient.size !== this.totalSize) throw new Error(`TfAdam.applyFlat: ${flatGradient.size} gradient values for ${this.totalSize} parameter values`);
    const { beta1, beta2, epsilon } = this.settings;
    this.stepCount += 1;
    const stepSize = learningRate / (1 - pow(beta1, this.stepCount));
    const bias2Sqrt = Math.sqrt(1 - pow(beta2, this.stepCount));
    tf.tidy(() => {
      const g = flatGradient;
      const m = this.firstMoments;
      const v = this.secondMoments;
      const newM = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
      const newV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
      m.assign(newM);
      v.assign(newV);
      const denominator = tf.add(tf.div(tf.sqrt(newV), bias2Sqrt), epsilon);
      const update = tf.mul(tf.div(newM, denominator), stepSize);
      let parts: tf.Tensor[];
      if (this.parameters.length === 1) parts = [update];
      else if (SYNCHRONOUS_BACKENDS.has(tf.getBackend())) {
        const values = update.dataSync() as Float32Array;
        let offset = 0;
        parts = this.sizes.map((size) => tf.tensor1d(values.subarray(offset, (offset += size)), 'float32'));
      } else parts = tf.split(update, this.sizes);
      this.parameters.forEach((p, i) => p.assign(tf.sub(p, tf.reshape(parts[i], p.shape))));
    });
  }

  /** The step count and both moments, copied to the host. */
  async snapshot(): Promise<AdamSnapshot> {
    const read = async (slot: tf.Variable): Promise<Float32Array[]> => {
      const values = (await slot.data()) as Float32Array;
      let offset = 0;
      return this.sizes.map((size) => values.slice(offset, (offset += size)));
    };
    const steps = this.stepCount;
    const [firstMoments, secondMoments] = await Promise.all([read(this.firstMoments), read(this.secondMoments)]);
    return { steps, firstMoments, secondMoments };
  }

  /** Puts a snapshot's state back (the parameters must have the shapes of the ones it was taken from). */
  restore(snapshot: AdamSnapshot): void {
    const count = this.parameters.length;
    if (snapshot.firstMoments.length !== count || snapshot.secondMoments.length !== count) {
      throw new Error(`TfAdam.restore: the snapshot has ${snapshot.firstMoments.length} slots for ${count} parameters`);
    }
    const flat = (values: Float32Array[]): Float32Array => {
      const out = new Float32Array(this.totalSize);
      let offset = 0;
      values.forEach((part, i) => {
        if (part.length !== this.sizes[i]) throw new Error(`TfAdam.restore: slot ${i} has ${this.sizes[i]} values, the snapshot ${part.length}`);
        out.set(part, offset);
        offset += part.length;
      });
      return out;
    };
    const [first, second] = [flat(snapshot.firstMoments), flat(snapshot.secondMoments)];
    tf.tidy(() => this.firstMoments.assign(tf.tensor1d(first, 'float32')));
    tf.tidy(() => this.secondMoments.assign(tf.tensor1d(second, 'float32')));
    this.stepCount = snapshot.steps;
  }

  dispose(): void {
    this.firstMoments.dispose();
    this.secondMoments.dispose();
  }
}

/** √(Σ‖g‖²) over a list of gradients, as a scalar tensor (the caller owns it). */
export function globalNorm(gradients: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}
