/**
 * 2-D matMul with a choice of backward pass. tfjs's own gradient of `matMul(a, b)` uses transposed
 * matMuls, which tfjs-backend-wasm runs 8–12× slower than plain ones (platform-notes §3.3, pitfall 7);
 * the transpose-free variant materialises the transposes and multiplies plainly. On the cpu backend it
 * is slower, so it is an option, off by default.
 *
 * `linearFor` is the same with a bias: x·W + b as one custom-gradient op, the forward pass one fused
 * matMul-with-bias kernel and the backward pass written out. Written as one op, tfjs records no broadcast
 * add and saves (copies) only x and W for the backward pass.
 */
import * as tf from '@tensorflow/tfjs';

export type MatMul2d = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;
/** x [R, in] · W [in, out] + b [out] */
export type Linear2d = (x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D) => tf.Tensor2D;

const transposeFreeMatMul = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const a = inputs[0] as tf.Tensor2D;
  const b = inputs[1] as tf.Tensor2D;
  const save = inputs[2] as tf.GradSaveFunc;
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const upstream = dy as tf.Tensor2D;
      const [savedA, savedB] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(upstream, tf.transpose(savedB)), tf.matMul(tf.transpose(savedA), upstream)];
    },
  };
}) as unknown as MatMul2d;

export const plainMatMul: MatMul2d = (a, b) => tf.matMul(a, b);

export function matMul2dFor(transposeFreeGradient: boolean): MatMul2d {
  return transposeFreeGradient ? transposeFreeMatMul : plainMatMul;
}

/**
 * Σ over rows of [R, C] as [C]. (A [1, R] ones-row matMul would be ≈ 4× faster on wasm, but tfjs-backend-wasm
 * 4.22 aborted on it, "Aborted()" in a later BatchMatMul, in the tiny gradient tests: not used.)
 */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(x, 0);
}

function makeLinear(transposeFree: boolean): Linear2d {
  return tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = inputs[0] as tf.Tensor2D;
    const weight = inputs[1] as tf.Tensor2D;
    const bias = inputs[2] as tf.Tensor1D;
    const save = inputs[3] as tf.GradSaveFunc;
    save([x, weight]);
    return {
      value: tf.fused.matMul({ a: x, b: weight, bias }),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const upstream = dy as tf.Tensor2D;
        const [savedX, savedWeight] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dx = transposeFree ? tf.matMul(upstream, tf.transpose(savedWeight)) : tf.matMul(upstream, savedWeight, false, true);
        const dWeight = transposeFree ? tf.matMul(tf.transpose(savedX), upstream) : tf.matMul(savedX, upstream, true, false);
        return [dx, dWeight, columnSums(upstream)];
      },
    };
  }) as unknown as Linear2d;
}

const transposeFreeLinear = makeLinear(true);
const plainLinear = makeLinear(false);

/** x·W + b with the matMul backward of `matMul2dFor(transposeFreeGradient)` */
export function linearFor(transposeFreeGradient: boolean): Linear2d {
  return transposeFreeGradient ? transposeFreeLinear : plainLinear;
}
