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

export const TORCH_ADAM_DEFAULTS: Readonly<AdamSettings> = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export class TfAdam {
  private readonly firstMoments: tf.Variable[];
  private readonly secondMoments: tf.Variable[];
  private stepCount = 0;
  private readonly settings: AdamSettings;

  constructor(
    private readonly parameters: readonly tf.Variable[],
    settings: Partial<AdamSettings> = {},
  ) {
    this.settings = { ...TORCH_ADAM_DEFAULTS, ...settings };
    // tidy disposes the zeros; each variable keeps its own reference to the data
    this.firstMoments = tf.tidy(() => parameters.map((p) => tf.variable(tf.zerosLike(p), false)));
    this.secondMoments = tf.tidy(() => parameters.map((p) => tf.variable(tf.zerosLike(p), false)));
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
    const { beta1, beta2, epsilon } = this.settings;
    this.stepCount += 1;
    const stepSize = learningRate / (1 - pow(beta1, this.stepCount));
    const bias2Sqrt = Math.sqrt(1 - pow(beta2, this.stepCount));
    tf.tidy(() => {
      for (let i = 0; i < this.parameters.length; i++) {
        const g = gradients[i];
        const m = this.firstMoments[i];
        const v = this.secondMoments[i];
        const newM = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const newV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(newM);
        v.assign(newV);
        const denominator = tf.add(tf.div(tf.sqrt(newV), bias2Sqrt), epsilon);
        this.parameters[i].assign(tf.sub(this.parameters[i], tf.mul(tf.div(newM, denominator), stepSize)));
      }
    });
  }

  /** The step count and both moments, copied to the host. */
  async snapshot(): Promise<AdamSnapshot> {
    const read = (slots: tf.Variable[]) => Promise.all(slots.map(async (slot) => Float32Array.from((await slot.data()) as Float32Array)));
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
    const put = (slots: tf.Variable[], values: Float32Array[]) =>
      slots.forEach((slot, i) => {
        if (values[i].length !== slot.size) throw new Error(`TfAdam.restore: slot ${i} has ${slot.size} values, the snapshot ${values[i].length}`);
        tf.tidy(() => slot.assign(tf.tensor(values[i], slot.shape, 'float32')));
      });
    put(this.firstMoments, snapshot.firstMoments);
    put(this.secondMoments, snapshot.secondMoments);
    this.stepCount = snapshot.steps;
  }

  dispose(): void {
    for (const slot of [...this.firstMoments, ...this.secondMoments]) slot.dispose();
  }
}

/** √(Σ‖g‖²) over a list of gradients, as a scalar tensor (the caller owns it). */
export function globalNorm(gradients: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}
