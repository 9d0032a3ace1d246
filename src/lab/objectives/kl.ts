/**
 * Exact KL(π‖π_ref) in coefficient form. Since Σ_a π_a ∇ log π_a = 0,
 *   ∇ KL(π‖π_ref) = Σ_a π_a (log π_a − log π_ref,a − KL) ∇ log π_a,
 * so a weight w on the KL adds dense[a] −= w·π_a (log π_a − log π_ref,a − KL) and w·KL to the loss.
 */
import type { Coefficients, PolicyView } from './types.ts';

export function klToReference(policy: PolicyView): number {
  const { probs, logProbs, logRef, K } = policy;
  let kl = 0;
  for (let a = 0; a < K; a++) if (probs[a] > 0) kl += probs[a] * (logProbs[a] - logRef[a]);
  return kl;
}

/** Adds weight·KL(π‖π_ref) to the objective; returns its contribution to the loss. */
export function addKlToReference(policy: PolicyView, weight: number, out: Coefficients): number {
  if (weight === 0) return 0;
  const { probs, logProbs, logRef, K } = policy;
  const kl = klToReference(policy);
  const dense = out.dense;
  if (!out.denseActive) {
    dense.fill(0);
    out.denseActive = true;
  }
  for (let a = 0; a < K; a++) dense[a] -= weight * probs[a] * (logProbs[a] - logRef[a] - kl);
  return weight * kl;
}
