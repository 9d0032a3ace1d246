/**
 * The tfjs side of the MLP companion: `ContextualBanditModel` (src/lab/mlp-bandit/model.ts) on the official
 * categorical MLP of spec C.1 (`MlpPolicy`, src/lab/policies/mlp-policy.ts). Host arrays in and out; every
 * tensor made here is disposed here (tests check that `tf.memory().numTensors` stays flat).
 *
 * It lives beside the worker because src/lab may import tfjs only under src/lab/policies/.
 */
import * as tf from '@tensorflow/tfjs';
import type { ContextualBanditModel, ModelFactory, ModelRequest } from '../../lab/mlp-bandit/model.ts';
import { log } from '../../lab/math.ts';
import { banditContexts, MlpPolicy, officialMlpConfig } from '../../lab/policies/mlp-policy.ts';
import { globalNorm, type TfAdam } from '../../lab/policies/tf-adam.ts';

export class TfMlpBanditModel implements ContextualBanditModel {
  readonly K: number;
  readonly trainCount: number;
  readonly evalCount: number;
  readonly policy: MlpPolicy;
  private readonly train: tf.Tensor2D;
  private readonly evaluation: tf.Tensor2D;
  private sftOptimizer: TfAdam | null = null;
  private sftLogRef: tf.Tensor1D | null = null;
  private optimizer: TfAdam | null = null;
  private disposed = false;

  constructor(request: ModelRequest, options: { transposeFreeMatMul?: boolean } = {}) {
    this.K = request.K;
    this.trainCount = request.trainCount;
    this.evalCount = request.evalCount;
    this.policy = new MlpPolicy(officialMlpConfig(request.seed, { actions: request.K, transposeFreeMatMul: options.transposeFreeMatMul ?? false }));
    const stateDim = this.policy.config.stateDim;
    const contexts = banditContexts(request.seed, request.trainCount, request.evalCount, stateDim);
    this.train = tf.tensor2d(contexts.train, [request.trainCount, stateDim]);
    this.evaluation = tf.tensor2d(contexts.eval, [request.evalCount, stateDim]);
  }

  private rows(from: number, to: number): tf.Tensor2D {
    if (!(from >= 0 && to <= this.trainCount && from < to)) throw new Error(`train contexts [${from}, ${to}) out of [0, ${this.trainCount})`);
    return from === 0 && to === this.trainCount ? this.train : tf.slice(this.train, [from, 0], [to - from, -1]);
  }

  async trainLogProbs(from: number, to: number): Promise<Float32Array> {
    const result = tf.tidy(() => tf.logSoftmax(this.policy.logits(this.rows(from, to))));
    try {
      return (await result.data()) as Float32Array;
    } finally {
      result.dispose();
    }
  }

  async evalProbs(): Promise<Float32Array> {
    const result = this.policy.probs(this.evaluation);
    try {
      return (await result.data()) as Float32Array;
    } finally {
      result.dispose();
    }
  }

  async sftStep(refProbs: Float64Array, lr: number): Promise<number> {
    if (!this.sftLogRef) {
      const values = new Float32Array(refProbs.length);
      for (let a = 0; a < refProbs.length; a++) {
        if (!(refProbs[a] > 0)) throw new Error(`sft: π_ref[${a}] = ${refProbs[a]}; the reverse KL needs π_ref > 0`);
        values[a] = log(refProbs[a]);
      }
      this.sftLogRef = tf.tensor1d(values);
      this.sftOptimizer = this.policy.createAdam();
    }
    const logRef = this.sftLogRef;
    return (await this.applyStep(() => this.policy.sftLoss(this.train, logRef), this.sftOptimizer as TfAdam, lr)).loss;
  }

  endSft(): void {
    this.sftOptimizer?.dispose();
    this.sftLogRef?.dispose();
    this.sftOptimizer = null;
    this.sftLogRef = null;
    this.optimizer ??= this.policy.createAdam();
  }

  copyWeightsFrom(other: ContextualBanditModel): void {
    if (!(other instanceof TfMlpBanditModel)) throw new Error('copyWeightsFrom: another TfMlpBanditModel is needed');
    for (const [name, variable] of this.policy.parameters) {
      const source = other.policy.parameters.get(name);
      if (!source) throw new Error(`copyWeightsFrom: the other model has no ${name}`);
      variable.assign(source);
    }
  }

  async step(from: number, to: number, actions: Int32Array, n: number, perSample: Float64Array, dense: Float64Array | null, lr: number): Promise<{ loss: number; gradNorm: number }> {
    if (!this.optimizer) throw new Error('TfMlpBanditModel: endSft() first');
    const contexts = to - from;
    const states = this.rows(from, to);
    const actionTensor = tf.tensor2d(actions, [contexts, n], 'int32');
    try {
      return await this.applyStep(() => this.policy.surrogateLoss(states, actionTensor, { perSample, ...(dense ? { dense } : {}) }), this.optimizer, lr);
    } finally {
      actionTensor.dispose();
      if (states !== this.train) states.dispose();
    }
  }

  /** MlpPolicy's own step (gradient, global norm, Adam), read back */
  private async applyStep(loss: () => tf.Scalar, optimizer: TfAdam, lr: number): Promise<{ loss: number; gradNorm: number }> {
    const result = tf.tidy(() => {
      const gradients = this.policy.gradients(loss);
      const norm = globalNorm(gradients.list);
      optimizer.apply(gradients.list, lr);
      return { loss: gradients.value, norm };
    });
    try {
      const [lossValue, normValue] = await Promise.all([result.loss.data(), result.norm.data()]);
      return { loss: lossValue[0], gradNorm: normValue[0] };
    } finally {
      result.loss.dispose();
      result.norm.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.sftOptimizer?.dispose();
    this.sftLogRef?.dispose();
    this.optimizer?.dispose();
    this.train.dispose();
    this.evaluation.dispose();
    this.policy.dispose();
  }
}

/** The factory for the active tfjs backend (the transpose-free matMul on wasm, as the neural worker does). */
export function tfMlpModelFactory(options: { transposeFreeMatMul?: boolean } = {}): ModelFactory {
  return (request) => new TfMlpBanditModel(request, { transposeFreeMatMul: options.transposeFreeMatMul ?? tf.getBackend() === 'wasm' });
}
