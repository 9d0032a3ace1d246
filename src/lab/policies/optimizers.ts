/**
 * Optimisers on Float64Array parameters. Adam follows torch.optim.Adam with its defaults
 * (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no weight decay), in torch's order of operations.
 */
import { pow } from '../math.ts';
export interface Optimizer {
  /** θ ← θ − update(grad); the learning rate is passed per step so that it can change live */
  step(params: Float64Array, grad: Float64Array, lr: number): void;
}

export class Adam implements Optimizer {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(
    size: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  step(params: Float64Array, grad: Float64Array, lr: number): void {
    const m = this.m;
    const v = this.v;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const eps = this.eps;
    this.t += 1;
    const bias1 = 1 - pow(b1, this.t);
    const bias2Sqrt = Math.sqrt(1 - pow(b2, this.t));
    const stepSize = lr / bias1;
    const n = params.length;
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) / bias2Sqrt + eps);
    }
  }
}

export class Sgd implements Optimizer {
  step(params: Float64Array, grad: Float64Array, lr: number): void {
    const n = params.length;
    for (let i = 0; i < n; i++) params[i] -= lr * grad[i];
  }
}

export function createOptimizer(kind: 'adam' | 'sgd', size: number): Optimizer {
  return kind === 'adam' ? new Adam(size) : new Sgd();
}
