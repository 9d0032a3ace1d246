/**
 * The per-token Gaussian rewards of the sequence bandit (spec A.4, rewards 6 and 7):
 *
 *   r(y) = (1/|y|) Σ_t exp(−((y_t − centre)/width)²)
 *
 * Official quirk [spec A.4, CODE `transformer_learner.py:124-129, 147-150`]: the reward is applied to the
 * whole stored sequence, prompt token included, so |y| = 10 and the prompt's bump counts as one tenth of
 * the reward. With a uniform prompt the best expected reward is then 0.9 + 0.1·E_unif[bump] ≈ 0.918.
 * The corrected form averages over the 9 generated tokens only (maximum 1).
 *
 * These rewards are defined on the fixed-length bandit, which has no end token. Should an end token
 * appear, it scores 0 and still counts in |y| (the sequence is never shortened).
 */
import { gaussianReward } from '../rewards.ts';
import { BIN_COUNT, MAX_GENERATED_TOKENS, PROMPT_SLOT, SEQUENCE_SLOTS, type SequenceBatch } from './tokens.ts';

/** Which tokens the reward averages over. */
export type SequenceRewardScope =
  /** the official code: all 10 tokens, the prompt included (|y| = 10) */
  | 'official-with-prompt'
  /** corrected: the 9 generated tokens only */
  | 'generated-only';

export interface SequenceRewardSpec {
  centre: number;
  width: number;
  scope: SequenceRewardScope;
}

/** The official sequence rewards by their id in `reward_functions.py` [spec A.4]. */
export const OFFICIAL_SEQUENCE_REWARDS = {
  6: { label: 'sequence R1', centre: 70, width: 10, note: 'every token peaks at bin 70, far from the reference mode ("not aligned")' },
  7: { label: 'sequence R2', centre: 20, width: 10, note: 'every token peaks at bin 20, near the reference mode ("aligned"); the only one the scripts use' },
} as const;

export type OfficialSequenceRewardId = keyof typeof OFFICIAL_SEQUENCE_REWARDS;

/** The spec of official reward 6 or 7, with the official quirk unless told otherwise. */
export function officialSequenceRewardSpec(
  id: OfficialSequenceRewardId,
  scope: SequenceRewardScope = 'official-with-prompt',
): SequenceRewardSpec {
  const { centre, width } = OFFICIAL_SEQUENCE_REWARDS[id];
  return { centre, width, scope };
}

/** A sequence reward with its per-token bump table precomputed. */
export class SequenceReward {
  /** exp(−((a − centre)/width)²) for a = 0..K−1 */
  readonly bump: Float64Array;

  constructor(readonly spec: SequenceRewardSpec) {
    if (!(spec.width > 0)) throw new Error(`reward width must be positive, got ${spec.width}`);
    this.bump = gaussianReward(BIN_COUNT, spec.centre, spec.width);
  }

  /** The number of tokens averaged over: 10 (official) or 9 (corrected). */
  get averagedTokenCount(): number {
    return this.spec.scope === 'official-with-prompt' ? SEQUENCE_SLOTS : MAX_GENERATED_TOKENS;
  }

  /** The reward of the sequence that starts at `offset` in `tokens`. */
  reward(tokens: ArrayLike<number>, offset = 0): number {
    const first = this.spec.scope === 'official-with-prompt' ? PROMPT_SLOT : PROMPT_SLOT + 1;
    let total = 0;
    for (let t = first; t < SEQUENCE_SLOTS; t++) {
      const token = tokens[offset + t];
      if (token >= 0 && token < BIN_COUNT) total += this.bump[token];
    }
    return total / this.averagedTokenCount;
  }

  /** The rewards of every sequence of a batch, written to `out`. */
  rewardBatch(batch: SequenceBatch, out: Float64Array = new Float64Array(batch.count)): Float64Array {
    for (let i = 0; i < batch.count; i++) out[i] = this.reward(batch.tokens, i * SEQUENCE_SLOTS);
    return out;
  }

  /**
   * The exact expected reward when the prompt follows `promptDistribution` and every generated token is
   * drawn independently from `tokenDistribution` (both over the K bins). By linearity only the marginals
   * matter: E[r] = (E_prompt[bump] + 9·E_token[bump]) / 10 officially, E_token[bump] corrected.
   */
  expectedUnderIndependentTokens(tokenDistribution: ArrayLike<number>, promptDistribution: ArrayLike<number>): number {
    const perToken = expectation(this.bump, tokenDistribution);
    if (this.spec.scope === 'generated-only') return perToken;
    const prompt = expectation(this.bump, promptDistribution);
    return (prompt + MAX_GENERATED_TOKENS * perToken) / SEQUENCE_SLOTS;
  }

  /**
   * The largest expected reward any policy can reach when prompts follow `promptDistribution`: every
   * generated token at the peak bin. The prompt is not the policy's to choose, so under the official
   * quirk its bump caps the maximum below 1.
   */
  maximumExpected(promptDistribution: ArrayLike<number>): number {
    let peak = 0;
    for (let a = 0; a < BIN_COUNT; a++) peak = Math.max(peak, this.bump[a]);
    if (this.spec.scope === 'generated-only') return peak;
    return (expectation(this.bump, promptDistribution) + MAX_GENERATED_TOKENS * peak) / SEQUENCE_SLOTS;
  }
}

/** The uniform prompt distribution of the sequence bandit (`randint(0, 100)`, spec A.2). */
export function uniformPromptDistribution(bins = BIN_COUNT): Float64Array {
  return new Float64Array(bins).fill(1 / bins);
}

function expectation(values: Float64Array, distribution: ArrayLike<number>): number {
  if (distribution.length !== values.length) {
    throw new Error(`distribution has ${distribution.length} entries, expected ${values.length}`);
  }
  let total = 0;
  for (let a = 0; a < values.length; a++) total += values[a] * distribution[a];
  return total;
}
