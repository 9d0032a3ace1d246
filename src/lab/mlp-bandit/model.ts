/**
 * What Algorithm 1 on the MLP needs from the network, as host arrays in and out: src/lab stays tfjs-free
 * (tests/architecture.test.ts), and the tfjs implementation of this interface is
 * `src/worker/mlp/tf-mlp-model.ts` (the official categorical MLP of spec C.1, `MlpPolicy`).
 *
 * A model owns its contexts: `trainCount` train contexts (the run's S prompts) and `evalCount` evaluation
 * contexts, drawn once from the seed. Every method that touches the device is async (a read-back).
 */
export interface ContextualBanditModel {
  /** number of bins K */
  readonly K: number;
  readonly trainCount: number;
  readonly evalCount: number;
  /** log π(·|s) of train contexts [from, to), row-major [(to − from)·K] */
  trainLogProbs(from: number, to: number): Promise<Float32Array>;
  /** π(·|s) of every evaluation context, row-major [evalCount·K] */
  evalProbs(): Promise<Float32Array>;
  /**
   * One full-batch Adam step of the official SFT (spec B.1): (1/S) Σ_s KL(π(·|s) ‖ π_ref) over the train
   * contexts, with an Adam of its own (torch defaults) kept until `endSft()`. Returns the loss before the step.
   */
  sftStep(refProbs: Float64Array, lr: number): Promise<number>;
  /** frees the SFT's optimizer and creates the training one (fresh Adam, as `MlpPolicy.sft` does) */
  endSft(): void;
  /** copy another model's weights (a finished SFT shared by runs with the same train contexts) */
  copyWeightsFrom(other: ContextualBanditModel): void;
  /**
   * One Adam step on the surrogate −Σ c·log π(a|s) − Σ dense·log π over train contexts [from, to):
   * `actions` and `perSample` are row-major [(to − from)·n], `dense` [(to − from)·K] or null.
   */
  step(
    from: number,
    to: number,
    actions: Int32Array,
    n: number,
    perSample: Float64Array,
    dense: Float64Array | null,
    lr: number,
  ): Promise<{ loss: number; gradNorm: number }>;
  dispose(): void;
}

export interface ModelRequest {
  seed: number;
  trainCount: number;
  evalCount: number;
  K: number;
}

/** Builds a model with the seed's weights and contexts (the same request always gives the same model). */
export type ModelFactory = (request: ModelRequest) => ContextualBanditModel;
