/**
 * On-policy RL objectives (spec B.8), with the advantages Â computed once per epoch (data.ts).
 *   REINFORCE: L = −(1/B) Σ_i Â_i log π(a_i) + e·(1/B) Σ_i log π(a_i) + k·KL(π‖π_ref)
 *   PPO:       L = (1/B) Σ_i max(−Â_i ρ_i, −Â_i clip(ρ_i, 1−ε, 1+ε)) + k·KL(π‖π_ref),  ρ_i = π(a_i)/π_old(a_i)
 * e is the official 1-D "entropy bonus" (a sampled term with zero expected gradient) and k the KL
 * coefficient, whose gradient here is exact.
 */
import { addKlToReference } from './kl.ts';
import { clearSampleCoefficients, type Objective } from './types.ts';
import { exp } from '../math.ts';

export const reinforce: Objective = {
  id: 'reinforce',
  compute(batch, policy, h, out) {
    clearSampleCoefficients(batch, out);
    const { data, p0, p1 } = batch;
    const { N, advantages, actions } = data;
    const from = p0 * N;
    const to = p1 * N;
    const B = to - from;
    const lp = policy.logProbs;
    const coef = out.coef;
    const e = h.entropyBonus;
    let loss = 0;
    for (let i = from; i < to; i++) {
      const c = (advantages[i] - e) / B;
      coef[i] = c;
      loss -= c * lp[actions[i]];
    }
    return loss + addKlToReference(policy, h.klCoef, out);
  },
};

export const ppo: Objective = {
  id: 'ppo',
  compute(batch, policy, h, out) {
    clearSampleCoefficients(batch, out);
    const { data, p0, p1 } = batch;
    const { N, advantages, actions, logOld } = data;
    const from = p0 * N;
    const to = p1 * N;
    const B = to - from;
    const lp = policy.logProbs;
    const coef = out.coef;
    const lo = 1 - h.ppoClip;
    const hi = 1 + h.ppoClip;
    let loss = 0;
    for (let i = from; i < to; i++) {
      const A = advantages[i];
      const ratio = exp(lp[actions[i]] - logOld[i]);
      const clipped = ratio < lo ? lo : ratio > hi ? hi : ratio;
      const unclippedLoss = -A * ratio;
      const clippedLoss = -A * clipped;
      if (unclippedLoss >= clippedLoss) {
        // the unclipped branch is active (or both agree inside the clip range): d/dlogπ = −Âρ
        loss += unclippedLoss;
        coef[i] = (A * ratio) / B;
      } else {
        loss += clippedLoss; // constant in θ: no gradient
      }
    }
    return loss / B + addKlToReference(policy, h.klCoef, out);
  },
};
