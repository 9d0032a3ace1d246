/**
 * The explicit negative-gradient variants of best-of-N (spec B.3). Each adds, per prompt and divided by
 * the number of prompts like the rest of the loss, a push-down term on the prompt's worse samples:
 *   worst_action:               + β log π(a⁻)
 *   sum_over_worse_actions:     + β Σ_{j≠*} log π(a_j)
 *   average_over_worse_actions: + β/(N−1) Σ_{j≠*} log π(a_j)
 * The `*_constrained` variants subtract the same terms under π_ref (and add log π_ref(a*)): constants,
 * so the gradient is the same and only the reported loss changes (spec B.3, quirk 5).
 */
import type { NegativeGradientType } from '../config/settings.ts';
import type { Minibatch } from '../data.ts';
import type { Coefficients, PolicyView } from './types.ts';

/** Adds the term's coefficients to `out` and returns its contribution to the loss. */
export function addNegativeGradient(
  batch: Minibatch,
  policy: PolicyView,
  type: NegativeGradientType,
  beta: number,
  out: Coefficients,
): number {
  if (type === 'no_negative_gradient') return 0;
  const { data, p0, p1 } = batch;
  const { N, best, worst, actions } = data;
  const S = p1 - p0;
  const lp = policy.logProbs;
  const lr = policy.logRef;
  const constrained = type.endsWith('_constrained');
  const coef = out.coef;
  let loss = 0;
  for (let s = p0; s < p1; s++) {
    const star = best[s];
    if (constrained) loss += lr[actions[star]];
    if (type.startsWith('worst_action')) {
      const j = worst[s];
      coef[j] -= beta / S;
      loss += beta * (lp[actions[j]] - (constrained ? lr[actions[j]] : 0));
      continue;
    }
    const w = type.startsWith('average') ? beta / (N - 1) : beta;
    for (let j = s * N; j < (s + 1) * N; j++) {
      if (j === star) continue;
      coef[j] -= w / S;
      loss += w * (lp[actions[j]] - (constrained ? lr[actions[j]] : 0));
    }
  }
  return loss / S;
}
