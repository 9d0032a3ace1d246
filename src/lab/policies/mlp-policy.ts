/**
 * The official categorical MLP agent of the 1-D bandit (spec C.1, `bandit_agents.py:95-124`):
 *   logits = Linear(256→K)(ReLU(Linear(256→256)(ReLU(Linear(50→256)(ReLU(LayerNorm(50)(Linear(100→50)(s))))))))
 * with xavier-uniform weights at gain 1e-2 and zero biases, so it starts near uniform; π(·|s) = softmax.
 *
 * The input s is the context: a vector in [0, 1)^100, as in the official `bandit_env.py` (spec A.2),
 * drawn once per run, train contexts first and eval contexts second — here from the lab's stream
 * `stream(seed, 'bandit-contexts')` (see `banditContexts`). The reward ignores the context, so it matters
 * only through how the network generalises across contexts, which is exactly what this agent is for.
 *
 * Weights come from `stream(seed, 'mlp-policy', 'init', name)`; Linear weights are stored [in, out].
 */
import * as tf from '@tensorflow/tfjs';
import { log } from '../math.ts';
import { OFFICIAL_SFT_LR, OFFICIAL_SFT_STEPS } from './initialisation.ts';
import { stream } from '../random.ts';
import { globalNorm, TfAdam, type AdamSettings } from './tf-adam.ts';
import { matMul2dFor, type MatMul2d } from './tf-matmul.ts';
import { uniformArray, xavierUniformArray } from './tf-seeded.ts';

export interface MlpPolicyConfig {
  /** size of the context vector s (`repr_dim`) */
  stateDim: number;
  /** width after the first Linear and the LayerNorm (`feature_dim`) */
  featureDim: number;
  /** width of the two hidden ReLU layers (`hidden_dim`) */
  hiddenDim: number;
  /** number of bins K (`action_shape`) */
  actions: number;
  /** xavier-uniform gain of every Linear weight */
  initGain: number;
  seed: number;
  transposeFreeMatMul?: boolean;
}

/** spec C.1: repr_dim 100, feature_dim 50, hidden_dim 256, 100 actions, gain 1e-2 (109,698 parameters) */
export function officialMlpConfig(seed: number, overrides: Partial<MlpPolicyConfig> = {}): MlpPolicyConfig {
  return { stateDim: 100, featureDim: 50, hiddenDim: 256, actions: 100, initGain: 1e-2, seed, ...overrides };
}

/** spec B.1 (1-D): 100 full-batch Adam steps at lr 0.01, the official SFT of initialisation.ts */
export const MLP_SFT_STEPS = OFFICIAL_SFT_STEPS;
export const MLP_SFT_LR = OFFICIAL_SFT_LR;

const LAYER_NORM_EPSILON = 1e-5;

/**
 * The contexts of a run (spec A.2): `trainCount` then `evalCount` vectors uniform in [0, 1)^stateDim,
 * row-major, from one stream, so the train contexts do not depend on how many eval contexts there are.
 */
export function banditContexts(seed: number, trainCount: number, evalCount: number, stateDim = 100): { train: Float32Array; eval: Float32Array } {
  const rng = stream(seed, 'bandit-contexts');
  const train = uniformArray(rng, trainCount * stateDim, 0, 1);
  const evaluation = uniformArray(rng, evalCount * stateDim, 0, 1);
  return { train, eval: evaluation };
}

export interface MlpStepResult {
  loss: number;
  gradientNorm: number;
}

/**
 * Coefficients of the surrogate loss −Σ stopGradient(c)·log π:
 *  - `perSample` [S·N] row-major: c for log π(a_{s,j} | s), with the actions [S, N];
 *  - `dense` [S·K], optional: exact-expectation coefficients, −Σ_{s,a} dense_{s,a} log π(a | s)
 *    (the per-bin KL terms of the tabular engine, per context here).
 */
export interface MlpCoefficients {
  perSample: ArrayLike<number>;
  dense?: ArrayLike<number>;
}

export class MlpPolicy {
  readonly config: Readonly<MlpPolicyConfig>;
  /** parameters under the names of `bandit_agents.py` (trunk.0 Linear, trunk.1 LayerNorm, policy.* Linears) */
  readonly parameters: ReadonlyMap<string, tf.Variable>;
  private readonly variableList: tf.Variable[];
  private readonly matMul2d: MatMul2d;
  private disposed = false;

  constructor(config: MlpPolicyConfig) {
    for (const key of ['stateDim', 'featureDim', 'hiddenDim', 'actions'] as const) {
      if (!Number.isInteger(config[key]) || config[key] < 1) throw new Error(`MlpPolicyConfig.${key} must be a positive integer`);
    }
    this.config = { ...config };
    const { stateDim, featureDim, hiddenDim, actions, initGain, seed } = config;
    const parameters = new Map<string, tf.Variable>();
    const add = (name: string, shape: number[], values: Float32Array): void => {
      parameters.set(name, tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true)));
    };
    const linear = (name: string, fanIn: number, fanOut: number): void => {
      add(`${name}.weight`, [fanIn, fanOut], xavierUniformArray(stream(seed, 'mlp-policy', 'init', `${name}.weight`), fanIn, fanOut, initGain));
      add(`${name}.bias`, [fanOut], new Float32Array(fanOut));
    };
    linear('trunk.0', stateDim, featureDim);
    add('trunk.1.weight', [featureDim], new Float32Array(featureDim).fill(1));
    add('trunk.1.bias', [featureDim], new Float32Array(featureDim));
    linear('policy.0', featureDim, hiddenDim);
    linear('policy.2', hiddenDim, hiddenDim);
    linear('policy.4', hiddenDim, actions);
    this.parameters = parameters;
    this.variableList = [...parameters.values()];
    this.matMul2d = matMul2dFor(config.transposeFreeMatMul ?? false);
  }

  get parameterCount(): number {
    return this.variableList.reduce((total, v) => total + v.size, 0);
  }

  createAdam(settings: Partial<AdamSettings> = {}): TfAdam {
    return new TfAdam(this.variableList, settings);
  }

  /** logits [S, K] of contexts [S, stateDim]; the caller owns the result */
  logits(states: tf.Tensor2D): tf.Tensor2D {
    if (this.disposed) throw new Error('MlpPolicy: used after dispose()');
    const p = (name: string): tf.Tensor2D => this.parameters.get(name) as tf.Tensor2D;
    const mm = this.matMul2d;
    return tf.tidy(() => {
      const features = tf.add(mm(states, p('trunk.0.weight')), p('trunk.0.bias')) as tf.Tensor2D;
      const { mean, variance } = tf.moments(features, 1, true);
      const normalised = tf.mul(tf.sub(features, mean), tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON)));
      let h = tf.relu(tf.add(tf.mul(normalised, p('trunk.1.weight')), p('trunk.1.bias'))) as tf.Tensor2D;
      h = tf.relu(tf.add(mm(h, p('policy.0.weight')), p('policy.0.bias'))) as tf.Tensor2D;
      h = tf.relu(tf.add(mm(h, p('policy.2.weight')), p('policy.2.bias'))) as tf.Tensor2D;
      return tf.add(mm(h, p('policy.4.weight')), p('policy.4.bias')) as tf.Tensor2D;
    });
  }

  /** π(·|s) [S, K] */
  probs(states: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(this.logits(states)));
  }

  /** log π(a_{s,j} | s) [S, N] for int32 actions [S, N] (one-hot pick: no gather gradient on wasm) */
  logProbs(states: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const logPi = tf.expandDims(tf.logSoftmax(this.logits(states)), 1); // [S, 1, K]
      const picks = tf.cast(tf.oneHot(actions, this.config.actions), 'float32'); // [S, N, K]
      return tf.sum(tf.mul(picks, logPi), 2) as tf.Tensor2D;
    });
  }

  /** −Σ c·log π(a|s) − Σ dense·log π, as a scalar the caller owns */
  surrogateLoss(states: tf.Tensor2D, actions: tf.Tensor2D, coefficients: MlpCoefficients): tf.Scalar {
    const [contexts, samples] = actions.shape;
    const { actions: bins } = this.config;
    if (coefficients.perSample.length !== contexts * samples) throw new Error(`need ${contexts * samples} per-sample coefficients`);
    return tf.tidy(() => {
      const c = tf.tensor2d(Float32Array.from(coefficients.perSample), [contexts, samples]);
      let loss = tf.neg(tf.sum(tf.mul(this.logProbs(states, actions), c)));
      if (coefficients.dense) {
        if (coefficients.dense.length !== contexts * bins) throw new Error(`need ${contexts * bins} dense coefficients`);
        const dense = tf.tensor2d(Float32Array.from(coefficients.dense), [contexts, bins]);
        loss = tf.sub(loss, tf.sum(tf.mul(tf.logSoftmax(this.logits(states)), dense)));
      }
      return loss as tf.Scalar;
    });
  }

  /** One Adam step (optimizer from `createAdam()`) on the surrogate loss; the loss before the step and the gradient norm. */
  async surrogateStep(
    states: tf.Tensor2D,
    actions: tf.Tensor2D,
    coefficients: MlpCoefficients,
    optimizer: TfAdam,
    learningRate: number,
  ): Promise<MlpStepResult> {
    return this.step(() => this.surrogateLoss(states, actions, coefficients), optimizer, learningRate);
  }

  /** spec B.1 (1-D): (1/S) Σ_s KL(π_θ(·|s) ‖ π_ref), the reverse KL; `logReference` [K]. The caller owns it. */
  sftLoss(states: tf.Tensor2D, logReference: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      const logPi = tf.logSoftmax(this.logits(states));
      const perContext = tf.sum(tf.mul(tf.exp(logPi), tf.sub(logPi, logReference)), 1);
      return tf.mean(perContext) as tf.Scalar;
    });
  }

  /**
   * The official SFT (spec B.1): `steps` full-batch Adam steps at `learningRate` on the reverse KL to
   * π_ref over the train contexts, with a fresh Adam (torch defaults) that is disposed afterwards.
   * π_ref must be positive everywhere (the reverse KL is infinite otherwise). Returns the KL before and after.
   */
  async sft(
    states: tf.Tensor2D,
    referenceProbs: ArrayLike<number>,
    steps = MLP_SFT_STEPS,
    learningRate = MLP_SFT_LR,
  ): Promise<{ initialKl: number; finalKl: number }> {
    if (referenceProbs.length !== this.config.actions) throw new Error(`sft: π_ref has ${referenceProbs.length} bins, the policy ${this.config.actions}`);
    const logReferenceValues = new Float32Array(referenceProbs.length);
    for (let a = 0; a < referenceProbs.length; a++) {
      if (!(referenceProbs[a] > 0)) throw new Error(`sft: π_ref[${a}] = ${referenceProbs[a]}; the reverse KL needs π_ref > 0`);
      logReferenceValues[a] = log(referenceProbs[a]);
    }
    const logReference = tf.tensor1d(logReferenceValues);
    const optimizer = this.createAdam();
    try {
      let initialKl = Number.NaN;
      for (let t = 0; t < steps; t++) {
        const { loss } = await this.step(() => this.sftLoss(states, logReference), optimizer, learningRate);
        if (t === 0) initialKl = loss;
      }
      const finalLoss = this.sftLoss(states, logReference);
      const finalKl = (await finalLoss.data())[0];
      finalLoss.dispose();
      return { initialKl: steps > 0 ? initialKl : finalKl, finalKl };
    } finally {
      optimizer.dispose();
      logReference.dispose();
    }
  }

  /** The loss's value and its gradient for every parameter in `parameters` order; for use inside tf.tidy. */
  gradients(loss: () => tf.Scalar): { value: tf.Scalar; list: tf.Tensor[] } {
    const { value, grads } = tf.variableGrads(loss, this.variableList);
    return { value, list: this.variableList.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const variable of this.variableList) variable.dispose();
  }

  private async step(loss: () => tf.Scalar, optimizer: TfAdam, learningRate: number): Promise<MlpStepResult> {
    if (!optimizer.isFor(this.variableList)) throw new Error('MlpPolicy: the optimizer was not made by this policy’s createAdam()');
    const result = tf.tidy(() => {
      const gradients = this.gradients(loss);
      const norm = globalNorm(gradients.list);
      optimizer.apply(gradients.list, learningRate);
      return { loss: gradients.value, norm };
    });
    const [lossValue, normValue] = await Promise.all([result.loss.data(), result.norm.data()]);
    result.loss.dispose();
    result.norm.dispose();
    return { loss: lossValue[0], gradientNorm: normValue[0] };
  }
}
