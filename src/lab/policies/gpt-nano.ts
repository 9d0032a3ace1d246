/**
 * minGPT's "gpt-nano" (spec C.2) in raw tfjs ops: learned token and position embeddings, pre-LN blocks
 * `x + Attn(LN(x))`, `x + MLP(LN(x))` with a causal mask and a tanh-GELU MLP (C → 4C → C), a final LN
 * and an untied lm_head without bias. Dropout (embeddings, attention weights, both residual branches)
 * is applied only in gradient steps, as `agent.train()` / `agent.eval()` do in the official code.
 *
 * Everything random comes from the lab's seeded streams (tf-seeded.ts): each parameter has its own
 * stream `stream(seed, 'gpt-nano', 'init', name)`, and gradient step k draws its dropout masks from
 * `stream(seed, 'gpt-nano', 'dropout', k)`. Sampling takes its uniforms from the caller.
 *
 * Layout notes, for whoever compares with torch: Linear weights are stored [in, out] (the transpose of
 * torch's [out, in]) so that every 2-D matMul is a plain, non-transposed one (platform-notes pitfall 7);
 * embeddings are one-hot matMuls rather than `gather`, whose gradient has no wasm kernel (pitfall 2); and
 * one-hots are cast to float32 after `tf.oneHot` (pitfall 1).
 */
import * as tf from '@tensorflow/tfjs';
import { stream } from '../random.ts';
import { flattenGradients, TfAdam, type AdamSettings } from './tf-adam.ts';
import { columnSums, linearFor, matMul2dFor, type Linear2d, type MatMul2d } from './tf-matmul.ts';
import { dropoutMaskArray, inverseCdfSample, normalArray, uniformsToFloat32 } from './tf-seeded.ts';

export interface GptConfig {
  /** token count, including an end-of-sequence token where a task has one */
  vocab: number;
  /** the longest sequence (prompt + generated tokens) */
  blockSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  /** dropout rate in gradient steps */
  dropout: number;
  /** the experiment seed; weights and dropout masks derive from it */
  seed: number;
  /** use the transpose-free matMul backward (faster on wasm, slower on cpu); default false */
  transposeFreeMatMul?: boolean;
}

/** spec C.2: n_layer 3, n_head 3, n_embd 48, block 10 (= 9 new tokens + the prompt), dropout 0.1 */
export function gptNanoConfig(vocab: number, seed: number, overrides: Partial<GptConfig> = {}): GptConfig {
  return { vocab, blockSize: 10, nLayer: 3, nHead: 3, nEmbd: 48, dropout: 0.1, seed, ...overrides };
}

/** torch.nn.LayerNorm's default ε */
const LAYER_NORM_EPSILON = 1e-5;
/** standard deviation of minGPT's normal initialisation */
const INIT_STD = 0.02;
/** added to masked attention scores; exp of it underflows to exactly 0 in float32 */
const MASKED_SCORE = -1e9;
const GELU_SCALE = Math.sqrt(2 / Math.PI);

export type Scoring = 'shifted' | 'official';

/** A model's state as host arrays: enough to rebuild it on another backend (after a device loss). */
export interface GptNanoSnapshot {
  config: GptConfig;
  /** parameter values in `parameters` order */
  weights: Float32Array[];
  /** gradient steps taken (the next step's dropout stream) */
  gradientSteps: number;
}

export interface SequenceLogProbs {
  /** [B]: the sum of `perToken` over positions */
  perSequence: tf.Tensor1D;
  /**
   * [B, T]: the log-probability credited to token t. 'shifted': log softmax(logits_{t−1})[tok_t] for
   * t ≥ promptLength, 0 before. 'official': log softmax(logits_t)[tok_t] at every t, prompt included.
   */
  perToken: tf.Tensor2D;
}

export interface ScoringOptions {
  /** tokens before this index are the prompt; 'shifted' scores only the tokens after it */
  promptLength: number;
  scoring: Scoring;
  /**
   * 'shifted' only: a token the sampler never emits at the first generated slot (the length tasks mask the
   * end token there). Its logit at the predicting position is set to −10⁹ before the log-softmax, so the
   * scores are those of the distribution actually sampled from. Default: none.
   */
  forbiddenFirstToken?: number;
}

/** Coefficients c of the surrogate loss −Σ stopGradient(c)·log π (design principle 2). */
export type SurrogateCoefficients =
  /** [B]: one per sequence, multiplying the sequence's summed log-probability */
  | { perSequence: ArrayLike<number> }
  /** [B·T] row-major: one per token, multiplying that token's log-probability */
  | { perToken: ArrayLike<number> };

export interface StepResult {
  loss: number;
  gradientNorm: number;
}

/** The dropout masks of one gradient step (inverted dropout: entries are 0 or 1/(1 − rate)). */
export interface DropoutMasks {
  /** [B·T, C], after the embedding sum */
  embedding: tf.Tensor2D;
  layers: Array<{
    /** [B, H, T, T], on the attention weights after softmax */
    attention: tf.Tensor4D;
    /** [B·T, C], on the attention branch's output projection */
    attentionOutput: tf.Tensor2D;
    /** [B·T, C], on the MLP branch's output */
    mlpOutput: tf.Tensor2D;
  }>;
}

export function disposeDropoutMasks(masks: DropoutMasks): void {
  masks.embedding.dispose();
  for (const layer of masks.layers) {
    layer.attention.dispose();
    layer.attentionOutput.dispose();
    layer.mlpOutput.dispose();
  }
}

interface LayerNormParameters {
  gain: tf.Variable;
  bias: tf.Variable;
}

interface BlockParameters {
  ln1: LayerNormParameters;
  attentionWeight: tf.Variable;
  attentionBias: tf.Variable;
  attentionProjectionWeight: tf.Variable;
  attentionProjectionBias: tf.Variable;
  ln2: LayerNormParameters;
  mlpInWeight: tf.Variable;
  mlpInBias: tf.Variable;
  mlpOutWeight: tf.Variable;
  mlpOutBias: tf.Variable;
}

type Initialiser = { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' };

export class GptNano {
  readonly config: Readonly<GptConfig>;
  /** every parameter under its minGPT name, in a fixed order (Linear weights stored [in, out]) */
  readonly parameters: ReadonlyMap<string, tf.Variable>;
  private readonly variableList: tf.Variable[];
  private readonly tokenEmbedding: tf.Variable;
  private readonly positionEmbedding: tf.Variable;
  private readonly blocks: BlockParameters[];
  private readonly finalNorm: LayerNormParameters;
  private readonly head: tf.Variable;
  /** [blockSize, blockSize]: 0 on and below the diagonal, MASKED_SCORE above */
  private readonly causalBias: tf.Tensor2D;
  private readonly matMul2d: MatMul2d;
  private readonly linear: Linear2d;
  private gradientSteps = 0;
  private disposed = false;

  constructor(config: GptConfig) {
    validate(config);
    this.config = { ...config };
    const { vocab, blockSize, nLayer, nEmbd } = config;
    const parameters = new Map<string, tf.Variable>();
    const residualStd = INIT_STD / Math.sqrt(2 * nLayer);
    const make = (name: string, shape: number[], init: Initialiser): tf.Variable => {
      const size = shape.reduce((a, b) => a * b, 1);
      let values: Float32Array;
      if (init.kind === 'normal') values = normalArray(stream(config.seed, 'gpt-nano', 'init', name), size, 0, init.std);
      else values = new Float32Array(size).fill(init.kind === 'ones' ? 1 : 0);
      const variable = tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true));
      parameters.set(name, variable);
      return variable;
    };
    const layerNorm = (prefix: string): LayerNormParameters => ({
      gain: make(`${prefix}.weight`, [nEmbd], { kind: 'ones' }),
      bias: make(`${prefix}.bias`, [nEmbd], { kind: 'zeros' }),
    });
    const normal = { kind: 'normal', std: INIT_STD } as const;
    const residualNormal = { kind: 'normal', std: residualStd } as const;
    const zeros = { kind: 'zeros' } as const;

    this.tokenEmbedding = make('transformer.wte.weight', [vocab, nEmbd], normal);
    this.positionEmbedding = make('transformer.wpe.weight', [blockSize, nEmbd], normal);
    this.blocks = [];
    for (let layer = 0; layer < nLayer; layer++) {
      const p = `transformer.h.${layer}`;
      this.blocks.push({
        ln1: layerNorm(`${p}.ln_1`),
        attentionWeight: make(`${p}.attn.c_attn.weight`, [nEmbd, 3 * nEmbd], normal),
        attentionBias: make(`${p}.attn.c_attn.bias`, [3 * nEmbd], zeros),
        attentionProjectionWeight: make(`${p}.attn.c_proj.weight`, [nEmbd, nEmbd], residualNormal),
        attentionProjectionBias: make(`${p}.attn.c_proj.bias`, [nEmbd], zeros),
        ln2: layerNorm(`${p}.ln_2`),
        mlpInWeight: make(`${p}.mlp.c_fc.weight`, [nEmbd, 4 * nEmbd], normal),
        mlpInBias: make(`${p}.mlp.c_fc.bias`, [4 * nEmbd], zeros),
        mlpOutWeight: make(`${p}.mlp.c_proj.weight`, [4 * nEmbd, nEmbd], residualNormal),
        mlpOutBias: make(`${p}.mlp.c_proj.bias`, [nEmbd], zeros),
      });
    }
    this.finalNorm = layerNorm('transformer.ln_f');
    this.head = make('lm_head.weight', [nEmbd, vocab], normal);
    this.parameters = parameters;
    this.variableList = [...parameters.values()];

    const bias = new Float32Array(blockSize * blockSize);
    for (let row = 0; row < blockSize; row++) for (let col = row + 1; col < blockSize; col++) bias[row * blockSize + col] = MASKED_SCORE;
    this.causalBias = tf.tensor2d(bias, [blockSize, blockSize]);
    this.matMul2d = matMul2dFor(config.transposeFreeMatMul ?? false);
    this.linear = linearFor(config.transposeFreeMatMul ?? false);
  }

  get parameterCount(): number {
    return this.variableList.reduce((total, v) => total + v.size, 0);
  }

  /** gradient steps taken so far; step k uses the dropout masks of stream (seed, 'gpt-nano', 'dropout', k) */
  get gradientStepCount(): number {
    return this.gradientSteps;
  }

  /** An Adam (torch defaults) over this model's parameters, for `surrogateStep`. */
  createAdam(settings: Partial<AdamSettings> = {}): TfAdam {
    return new TfAdam(this.variableList, settings);
  }

  /** A copy with the same configuration and current weights (the official `deepcopy(agent)` after SFT). */
  clone(): GptNano {
    const copy = new GptNano(this.config);
    copy.variableList.forEach((variable, i) => variable.assign(this.variableList[i]));
    copy.gradientSteps = this.gradientSteps;
    return copy;
  }

  /** The configuration, weights and step count, copied to the host. */
  async snapshot(): Promise<GptNanoSnapshot> {
    const gradientSteps = this.gradientSteps;
    const weights = await Promise.all(this.variableList.map(async (variable) => Float32Array.from((await variable.data()) as Float32Array)));
    return { config: { ...this.config }, weights, gradientSteps };
  }

  /**
   * A model rebuilt from a snapshot on the current backend: same weights and step count, so it goes on
   * bit-identically on the same backend. `overrides` may change how it computes (e.g. `transposeFreeMatMul`
   * for the new backend), not what.
   */
  static fromSnapshot(snapshot: GptNanoSnapshot, overrides: Partial<Pick<GptConfig, 'transposeFreeMatMul'>> = {}): GptNano {
    const model = new GptNano({ ...snapshot.config, ...overrides });
    try {
      if (snapshot.weights.length !== model.variableList.length) throw new Error(`GptNano.fromSnapshot: ${snapshot.weights.length} weights for ${model.variableList.length} parameters`);
      model.variableList.forEach((variable, i) => {
        const values = snapshot.weights[i];
        if (values.length !== variable.size) throw new Error(`GptNano.fromSnapshot: parameter ${i} has ${variable.size} values, the snapshot ${values.length}`);
        tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
      });
    } catch (error) {
      model.dispose();
      throw error;
    }
    model.gradientSteps = snapshot.gradientSteps;
    return model;
  }

  /** Logits [B, T, V] of int32 tokens [B, T]; no dropout unless masks are given. The caller owns the result. */
  logits(tokens: tf.Tensor2D, masks?: DropoutMasks): tf.Tensor3D {
    const [batch, length] = tokens.shape;
    return tf.tidy(() => tf.reshape(this.forward(tokens, masks), [batch, length, this.config.vocab]));
  }

  /**
   * Sequence log-likelihoods of int32 tokens [B, T] (see SequenceLogProbs). 'shifted' is the true
   * likelihood of the tokens after the prompt; 'official' replicates gpt.py:282-290, which scores token t
   * with the head that predicts token t + 1, over every position including the prompt.
   */
  sequenceLogProbs(tokens: tf.Tensor2D, options: ScoringOptions, masks?: DropoutMasks): SequenceLogProbs {
    const [batch, length] = tokens.shape;
    const { promptLength, scoring } = options;
    if (scoring === 'shifted' && (promptLength < 1 || promptLength > length)) {
      throw new Error(`shifted scoring needs 1 ≤ promptLength ≤ T, got ${promptLength} for T = ${length}`);
    }
    return tf.tidy(() => {
      const vocab = this.config.vocab;
      let logits = this.forward(tokens, masks);
      if (scoring === 'shifted' && options.forbiddenFirstToken !== undefined) {
        logits = tf.add(logits, forbiddenTokenBias(batch, length, vocab, promptLength - 1, options.forbiddenFirstToken));
      }
      const logProbs = tf.reshape(logSoftmax(logits), [batch, length, vocab]) as tf.Tensor3D;
      let perToken: tf.Tensor2D;
      if (scoring === 'official') {
        perToken = pickTokens(logProbs, tokens);
      } else {
        // position t − 1 predicts token t; token 0 has no predictor and prompt tokens are not scored
        const predictors = tf.slice(logProbs, [0, 0, 0], [batch, length - 1, vocab]) as tf.Tensor3D;
        const targets = tf.slice(tokens, [0, 1], [batch, length - 1]);
        const scored = tf.concat([tf.zeros([batch, 1]), pickTokens(predictors, targets)], 1);
        const positionWeights = new Float32Array(length);
        for (let t = promptLength; t < length; t++) positionWeights[t] = 1;
        perToken = tf.mul(scored, tf.tensor2d(positionWeights, [1, length]));
      }
      return { perSequence: tf.sum(perToken, 1) as tf.Tensor1D, perToken };
    });
  }

  /**
   * Batched autoregressive sampling at temperature 1, no top-k, dropout off: appends `steps` tokens to
   * the int32 prompts [B, P] by inverse CDF. `uniforms` holds B·steps values in [0, 1), row-major [B, steps]:
   * uniforms[b·steps + s] draws the s-th new token of sequence b. Returns int32 [B, P + steps] (caller owns it).
   */
  sample(prompts: tf.Tensor2D, uniforms: ArrayLike<number>, steps: number): tf.Tensor2D {
    const [batch, promptLength] = prompts.shape;
    if (promptLength + steps > this.config.blockSize) {
      throw new Error(`sample: ${promptLength} + ${steps} tokens exceed the block size ${this.config.blockSize}`);
    }
    if (uniforms.length !== batch * steps) throw new Error(`sample: need ${batch * steps} uniforms, got ${uniforms.length}`);
    const uniformTensor = tf.tensor2d(uniformsToFloat32(uniforms), [batch, steps]);
    let sequences = tf.clone(prompts);
    for (let s = 0; s < steps; s++) {
      const current = sequences;
      sequences = tf.tidy(() => {
        const length = current.shape[1];
        const logits = tf.reshape(this.forward(current), [batch, length, this.config.vocab]);
        const last = tf.reshape(tf.slice(logits, [0, length - 1, 0], [batch, 1, this.config.vocab]), [batch, this.config.vocab]) as tf.Tensor2D;
        const u = tf.reshape(tf.slice(uniformTensor, [0, s], [batch, 1]), [batch]) as tf.Tensor1D;
        return tf.concat([current, tf.reshape(inverseCdfSample(last, u), [batch, 1])], 1);
      });
      current.dispose();
    }
    uniformTensor.dispose();
    return sequences;
  }

  /** The dropout masks gradient step `stepIndex` uses for a [B, T] batch (caller disposes them). */
  dropoutMasks(batch: number, length: number, stepIndex: number): DropoutMasks {
    const { nEmbd, nHead, nLayer, dropout, seed } = this.config;
    const rng = stream(seed, 'gpt-nano', 'dropout', stepIndex);
    const rows = batch * length;
    const embedding = tf.tensor2d(dropoutMaskArray(rng, rows * nEmbd, dropout), [rows, nEmbd]);
    const layers: DropoutMasks['layers'] = [];
    for (let layer = 0; layer < nLayer; layer++) {
      layers.push({
        attention: tf.tensor4d(dropoutMaskArray(rng, batch * nHead * length * length, dropout), [batch, nHead, length, length]),
        attentionOutput: tf.tensor2d(dropoutMaskArray(rng, rows * nEmbd, dropout), [rows, nEmbd]),
        mlpOutput: tf.tensor2d(dropoutMaskArray(rng, rows * nEmbd, dropout), [rows, nEmbd]),
      });
    }
    return { embedding, layers };
  }

  /** −Σ c·log π (c treated as constants), as a scalar the caller owns. */
  surrogateLoss(tokens: tf.Tensor2D, coefficients: SurrogateCoefficients, options: ScoringOptions, masks?: DropoutMasks): tf.Scalar {
    const [batch, length] = tokens.shape;
    return tf.tidy(() => {
      const { perSequence, perToken } = this.sequenceLogProbs(tokens, options, masks);
      if ('perSequence' in coefficients) {
        if (coefficients.perSequence.length !== batch) throw new Error(`need ${batch} per-sequence coefficients`);
        return tf.neg(tf.sum(tf.mul(perSequence, tf.tensor1d(Float32Array.from(coefficients.perSequence))))) as tf.Scalar;
      }
      if (coefficients.perToken.length !== batch * length) throw new Error(`need ${batch * length} per-token coefficients`);
      return tf.neg(tf.sum(tf.mul(perToken, tf.tensor2d(Float32Array.from(coefficients.perToken), [batch, length])))) as tf.Scalar;
    });
  }

  /**
   * One Adam step on −Σ stopGradient(c)·log π, with dropout on (masks from this step's stream).
   * `optimizer` must come from `createAdam()`. Returns the loss before the step and the gradient's norm.
   */
  async surrogateStep(
    tokens: tf.Tensor2D,
    coefficients: SurrogateCoefficients,
    optimizer: TfAdam,
    options: ScoringOptions & { learningRate: number },
  ): Promise<StepResult> {
    if (!optimizer.isFor(this.variableList)) throw new Error('surrogateStep: the optimizer was not made by this model’s createAdam()');
    const [batch, length] = tokens.shape;
    const masks = this.config.dropout > 0 ? this.dropoutMasks(batch, length, this.gradientSteps) : undefined;
    this.gradientSteps += 1;
    let result: { loss: tf.Scalar; norm: tf.Scalar };
    try {
      result = tf.tidy(() => {
        const gradients = this.gradients(() => this.surrogateLoss(tokens, coefficients, options, masks));
        // one flat gradient for the norm and the update: a few kernels instead of a dozen per parameter
        const flat = flattenGradients(gradients.list);
        const norm = tf.sqrt(tf.sum(tf.square(flat))) as tf.Scalar;
        optimizer.applyFlat(flat, options.learningRate);
        return { loss: gradients.value, norm };
      });
    } finally {
      if (masks) disposeDropoutMasks(masks);
    }
    const [loss, norm] = await Promise.all([result.loss.data(), result.norm.data()]);
    result.loss.dispose();
    result.norm.dispose();
    return { loss: loss[0], gradientNorm: norm[0] };
  }

  /**
   * The loss's value and its gradient for every parameter, in `parameters` order (zeros where the loss
   * does not depend on one). For use inside tf.tidy; the caller owns the tensors.
   */
  gradients(loss: () => tf.Scalar): { value: tf.Scalar; list: tf.Tensor[] } {
    const { value, grads } = tf.variableGrads(loss, this.variableList);
    return { value, list: this.variableList.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
  }

  /** Current weights by name (host copies). */
  async readWeights(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const [name, variable] of this.parameters) out.set(name, (await variable.data()) as Float32Array);
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const variable of this.variableList) variable.dispose();
    this.causalBias.dispose();
  }

  /** logits [B·T, V] */
  private forward(tokens: tf.Tensor2D, masks?: DropoutMasks): tf.Tensor2D {
    if (this.disposed) throw new Error('GptNano: used after dispose()');
    const [batch, length] = tokens.shape;
    const { vocab, nEmbd, nHead, blockSize } = this.config;
    if (length > blockSize) throw new Error(`GptNano: sequence length ${length} exceeds the block size ${blockSize}`);
    if (tokens.dtype !== 'int32') throw new Error('GptNano: tokens must be int32');
    const mm = this.matMul2d;
    const linear = this.linear;
    const transposeFree = this.config.transposeFreeMatMul ?? false;

    const positions = tf.slice(this.positionEmbedding, [0, 0], [length, nEmbd]) as tf.Tensor2D;
    let x = addPositions(embed(tokens, vocab, this.tokenEmbedding as tf.Tensor2D, transposeFree), positions, batch);
    if (masks) x = dropout(x, masks.embedding);

    const causal = length === blockSize ? this.causalBias : (tf.slice(this.causalBias, [0, 0], [length, length]) as tf.Tensor2D);
    this.blocks.forEach((block, layer) => {
      const layerMasks = masks?.layers[layer];
      // attention branch
      const normed = layerNorm(x, block.ln1);
      const qkv = linear(normed, block.attentionWeight as tf.Tensor2D, block.attentionBias as tf.Tensor1D);
      const attended = attention(qkv, batch, nHead, causal, layerMasks?.attention);
      let attentionOut = linear(attended, block.attentionProjectionWeight as tf.Tensor2D, block.attentionProjectionBias as tf.Tensor1D);
      if (layerMasks) attentionOut = dropout(attentionOut, layerMasks.attentionOutput);
      x = tf.add(x, attentionOut);
      // MLP branch
      const hidden = gelu(linear(layerNorm(x, block.ln2), block.mlpInWeight as tf.Tensor2D, block.mlpInBias as tf.Tensor1D));
      let mlpOut = linear(hidden, block.mlpOutWeight as tf.Tensor2D, block.mlpOutBias as tf.Tensor1D);
      if (layerMasks) mlpOut = dropout(mlpOut, layerMasks.mlpOutput);
      x = tf.add(x, mlpOut);
    });
    return mm(layerNorm(x, this.finalNorm), this.head as tf.Tensor2D);
  }
}

/*
 * The ops below are custom-gradient ops with hand-written backward passes. Written with plain tfjs ops,
 * autodiff would record every element-wise kernel and copy (an Identity kernel on wasm) each input it
 * saves, and add a Cast per Multiply gradient: about 1,700 small kernels per gradient step. Each op here
 * saves only what its backward needs and computes the forward values exactly as before.
 */

/** torch.nn.LayerNorm over the last axis of [rows, C] (biased variance, ε 1e-5). */
const layerNormOp = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = inputs[0] as tf.Tensor2D;
  const gain = inputs[1] as tf.Tensor1D;
  const bias = inputs[2] as tf.Tensor1D;
  const save = inputs[3] as tf.GradSaveFunc;
  // the same kernels, in the same order, as tf.moments + (x − mean)·rsqrt(var + ε)·gain + bias
  const mean = tf.mean(x, 1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), 1, true);
  const inverseStd = tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON));
  const normalised = tf.mul(centred, inverseStd);
  save([normalised, inverseStd, gain]);
  return {
    value: tf.add(tf.mul(normalised, gain), bias),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const upstream = dy as tf.Tensor2D;
      const [xHat, rstd, g] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
      // dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ gain
      const dxHat = tf.mul(upstream, g);
      const projection = tf.mul(xHat, tf.mean(tf.mul(dxHat, xHat), 1, true));
      const dx = tf.mul(tf.sub(tf.sub(dxHat, tf.mean(dxHat, 1, true)), projection), rstd);
      return [dx, columnSums(tf.mul(upstream, xHat) as tf.Tensor2D), columnSums(upstream)];
    },
  };
}) as unknown as (x: tf.Tensor2D, gain: tf.Tensor1D, bias: tf.Tensor1D) => tf.Tensor2D;

function layerNorm(x: tf.Tensor2D, { gain, bias }: LayerNormParameters): tf.Tensor2D {
  return layerNormOp(x, gain as tf.Tensor1D, bias as tf.Tensor1D);
}

/**
 * log softmax over the last axis of [R, V]: the forward kernels of tf.logSoftmax (x − max − log Σ exp(x − max));
 * the backward dy − Σdy · softmax takes the softmax from the forward pass's exponentials, where tfjs's own
 * gradient recomputes exp of the output (an Exp over [B·T, V], slow on wasm).
 */
const logSoftmax = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = inputs[0] as tf.Tensor2D;
  const save = inputs[1] as tf.GradSaveFunc;
  const shifted = tf.sub(x, tf.max(x, 1, true));
  const exponentials = tf.exp(shifted);
  const total = tf.sum(exponentials, 1, true);
  save([tf.div(exponentials, total)]);
  return {
    value: tf.sub(shifted, tf.log(total)),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const upstream = dy as tf.Tensor2D;
      return [tf.sub(upstream, tf.mul(tf.sum(upstream, 1, true), saved[0]))];
    },
  };
}) as unknown as (x: tf.Tensor2D) => tf.Tensor2D;

/** 2·√(2/π) and 2·√(2/π)·0.044715 */
const GELU_LINEAR = 2 * GELU_SCALE;
const GELU_CUBIC = 2 * GELU_SCALE * 0.044715;

/**
 * minGPT's NewGELU 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), computed as x·σ(u) with
 * u = 2√(2/π)·(x + 0.044715·x³): 0.5·(1 + tanh(z)) = σ(2z) exactly in real arithmetic, so this is the
 * same function up to float32 rounding, and tfjs-backend-wasm's sigmoid (XNNPACK, vectorised) is ≈ 14×
 * faster than its tanh. Backward: d/dx x·σ(u) = σ + x·σ·(1 − σ)·u′ = σ + (y − y·σ)·u′, y = x·σ,
 * u′ = 2√(2/π)·(1 + 3·0.044715·x²).
 */
const gelu = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = inputs[0] as tf.Tensor2D;
  const save = inputs[1] as tf.GradSaveFunc;
  const sigma = tf.sigmoid(tf.mul(x, tf.add(tf.mul(tf.square(x), GELU_CUBIC), GELU_LINEAR)));
  save([x, sigma]);
  return {
    value: tf.mul(x, sigma),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [savedX, s] = saved as [tf.Tensor2D, tf.Tensor2D];
      const y = tf.mul(savedX, s);
      const slope = tf.add(tf.mul(tf.square(savedX), 3 * GELU_CUBIC), GELU_LINEAR);
      return [tf.mul(dy as tf.Tensor2D, tf.add(s, tf.mul(tf.sub(y, tf.mul(y, s)), slope)))];
    },
  };
}) as unknown as (x: tf.Tensor2D) => tf.Tensor2D;

/** x ⊙ mask with the mask a constant (it outlives the gradient computation, so it is not saved) */
function dropout<T extends tf.Tensor>(x: T, mask: tf.Tensor): T {
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.mul(inputs[0] as tf.Tensor, mask),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [tf.mul(dy as tf.Tensor, mask)],
  })) as unknown as (x: tf.Tensor) => tf.Tensor;
  return op(x) as T;
}

/**
 * Causal self-attention of qkv [B·T, 3C] (q, k, v side by side, each C = H heads of C/H columns, as torch's
 * `view(B, T, H, C/H)`) → [B·T, C]: softmax(q·kᵀ/√(C/H) + causal) ⊙ dropout mask · v per sequence and head.
 * The forward kernels are those of tf.split + head transposes + 4-D matMuls, in the same order. The backward
 * pass is written out (softmax backward p ⊙ (dp − Σ dp ⊙ p)), so only q, k, v and the softmax output are
 * saved, and no split is needed there (tfjs-backend-wasm's Slice copies its whole input on every call).
 */
function attention(qkv: tf.Tensor2D, batch: number, nHead: number, causal: tf.Tensor2D, dropMask?: tf.Tensor4D): tf.Tensor2D {
  const [rows, width] = qkv.shape;
  const length = rows / batch;
  const nEmbd = width / 3;
  const headSize = nEmbd / nHead;
  const scale = 1 / Math.sqrt(headSize);
  const groups = batch * nHead;
  // reshaped inside the op each time: a handle made out here would be disposed with the forward pass's
  // scope before the backward pass runs (the mask itself outlives both)
  const mask3d = (): tf.Tensor3D | null => (dropMask ? (tf.reshape(dropMask, [groups, length, length]) as tf.Tensor3D) : null);
  /** [B·T, C] → [B·H, T, hs] and back */
  const toHeads = (t: tf.Tensor): tf.Tensor3D => tf.reshape(tf.transpose(tf.reshape(t, [batch, length, nHead, headSize]), [0, 2, 1, 3]), [groups, length, headSize]);
  const fromHeads = (t: tf.Tensor): tf.Tensor2D => tf.reshape(tf.transpose(tf.reshape(t, [batch, nHead, length, headSize]), [0, 2, 1, 3]), [rows, nEmbd]);
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = inputs[1] as tf.GradSaveFunc;
    const [q, k, v] = tf.split(inputs[0] as tf.Tensor2D, 3, 1).map(toHeads);
    const probabilities = tf.softmax(tf.add(tf.mul(tf.matMul(q, k, false, true), scale), causal)) as tf.Tensor3D;
    save([q, k, v, probabilities]);
    const forwardMask = mask3d();
    const weights = forwardMask ? tf.mul(probabilities, forwardMask) : probabilities;
    return {
      value: fromHeads(tf.matMul(weights, v)),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sq, sk, sv, p] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
        const backwardMask = mask3d();
        const w = backwardMask ? tf.mul(p, backwardMask) : p;
        const dOut = toHeads(dy as tf.Tensor2D);
        let dWeights = tf.matMul(dOut, sv, false, true);
        const dV = tf.matMul(w, dOut, true, false);
        if (backwardMask) dWeights = tf.mul(dWeights, backwardMask);
        const dp = tf.mul(dWeights, p);
        const dScores = tf.mul(tf.sub(dp, tf.mul(tf.sum(dp, -1, true), p)), scale) as tf.Tensor3D;
        const dQ = tf.matMul(dScores, sk);
        const dK = tf.matMul(dScores, sq, true, false);
        return [tf.concat([fromHeads(dQ), fromHeads(dK), fromHeads(dV)], 1)];
      },
    };
  }) as unknown as (x: tf.Tensor2D) => tf.Tensor2D;
  return op(qkv);
}

/** token vectors [B·T, C] + position vectors [T, C] (each sequence's rows); the positions' gradient is a ones-row matMul */
function addPositions(tokenVectors: tf.Tensor2D, positions: tf.Tensor2D, batch: number): tf.Tensor2D {
  const [rows, width] = tokenVectors.shape;
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.reshape(tf.add(tf.reshape(inputs[0] as tf.Tensor, [batch, rows / batch, width]), inputs[1] as tf.Tensor), [rows, width]),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
      const upstream = dy as tf.Tensor2D;
      // a new handle on dy (no copy): tfjs may dispose an input's gradient when it accumulates another
      return [tf.reshape(upstream, [rows, width]), tf.reshape(columnSums(tf.reshape(upstream, [batch, (rows / batch) * width])), positions.shape)];
    },
  })) as unknown as (t: tf.Tensor2D, p: tf.Tensor2D) => tf.Tensor2D;
  return op(tokenVectors, positions);
}

/**
 * Token embeddings as a one-hot matMul (the gradient of `gather` has no wasm kernel, pitfall 2), with the
 * gradient of the table only: the one-hot operand needs none. int32 tokens [B, T] → [B·T, C].
 */
function embed(tokens: tf.Tensor2D, vocab: number, table: tf.Tensor2D, transposeFree: boolean): tf.Tensor2D {
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const weights = inputs[0] as tf.Tensor2D;
    const save = inputs[1] as tf.GradSaveFunc;
    const oneHot = tf.cast(tf.oneHot(tf.reshape(tokens, [-1]), vocab), 'float32') as tf.Tensor2D;
    save([oneHot]);
    return {
      value: tf.matMul(oneHot, weights),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [savedOneHot] = saved as [tf.Tensor2D];
        const upstream = dy as tf.Tensor2D;
        return [transposeFree ? tf.matMul(tf.transpose(savedOneHot), upstream) : tf.matMul(savedOneHot, upstream, true, false)];
      },
    };
  }) as unknown as (table: tf.Tensor2D) => tf.Tensor2D;
  return op(table);
}

/** [B·T, V]: MASKED_SCORE at (every row's `position`, `token`), 0 elsewhere */
function forbiddenTokenBias(batch: number, length: number, vocab: number, position: number, token: number): tf.Tensor2D {
  if (!Number.isInteger(token) || token < 0 || token >= vocab) throw new Error(`forbiddenFirstToken ${token} is outside 0..${vocab - 1}`);
  const bias = new Float32Array(batch * length * vocab);
  for (let b = 0; b < batch; b++) bias[(b * length + position) * vocab + token] = MASKED_SCORE;
  return tf.tensor2d(bias, [batch * length, vocab]);
}

/** values [B, T, V], int32 tokens [B, T] → values[b, t, tokens[b, t]] as [B, T], by one-hot (no gather gradient on wasm) */
function pickTokens(values: tf.Tensor3D, tokens: tf.Tensor2D): tf.Tensor2D {
  const vocab = values.shape[2];
  return tf.sum(tf.mul(values, tf.cast(tf.oneHot(tokens, vocab), 'float32')), 2) as tf.Tensor2D;
}

function validate(config: GptConfig): void {
  const positiveIntegers: Array<keyof GptConfig> = ['vocab', 'blockSize', 'nLayer', 'nHead', 'nEmbd'];
  for (const key of positiveIntegers) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`GptConfig.${key} must be a positive integer, got ${String(value)}`);
  }
  if (config.nEmbd % config.nHead !== 0) throw new Error(`GptConfig: nEmbd ${config.nEmbd} is not divisible by nHead ${config.nHead}`);
  if (!(config.dropout >= 0 && config.dropout < 1)) throw new Error(`GptConfig.dropout must be in [0, 1), got ${config.dropout}`);
  if (!Number.isInteger(config.seed)) throw new Error(`GptConfig.seed must be an integer, got ${config.seed}`);
}

/** The forward pass's custom-gradient ops, exported for their own tests (tests/gpt-nano.test.ts). */
export const gptNanoOps = { layerNorm: layerNormOp, gelu, dropout, embed, addPositions, attention, logSoftmax } as const;
