/**
 * Host-array helpers that let the tfjs-free sequence engine (src/lab/sequence-engine/) drive a GptNano:
 * int32 token arrays and float coefficients go in, typed arrays come out, and every tensor made here is
 * disposed here. Sequences always have a one-token prompt (slot 0), as in the sequence bandit.
 */
import * as tf from '@tensorflow/tfjs';
import type { GptNano, Scoring, StepResult } from './gpt-nano.ts';
import type { TfAdam } from './tf-adam.ts';
import { inverseCdfSample, uniformsToFloat32 } from './tf-seeded.ts';

/** A row-major batch of `count` sequences of `length` tokens each. */
export interface HostTokens {
  readonly count: number;
  readonly length: number;
  readonly tokens: Int32Array;
}

export interface HostScoring {
  scoring: Scoring;
  /** a token never sampled at the first generated slot (and masked out of its scored distribution) */
  forbiddenFirstToken?: number;
}

/** added to a forbidden logit: its softmax probability underflows to exactly 0 */
const FORBIDDEN_LOGIT = -1e9;

function upload(batch: HostTokens): tf.Tensor2D {
  if (batch.tokens.length !== batch.count * batch.length) throw new Error(`need ${batch.count}·${batch.length} tokens, got ${batch.tokens.length}`);
  return tf.tensor2d(batch.tokens, [batch.count, batch.length], 'int32');
}

/** Per-token log-probabilities [count·length] (dropout off), as the model's `sequenceLogProbs` credits them. */
export async function perTokenLogProbs(model: GptNano, batch: HostTokens, scoring: HostScoring): Promise<Float32Array> {
  const tokens = upload(batch);
  const { perSequence, perToken } = model.sequenceLogProbs(tokens, { promptLength: 1, ...scoring });
  tokens.dispose();
  perSequence.dispose();
  const values = (await perToken.data()) as Float32Array;
  perToken.dispose();
  return values;
}

/**
 * Next-token distributions [count·length·vocab] (dropout off): entry (b, t, ·) is the softmax of the
 * logits at position t, i.e. the distribution of token t + 1 given tokens 0..t.
 */
export async function nextTokenProbabilities(model: GptNano, batch: HostTokens): Promise<Float32Array> {
  const tokens = upload(batch);
  const probs = tf.tidy(() => tf.softmax(model.logits(tokens)));
  tokens.dispose();
  const values = (await probs.data()) as Float32Array;
  probs.dispose();
  return values;
}

/**
 * Autoregressive sampling (temperature 1, dropout off, inverse CDF as `GptNano.sample`) of `steps` tokens
 * after one-token prompts. `uniforms[b·steps + s]` draws token s of sequence b. With `forbiddenFirstToken`
 * that token's probability is 0 at the first generated slot. Returns [count·(1 + steps)] row-major.
 */
export async function sampleSequences(
  model: GptNano,
  prompts: Int32Array,
  uniforms: ArrayLike<number>,
  steps: number,
  options: { forbiddenFirstToken?: number } = {},
): Promise<Int32Array> {
  const count = prompts.length;
  const vocab = model.config.vocab;
  if (1 + steps > model.config.blockSize) throw new Error(`sampleSequences: 1 + ${steps} tokens exceed the block size ${model.config.blockSize}`);
  if (uniforms.length !== count * steps) throw new Error(`sampleSequences: need ${count * steps} uniforms, got ${uniforms.length}`);
  const uniformTensor = tf.tensor2d(uniformsToFloat32(uniforms), [count, steps]);
  let firstSlotBias: tf.Tensor2D | null = null;
  if (options.forbiddenFirstToken !== undefined) {
    const bias = new Float32Array(vocab);
    bias[options.forbiddenFirstToken] = FORBIDDEN_LOGIT;
    firstSlotBias = tf.tensor2d(bias, [1, vocab]);
  }
  let sequences = tf.tensor2d(prompts, [count, 1], 'int32');
  for (let s = 0; s < steps; s++) {
    const current = sequences;
    sequences = tf.tidy(() => {
      const length = current.shape[1];
      const logits = model.logits(current);
      let last = tf.reshape(tf.slice(logits, [0, length - 1, 0], [count, 1, vocab]), [count, vocab]) as tf.Tensor2D;
      if (s === 0 && firstSlotBias) last = tf.add(last, firstSlotBias);
      const u = tf.reshape(tf.slice(uniformTensor, [0, s], [count, 1]), [count]) as tf.Tensor1D;
      return tf.concat([current, tf.reshape(inverseCdfSample(last, u), [count, 1])], 1);
    });
    current.dispose();
  }
  uniformTensor.dispose();
  firstSlotBias?.dispose();
  const values = (await sequences.data()) as Int32Array;
  sequences.dispose();
  return Int32Array.from(values);
}

/**
 * One `surrogateStep` (dropout on, Adam) on −Σ c·log π with per-token coefficients [count·length],
 * row-major; entries before the prompt boundary are ignored by the shifted scoring.
 */
export async function perTokenSurrogateStep(
  model: GptNano,
  batch: HostTokens,
  perToken: ArrayLike<number>,
  optimizer: TfAdam,
  options: HostScoring & { learningRate: number },
): Promise<StepResult> {
  const tokens = upload(batch);
  try {
    return await model.surrogateStep(tokens, { perToken }, optimizer, { promptLength: 1, ...options });
  } finally {
    tokens.dispose();
  }
}
