/**
 * The knobs of one run, as one declarative table. The schema, the defaults, the CLI flags and (later)
 * the generated controls all come from this table, so a new knob appears everywhere at once.
 */
import { z } from 'zod';

export const NEGATIVE_GRADIENT_TYPES = [
  'no_negative_gradient',
  'worst_action',
  'sum_over_worse_actions',
  'average_over_worse_actions',
  'worst_action_constrained',
  'sum_over_worse_actions_constrained',
  'average_over_worse_actions_constrained',
] as const;
export type NegativeGradientType = (typeof NEGATIVE_GRADIENT_TYPES)[number];

export type KnobGroup = 'data' | 'optimisation' | 'objective';

interface KnobBase {
  label: string;
  group: KnobGroup;
  /** applies from the next gradient step without a reset (and is recorded in the edit log) */
  live: boolean;
  help: string;
  /** the official code's command-line flag for this knob, where there is one */
  officialFlag?: string;
}
export interface NumberKnob extends KnobBase {
  kind: 'number';
  default: number | undefined;
  min: number;
  max: number;
  /** min is excluded (e.g. a learning rate must be > 0) */
  exclusiveMin?: boolean;
  integer?: boolean;
  /** a hint for sliders */
  scale?: 'linear' | 'log';
  /** the range a slider covers (typical values; the field still accepts the whole [min, max]) */
  slider?: { min: number; max: number };
}
export interface ChoiceKnob extends KnobBase {
  kind: 'choice';
  default: string;
  options: readonly string[];
}
export interface BooleanKnob extends KnobBase {
  kind: 'boolean';
  default: boolean;
}
export type Knob = NumberKnob | ChoiceKnob | BooleanKnob;

export const RUN_KNOBS = {
  sampling: {
    kind: 'choice',
    label: 'Data',
    group: 'data',
    live: false,
    default: 'on-policy',
    options: ['offline', 'on-policy'],
    help: 'offline: one dataset drawn from π_ref, reused for the whole run; on-policy: fresh samples from the current policy every epoch (the first epoch is the π_ref dataset, as in the official code).',
  },
  S: {
    kind: 'number',
    label: 'Prompts per epoch (S)',
    group: 'data',
    live: false,
    default: 10,
    min: 1,
    max: 100_000,
    integer: true,
    help: 'Prompts collected each epoch; the collection batch is B = S·N samples.',
    officialFlag: 'num_train_states',
  },
  N: {
    kind: 'number',
    label: 'Samples per prompt (N)',
    group: 'data',
    live: false,
    default: 10,
    min: 1,
    max: 1000,
    integer: true,
    help: 'Responses drawn per prompt; pairs and best-of-N are formed within a prompt.',
    officialFlag: 'N',
  },
  M: {
    kind: 'number',
    label: 'Prompts per minibatch (M)',
    group: 'data',
    live: false,
    default: undefined,
    min: 1,
    max: 100_000,
    integer: true,
    help: 'Prompts per gradient step (all N samples of a prompt stay together). Unset means M = S, the official full batch.',
  },
  T: {
    kind: 'number',
    label: 'Passes over each epoch (T)',
    group: 'data',
    live: false,
    default: 1,
    min: 1,
    max: 100_000,
    integer: true,
    help: 'Sample reuse: how many times each epoch\'s data is passed over before new data is collected.',
    officialFlag: 'num_iterations_on_same_samples',
  },
  steps: {
    kind: 'number',
    label: 'Gradient steps',
    group: 'data',
    live: false,
    default: 1500,
    min: 1,
    // every step's metrics are kept (15 float64 columns): 100,000 steps is 12 MB per run
    max: 100_000,
    integer: true,
    help: 'Total gradient steps of the run; epochs = steps / (T · ⌈S/M⌉).',
  },
  lr: {
    kind: 'number',
    label: 'Learning rate',
    group: 'optimisation',
    live: true,
    default: 0.05,
    min: 0,
    exclusiveMin: true,
    max: 100,
    scale: 'log',
    slider: { min: 0.0001, max: 1 },
    help: 'Step size of the optimiser. Tabular logits need far larger rates than the official MLP (spec C.1).',
    officialFlag: 'lr',
  },
  optimizer: {
    kind: 'choice',
    label: 'Optimiser',
    group: 'optimisation',
    live: false,
    default: 'adam',
    options: ['adam', 'sgd'],
    help: 'Adam with torch defaults (β = 0.9, 0.999, ε = 1e-8), or plain SGD, which exposes gradient magnitudes.',
  },
  init: {
    kind: 'choice',
    label: 'Starting policy',
    group: 'optimisation',
    live: false,
    default: 'reference',
    options: ['reference', 'sft'],
    help: 'reference: logits = log π_ref exactly; sft: the official 100 Adam steps at lr 0.01 on KL(π‖π_ref) from uniform.',
  },
  negativeGradientType: {
    kind: 'choice',
    label: 'Negative gradient (best-of-N)',
    group: 'objective',
    live: false,
    default: 'no_negative_gradient',
    options: NEGATIVE_GRADIENT_TYPES,
    help: 'Adds a push-down term on the worse samples of each prompt (spec B.3). *_constrained variants add only constants.',
    officialFlag: 'negative_gradient_type',
  },
  negGradWeight: {
    kind: 'number',
    label: 'Negative-gradient weight',
    group: 'objective',
    live: true,
    default: 0.05,
    min: 0,
    max: 100,
    slider: { min: 0, max: 2 },
    help: 'Weight of the explicit negative-gradient term of best-of-N (the official --beta).',
  },
  dpoBeta: {
    kind: 'number',
    label: 'DPO temperature β',
    group: 'objective',
    live: true,
    default: 0.1,
    min: 0,
    exclusiveMin: true,
    max: 1000,
    scale: 'log',
    slider: { min: 0.01, max: 10 },
    help: 'The β in −log σ(β·h).',
  },
  ipoMargin: {
    kind: 'number',
    label: 'IPO target margin',
    group: 'objective',
    live: true,
    default: 10,
    min: 0,
    max: 1000,
    slider: { min: 0, max: 50 },
    help: 'The target of the log-ratio margin h in (h − margin)²; the official code calls it β (spec B.6).',
  },
  rwrTemperature: {
    kind: 'number',
    label: 'RWR temperature τ',
    group: 'objective',
    live: true,
    default: 0.1,
    min: 0,
    exclusiveMin: true,
    max: 1000,
    scale: 'log',
    slider: { min: 0.01, max: 10 },
    help: 'Weights are exp(r/τ).',
  },
  rwrNormalize: {
    kind: 'boolean',
    label: 'RWR: z-score rewards per prompt',
    group: 'objective',
    live: false,
    default: false,
    help: 'Normalise rewards within each prompt before weighting (the sequence-bandit code does this; the 1-D code does not).',
  },
  advantage: {
    kind: 'choice',
    label: 'Advantage',
    group: 'objective',
    live: false,
    default: 'running',
    options: ['running', 'per-prompt'],
    help: 'running: (r − mean)/std over every reward seen so far (official); per-prompt: z-score within each prompt.',
  },
  klCoef: {
    kind: 'number',
    label: 'KL coefficient',
    group: 'objective',
    live: true,
    default: 0,
    min: 0,
    max: 100,
    slider: { min: 0, max: 2 },
    help: 'Adds klCoef·KL(π‖π_ref), with its exact gradient, to REINFORCE and PPO.',
  },
  entropyBonus: {
    kind: 'number',
    label: 'Sampled "entropy bonus"',
    group: 'objective',
    live: true,
    default: 0,
    min: 0,
    max: 100,
    slider: { min: 0, max: 1 },
    help: 'The official 1-D REINFORCE term +w·mean log π(a): it pushes sampled actions down and has zero expected gradient (spec B.8).',
  },
  ppoClip: {
    kind: 'number',
    label: 'PPO clip ε',
    group: 'objective',
    live: true,
    default: 0.2,
    min: 0,
    max: 1,
    slider: { min: 0, max: 1 },
    help: 'Ratios outside [1 − ε, 1 + ε] stop contributing gradient.',
    officialFlag: 'cliprange',
  },
  rewardThreshold: {
    kind: 'number',
    label: 'Pair reward threshold',
    group: 'objective',
    live: false,
    default: 0,
    min: 0,
    max: 1e6,
    help: 'Pairs whose rewards differ by less than this are dropped (and not counted).',
    officialFlag: 'reward_threshold',
  },
  labels: {
    kind: 'choice',
    label: 'Preference labels',
    group: 'objective',
    live: false,
    default: 'reward',
    options: ['reward', 'bradley-terry'],
    help: 'reward: the higher-reward response wins (official, ties go to the later one in reward order); bradley-terry: noisy labels with P(a ≻ b) = σ((r_a − r_b)/τ) (an extension).',
  },
  labelTemperature: {
    kind: 'number',
    label: 'Bradley–Terry temperature',
    group: 'objective',
    live: false,
    default: 0.1,
    min: 0,
    exclusiveMin: true,
    max: 1000,
    scale: 'log',
    help: 'τ in P(a ≻ b) = σ((r_a − r_b)/τ); used only with Bradley–Terry labels.',
  },
} as const satisfies Record<string, Knob>;

export type RunKnobKey = keyof typeof RUN_KNOBS;
export const RUN_KNOB_KEYS = Object.keys(RUN_KNOBS) as RunKnobKey[];
export const LIVE_KNOB_KEYS = RUN_KNOB_KEYS.filter((k) => RUN_KNOBS[k].live) as LiveKnobKey[];
export type LiveKnobKey = {
  [K in RunKnobKey]: (typeof RUN_KNOBS)[K]['live'] extends true ? K : never;
}[RunKnobKey];

/** The settings of one run once every default is filled in. */
export interface RunSettings {
  sampling: 'offline' | 'on-policy';
  S: number;
  N: number;
  M: number;
  T: number;
  steps: number;
  lr: number;
  optimizer: 'adam' | 'sgd';
  init: 'reference' | 'sft';
  negativeGradientType: NegativeGradientType;
  negGradWeight: number;
  dpoBeta: number;
  ipoMargin: number;
  rwrTemperature: number;
  rwrNormalize: boolean;
  advantage: 'running' | 'per-prompt';
  klCoef: number;
  entropyBonus: number;
  ppoClip: number;
  rewardThreshold: number;
  labels: 'reward' | 'bradley-terry';
  labelTemperature: number;
}

/** "between 1 and 1000", "greater than 0 and at most 100", … */
export function describeRange(knob: NumberKnob): string {
  const kind = knob.integer ? 'an integer' : 'a number';
  const lower = knob.exclusiveMin ? `greater than ${knob.min}` : `at least ${knob.min}`;
  return `must be ${kind} ${lower} and at most ${knob.max}`;
}

export function knobSchema(knob: Knob): z.ZodType {
  switch (knob.kind) {
    case 'number': {
      const message = describeRange(knob);
      let s = z.number({ error: (iss) => `${message} (got ${formatInput(iss.input)})` });
      if (knob.integer) s = s.int({ error: (iss) => `${message} (got ${formatInput(iss.input)})` });
      s = knob.exclusiveMin
        ? s.gt(knob.min, { error: (iss) => `${message} (got ${formatInput(iss.input)})` })
        : s.gte(knob.min, { error: (iss) => `${message} (got ${formatInput(iss.input)})` });
      return s.lte(knob.max, { error: (iss) => `${message} (got ${formatInput(iss.input)})` });
    }
    case 'choice':
      return z.enum(knob.options as unknown as [string, ...string[]], {
        error: (iss) => `must be one of ${knob.options.join(', ')} (got ${formatInput(iss.input)})`,
      });
    case 'boolean':
      return z.boolean({ error: (iss) => `must be true or false (got ${formatInput(iss.input)})` });
  }
}

export function formatInput(input: unknown): string {
  if (typeof input === 'number') return String(input);
  if (input === undefined) return 'nothing';
  try {
    const text = JSON.stringify(input);
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  } catch {
    return String(input);
  }
}

/** Every run setting as an optional field (defaults and per-run overrides). */
export const partialRunSettingsShape = Object.fromEntries(
  RUN_KNOB_KEYS.map((k) => [k, knobSchema(RUN_KNOBS[k]).optional()]),
) as Record<RunKnobKey, z.ZodOptional<z.ZodType>>;

export function defaultRunSettings(): Omit<RunSettings, 'M'> & { M: number | undefined } {
  return Object.fromEntries(RUN_KNOB_KEYS.map((k) => [k, RUN_KNOBS[k].default])) as Omit<RunSettings, 'M'> & {
    M: number | undefined;
  };
}
