/**
 * Random numbers for the neural policies, drawn from the lab's own seeded streams (random.ts) on the
 * host and uploaded as tensors. tfjs random ops are never used: their generators differ between
 * backends, and a host array uploaded as float32 is bit-identical on every backend.
 *
 * Normals use the inverse CDF (Acklam's rational approximation, relative error < 1.2e-9, far below
 * float32 resolution) rather than Box–Muller: it needs only log and sqrt (lab/math.ts has no sin/cos),
 * and it spends exactly one uniform per normal, so the k-th weight always comes from the k-th uniform.
 */
import * as tf from '@tensorflow/tfjs';
import { log } from '../math.ts';
import type { RandomStream } from '../random.ts';

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const LOWER_REGION = 0.02425;
/** the smallest uniform we feed the inverse CDF: `uniform()` can return exactly 0 */
const SMALLEST_UNIFORM = 2 ** -53;

/** Φ⁻¹(u), the standard normal quantile, for u in (0, 1). */
export function normalQuantile(u: number): number {
  if (u <= 0 || u >= 1) throw new Error(`normalQuantile needs 0 < u < 1, got ${u}`);
  if (u < LOWER_REGION) {
    const q = Math.sqrt(-2 * log(u));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (u > 1 - LOWER_REGION) {
    const q = Math.sqrt(-2 * log(1 - u));
    return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  const q = u - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/** `count` draws of N(mean, std²) as float32, one uniform each (inverse CDF). */
export function normalArray(rng: RandomStream, count: number, mean: number, std: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = mean + std * normalQuantile(Math.max(rng.uniform(), SMALLEST_UNIFORM));
  return out;
}

/** `count` draws of Uniform[low, high) as float32. */
export function uniformArray(rng: RandomStream, count: number, low: number, high: number): Float32Array {
  const out = new Float32Array(count);
  const width = high - low;
  for (let i = 0; i < count; i++) out[i] = low + width * rng.uniform();
  return out;
}

/** torch.nn.init.xavier_uniform_: U(−b, b) with b = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniformArray(rng: RandomStream, fanIn: number, fanOut: number, gain: number): Float32Array {
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniformArray(rng, fanIn * fanOut, -bound, bound);
}

/**
 * An inverted-dropout mask like torch's: each entry is 0 with probability `rate`, else 1/(1 − rate).
 * Entry i is dropped when the i-th uniform is below `rate`.
 */
export function dropoutMaskArray(rng: RandomStream, count: number, rate: number): Float32Array {
  const out = new Float32Array(count);
  const keep = 1 / (1 - rate);
  const uniforms = new Float64Array(count);
  rng.fillUniform(uniforms);
  for (let i = 0; i < count; i++) out[i] = uniforms[i] < rate ? 0 : keep;
  return out;
}

/**
 * Uniforms as float32 in [0, 1): a float64 uniform just below 1 would round up to 1.0 in float32, so
 * those are clamped to the largest float32 below 1.
 */
export function uniformsToFloat32(uniforms: ArrayLike<number>): Float32Array {
  const largestBelowOne = 1 - 2 ** -24;
  const out = new Float32Array(uniforms.length);
  for (let i = 0; i < uniforms.length; i++) out[i] = Math.min(Math.fround(uniforms[i]), largestBelowOne);
  return out;
}

/**
 * Inverse-CDF sampling on the device: for each row b, the smallest k with cdf_b[k] > u_b · cdf_b[V−1],
 * where cdf_b is the running sum of softmax(logits_b). Scaling u by the last CDF entry absorbs the
 * float32 rounding of the sum; the result is clamped to V − 1 for the same reason.
 * `logits` [B, V]; `uniforms` [B] in [0, 1); returns int32 [B]. Temperature 1, no top-k.
 */
export function inverseCdfSample(logits: tf.Tensor2D, uniforms: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const vocab = logits.shape[1];
    const cdf = tf.cumsum(tf.softmax(logits), 1);
    const total = tf.slice(cdf, [0, vocab - 1], [-1, 1]);
    const threshold = tf.mul(tf.reshape(uniforms, [-1, 1]), total);
    const below = tf.cast(tf.lessEqual(cdf, threshold), 'int32');
    return tf.minimum(tf.sum(below, 1), vocab - 1) as tf.Tensor1D;
  });
}
