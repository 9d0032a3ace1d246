/**
 * The objectives the lab trains with, and what each one is (spec B, Table 1 of the paper).
 * This file is metadata only, so that the config schema and the UI can use it without the maths.
 */

export const OBJECTIVE_IDS = ['sft', 'pref-ft', 'best-of-n', 'rwr', 'dpo', 'ipo', 'reinforce', 'ppo'] as const;
export type ObjectiveId = (typeof OBJECTIVE_IDS)[number];

export type ObjectiveFamily = 'maximum-likelihood' | 'contrastive' | 'policy-gradient';

export interface ObjectiveInfo {
  id: ObjectiveId;
  label: string;
  family: ObjectiveFamily;
  /** built from preference pairs within a prompt (needs N ≥ 2) */
  pairwise: boolean;
  /** trains on sampled responses (SFT to π_ref uses exact expectations instead) */
  usesSamples: boolean;
  /** has a negative coefficient on some samples by construction (Table 1's "negative gradient") */
  negativeGradient: 'yes' | 'no' | 'optional';
  /** the settings keys that are this objective's own hyperparameters */
  hyperparameters: readonly string[];
  summary: string;
}

export const OBJECTIVES: Record<ObjectiveId, ObjectiveInfo> = {
  sft: {
    id: 'sft',
    label: 'SFT to π_ref',
    family: 'maximum-likelihood',
    pairwise: false,
    usesSamples: false,
    negativeGradient: 'no',
    hyperparameters: [],
    summary: 'Minimises KL(π‖π_ref) exactly (spec B.1): the initialisation every method starts from.',
  },
  'pref-ft': {
    id: 'pref-ft',
    label: 'Pref-FT',
    family: 'maximum-likelihood',
    pairwise: true,
    usesSamples: true,
    negativeGradient: 'no',
    hyperparameters: ['rewardThreshold', 'labels', 'labelTemperature'],
    summary: 'Maximum likelihood on the preferred response of every counted pair (SFT on y_w).',
  },
  'best-of-n': {
    id: 'best-of-n',
    label: 'Best-of-N',
    family: 'maximum-likelihood',
    pairwise: false,
    usesSamples: true,
    negativeGradient: 'optional',
    hyperparameters: ['negativeGradientType', 'negGradWeight'],
    summary:
      'Maximum likelihood on the highest-reward sample of each prompt (filtered BC; ReST when on-policy), optionally with an explicit negative gradient on the worse samples (spec B.2–B.3).',
  },
  rwr: {
    id: 'rwr',
    label: 'RWR',
    family: 'maximum-likelihood',
    pairwise: false,
    usesSamples: true,
    negativeGradient: 'no',
    hyperparameters: ['rwrTemperature', 'rwrNormalize'],
    summary: 'Reward-weighted regression: maximum likelihood weighted by exp(r/τ) (spec B.4).',
  },
  dpo: {
    id: 'dpo',
    label: 'DPO',
    family: 'contrastive',
    pairwise: true,
    usesSamples: true,
    negativeGradient: 'yes',
    hyperparameters: ['dpoBeta', 'rewardThreshold', 'labels', 'labelTemperature'],
    summary: '−log σ(β·h) over all pairs within a prompt, h the log-ratio margin against π_ref (spec B.5).',
  },
  ipo: {
    id: 'ipo',
    label: 'IPO',
    family: 'contrastive',
    pairwise: true,
    usesSamples: true,
    negativeGradient: 'yes',
    hyperparameters: ['ipoMargin', 'rewardThreshold', 'labels', 'labelTemperature'],
    summary: '(h − margin)² over all pairs within a prompt; the margin is the official code\'s β (spec B.6).',
  },
  reinforce: {
    id: 'reinforce',
    label: 'REINFORCE',
    family: 'policy-gradient',
    pairwise: false,
    usesSamples: true,
    negativeGradient: 'yes',
    hyperparameters: ['advantage', 'klCoef', 'entropyBonus'],
    summary: 'Policy gradient with a normalised (centred) reward: below-average samples are pushed down (spec B.8).',
  },
  ppo: {
    id: 'ppo',
    label: 'PPO',
    family: 'policy-gradient',
    pairwise: false,
    usesSamples: true,
    negativeGradient: 'yes',
    hyperparameters: ['advantage', 'ppoClip', 'klCoef'],
    summary: 'Clipped importance ratio against the policy that collected the epoch\'s data (spec B.8).',
  },
};
