/**
 * Maximum-likelihood objectives (mode-covering, no negative gradient unless one is added):
 * SFT to π_ref (spec B.1), Pref-FT, best-of-N / filtered BC (B.2, with the B.3 variants) and RWR (B.4).
 */
import { addKlToReference } from './kl.ts';
import { addNegativeGradient } from './negative-gradient.ts';
import { clearSampleCoefficients, type Objective } from './types.ts';
import { exp } from '../math.ts';

/** L = KL(π‖π_ref), exactly: the official SFT initialisation. Uses no samples. */
export const sft: Objective = {
  id: 'sft',
  compute(batch, policy, _h, out) {
    clearSampleCoefficients(batch, out);
    return addKlToReference(policy, 1, out);
  },
};

/** L = −(1/P) Σ_pairs log π(y_w): supervised fine-tuning on the preferred response of each counted pair. */
export const prefFt: Objective = {
  id: 'pref-ft',
  compute(batch, policy, _h, out) {
    clearSampleCoefficients(batch, out);
    const { data, p0, p1 } = batch;
    const from = data.pairStart[p0];
    const to = data.pairStart[p1];
    const P = to - from;
    if (P === 0) return 0;
    const { pairW, actions } = data;
    const coef = out.coef;
    const lp = policy.logProbs;
    let loss = 0;
    for (let k = from; k < to; k++) {
      const w = pairW[k];
      coef[w] += 1 / P;
      loss -= lp[actions[w]];
    }
    return loss / P;
  },
};

/** L = −(1/S) Σ_s log π(a*_s) (+ an optional negative-gradient term on the worse samples). */
export const bestOfN: Objective = {
  id: 'best-of-n',
  compute(batch, policy, h, out) {
    clearSampleCoefficients(batch, out);
    const { data, p0, p1 } = batch;
    const S = p1 - p0;
    const { best, actions } = data;
    const lp = policy.logProbs;
    const coef = out.coef;
    let loss = 0;
    for (let s = p0; s < p1; s++) {
      const i = best[s];
      coef[i] += 1 / S;
      loss -= lp[actions[i]];
    }
    loss /= S;
    return loss + addNegativeGradient(batch, policy, h.negativeGradientType, h.negGradWeight, out);
  },
};

/** L = −(1/(S·N)) Σ_i exp(r_i/τ) log π(a_i), optionally with rewards z-scored per prompt first. */
export const rwr: Objective = {
  id: 'rwr',
  compute(batch, policy, h, out) {
    clearSampleCoefficients(batch, out);
    const { data, p0, p1 } = batch;
    const { N, rewards, actions } = data;
    const count = (p1 - p0) * N;
    const lp = policy.logProbs;
    const coef = out.coef;
    const tau = h.rwrTemperature;
    let loss = 0;
    for (let s = p0; s < p1; s++) {
      let mu = 0;
      let sd = 1;
      if (h.rwrNormalize) {
        for (let i = s * N; i < (s + 1) * N; i++) mu += rewards[i];
        mu /= N;
        let v = 0;
        for (let i = s * N; i < (s + 1) * N; i++) v += (rewards[i] - mu) * (rewards[i] - mu);
        sd = Math.sqrt(v / N) + 1e-12;
      }
      for (let i = s * N; i < (s + 1) * N; i++) {
        const weight = exp((rewards[i] - mu) / sd / tau) / count;
        coef[i] = weight;
        loss -= weight * lp[actions[i]];
      }
    }
    return loss;
  },
};
