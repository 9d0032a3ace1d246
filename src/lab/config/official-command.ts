/**
 * The official code's command line for a lab experiment (spec B.11, G): for each run, the call of the
 * 1-D bandit entry point `hyperparam_tuning.py` that trains the same experiment, over the seeds asked
 * for; or, where a run has something the official code lacks, the reasons it does not map.
 *
 * "The same experiment" means the same bandit, data, objective and hyperparameters. The official policy is
 * an MLP, the lab's a table of logits, so the two agree in shape, not number for number (spec C.1).
 */
import { OBJECTIVES, type ObjectiveId } from '../objectives/catalog.ts';
import { OFFICIAL_REWARDS, type OfficialRewardId } from '../rewards.ts';
import { binCount, resolveRuns, type ExperimentConfig, type ResolvedRun } from './experiment.ts';
import { RUN_KNOBS } from './settings.ts';

export const OFFICIAL_REPOSITORY = 'Asap7772/understanding-rlhf';
/** the folder of the repository the command runs in */
export const OFFICIAL_DIRECTORY = 'bandit_experiment';
export const OFFICIAL_ENTRY_POINT = 'hyperparam_tuning.py';
/** π_ref in the official code: a histogram of this many tanh-Cauchy draws (spec A.3) */
export const OFFICIAL_REFERENCE_DRAWS = 10_000;

/** `--algorithm` of the objectives the 1-D entry point runs */
const OFFICIAL_ALGORITHM: Partial<Record<ObjectiveId, string>> = {
  'best-of-n': 'best_of_n',
  dpo: 'dpo',
  ipo: 'ipo',
  reinforce: 'reinforce',
};

/** why an objective has no 1-D official algorithm */
const MISSING_ALGORITHM: Partial<Record<ObjectiveId, string>> = {
  sft: 'SFT is the official code\'s initialisation, not a method it trains with',
  'pref-ft': 'the official bandit code has no Pref-FT',
  rwr: 'the 1-D entry point has no RWR (awr runs only in the sequence bandit, spec B.4)',
  ppo: 'the 1-D entry point has no PPO (arguments.py lists it, but hyperparam_tuning.py does not run it)',
};

/** the `--negative_gradient_type` choices of the official `arguments.py` */
const OFFICIAL_NEGATIVE_GRADIENT_TYPES: readonly string[] = [
  'no_negative_gradient',
  'worst_action',
  'average_over_worse_actions',
  'sum_over_worse_actions',
  'average_over_worse_actions_constrained',
  'sum_over_worse_actions_constrained',
];

/** The official 1-D run scripts (spec B.11): the settings a command is recognised by (lr and seeds aside). */
export interface OfficialScript {
  file: string;
  algorithm: string;
  rewards: readonly OfficialRewardId[];
  epochs: number;
  N: number;
  T: number;
  S: number;
  beta?: number;
  threshold?: number;
  lr: number;
  seeds: readonly number[];
}

export const OFFICIAL_SCRIPTS: readonly OfficialScript[] = [
  { file: 'best_of_n.sh', algorithm: 'best_of_n', rewards: [5], epochs: 1, N: 10, T: 200, S: 5, lr: 0.01, seeds: [1, 2, 3, 4, 5] },
  { file: 'ipo.sh', algorithm: 'ipo', rewards: [5], epochs: 1, N: 10, T: 200, S: 100, beta: 10, threshold: 0.2, lr: 0.003, seeds: [1] },
  { file: 'onpolicy_best_of_n.sh', algorithm: 'best_of_n', rewards: [4, 5], epochs: 100, N: 10, T: 15, S: 10, lr: 0.001, seeds: [1, 2, 3, 4, 5] },
  { file: 'onpolicy_ipo.sh', algorithm: 'ipo', rewards: [5], epochs: 100, N: 10, T: 15, S: 10, beta: 10, lr: 0.01, seeds: [1, 2, 3, 4, 5] },
];

export interface OfficialCommand {
  run: string;
  ok: true;
  /** `python hyperparam_tuning.py --flag value …` for one seed (`--seed` last) */
  argv: string[];
  /** a shell line: the call itself for one seed, a `for seed in …` loop over several */
  command: string;
  seeds: number[];
  /** the official script whose settings (apart from lr and seed) this reproduces, if any */
  script: string | null;
  /** what still differs in this run (quirks of the official code the lab does not copy) */
  notes: string[];
}

export interface UnmappedRun {
  run: string;
  ok: false;
  /** each thing the official code lacks, as a sentence naming the setting */
  reasons: string[];
}

export type OfficialRunMapping = OfficialCommand | UnmappedRun;

export interface OfficialMapping {
  /** every run maps */
  ok: boolean;
  runs: OfficialRunMapping[];
  /** what holds for every command (the policy class, π_ref) */
  notes: string[];
}

/** Each run's official command line over `seeds` (the config's own seed by default), or why there is none. */
export function officialCommands(config: ExperimentConfig, seeds: readonly number[] = [config.seed]): OfficialMapping {
  const shared = sharedReasons(config);
  const reward = officialReward(config);
  const runs = resolveRuns(config).map((run): OfficialRunMapping => {
    const reasons = [...shared, ...runReasons(run, config)];
    if (reasons.length > 0 || reward === null) return { run: run.name, ok: false, reasons };
    return commandFor(run, reward, binCount(config), seeds);
  });
  return { ok: runs.every((r) => r.ok), runs, notes: sharedNotes(config) };
}

function officialReward(config: ExperimentConfig): OfficialRewardId | null {
  const { reward } = config;
  if (reward.kind !== 'gaussian') return null;
  const match = Object.entries(OFFICIAL_REWARDS).find(([, r]) => r.centre === reward.centre && r.width === reward.width);
  return match ? (Number(match[0]) as OfficialRewardId) : null;
}

function sharedReasons(config: ExperimentConfig): string[] {
  const reasons: string[] = [];
  const rewardList = Object.entries(OFFICIAL_REWARDS)
    .map(([id, r]) => `${id} (centre ${r.centre}, width ${r.width})`)
    .join(', ');
  if (config.reward.kind === 'custom') {
    reasons.push(`The reward is a custom table; the official 1-D code has only the Gaussian rewards ${rewardList}.`);
  } else if (officialReward(config) === null) {
    reasons.push(`The reward is a Gaussian at bin ${config.reward.centre} of width ${config.reward.width}; the official 1-D rewards are ${rewardList}.`);
  }
  if (config.reference.kind === 'custom') {
    reasons.push('π_ref is a custom table; the official π_ref is always the tanh-Cauchy histogram (spec A.3).');
  } else if (config.reference.kind === 'sampled' && config.reference.draws !== OFFICIAL_REFERENCE_DRAWS) {
    reasons.push(`π_ref is a histogram of ${config.reference.draws} draws; the official one always uses ${OFFICIAL_REFERENCE_DRAWS.toLocaleString('en')} draws (spec A.3).`);
  }
  return reasons;
}

function runReasons(run: ResolvedRun, config: ExperimentConfig): string[] {
  const reasons: string[] = [];
  const info = OBJECTIVES[run.objective];
  if (!OFFICIAL_ALGORITHM[run.objective]) reasons.push(`The objective ${info.label}: ${MISSING_ALGORITHM[run.objective]}.`);
  if (run.init !== 'sft') {
    reasons.push(`${RUN_KNOBS.init.label}: "${run.init}" starts exactly at π_ref, a lab-only option; the official code always starts from its SFT (spec B.1). Choose "sft" to map.`);
  }
  if (run.optimizer !== 'adam') reasons.push(`${RUN_KNOBS.optimizer.label}: the official code always uses Adam, not ${run.optimizer.toUpperCase()}.`);
  if (OBJECTIVES[run.objective].usesSamples && run.M !== run.S) {
    reasons.push(`Minibatches of M = ${run.M} prompts: the official 1-D code makes one full-batch step per pass over the S = ${run.S} prompts (M = S).`);
  }
  if (run.sampling === 'on-policy' && run.steps % run.T !== 0) {
    reasons.push(`${run.steps} gradient steps is not a whole number of epochs of T = ${run.T} passes; the official code runs epochs × T steps.`);
  }
  if (run.objective === 'best-of-n' && !OFFICIAL_NEGATIVE_GRADIENT_TYPES.includes(run.negativeGradientType)) {
    reasons.push(`${RUN_KNOBS.negativeGradientType.label}: ${run.negativeGradientType} is not one of the official --negative_gradient_type choices.`);
  }
  if (info.pairwise && run.labels !== 'reward') {
    reasons.push(`${RUN_KNOBS.labels.label}: Bradley–Terry labels are a lab extension; the official bandit labels every pair by the true reward (spec A.6).`);
  }
  if ((run.objective === 'reinforce' || run.objective === 'ppo') && run.klCoef !== 0) {
    reasons.push(`${RUN_KNOBS.klCoef.label} ${run.klCoef}: the official 1-D REINFORCE has no KL term (spec B.8).`);
  }
  const edits = config.edits.filter((e) => e.run === run.name);
  if (edits.length > 0) {
    const list = edits.map((e) => `${RUN_KNOBS[e.key].label.toLowerCase()} at step ${e.step}`).join(', ');
    reasons.push(`Live changes during the run (${list}): the official scripts keep every setting fixed for the whole run.`);
  }
  return reasons;
}

function commandFor(run: ResolvedRun, reward: OfficialRewardId, bins: number, seeds: readonly number[]): OfficialCommand {
  const algorithm = OFFICIAL_ALGORITHM[run.objective]!;
  // offline: one epoch of data from π_ref, passed over once per step; on-policy: epochs of T passes
  const epochs = run.sampling === 'offline' ? 1 : run.steps / run.T;
  const passes = run.sampling === 'offline' ? run.steps : run.T;
  const beta = officialBeta(run);
  const flags: Array<[string, string | null]> = [
    ['algorithm', algorithm],
    ['reward_function', String(reward)],
    ['epochs', String(epochs)],
    ['N', String(run.N)],
    ['num_iterations_on_same_samples', String(passes)],
    ['lr', String(run.lr)],
    ['policy', 'categorical'],
    ['num_action_dim', '1'],
    ['num_actions', String(bins)],
    ['action_type', 'discrete'],
    ['num_train_states', String(run.S)],
  ];
  if (beta !== null) flags.push(['beta', String(beta)]);
  if (OBJECTIVES[run.objective].pairwise && run.rewardThreshold > 0) flags.push(['reward_threshold', String(run.rewardThreshold)]);
  if (run.objective === 'best-of-n' && run.negativeGradientType !== 'no_negative_gradient') flags.push(['negative_gradient_type', run.negativeGradientType]);
  if (run.objective === 'reinforce' && run.advantage === 'per-prompt') flags.push(['normalize_rewards_per_state', null]);

  const base = ['python', OFFICIAL_ENTRY_POINT, ...flags.flatMap(([flag, value]) => (value === null ? [`--${flag}`] : [`--${flag}`, value]))];
  const seedList = seeds.length > 0 ? [...seeds] : [1];
  const argv = [...base, '--seed', String(seedList[0])];
  const command = seedList.length === 1 ? argv.join(' ') : `for seed in ${seedList.join(' ')}; do ${base.join(' ')} --seed $seed; done`;
  const script = matchingScript(algorithm, reward, epochs, passes, run, beta);
  const notes: string[] = [];
  if (script && script.lr !== run.lr) {
    notes.push(`The settings of ${script.file}, except the learning rate: the script uses ${script.lr} on its MLP, the lab ${run.lr} on tabular logits.`);
  }
  if (run.objective === 'reinforce' && run.sampling === 'on-policy' && run.T > 1) {
    notes.push('With T > 1 the official REINFORCE adds each epoch\'s rewards to its running statistics on every pass (spec B.8, quirk 12); the lab adds them once.');
  }
  return { run: run.name, ok: true, argv, command, seeds: seedList, script: script?.file ?? null, notes };
}

/** The official `--beta` means a different knob for each algorithm (spec B); null where it is unused. */
function officialBeta(run: ResolvedRun): number | null {
  switch (run.objective) {
    case 'best-of-n':
      return run.negativeGradientType === 'no_negative_gradient' ? null : run.negGradWeight;
    case 'dpo':
      return run.dpoBeta;
    case 'ipo':
      return run.ipoMargin;
    case 'reinforce':
      // always given: the official default (0.05) would add the sampled "entropy bonus" term
      return run.entropyBonus;
    default:
      return null;
  }
}

function matchingScript(algorithm: string, reward: OfficialRewardId, epochs: number, passes: number, run: ResolvedRun, beta: number | null): OfficialScript | undefined {
  return OFFICIAL_SCRIPTS.find(
    (s) =>
      s.algorithm === algorithm &&
      s.rewards.includes(reward) &&
      s.epochs === epochs &&
      s.T === passes &&
      s.N === run.N &&
      s.S === run.S &&
      (s.beta ?? null) === beta &&
      (s.threshold ?? 0) === (OBJECTIVES[run.objective].pairwise ? run.rewardThreshold : 0),
  );
}

function sharedNotes(config: ExperimentConfig): string[] {
  const notes = [
    `Run in ${OFFICIAL_DIRECTORY}/ of ${OFFICIAL_REPOSITORY}. The official policy is an MLP over a 100-dimensional context (spec C.1), the lab's a table of logits: the same settings give curves of the same shape, not the same numbers, and learning rates do not carry over.`,
  ];
  if (config.reference.kind === 'cauchy-tanh') {
    notes.push(`The official π_ref is a histogram of ${OFFICIAL_REFERENCE_DRAWS.toLocaleString('en')} tanh-Cauchy draws, drawn before seeding, so it differs a little between runs (spec A.3); the lab's analytic π_ref is its limit.`);
  }
  return notes;
}
