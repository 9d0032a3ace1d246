/**
 * 2-D matMul with a choice of backward pass. tfjs's own gradient of `matMul(a, b)` uses transposed
 * matMuls, which tfjs-backend-wasm runs 8–12× slower than plain ones (platform-notes §3.3, pitfall 7);
 * the transpose-free variant materialises the transposes and multiplies plainly. On the cpu backend it
 * is slower, so it is an option, off by default.
 */
import * as tf from '@tensorflow/tfjs';

export type MatMul2d = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

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
