/**
 * Contrastive objectives with a negative gradient: DPO (spec B.5) and IPO as the official code has it
 * (B.6). For a counted pair (w, l) of the same prompt,
 *   h = [log π(w) − log π_ref(w)] − [log π(l) − log π_ref(l)],
 * and the loss averages over the P counted pairs. With dL/dh = g, the pair adds −g/P to coef[w] and +g/P
 * to coef[l]: c₁ = c₂ in Lemma 6.2's (6.1).
 */
import type { Minibatch } from '../data.ts';
import { clearSampleCoefficients, type Coefficients, type Objective, type PolicyView } from './types.ts';
import { exp, log1p } from '../math.ts';

/** Mean log-ratio margin h over the minibatch's counted pairs (NaN when there are none). */
export function meanMargin(batch: Minibatch, policy: PolicyView): number {
  const { data, p0, p1 } = batch;
  const from = data.pairStart[p0];
  const to = data.pairStart[p1];
  if (to === from) return Number.NaN;
  const { pairW, pairL, actions } = data;
  const lp = policy.logProbs;
  const lr = policy.logRef;
  let sum = 0;
  for (let k = from; k < to; k++) {
    const w = actions[pairW[k]];
    const l = actions[pairL[k]];
    sum += lp[w] - lr[w] - (lp[l] - lr[l]);
  }
  return sum / (to - from);
}

function pairwise(
  batch: Minibatch,
  policy: PolicyView,
  out: Coefficients,
  lossAndSlope: (h: number, result: Float64Array) => void,
): number {
  clearSampleCoefficients(batch, out);
  const { data, p0, p1 } = batch;
  const from = data.pairStart[p0];
  const to = data.pairStart[p1];
  const P = to - from;
  if (P === 0) return 0;
  const { pairW, pairL, actions } = data;
  const lp = policy.logProbs;
  const lr = policy.logRef;
  const coef = out.coef;
  const result = scratch;
  let loss = 0;
  for (let k = from; k < to; k++) {
    const iw = pairW[k];
    const il = pairL[k];
    const w = actions[iw];
    const l = actions[il];
    const h = lp[w] - lr[w] - (lp[l] - lr[l]);
    lossAndSlope(h, result);
    loss += result[0];
    const g = result[1] / P;
    coef[iw] -= g;
    coef[il] += g;
  }
  return loss / P;
}
const scratch = new Float64Array(2);

/** −log σ(βh) = softplus(−βh), computed without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

export const dpo: Objective = {
  id: 'dpo',
  compute(batch, policy, hp, out) {
    const beta = hp.dpoBeta;
    return pairwise(batch, policy, out, (h, r) => {
      r[0] = softplus(-beta * h);
      r[1] = -beta / (1 + exp(beta * h)); // d/dh softplus(−βh) = −β σ(−βh)
    });
  },
};

export const ipo: Objective = {
  id: 'ipo',
  compute(batch, policy, hp, out) {
    const margin = hp.ipoMargin;
    return pairwise(batch, policy, out, (h, r) => {
      r[0] = (h - margin) * (h - margin);
      r[1] = 2 * (h - margin);
    });
  },
};
