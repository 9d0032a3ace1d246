/**
 * The objectives of src/lab/objectives/ on sequences, in coefficient form (design principle 2).
 *
 * Reuse: an epoch's sample i is treated as "action i" of a per-sample `PolicyView` whose logProbs[i] is
 * log π(y_i) (the masked sum of its token log-probabilities) and logRef[i] is log π_ref(y_i); EpochData's
 * `actions` is the identity. Every objective reads log π and log π_ref only through `actions`, so best-of-N
 * (with its negative-gradient variants), RWR, DPO, IPO, Pref-FT and REINFORCE's advantage term give their
 * per-sequence coefficients unchanged; a per-sequence coefficient c_i multiplies every counted token of y_i.
 *
 * What differs: exact dense KL terms over bins do not exist for sequences, so the view has no
 * probabilities (NaN, so an accidental read shows) and the objectives get klCoef = 0. REINFORCE and PPO
 * use the per-token KL penalty of spec B.8 instead, and PPO clips per-token ratios (spec B.8), so both get
 * per-token coefficients here. The sequence-only filter of spec B.3 (π(y_j)/π(y*) > 0.01) is not applied.
 * SFT (the exact KL to π_ref) is the separate `trainSequenceReference`.
 */
import type { RunSettings } from '../config/settings.ts';
import type { Minibatch } from '../data.ts';
import { exp } from '../math.ts';
import { OBJECTIVE_IMPLEMENTATIONS, type Coefficients, type ObjectiveId } from '../objectives/index.ts';
import type { SampleView } from '../objectives/sample-view.ts';
import { SEQUENCE_SLOTS } from '../sequence/tokens.ts';
import type { SequenceRunSettings } from './sequence-settings.ts';

/** Per-token log-probabilities of an epoch's samples, row-major [size·10], zero where not counted. */
export interface TokenScores {
  /** 1 where a token counts towards the sequence likelihood */
  mask: Float64Array;
  /** under the current parameters (fresh in the current minibatch's range) */
  current: Float64Array;
  /** under π_ref */
  reference: Float64Array;
  /** under the policy at the start of the epoch (PPO's π_old) */
  old: Float64Array;
}

/** The settings the tabular objectives read: the run's, with the dense KL switched off. */
export function objectiveHyperparameters(settings: SequenceRunSettings): RunSettings {
  return { ...settings, klCoef: 0, optimizer: 'adam', init: 'sft' };
}

/**
 * spec B.8's per-token "KL penalty" β·Σ_t (log π(y_t) − log π_ref(y_t)), averaged over the B samples of the
 * minibatch: coefficient −β/B on every counted token; returns its loss. Its on-policy expected gradient is 0
 * (a quirk of the official code, kept).
 */
export function addPerTokenKlPenalty(batch: Minibatch, scores: TokenScores, beta: number, perToken: Float64Array): number {
  if (beta === 0) return 0;
  const { N } = batch.data;
  const from = batch.p0 * N * SEQUENCE_SLOTS;
  const to = batch.p1 * N * SEQUENCE_SLOTS;
  const B = (batch.p1 - batch.p0) * N;
  let loss = 0;
  for (let k = from; k < to; k++) {
    const m = scores.mask[k];
    if (m === 0) continue;
    perToken[k] -= (beta * m) / B;
    loss += (beta * m * (scores.current[k] - scores.reference[k])) / B;
  }
  return loss;
}

/**
 * PPO per token (spec B.8): ρ_t = exp(log π(y_t) − log π_old(y_t)), loss (1/B) Σ_i Σ_t max(−Â_i ρ_t, −Â_i clip(ρ_t, 1−ε, 1+ε)).
 * The gradient of the active branch with respect to log π(y_t) is −Â_i ρ_t when the unclipped branch is the
 * max (coefficient Â_i ρ_t / B) and 0 when the clipped one is. Adds to `perToken`; returns the loss.
 */
export function addPerTokenPpo(batch: Minibatch, advantages: Float64Array, scores: TokenScores, clip: number, perToken: Float64Array): number {
  const { N } = batch.data;
  const B = (batch.p1 - batch.p0) * N;
  const lo = 1 - clip;
  const hi = 1 + clip;
  let loss = 0;
  for (let i = batch.p0 * N; i < batch.p1 * N; i++) {
    const A = advantages[i];
    for (let t = 0; t < SEQUENCE_SLOTS; t++) {
      const k = i * SEQUENCE_SLOTS + t;
      if (scores.mask[k] === 0) continue;
      const ratio = exp(scores.current[k] - scores.old[k]);
      const clipped = ratio < lo ? lo : ratio > hi ? hi : ratio;
      const unclippedLoss = -A * ratio;
      const clippedLoss = -A * clipped;
      if (unclippedLoss >= clippedLoss) {
        loss += unclippedLoss;
        perToken[k] += (A * ratio) / B;
      } else {
        loss += clippedLoss;
      }
    }
  }
  return loss / B;
}

/**
 * The minibatch's coefficients: `out.coef[i]` per sequence (the objective's, or for PPO the sum of the
 * sequence's token coefficients, for display) and `perToken[i·10 + t]`, what the surrogate step uses.
 * Returns the objective's loss at the current parameters.
 */
export function computeSequenceCoefficients(
  objective: ObjectiveId,
  batch: Minibatch,
  view: SampleView,
  scores: TokenScores,
  settings: SequenceRunSettings,
  out: Coefficients,
  perToken: Float64Array,
): number {
  if (objective === 'sft') throw new Error('SFT to π_ref on sequences is trainSequenceReference, not a run objective');
  const { N } = batch.data;
  const from = batch.p0 * N;
  const to = batch.p1 * N;
  perToken.fill(0, from * SEQUENCE_SLOTS, to * SEQUENCE_SLOTS);
  let loss: number;
  if (objective === 'ppo') {
    out.coef.fill(0, from, to);
    out.denseActive = false;
    loss = addPerTokenPpo(batch, batch.data.advantages, scores, settings.ppoClip, perToken);
  } else {
    loss = OBJECTIVE_IMPLEMENTATIONS[objective].compute(batch, view, objectiveHyperparameters(settings), out);
    for (let i = from; i < to; i++) {
      const c = out.coef[i];
      if (c === 0) continue;
      for (let t = 0; t < SEQUENCE_SLOTS; t++) perToken[i * SEQUENCE_SLOTS + t] = c * scores.mask[i * SEQUENCE_SLOTS + t];
    }
  }
  if (objective === 'ppo' || objective === 'reinforce') loss += addPerTokenKlPenalty(batch, scores, settings.klCoef, perToken);
  if (objective === 'ppo' || objective === 'reinforce') {
    for (let i = from; i < to; i++) {
      let total = 0;
      for (let t = 0; t < SEQUENCE_SLOTS; t++) total += perToken[i * SEQUENCE_SLOTS + t];
      out.coef[i] = total;
    }
  }
  return loss;
}
