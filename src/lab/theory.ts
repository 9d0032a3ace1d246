/**
 * Mode-seeking vs mode-covering on a categorical distribution (spec E.4–E.6).
 *
 * Framework-free: plain functions on Float64Array. p = softmax(z) is the model, q the target.
 * "forward" is maximum likelihood, L_f = KL(q‖p); "reverse" is mode-seeking, L_r = KL(p‖q).
 */
import { exp, log } from './math.ts';

export type KlObjective = 'forward' | 'reverse';

/** The paper's four-bin toy (spec E.5): initial model p_0. */
export const TOY_P0: readonly number[] = [0.3, 0.3, 0.1, 0.3];
/** The paper's four-bin toy (spec E.5): target q. */
export const TOY_Q: readonly number[] = [0.2, 0.1, 0.6, 0.1];
/** Step size that reproduces the toy figure (spec E.5 reconstruction). */
export const TOY_ETA = 0.93;

/** softmax(z), computed with a max shift. */
export function softmax(z: ArrayLike<number>): Float64Array {
  const n = z.length;
  const out = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (z[i] > max) max = z[i];
  let total = 0;
  for (let i = 0; i < n; i++) {
    out[i] = exp(z[i] - max);
    total += out[i];
  }
  for (let i = 0; i < n; i++) out[i] /= total;
  return out;
}

/** Logits of a distribution: log p (−Infinity where p_i = 0). softmax(logitsOf(p)) = p. */
export function logitsOf(p: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = log(p[i]);
  return out;
}

/**
 * KL(p‖q) = Σ p_i log(p_i/q_i). Terms with p_i = 0 contribute 0; Infinity if some q_i = 0 where p_i > 0.
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] <= 0) continue;
    if (q[i] <= 0) return Infinity;
    kl += p[i] * log(p[i] / q[i]);
  }
  return kl;
}

/** ∇_z KL(q‖p) for p = softmax(z): p − q (spec E.4, maximum likelihood / mode-covering). */
export function forwardKlGradient(p: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) g[i] = p[i] - q[i];
  return g;
}

/**
 * ∇_z KL(p‖q) for p = softmax(z): p_k (log(p_k/q_k) − KL(p‖q)) (spec E.4, reverse / mode-seeking).
 * Bins with p_k = 0 get 0.
 */
export function reverseKlGradient(p: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  const kl = klDivergence(p, q);
  const g = new Float64Array(p.length);
  for (let k = 0; k < p.length; k++) {
    g[k] = p[k] > 0 ? p[k] * (log(p[k] / q[k]) - kl) : 0;
  }
  return g;
}

function gradient(p: ArrayLike<number>, q: ArrayLike<number>, objective: KlObjective): Float64Array {
  return objective === 'forward' ? forwardKlGradient(p, q) : reverseKlGradient(p, q);
}

/**
 * One step's logit velocity Δz_i = −η ∇_i L (spec E.4). Forward: η(q_i − p_i); reverse:
 * η p_i (log(q_i/p_i) + KL(p‖q)). Sums to zero; negative exactly where the bin's logit falls.
 */
export function logitVelocity(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  objective: KlObjective,
  eta: number,
): Float64Array {
  const g = gradient(p, q, objective);
  for (let i = 0; i < g.length; i++) g[i] = -eta * g[i];
  return g;
}

/**
 * Exact logit gradient descent z ← z − η∇L from z_0 = log p_0 (spec E.6 Demo A/B).
 * Returns the distributions p_0..p_steps (steps + 1 entries, p_0 renormalised through softmax).
 */
export function gradientFlow(
  p0: ArrayLike<number>,
  q: ArrayLike<number>,
  objective: KlObjective,
  eta: number,
  steps: number,
): Float64Array[] {
  const z = logitsOf(p0);
  let p = softmax(z);
  const trajectory: Float64Array[] = [p];
  for (let t = 0; t < steps; t++) {
    const g = gradient(p, q, objective);
    for (let i = 0; i < z.length; i++) z[i] -= eta * g[i];
    p = softmax(z);
    trajectory.push(p);
  }
  return trajectory;
}

/**
 * Zero-forcing test (spec E.4 property 1): true for bin i exactly when log(p_i/q_i) > KL(p‖q), i.e. when
 * its logit falls under a reverse-KL gradient step.
 */
export function reverseKlBinFalls(p: ArrayLike<number>, q: ArrayLike<number>): boolean[] {
  const kl = klDivergence(p, q);
  const out: boolean[] = [];
  for (let i = 0; i < p.length; i++) out.push(p[i] > 0 && log(p[i] / q[i]) > kl);
  return out;
}

/**
 * The KL-regularised optimum π*_β ∝ π_ref · exp(r/β), normalised; computed in log space with a max shift.
 */
export function optimalPolicy(refProbs: ArrayLike<number>, reward: ArrayLike<number>, beta: number): Float64Array {
  const logits = new Float64Array(refProbs.length);
  for (let a = 0; a < refProbs.length; a++) logits[a] = log(refProbs[a]) + reward[a] / beta;
  return softmax(logits);
}

/** Σ_{a=lo..hi} p_a (inclusive window, clipped to the array). */
export function windowMass(p: ArrayLike<number>, lo: number, hi: number): number {
  let total = 0;
  for (let a = Math.max(0, lo); a <= Math.min(p.length - 1, hi); a++) total += p[a];
  return total;
}

/**
 * The reverse-KL "advantage" A_i = log(q_i/p_i) + KL(p‖q), so that one reverse-KL step moves the logits by
 * Δz_i = η p_i A_i, and Σ_i p_i A_i = 0. Reading the step as Lemma 6.2's update (6.1) on a tabular softmax
 * (∇_z log p(y) = e_y − p): Δz = η Σ_y p_y A_y (e_y − p), i.e. on-policy samples y ~ p, those with A_y > 0
 * pushed up with c_1 = A_y and those with A_y < 0 pushed down with c_2 = −A_y (the negative gradient).
 * Bins with p_i = 0 get +Infinity (q_i > 0) or NaN (q_i = 0); their velocity p_i A_i is taken as 0.
 */
export function reverseKlAdvantage(p: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  const kl = klDivergence(p, q);
  const advantage = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) advantage[i] = log(q[i] / p[i]) + kl;
  return advantage;
}

/**
 * What one reverse-KL step does to bin i, next to maximum likelihood (spec E.4 properties 1–3). With
 * Δz^f_i = η(q_i − p_i) and Δz^r_i = η p_i (log(q_i/p_i) + KL(p‖q)) (η > 0 cancels out):
 * - 'zero-forcing': the logit falls, Δz^r_i < 0, exactly when p_i > 0 and log(p_i/q_i) > KL(p‖q);
 * - 'concentration': the logit rises, and faster than under maximum likelihood: Δz^r_i > max(0, Δz^f_i);
 * - 'slow-discovery': the target wants more mass here (q_i > p_i) but maximum likelihood raises the logit
 *   more than reverse KL does, Δz^f_i > Δz^r_i ≥ 0. For p_i > 0 and ρ = q_i/p_i this is ρ − 1 > log ρ + KL(p‖q):
 *   the factor p_i is small next to q_i (with p_i = 0 reverse KL cannot move the bin at all);
 * - 'balanced': none of these (Δz^r_i = Δz^f_i, or both zero), e.g. at the fixed point p = q.
 * q must be positive wherever p is (else KL(p‖q) is infinite).
 */
export type ReverseKlRegime = 'zero-forcing' | 'concentration' | 'slow-discovery' | 'balanced';

/** Classifies every bin by its reverse-KL regime (see `ReverseKlRegime`), from the closed-form conditions. */
export function reverseKlRegimes(p: ArrayLike<number>, q: ArrayLike<number>): ReverseKlRegime[] {
  const kl = klDivergence(p, q);
  const falls = reverseKlBinFalls(p, q);
  const regimes: ReverseKlRegime[] = [];
  for (let i = 0; i < p.length; i++) {
    if (falls[i]) {
      regimes.push('zero-forcing');
      continue;
    }
    if (q[i] > p[i]) {
      if (p[i] <= 0) {
        regimes.push('slow-discovery');
        continue;
      }
      const ratio = q[i] / p[i];
      const shortfall = ratio - 1 - (log(ratio) + kl);
      regimes.push(shortfall > 0 ? 'slow-discovery' : shortfall < 0 ? 'concentration' : 'balanced');
      continue;
    }
    // q_i ≤ p_i and not falling: the reverse step raises the logit (or leaves it) while maximum likelihood
    // lowers it (or leaves it)
    const rises = p[i] > 0 && log(q[i] / p[i]) + kl > 0;
    regimes.push(rises ? 'concentration' : 'balanced');
  }
  return regimes;
}

/**
 * True for bin i when its reverse-KL fall is faster than any maximum-likelihood step can move a logit:
 * |Δz^f_i| = η|q_i − p_i| < η always, while here Δz^r_i < −η, i.e. p_i (log(p_i/q_i) − KL(p‖q)) > 1
 * (spec E.4 property 1: the reverse rate is unbounded as q_i → 0).
 */
export function reverseFallBeyondForwardBound(p: ArrayLike<number>, q: ArrayLike<number>): boolean[] {
  const kl = klDivergence(p, q);
  const out: boolean[] = [];
  for (let i = 0; i < p.length; i++) out.push(p[i] > 0 && p[i] * (log(p[i] / q[i]) - kl) > 1);
  return out;
}
