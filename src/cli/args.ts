/**
 * Command-line arguments of `npm run experiment`, parsed into a request. Official flag names are accepted
 * as overrides (`--num_iterations_on_same_samples 15`), next to the lab's own (`--set T=15`).
 */
import { parseArgs } from 'node:util';
import type { SweepRanking } from '../lab/sweep.ts';
import { OFFICIAL_FLAGS, OFFICIAL_SPECIAL_FLAGS, overrideFor, parseAssignment, parseValue, type Override } from '../lab/config/overrides.ts';

export const USAGE = `Usage: npm run experiment -- (--config FILE.json | --config LINK | --preset NAME) [options]

  --config FILE        an ExperimentConfig JSON file (the format the app exports)
  --config LINK        a lab link, the full URL or its query string, in quotes
                       ('?v=1&preset=f1-r1&e=5:lr:500:0.01'); it runs at the link's own seed, and a link
                       with any problem (a key the lab would replace or ignore) is refused, each one listed
  --preset NAME        a named preset (see --list-presets)
  --seeds 1,2,3        run every seed (default: the config's seed)
  --out DIR            write summary.json and one CSV per run and seed into DIR
  --sweep KEY=V1,V2    run every value of one knob for every run; report the best per run
  --rank-by final|area rank sweep values by the final expected reward (default) or by its mean over
                       all steps (the area under the curve, which also rewards speed)
  --set KEY=VALUE      override a knob for every run (repeatable); KEY is a lab knob, seed or reward
  --list-presets       list the presets and exit
  --quiet              print only the summary table
  --help               this text

Official flags (override every run): ${[...Object.keys(OFFICIAL_FLAGS), ...OFFICIAL_SPECIAL_FLAGS].map((f) => `--${f}`).join(', ')}.
--beta sets each objective's own hyperparameter: DPO temperature, IPO target margin, RWR temperature,
best-of-N negative-gradient weight, REINFORCE entropy bonus, PPO KL coefficient.`;

export interface CliRequest {
  /** a JSON file, or a lab link (URL or query string) */
  configPath?: string;
  preset?: string;
  seeds?: number[];
  out?: string;
  sweep?: { key: string; values: unknown[] };
  rankBy: SweepRanking;
  overrides: Override[];
  listPresets: boolean;
  quiet: boolean;
  help: boolean;
}

export class UsageError extends Error {}

function parseSeeds(text: string): number[] {
  const seeds = text.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!seeds.length || seeds.some((s) => !Number.isInteger(s) || s < 0 || s > 4_294_967_295)) {
    throw new UsageError(`--seeds must be a comma-separated list of non-negative integers (got "${text}")`);
  }
  return seeds;
}

export function parseCliArgs(argv: string[]): CliRequest {
  const officialOptions = Object.fromEntries(
    [...Object.keys(OFFICIAL_FLAGS), ...OFFICIAL_SPECIAL_FLAGS].map((f) => [f, { type: 'string' as const }]),
  );
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        preset: { type: 'string' },
        seeds: { type: 'string' },
        out: { type: 'string' },
        sweep: { type: 'string' },
        'rank-by': { type: 'string' },
        set: { type: 'string', multiple: true },
        'list-presets': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...officialOptions,
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const request: CliRequest = {
    configPath: v.config as string | undefined,
    preset: v.preset as string | undefined,
    out: v.out as string | undefined,
    overrides: [],
    rankBy: 'final',
    listPresets: Boolean(v['list-presets']),
    quiet: Boolean(v.quiet),
    help: Boolean(v.help),
  };
  if (request.help || request.listPresets) return request;
  if (!request.configPath === !request.preset) throw new UsageError('give exactly one of --config FILE (or LINK) or --preset NAME');
  if (typeof v.seeds === 'string') request.seeds = parseSeeds(v.seeds);
  if (v['rank-by'] !== undefined) {
    if (v['rank-by'] !== 'final' && v['rank-by'] !== 'area') throw new UsageError(`--rank-by must be final or area (got "${String(v['rank-by'])}")`);
    request.rankBy = v['rank-by'];
  }
  try {
    for (const flag of [...Object.keys(OFFICIAL_FLAGS), ...OFFICIAL_SPECIAL_FLAGS]) {
      if (typeof v[flag] === 'string') request.overrides.push(overrideFor(flag, parseValue(v[flag] as string)));
    }
    for (const assignment of (v.set as string[] | undefined) ?? []) request.overrides.push(parseAssignment(assignment));
    if (typeof v.sweep === 'string') {
      const eq = v.sweep.indexOf('=');
      if (eq <= 0) throw new Error(`--sweep must look like KEY=V1,V2,… (got "${v.sweep}")`);
      const key = v.sweep.slice(0, eq).trim();
      const values = v.sweep.slice(eq + 1).split(',').map((s) => s.trim()).filter(Boolean).map(parseValue);
      if (!values.length) throw new Error(`--sweep ${key} has no values`);
      overrideFor(key, values[0]); // rejects unknown keys now, with the list of known ones
      request.sweep = { key, values };
    }
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return request;
}
