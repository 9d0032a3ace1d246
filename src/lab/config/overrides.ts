/**
 * Overrides applied to every run of a config: the lab's own knob names (`lr=0.01`) and the official
 * code's flag names (`--num_iterations_on_same_samples 15`, `--beta 10`, …). Used by the CLI and sweeps.
 */
import { OBJECTIVES, type ObjectiveId } from '../objectives/catalog.ts';
import type { ExperimentConfigInput } from './experiment.ts';
import { RUN_KNOB_KEYS, RUN_KNOBS, type RunKnobKey } from './settings.ts';

/** The official `--beta` means a different thing for each objective (spec B); this says which knob it sets. */
export const OFFICIAL_BETA_KNOB: Record<ObjectiveId, RunKnobKey | null> = {
  sft: null,
  'pref-ft': null,
  'best-of-n': 'negGradWeight',
  rwr: 'rwrTemperature',
  dpo: 'dpoBeta',
  ipo: 'ipoMargin',
  reinforce: 'entropyBonus',
  ppo: 'klCoef',
};

/** Official flags that map one-to-one onto a lab knob. */
export const OFFICIAL_FLAGS: Record<string, RunKnobKey> = Object.fromEntries(
  RUN_KNOB_KEYS.flatMap((k) => {
    const flag = (RUN_KNOBS[k] as { officialFlag?: string }).officialFlag;
    return flag ? [[flag, k]] : [];
  }),
);

/** Official flags that need translation. */
export const OFFICIAL_SPECIAL_FLAGS = ['beta', 'epochs', 'normalize_rewards_per_state'] as const;

export type Override =
  | { kind: 'knob'; key: RunKnobKey; value: unknown }
  | { kind: 'official-beta'; value: number }
  | { kind: 'official-epochs'; value: number }
  | { kind: 'seed'; value: number }
  | { kind: 'reward'; value: string };

/** The official reward ids and the lab's names for them. */
export const REWARD_BY_NAME: Record<string, { centre: number; width: number }> = {
  '4': { centre: 70, width: 10 },
  R1: { centre: 70, width: 10 },
  '5': { centre: 20, width: 10 },
  R2: { centre: 20, width: 10 },
  '8': { centre: 70, width: 20 },
  '9': { centre: 70, width: 30 },
};

/** "0.01" → 0.01, "true" → true, anything else stays a string (the schema then judges it). */
export function parseValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed !== '' && !Number.isNaN(Number(trimmed))) return Number(trimmed);
  return trimmed;
}

/** `key=value` with a lab knob name, `seed` or `reward`. Throws a message naming the key if it is unknown. */
export function parseAssignment(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`"${text}" is not of the form key=value`);
  const key = text.slice(0, eq).trim();
  const value = parseValue(text.slice(eq + 1));
  return overrideFor(key, value);
}

export function overrideFor(key: string, value: unknown): Override {
  if (key === 'seed') return { kind: 'seed', value: value as number };
  if (key === 'reward') return { kind: 'reward', value: String(value) };
  if (key === 'beta') return { kind: 'official-beta', value: value as number };
  if (key === 'epochs') return { kind: 'official-epochs', value: value as number };
  if (key === 'normalize_rewards_per_state') return { kind: 'knob', key: 'advantage', value: value === true ? 'per-prompt' : 'running' };
  if ((RUN_KNOB_KEYS as string[]).includes(key)) return { kind: 'knob', key: key as RunKnobKey, value };
  if (key in OFFICIAL_FLAGS) return { kind: 'knob', key: OFFICIAL_FLAGS[key], value };
  throw new Error(
    `unknown knob "${key}"; lab knobs: ${RUN_KNOB_KEYS.join(', ')}, seed, reward; official flags: ${[...Object.keys(OFFICIAL_FLAGS), ...OFFICIAL_SPECIAL_FLAGS].join(', ')}`,
  );
}

/**
 * A copy of `input` with the overrides applied to every run (a run's own setting is replaced too: an
 * override means "for every run"). Values are not checked here; parse the result.
 */
export function applyOverrides(input: ExperimentConfigInput, overrides: readonly Override[]): ExperimentConfigInput {
  const config = structuredClone(input) as ExperimentConfigInput & { runs: Array<Record<string, unknown>> };
  for (const o of overrides) {
    switch (o.kind) {
      case 'seed':
        config.seed = o.value;
        break;
      case 'reward': {
        const reward = REWARD_BY_NAME[o.value.toUpperCase()] ?? REWARD_BY_NAME[o.value];
        if (!reward) throw new Error(`unknown reward "${o.value}"; use one of ${Object.keys(REWARD_BY_NAME).join(', ')}`);
        config.reward = { kind: 'gaussian', ...reward };
        break;
      }
      case 'knob':
        for (const run of config.runs) run[o.key] = o.value;
        break;
      case 'official-beta':
        for (const run of config.runs) {
          const key = OFFICIAL_BETA_KNOB[run.objective as ObjectiveId];
          if (key) run[key] = o.value;
        }
        break;
      case 'official-epochs':
        // steps = epochs × T × ⌈S/M⌉, from each run's resolved data settings
        for (const run of config.runs) {
          const get = (k: RunKnobKey) => run[k] ?? (config.defaults as Record<string, unknown> | undefined)?.[k] ?? RUN_KNOBS[k].default;
          const S = get('S') as number;
          const M = (get('M') as number | undefined) ?? S;
          const T = get('T') as number;
          const perEpoch = OBJECTIVES[run.objective as ObjectiveId]?.usesSamples === false ? T : T * Math.ceil(S / M);
          run.steps = o.value * perEpoch;
        }
        break;
    }
  }
  return config;
}
