/**
 * What a sequence run records per gradient step, and an evaluation on fresh samples (spec D, adapted).
 * The per-step numbers are computed from the minibatch before the step, with the policy's dropout off.
 */
import type { Minibatch } from '../data.ts';
import { exp } from '../math.ts';
import { meanMargin } from '../objectives/contrastive.ts';
import type { Coefficients } from '../objectives/index.ts';
import { SEQUENCE_SLOTS, sequenceLength } from '../sequence/tokens.ts';
import type { SampleView } from '../objectives/sample-view.ts';
import type { TokenScores } from './sequence-objectives.ts';

export interface SequenceStepMetrics {
  /** the gradient step this row follows (1, 2, …) */
  step: number;
  epoch: number;
  /** reward-model queries so far */
  queries: number;
  /** mean reward of the minibatch's samples (of the policy that collected them) */
  batchReward: number;
  /** the current policy's expected reward, estimated from the minibatch by self-normalised importance weights */
  estimatedReward: number;
  /** mean generated length of the minibatch's samples (9 in the sequence bandit) */
  meanLength: number;
  /**
   * the mean reward and length of the policy's own recent samples (SequenceRun.policySamples: on-policy, the
   * epoch's collection; offline, the latest monitor samples) and the step of the policy that drew them; NaN
   * and −1 if there are none yet
   */
  policyReward: number;
  policyLength: number;
  policyStep: number;
  /** offline runs: KL(π‖π_ref) per token estimated on the monitor samples (on-policy: NaN, see klPerToken) */
  policyKlPerToken: number;
  /**
   * KL(π‖π_ref) per generated token, estimated from the minibatch: Σ w_i (log π(y_i) − log π_ref(y_i)) / Σ w_i n_i,
   * w_i the self-normalised importance weights π(y_i)/π_behaviour(y_i) and n_i the counted tokens
   */
  klPerToken: number;
  /** the objective's loss before the step (dropout off) */
  loss: number;
  /** the surrogate −Σ c·log π the step differentiated (dropout on) */
  surrogateLoss: number;
  gradNorm: number;
  /** fraction of the minibatch's samples whose total coefficient is negative (pushed down) */
  fracNegative: number;
  /** mean over prompts of log π(y*) − log π_ref(y*) for the best sample (spec D's implicit reward / β of y_w) */
  implicitChosen: number;
  /** the same, averaged over the other N − 1 samples (y_l) */
  implicitRejected: number;
  /** pairwise objectives: mean log-ratio margin h over the counted pairs */
  margin: number;
}

export interface SequenceEvaluation {
  step: number;
  /** mean reward of one fresh sample from the current policy per evaluation prompt */
  meanReward: number;
  meanLength: number;
  /** the on-policy estimate Σ (log π − log π_ref) / Σ n over the fresh samples */
  klPerToken: number;
  /** length tasks: the fraction of samples of each length 0..9 */
  lengthHistogram: Float64Array;
}

export interface StepContext {
  step: number;
  epoch: number;
  queries: number;
  loss: number;
  surrogateLoss: number;
  gradNorm: number;
  pairwise: boolean;
}

/** The metrics row of one step, from the minibatch's data, scores and coefficients. */
export function stepMetrics(
  context: StepContext,
  batch: Minibatch,
  view: SampleView,
  behaviourLogProbs: Float64Array,
  scores: TokenScores,
  tokens: Int32Array,
  coefficients: Coefficients,
  policySamples: { meanReward: number; meanLength: number; atStep: number; klPerToken: number } | null = null,
): SequenceStepMetrics {
  const { data, p0, p1 } = batch;
  const { N, rewards, best } = data;
  const from = p0 * N;
  const to = p1 * N;
  const lp = view.logProbs;
  const lr = view.logRef;
  let maxLogWeight = Number.NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) maxLogWeight = Math.max(maxLogWeight, lp[i] - behaviourLogProbs[i]);
  let rewardSum = 0;
  let lengthSum = 0;
  let weightSum = 0;
  let weightedReward = 0;
  let weightedLogRatio = 0;
  let weightedTokens = 0;
  let negative = 0;
  for (let i = from; i < to; i++) {
    rewardSum += rewards[i];
    lengthSum += sequenceLength(tokens, i * SEQUENCE_SLOTS);
    const w = exp(lp[i] - behaviourLogProbs[i] - maxLogWeight);
    let counted = 0;
    for (let t = 0; t < SEQUENCE_SLOTS; t++) counted += scores.mask[i * SEQUENCE_SLOTS + t];
    weightSum += w;
    weightedReward += w * rewards[i];
    weightedLogRatio += w * (lp[i] - lr[i]);
    weightedTokens += w * counted;
    if (coefficients.coef[i] < 0) negative++;
  }
  let chosen = 0;
  let rejected = 0;
  for (let s = p0; s < p1; s++) {
    const star = best[s];
    chosen += lp[star] - lr[star];
    let others = 0;
    for (let i = s * N; i < (s + 1) * N; i++) if (i !== star) others += lp[i] - lr[i];
    rejected += N > 1 ? others / (N - 1) : Number.NaN;
  }
  const count = to - from;
  const prompts = p1 - p0;
  return {
    step: context.step,
    epoch: context.epoch,
    queries: context.queries,
    batchReward: rewardSum / count,
    estimatedReward: weightedReward / weightSum,
    meanLength: lengthSum / count,
    policyReward: policySamples ? policySamples.meanReward : Number.NaN,
    policyLength: policySamples ? policySamples.meanLength : Number.NaN,
    policyStep: policySamples ? policySamples.atStep : -1,
    policyKlPerToken: policySamples ? policySamples.klPerToken : Number.NaN,
    klPerToken: weightedLogRatio / weightedTokens,
    loss: context.loss,
    surrogateLoss: context.surrogateLoss,
    gradNorm: context.gradNorm,
    fracNegative: negative / count,
    implicitChosen: chosen / prompts,
    implicitRejected: rejected / prompts,
    margin: context.pairwise ? meanMargin(batch, view) : Number.NaN,
  };
}
