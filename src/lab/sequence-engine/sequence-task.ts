/**
 * What the sequence engine trains on: the vocabulary, the reference data law (for SFT), and the reward.
 * Two kinds: the sequence bandit (vocabulary 100, always 9 generated tokens, reward 6/7) and the length
 * tasks (vocabulary 101 with the end token, lengths from a length distribution, a length reward).
 */
import { cauchyTanhReference } from '../reference.ts';
import { customLengthDistribution, modeLengthTask, minLengthTask, type LengthDistribution, type LengthPreferencePairs, type LengthTask } from '../sequence/length-tasks.ts';
import { SequenceReward, type SequenceRewardSpec } from '../sequence/sequence-rewards.ts';
import { BIN_COUNT, END_TOKEN, LENGTH_TASK_VOCABULARY_SIZE, MAX_GENERATED_TOKENS } from '../sequence/tokens.ts';

export interface SequenceTaskDefinition {
  readonly label: string;
  /** the model's vocabulary: 100, or 101 with the end token */
  readonly vocabulary: number;
  /** length tasks: sampling stops at the end token (and never emits it at the first generated slot) */
  readonly hasEndToken: boolean;
  /** π_ref over the 100 bins: every generated token of the reference data is drawn from it independently */
  readonly tokenDistribution: Float64Array;
  /** the reference lengths (the bandit: always 9) */
  readonly lengthDistribution: LengthDistribution;
  /** the reward of the 10-slot sequence at `offset` */
  reward(tokens: ArrayLike<number>, offset: number): number;
  /** the task's own offline preference data, if it has any (skew length: the truncated "shorter wins" pairs) */
  readonly offlinePairs?: LengthPreferencePairs;
}

/** Every sequence has all 9 generated tokens (the sequence bandit). */
export function fullLengthDistribution(): LengthDistribution {
  const weights = Array.from({ length: MAX_GENERATED_TOKENS }, () => 0);
  weights[MAX_GENERATED_TOKENS - 1] = 1;
  return customLengthDistribution(weights, 'always 9 generated tokens (the sequence bandit)');
}

/** The sequence bandit with reward 6/7 (or any centre/width/scope); π_ref defaults to the analytic Cauchy-tanh one. */
export function sequenceBanditTask(rewardSpec: SequenceRewardSpec, tokenDistribution: Float64Array = cauchyTanhReference(BIN_COUNT)): SequenceTaskDefinition {
  const reward = new SequenceReward(rewardSpec);
  return {
    label: `sequence bandit, reward centre ${rewardSpec.centre}, width ${rewardSpec.width} (${rewardSpec.scope})`,
    vocabulary: BIN_COUNT,
    hasEndToken: false,
    tokenDistribution,
    lengthDistribution: fullLengthDistribution(),
    reward: (tokens, offset) => reward.reward(tokens, offset),
  };
}

/** A length task (min, mode or skew length) over a reference length distribution. */
export function lengthTaskDefinition(
  task: LengthTask,
  lengthDistribution: LengthDistribution,
  tokenDistribution: Float64Array = cauchyTanhReference(BIN_COUNT),
  offlinePairs?: LengthPreferencePairs,
): SequenceTaskDefinition {
  return {
    ...(offlinePairs ? { offlinePairs } : {}),
    label: task.label,
    vocabulary: LENGTH_TASK_VOCABULARY_SIZE,
    hasEndToken: true,
    tokenDistribution,
    lengthDistribution,
    reward: (tokens, offset) => task.reward(tokens, offset),
  };
}

export function minLengthTaskDefinition(lengthDistribution: LengthDistribution, tokenDistribution?: Float64Array): SequenceTaskDefinition {
  return lengthTaskDefinition(minLengthTask(), lengthDistribution, tokenDistribution);
}

export function modeLengthTaskDefinition(lengthDistribution: LengthDistribution, tokenDistribution?: Float64Array): SequenceTaskDefinition {
  return lengthTaskDefinition(modeLengthTask(lengthDistribution), lengthDistribution, tokenDistribution);
}

/** The token the sampler may not emit at the first generated slot, if any (length tasks: the end token). */
export function forbiddenFirstToken(task: SequenceTaskDefinition): number | undefined {
  return task.hasEndToken ? END_TOKEN : undefined;
}
