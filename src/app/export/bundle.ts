/**
 * The JSON bundle: an experiment with everything needed to restore it and to check what it produced —
 * the config (with its edit log and seed), the engine and backend, the app's version, every step's
 * metrics and each run's final distribution. `parseBundle` reads one back from any text without ever
 * throwing, and says exactly what is wrong with a bad one.
 *
 * JSON has no NaN or infinities: in `rows` and `finalProbs` a NaN is written as null and ±∞ as the
 * strings "Infinity" and "-Infinity", so that a bundle round-trips every value exactly.
 */
import { z } from 'zod';
import { binCount, formatPath, parseExperimentConfig, type ExperimentConfig } from '../../lab/config/experiment.ts';
import { APP_VERSION } from './app-version.ts';

export const BUNDLE_FORMAT = 'mode-lab-bundle';
export const BUNDLE_VERSION = 1;
export const BUNDLE_ENGINE = 'tabular';
export const BUNDLE_BACKEND = 'typed arrays (worker)';
/** larger files are refused before they are read (a default experiment's bundle is about 2 MB) */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

export interface BundleRun {
  name: string;
  /** the metric names, in the order of each row's values */
  columns: string[];
  /** one row per recorded step (row r is the policy after r gradient steps) */
  rows: number[][];
  /** π over the bins after the last step; null for a run that diverged */
  finalProbs: number[] | null;
}

export interface LabBundle {
  format: typeof BUNDLE_FORMAT;
  bundleVersion: typeof BUNDLE_VERSION;
  appVersion: string;
  /** ISO 8601 */
  createdAt: string;
  engine: typeof BUNDLE_ENGINE;
  /** the backend that trained it; this lab writes `BUNDLE_BACKEND` and reads any */
  backend: string;
  config: ExperimentConfig;
  /** the seed the runs were trained with (the config's) */
  seed: number;
  /** the experiment's link, where the app knows it */
  url?: string;
  runs: BundleRun[];
}

export type BundleParseResult = { ok: true; bundle: LabBundle } | { ok: false; message: string };

export interface BundleInput {
  config: ExperimentConfig;
  runs: ReadonlyArray<{ name: string; columns: readonly string[]; rows: ReadonlyArray<ReadonlyArray<number>>; finalProbs: readonly number[] | null }>;
  url?: string;
  appVersion?: string;
  createdAt?: Date;
}

export function buildBundle({ config, runs, url, appVersion = APP_VERSION, createdAt = new Date() }: BundleInput): LabBundle {
  return {
    format: BUNDLE_FORMAT,
    bundleVersion: BUNDLE_VERSION,
    appVersion,
    createdAt: createdAt.toISOString(),
    engine: BUNDLE_ENGINE,
    backend: BUNDLE_BACKEND,
    config,
    seed: config.seed,
    ...(url === undefined ? {} : { url }),
    runs: runs.map((run) => ({
      name: run.name,
      columns: [...run.columns],
      rows: run.rows.map((row) => [...row]),
      finalProbs: run.finalProbs ? [...run.finalProbs] : null,
    })),
  };
}

/** The bundle as JSON text (with NaN and ±∞ encoded as above). */
export function bundleJson(bundle: LabBundle): string {
  return JSON.stringify({
    ...bundle,
    runs: bundle.runs.map((run) => ({
      ...run,
      rows: run.rows.map((row) => row.map(encodeNumber)),
      finalProbs: run.finalProbs ? run.finalProbs.map(encodeNumber) : null,
    })),
  });
}

type EncodedNumber = number | null | 'Infinity' | '-Infinity';

function encodeNumber(value: number): EncodedNumber {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return null;
  return value > 0 ? 'Infinity' : '-Infinity';
}

function decodeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === null) return Number.NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return undefined;
}

const envelopeSchema = z.object({
  appVersion: z.string({ error: 'must be the version of the app that wrote the bundle (a string)' }).min(1, { error: 'must not be empty' }),
  createdAt: z
    .string({ error: 'must be a date and time (ISO 8601)' })
    .refine((text) => !Number.isNaN(Date.parse(text)), { error: 'must be a date and time (ISO 8601)' }),
  engine: z.literal(BUNDLE_ENGINE, { error: (issue) => `must be "${BUNDLE_ENGINE}", the only engine this lab has (got ${describe(issue.input)})` }),
  backend: z.string({ error: 'must name the backend that trained the runs' }),
  config: z.unknown().optional(),
  seed: z.number({ error: 'must be the seed the runs were trained with' }),
  url: z.string({ error: 'must be a link (a string)' }).max(100_000, { error: 'is too long to be a link' }).optional(),
  runs: z
    .array(
      z.object({
        name: z.string({ error: 'must be the run\'s name' }),
        columns: z.array(z.string({ error: 'must be a metric name' }), { error: 'must be a list of metric names' }).min(1, { error: 'must name at least one metric' }),
        rows: z.array(z.array(z.unknown(), { error: 'must be a row of numbers' }), { error: 'must be a list of rows' }),
        finalProbs: z.array(z.unknown(), { error: 'must be a list of probabilities or null' }).nullable(),
      }),
      { error: 'must be a list of runs' },
    )
    .max(1000, { error: 'has far more runs than any experiment' }),
});

/** Read a bundle from text (a file's contents). Never throws; a bad bundle gets one message naming what is wrong. */
export function parseBundle(text: string): BundleParseResult {
  try {
    return parseBundleText(text);
  } catch (error) {
    // a last resort (say, JSON nested too deep for the parser's stack): still an answer, not a crash
    return fail(`the bundle could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseBundleText(text: string): BundleParseResult {
  if (typeof text !== 'string') return fail('the bundle must be text');
  const tooLarge = bundleSizeProblem(text.length);
  if (tooLarge) return fail(tooLarge);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`this file is not JSON (${error instanceof Error ? shorten(error.message) : 'it could not be parsed'}), so it is not a Mode Lab bundle`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail(`a Mode Lab bundle is a JSON object, but this file holds ${Array.isArray(json) ? 'an array' : describe(json)}`);
  }
  const record = json as Record<string, unknown>;
  if (record.format !== BUNDLE_FORMAT) {
    return fail(`this is not a Mode Lab bundle: its "format" is ${describe(record.format)}, not "${BUNDLE_FORMAT}"`);
  }
  if (record.bundleVersion !== BUNDLE_VERSION) {
    const newer = typeof record.bundleVersion === 'number' && record.bundleVersion > BUNDLE_VERSION;
    return fail(
      newer
        ? `bundleVersion ${record.bundleVersion} was written by a newer Mode Lab; this one reads version ${BUNDLE_VERSION}`
        : `bundleVersion must be ${BUNDLE_VERSION} (got ${describe(record.bundleVersion)})`,
    );
  }
  if (record.config === undefined) return fail('config: missing; a bundle holds the experiment it restores');
  const envelope = envelopeSchema.safeParse(record, { reportInput: true });
  if (!envelope.success) {
    return fail(envelope.error.issues.slice(0, 3).map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; '));
  }
  const parsed = parseExperimentConfig(envelope.data.config);
  if (!parsed.ok) {
    const shown = parsed.errors.slice(0, 3).map((e) => `config${e.path === '(config)' ? '' : e.path.startsWith('[') ? e.path : `.${e.path}`}: ${e.message}`);
    const more = parsed.errors.length > 3 ? ` (and ${parsed.errors.length - 3} more)` : '';
    return fail(`the bundle's experiment is not valid: ${shown.join('; ')}${more}`);
  }
  const config = parsed.config;
  const { seed, runs } = envelope.data;
  if (seed !== config.seed) return fail(`seed: ${seed} differs from the config's seed (${config.seed})`);
  if (runs.length !== config.runs.length) {
    return fail(`runs: the bundle has ${runs.length} run(s) but its config has ${config.runs.length}`);
  }
  const bins = binCount(config);
  const decoded: BundleRun[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i];
    const at = `runs[${i}]`;
    if (run.name !== config.runs[i].name) return fail(`${at}.name: "${run.name}" is not the config's run ${i + 1} ("${config.runs[i].name}")`);
    if (new Set(run.columns).size !== run.columns.length) return fail(`${at}.columns: a metric is named twice`);
    const rows: number[][] = [];
    for (let r = 0; r < run.rows.length; r++) {
      const row = run.rows[r];
      if (row.length !== run.columns.length) return fail(`${at}.rows[${r}]: has ${row.length} values but there are ${run.columns.length} columns`);
      const values: number[] = [];
      for (let c = 0; c < row.length; c++) {
        const value = decodeNumber(row[c]);
        if (value === undefined) return fail(`${at}.rows[${r}][${c}]: must be a number, null (not a number) or "Infinity"/"-Infinity" (got ${describe(row[c])})`);
        values.push(value);
      }
      rows.push(values);
    }
    let finalProbs: number[] | null = null;
    if (run.finalProbs) {
      if (run.finalProbs.length !== bins) return fail(`${at}.finalProbs: has ${run.finalProbs.length} probabilities but the experiment has ${bins} bins`);
      finalProbs = [];
      for (let a = 0; a < run.finalProbs.length; a++) {
        const p = decodeNumber(run.finalProbs[a]);
        if (p === undefined) return fail(`${at}.finalProbs[${a}]: must be a probability (got ${describe(run.finalProbs[a])})`);
        finalProbs.push(p);
      }
    }
    decoded.push({ name: run.name, columns: run.columns, rows, finalProbs });
  }
  const { appVersion, createdAt, backend, url } = envelope.data;
  return {
    ok: true,
    bundle: {
      format: BUNDLE_FORMAT,
      bundleVersion: BUNDLE_VERSION,
      appVersion,
      createdAt,
      engine: BUNDLE_ENGINE,
      backend,
      config,
      seed,
      ...(url === undefined ? {} : { url }),
      runs: decoded,
    },
  };
}

/** Why a bundle of `size` bytes (or characters) is refused, or null if its size is fine. */
export function bundleSizeProblem(size: number): string | null {
  if (size <= MAX_BUNDLE_BYTES) return null;
  return `the file is ${megabytes(size)}; bundles larger than ${megabytes(MAX_BUNDLE_BYTES)} are refused`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

/** the parser's message on one line, cut short (it may quote the file) */
function shorten(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

function fail(message: string): BundleParseResult {
  return { ok: false, message };
}

/** a short description of a value for a message */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}
