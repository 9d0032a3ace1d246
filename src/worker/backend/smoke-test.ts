/**
 * The op smoke test every backend passes before it may train: a small matMul, a row softmax and the gradient of
 * a weighted sum of the softmax with respect to the matMul's left operand, on the active tfjs backend, compared
 * with the same numbers computed here in plain float64 JavaScript. Reads back with `await data()` only (platform
 * notes, pitfall 5) and disposes every tensor it makes.
 */
import * as tf from '@tensorflow/tfjs';

const ROWS = 3;
const INNER = 4;
const COLUMNS = 5;

export interface SmokeTestOutcome {
  ok: boolean;
  /** when not ok: which quantity disagreed, where, and by how much */
  mismatch?: string;
}

/** Fixed, irregular inputs (no symmetry that could hide a transposed or swapped operand). */
function smokeInputs(): { left: number[][]; right: number[][]; weights: number[][] } {
  const left = Array.from({ length: ROWS }, (_, i) => Array.from({ length: INNER }, (_, k) => 0.6 * Math.sin(1 + 4 * i + k)));
  const right = Array.from({ length: INNER }, (_, k) => Array.from({ length: COLUMNS }, (_, j) => 0.7 * Math.cos(2 + 5 * k + 3 * j)));
  const weights = Array.from({ length: ROWS }, (_, i) => Array.from({ length: COLUMNS }, (_, j) => ((3 * i + 2 * j) % 7) / 7 - 0.3));
  return { left, right, weights };
}

interface ReferenceValues {
  product: number[];
  softmax: number[];
  gradientOfLeft: number[];
}

/** product = L·R; softmax by rows; loss = Σ softmax ⊙ W; ∂loss/∂L = (S ⊙ (W − rowsum(S ⊙ W))) · Rᵀ. */
function referenceValues(left: number[][], right: number[][], weights: number[][]): ReferenceValues {
  const product: number[][] = left.map((row) => Array.from({ length: COLUMNS }, (_, j) => row.reduce((sum, value, k) => sum + value * right[k][j], 0)));
  const softmax = product.map((row) => {
    const max = Math.max(...row);
    const exps = row.map((value) => Math.exp(value - max));
    const total = exps.reduce((sum, value) => sum + value, 0);
    return exps.map((value) => value / total);
  });
  const gradientOfProduct = softmax.map((row, i) => {
    const expectedWeight = row.reduce((sum, p, j) => sum + p * weights[i][j], 0);
    return row.map((p, j) => p * (weights[i][j] - expectedWeight));
  });
  const gradientOfLeft = gradientOfProduct.map((row) => Array.from({ length: INNER }, (_, k) => row.reduce((sum, value, j) => sum + value * right[k][j], 0)));
  return { product: product.flat(), softmax: softmax.flat(), gradientOfLeft: gradientOfLeft.flat() };
}

function firstDisagreement(name: string, actual: ArrayLike<number>, expected: number[], tolerance: number): string | null {
  if (actual.length !== expected.length) return `${name} has ${actual.length} values, expected ${expected.length}`;
  for (let index = 0; index < expected.length; index++) {
    const difference = Math.abs(actual[index] - expected[index]);
    if (!(difference <= tolerance * (1 + Math.abs(expected[index])))) {
      return `${name}[${index}] = ${actual[index]} but the CPU reference is ${expected[index].toPrecision(6)} (|difference| ${difference.toPrecision(3)} > tolerance ${tolerance})`;
    }
  }
  return null;
}

/** Default tolerance: float32 on every backend, and room for GPUs that reorder sums (relative to 1 + |value|). */
export const SMOKE_TEST_TOLERANCE = 1e-3;

/** Runs on whichever backend tfjs has active now. Throws only if the backend throws. */
export async function runSmokeTest(tolerance = SMOKE_TEST_TOLERANCE): Promise<SmokeTestOutcome> {
  const { left, right, weights } = smokeInputs();
  const expected = referenceValues(left, right, weights);
  const [product, softmax, gradientOfLeft] = tf.tidy(() => {
    const rightTensor = tf.tensor2d(right);
    const weightTensor = tf.tensor2d(weights);
    const forward = (leftTensor: tf.Tensor): tf.Tensor2D => tf.softmax(tf.matMul(leftTensor as tf.Tensor2D, rightTensor));
    const leftTensor = tf.tensor2d(left);
    const lossGradient = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(forward(x), weightTensor)));
    return [tf.matMul(leftTensor, rightTensor), forward(leftTensor), lossGradient(leftTensor)];
  });
  try {
    const checks: Array<[string, tf.Tensor, number[]]> = [
      ['matMul', product, expected.product],
      ['softmax', softmax, expected.softmax],
      ['gradient', gradientOfLeft, expected.gradientOfLeft],
    ];
    for (const [name, tensor, reference] of checks) {
      const mismatch = firstDisagreement(name, await tensor.data(), reference, tolerance);
      if (mismatch !== null) return { ok: false, mismatch };
    }
    return { ok: true };
  } finally {
    tf.dispose([product, softmax, gradientOfLeft]);
  }
}
