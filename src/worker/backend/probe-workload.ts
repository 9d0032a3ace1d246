/**
 * A small stand-in training workload for timing backends before the real policies exist, and for tests: a
 * two-layer MLP (matMul → relu → matMul → softmax cross-entropy) trained by plain gradient descent on fixed
 * inputs, reading the loss back every step as a live chart would. Owns its variables; `dispose()` frees everything
 * it made.
 */
import * as tf from '@tensorflow/tfjs';

export interface ProbeWorkload {
  step(): Promise<void>;
  /** the loss read back by the last step (NaN before the first) */
  lastLoss(): number;
  dispose(): void;
}

export interface ProbeWorkloadSize {
  batch: number;
  inputs: number;
  hidden: number;
  classes: number;
}

export const SMALL_PROBE: ProbeWorkloadSize = { batch: 32, inputs: 48, hidden: 192, classes: 16 };

/** Deterministic values in [−scale, scale] without tfjs random ops (design principle 3). */
function fixedValues(count: number, salt: number, scale: number): Float32Array {
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = scale * Math.sin(salt + 1.618 * index);
  return values;
}

export function createProbeWorkload(size: ProbeWorkloadSize = SMALL_PROBE): ProbeWorkload {
  const { batch, inputs, hidden, classes } = size;
  const input = tf.tensor2d(fixedValues(batch * inputs, 1, 1), [batch, inputs]);
  const labels = tf.tidy(() => {
    const classOf = Int32Array.from({ length: batch }, (_, row) => (row * 7) % classes);
    // cast: tfjs-backend-wasm returns garbage for oneHot(…, 'float32') (platform notes, pitfall 1)
    return tf.cast(tf.oneHot(tf.tensor1d(classOf, 'int32'), classes), 'float32');
  });
  // tf.variable keeps its initial tensor alive as a separate tensor; inside tidy that one is disposed
  const firstWeights = tf.tidy(() => tf.variable(tf.tensor2d(fixedValues(inputs * hidden, 2, 1 / Math.sqrt(inputs)), [inputs, hidden])));
  const secondWeights = tf.tidy(() => tf.variable(tf.tensor2d(fixedValues(hidden * classes, 3, 1 / Math.sqrt(hidden)), [hidden, classes])));
  const learningRate = tf.scalar(1e-2);
  const lossOf = (): tf.Scalar => {
    const logits = tf.matMul(tf.relu(tf.matMul(input, firstWeights)), secondWeights);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };
  let loss = Number.NaN;

  return {
    async step() {
      const lossTensor = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossOf, [firstWeights, secondWeights]);
        for (const weights of [firstWeights, secondWeights]) weights.assign(tf.sub(weights, tf.mul(grads[weights.name], learningRate)));
        return value;
      });
      try {
        loss = (await lossTensor.data())[0];
      } finally {
        lossTensor.dispose();
      }
    },
    lastLoss: () => loss,
    dispose() {
      tf.dispose([input, labels, firstWeights, secondWeights, learningRate]);
    },
  };
}
