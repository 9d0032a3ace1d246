/**
 * Experiment links: the whole `ExperimentConfig`, its edit log and the view, in a URL query.
 *
 * The readable form (version 1) writes `v=1` first and then short keys, leaving out what the decoder would
 * fill in anyway:
 *   preset=f1-r1                      base config from a preset (written only when the config is that preset
 *                                     plus live edits); without it the base is the schema's built-in defaults
 *   name, seed, peak                  config name, seed, peakHalfWidth
 *   ref=cauchy-tanh:100 | sampled:100:10000 | custom:0.1,0.2,…
 *   reward=gaussian:70:10 | custom:…
 *   lr=0.05, N=10, …                  `config.defaults`: every knob by its own key
 *   r1=ipo, r1.name=…, r1.lr=…        run 1 (1-based, up to MAX_RUNS): objective, name, overrides
 *   e=3:lr:500:0.01                   a live edit (repeated): run index, knob, step, value
 *   page, at, speed, hidden=2,4, epoch=3, hide=setup,speed, present=1, backend, mlp=1   the view
 *   seq=min-length-comparison, seq.seed=3, seq.quick=1 | 0.01:4, seq.hidden=2,4      the Sequences page's view
 * A readable query longer than READABLE_LIMIT is written compactly instead, as
 * `v=1&z=<lz-string of JSON {preset?, config?, view?}>` (the same meaning, defaults left out too).
 *
 * Decoding never throws and always returns a valid config. Each key is read on its own: a key that is
 * unknown, repeated, out of range or inconsistent with the rest is left out and reported as a `UrlProblem`
 * (naming the key and what was used instead), and the rest of the link still applies. Nothing decoded is
 * markup: names are plain data.
 */
import LZString from 'lz-string';
import type { z } from 'zod';
import { OBJECTIVES, type ObjectiveId } from '../objectives/catalog.ts';
import {
  CONFIG_VERSION,
  experimentConfigSchema,
  formatPath,
  MAX_RUNS,
  parseExperimentConfig,
  resolveRuns,
  type ConfigError,
  type ExperimentConfig,
  type LiveEdit,
  type ResolvedRun,
  type RunConfig,
} from './experiment.ts';
import { DEFAULT_PRESET_NAME, findPreset } from './presets.ts';
import { LENGTH_TASK_PRESETS, OFFICIAL_SEQUENCE_PRESETS } from '../sequence/sequence-presets.ts';
import { formatInput, knobSchema, RUN_KNOB_KEYS, RUN_KNOBS, type Knob, type LiveKnobKey, type RunKnobKey } from './settings.ts';
import { migrateUrlEntries, URL_MIGRATIONS, type UrlEntry } from './url-migrations.ts';

export const URL_VERSION = 1;
/** characters of the query; a longer one is rejected as a whole */
export const MAX_URL_LENGTH = 200_000;
export const HIDEABLE = ['setup', 'charts', 'policies', 'caption', 'speed', 'step', 'reset', 'runs', 'export', 'nav'] as const;
export type Hideable = (typeof HIDEABLE)[number];
const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
type Backend = (typeof BACKENDS)[number];

export interface UrlView {
  /** key `page`, default 'lab' */
  page: 'lab' | 'theory' | 'sequences';
  /** key `at`: replay to this step on open ("copy link at this step"); default 0 */
  at: number;
  /** key `speed`: 1..64 integer or 'auto'; default 4 */
  speed: number | 'auto';
  /** key `hidden`: run NAMES hidden in the charts, written as 1-based run indices `hidden=2,4` */
  hidden: string[];
  /** key `epoch`: run index, the run whose epoch "step one epoch" completes */
  epochRun: string | null;
  /** key `hide`: classroom links hide these panels/controls, e.g. `hide=setup,speed` */
  hide: Hideable[];
  /** key `present=1`: presentation mode with large type */
  present: boolean;
  /** key `backend`: reserved for the neural engines; validated, passed through */
  backend: Backend | null;
  /** keys `seq`, `seq.seed`, `seq.quick`, `seq.hidden`: the Sequences page's choice; absent when the link has none */
  sequences?: SequencesUrlView;
  /** key `mlp=1`: the lab's MLP companion is on (every run also trained on the paper's MLP); absent = off */
  mlp?: boolean;
}

/** The Sequences page's comparison: what a link opens there (gpt-nano, see docs/neural-policies.md). */
export interface SequencesUrlView {
  /** key `seq`: an id of src/lab/sequence/sequence-presets.ts; always written */
  preset: string;
  /** key `seq.seed`: 0 to MAX_SEQUENCES_SEED; left out when it is the comparison's own seed */
  seed: number;
  /** key `seq.quick`: `1` the page's Quick look, `STEP_FACTOR:SFT_STEPS` a custom shrink; null (left out) the comparison as specified */
  quick: SequencesQuick;
  /** key `seq.hidden`: run NAMES hidden in the charts, written as 1-based run indices `seq.hidden=2,4` */
  hidden: string[];
}

/** 'look': the page's Quick look; or every run's steps times `stepFactor` and at most `sftSteps` SFT steps */
export type SequencesQuick = null | 'look' | { stepFactor: number; sftSteps: number };

/** the comparison the Sequences page opens when a link names none */
export const DEFAULT_SEQUENCES_PRESET = 'official-onpolicy-transformer-best-of-n';
export const MAX_SEQUENCES_SEED = 2 ** 31 - 1;
/** a custom shrink's SFT steps: at most this many (the full SFT is a few hundred) */
export const MAX_SEQUENCES_SFT_STEPS = 100_000;

/** The Sequences comparisons: their runs' names in order and their own (first) seed. */
interface SequencesPresetFacts {
  runs: readonly string[];
  seed: number;
}
const SEQUENCES_PRESETS: ReadonlyMap<string, SequencesPresetFacts> = new Map<string, SequencesPresetFacts>([
  ...OFFICIAL_SEQUENCE_PRESETS.map((spec): [string, SequencesPresetFacts] => [spec.id, { runs: [spec.label], seed: spec.seeds[0] ?? 1 }]),
  ...LENGTH_TASK_PRESETS.map((preset): [string, SequencesPresetFacts] => [preset.id, { runs: preset.runs.map((run) => run.label), seed: preset.runs[0]?.seeds[0] ?? 1 }]),
]);

/** a Sequences comparison's run names in order, or null for an unknown id */
export function sequencesPresetRuns(id: string): readonly string[] | null {
  return SEQUENCES_PRESETS.get(id)?.runs ?? null;
}

/** the seed a Sequences comparison runs by default (its first seed; 1 for an unknown id) */
export function sequencesPresetSeed(id: string): number {
  return SEQUENCES_PRESETS.get(id)?.seed ?? 1;
}

export const DEFAULT_VIEW: UrlView = Object.freeze<UrlView>({
  page: 'lab',
  at: 0,
  speed: 4,
  hidden: Object.freeze([]) as unknown as string[],
  epochRun: null,
  hide: Object.freeze([]) as unknown as Hideable[],
  present: false,
  backend: null,
});

export interface UrlProblem {
  /** the key as it appears in the URL, e.g. `r3.lr`; `z` for the compact form, `(link)` for the link as a whole */
  key: string;
  message: string;
  usedInstead: string;
}

export interface DecodedUrl {
  config: ExperimentConfig;
  view: UrlView;
  /** the preset the config is, apart from its live edits (from `preset=`, or the default one opened instead) */
  preset: string | null;
  problems: UrlProblem[];
}

/** a readable query longer than this is written in the compact form */
const READABLE_LIMIT = 2_000;
/** a compact form may not inflate to more JSON than this: a crafted `z` of 200,000 characters could otherwise inflate to gigabytes */
const MAX_COMPACT_JSON_LENGTH = 2_000_000;
/** the list a reader sees stays readable; the rest is counted */
const MAX_PROBLEMS = 100;
/** cross-field repairs are repeated at most this often (each round drops at least one key) */
const MAX_REPAIR_ROUNDS = 12;
const MAX_SPEED = 64;
const MAX_AT = RUN_KNOBS.steps.max;
const WHOLE_LINK = '(link)';

// ---------------------------------------------------------------------------------------------------------
// The schema's own pieces, so that a rejected key gets the same message as the same mistake in a JSON file.

const configShape = experimentConfigSchema.shape;
const runShape = configShape.runs.element.shape;
const editShape = configShape.edits.unwrap().element.shape;
const knobSchemas = new Map<RunKnobKey, z.ZodType>(RUN_KNOB_KEYS.map((k) => [k, knobSchema(RUN_KNOBS[k])]));
const KNOB_KEYS = new Set<string>(RUN_KNOB_KEYS);

type TopField = 'name' | 'seed' | 'reference' | 'reward' | 'peakHalfWidth';
const TOP_FIELDS: readonly TopField[] = ['name', 'seed', 'reference', 'reward', 'peakHalfWidth'];
const TOP_FIELD_BY_KEY = new Map<string, TopField>([
  ['name', 'name'],
  ['seed', 'seed'],
  ['ref', 'reference'],
  ['reward', 'reward'],
  ['peak', 'peakHalfWidth'],
]);
const TOP_SCHEMAS: Record<TopField, z.ZodType> = {
  name: configShape.name,
  seed: configShape.seed,
  reference: configShape.reference,
  reward: configShape.reward,
  peakHalfWidth: configShape.peakHalfWidth,
};

/** the top-level values a link leaves out: the schema's defaults */
const BUILT_IN = {
  seed: configShape.seed.parse(undefined),
  reference: configShape.reference.parse(undefined),
  reward: configShape.reward.parse(undefined),
  peakHalfWidth: configShape.peakHalfWidth.parse(undefined),
};

type ViewField = keyof UrlView;
const VIEW_FIELD_BY_KEY = new Map<string, ViewField>([
  ['page', 'page'],
  ['at', 'at'],
  ['speed', 'speed'],
  ['hidden', 'hidden'],
  ['epoch', 'epochRun'],
  ['hide', 'hide'],
  ['present', 'present'],
  ['backend', 'backend'],
  ['mlp', 'mlp'],
]);

type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function issuesText(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const shown = issues.slice(0, 3).map((issue) => (issue.path.length ? `${formatPath(issue.path)}: ${issue.message}` : issue.message));
  if (issues.length > 3) shown.push(`and ${issues.length - 3} more`);
  return shown.join('; ');
}

function check(schema: z.ZodType, value: unknown): Checked<unknown> {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, message: issuesText(result.error.issues) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** an own field of parsed JSON (never one inherited from Object.prototype) */
function own(record: Record<string, unknown>, field: string): unknown {
  return Object.hasOwn(record, field) ? record[field] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Values as text

/** the shortest text that parses back to the identical double (with -0 kept, and `1e21` rather than `1e+21`) */
function formatNumber(x: number): string {
  if (Object.is(x, -0)) return '-0';
  return String(x).replace('e+', 'e');
}

function formatValue(value: unknown): string {
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

function formatReference(reference: ExperimentConfig['reference']): string {
  switch (reference.kind) {
    case 'cauchy-tanh':
      return `cauchy-tanh:${reference.bins}`;
    case 'sampled':
      return `sampled:${reference.bins}:${reference.draws}`;
    case 'custom':
      return `custom:${reference.values.map(formatNumber).join(',')}`;
  }
}

function formatReward(reward: ExperimentConfig['reward']): string {
  return reward.kind === 'gaussian'
    ? `gaussian:${formatNumber(reward.centre)}:${formatNumber(reward.width)}`
    : `custom:${reward.values.map(formatNumber).join(',')}`;
}

/** "0.05" → 0.05; text that is not plainly a decimal number stays text, so that the schema's message quotes it */
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
function numberFrom(text: string): number | string {
  return DECIMAL.test(text) ? Number(text) : text;
}

function knobValueFrom(knob: RunKnobKey, text: string): unknown {
  const spec: Knob = RUN_KNOBS[knob];
  if (spec.kind === 'number') return numberFrom(text);
  if (spec.kind === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

function listFrom(text: string): Array<number | string> {
  return text === '' ? [] : text.split(',').map(numberFrom);
}

/** `cauchy-tanh:100`, `sampled:100:10000`, `custom:0.1,0.2,…` → the config's object (the schema then judges it) */
function referenceFrom(text: string): Checked<unknown> {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const parts = colon < 0 ? [] : text.slice(colon + 1).split(':');
  const shape = `must look like cauchy-tanh:BINS, sampled:BINS:DRAWS or custom:P1,P2,… (got ${formatInput(text)})`;
  switch (kind) {
    case 'cauchy-tanh':
      if (parts.length > 1) return { ok: false, message: shape };
      return { ok: true, value: parts.length ? { kind, bins: numberFrom(parts[0]) } : { kind } };
    case 'sampled':
      if (parts.length > 2) return { ok: false, message: shape };
      return {
        ok: true,
        value: { kind, ...(parts.length > 0 && { bins: numberFrom(parts[0]) }), ...(parts.length > 1 && { draws: numberFrom(parts[1]) }) },
      };
    case 'custom':
      if (colon < 0) return { ok: false, message: shape };
      return { ok: true, value: { kind, values: listFrom(text.slice(colon + 1)) } };
    default:
      return { ok: false, message: `must be one of cauchy-tanh, sampled, custom (got ${formatInput(kind)})` };
  }
}

/** `gaussian:70:10`, `custom:…` → the config's object */
function rewardFrom(text: string): Checked<unknown> {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const shape = `must look like gaussian:CENTRE:WIDTH or custom:R1,R2,… (got ${formatInput(text)})`;
  if (kind === 'gaussian') {
    const parts = colon < 0 ? [] : text.slice(colon + 1).split(':');
    if (parts.length !== 2) return { ok: false, message: shape };
    return { ok: true, value: { kind, centre: numberFrom(parts[0]), width: numberFrom(parts[1]) } };
  }
  if (kind === 'custom') {
    if (colon < 0) return { ok: false, message: shape };
    return { ok: true, value: { kind, values: listFrom(text.slice(colon + 1)) } };
  }
  return { ok: false, message: `must be one of gaussian, custom (got ${formatInput(kind)})` };
}

function topValueFrom(field: TopField, text: string): Checked<unknown> {
  switch (field) {
    case 'name':
      return { ok: true, value: text };
    case 'seed':
    case 'peakHalfWidth':
      return { ok: true, value: numberFrom(text) };
    case 'reference':
      return referenceFrom(text);
    case 'reward':
      return rewardFrom(text);
  }
}

const RUN_INDEX = /^[1-9]\d{0,5}$/;
function runIndexFrom(text: string): number | null {
  if (!RUN_INDEX.test(text)) return null;
  const index = Number(text);
  return index <= MAX_RUNS ? index : null;
}

// ---------------------------------------------------------------------------------------------------------
// Problems. What was used instead is worked out at the end, from the config and view actually opened.

type RunField = 'objective' | 'name' | RunKnobKey;
type Fallback =
  | { kind: 'top'; field: TopField }
  | { kind: 'shared'; knob: RunKnobKey }
  | { kind: 'run'; index: number; field: RunField }
  | { kind: 'view'; field: ViewField }
  | { kind: 'text'; text: string };

const IGNORED: Fallback = { kind: 'text', text: 'ignored' };
const LEFT_OUT: Fallback = { kind: 'text', text: 'the run was left out' };
const OPENED_DEFAULT_TEXT = `the default experiment (preset ${DEFAULT_PRESET_NAME})`;
const OPENED_DEFAULT: Fallback = { kind: 'text', text: OPENED_DEFAULT_TEXT };

interface PendingProblem {
  key: string;
  message: string;
  fallback: Fallback;
}

/** a key as it is shown: very long keys (hostile links) are cut */
function shownKey(key: string): string {
  return key.length > 60 ? `${key.slice(0, 57)}…` : key;
}

class ProblemLog {
  readonly pending: PendingProblem[] = [];
  add(key: string, message: string, fallback: Fallback): void {
    this.pending.push({ key: shownKey(key), message, fallback });
  }
}

// ---------------------------------------------------------------------------------------------------------
// The draft: what the link says, key by key, on top of a base (a preset's config or the built-in defaults).
// Each value remembers the key it came from, so that a cross-field error can be traced back and that key
// dropped.

interface Slot {
  /** the URL key the value came from */
  key: string;
  /** put before a message: where inside the key (`"3:lr:500:x": `, `runs[0].lr: `), or nothing */
  where: string;
  value: unknown;
  fallback: Fallback;
  remove(): void;
}

interface DraftRun {
  base?: RunConfig;
  objective?: Slot;
  name?: Slot;
  knobs: Map<RunKnobKey, Slot>;
  /** the key that gave an objective that was rejected (the run is then left out) */
  rejectedObjective?: string;
}

interface DraftEdit {
  slot: Slot;
  runIndex: number;
  edit: Omit<LiveEdit, 'run'>;
  dropped: boolean;
}

interface Draft {
  base: ExperimentConfig | null;
  top: Map<TopField, Slot>;
  shared: Map<RunKnobKey, Slot>;
  /** by 1-based index */
  runs: Map<number, DraftRun>;
  edits: DraftEdit[];
}

interface RunRef {
  key: string;
  where: string;
  index: number;
}

interface ViewDraft {
  page?: UrlView['page'];
  at?: number;
  speed?: UrlView['speed'];
  hidden?: { key: string; where: string; indices: number[] };
  epoch?: RunRef;
  hide?: Hideable[];
  present?: boolean;
  backend?: Backend | null;
  sequences?: SequencesDraft;
  mlp?: boolean;
}

/** a value of the Sequences page's keys as read, with where it came from; judged once every key is read */
interface SequencesSlot {
  key: string;
  where: string;
  value: unknown;
}

interface SequencesDraft {
  preset?: SequencesSlot;
  seed?: SequencesSlot;
  /** 'look', null, a `{ stepFactor, sftSteps }` candidate, or the text that is none of these */
  quick?: SequencesSlot;
  /** readable form: 1-based run indices (bad parts as text); compact form: run names */
  hidden?: SequencesSlot & { by: 'index' | 'name' };
}

function newDraft(base: ExperimentConfig | null): Draft {
  const runs = new Map<number, DraftRun>();
  base?.runs.forEach((run, i) => runs.set(i + 1, { base: run, knobs: new Map() }));
  return { base, top: new Map(), shared: new Map(), runs, edits: [] };
}

function runOf(draft: Draft, index: number): DraftRun {
  let run = draft.runs.get(index);
  if (!run) {
    run = { knobs: new Map() };
    draft.runs.set(index, run);
  }
  return run;
}

function slot(key: string, where: string, value: unknown, fallback: Fallback, remove: () => void): Slot {
  return { key, where, value, fallback, remove };
}

function setTop(draft: Draft, field: TopField, key: string, where: string, value: unknown, log: ProblemLog): void {
  const checked = check(TOP_SCHEMAS[field], value);
  if (!checked.ok) return log.add(key, where + checked.message, { kind: 'top', field });
  draft.top.set(field, slot(key, where, checked.value, { kind: 'top', field }, () => draft.top.delete(field)));
}

function setShared(draft: Draft, knob: RunKnobKey, key: string, where: string, value: unknown, log: ProblemLog): void {
  const checked = check(knobSchemas.get(knob)!, value);
  if (!checked.ok) return log.add(key, where + checked.message, { kind: 'shared', knob });
  draft.shared.set(knob, slot(key, where, checked.value, { kind: 'shared', knob }, () => draft.shared.delete(knob)));
}

function setRunField(draft: Draft, index: number, field: RunField, key: string, where: string, value: unknown, log: ProblemLog): void {
  const run = runOf(draft, index);
  const fallback: Fallback = { kind: 'run', index, field };
  if (field === 'objective') {
    // a run of the base keeps the base's objective; a run of the link's own has nothing to fall back on
    const instead = run.base ? fallback : LEFT_OUT;
    const checked = check(runShape.objective, value);
    if (!checked.ok) {
      if (!run.base) run.rejectedObjective = key;
      return log.add(key, where + checked.message, instead);
    }
    run.objective = slot(key, where, checked.value, instead, () => {
      run.objective = undefined;
    });
  } else if (field === 'name') {
    const checked = check(runShape.name, value);
    if (!checked.ok) return log.add(key, where + checked.message, fallback);
    run.name = slot(key, where, checked.value, fallback, () => {
      run.name = undefined;
    });
  } else {
    const checked = check(knobSchemas.get(field)!, value);
    if (!checked.ok) return log.add(key, where + checked.message, fallback);
    run.knobs.set(field, slot(key, where, checked.value, fallback, () => run.knobs.delete(field)));
  }
}

/** validates one live edit's parts; the run is checked once the runs are known */
function addEdit(draft: Draft, runIndex: number, parts: { key: unknown; step: unknown; value: unknown }, key: string, where: string, log: ProblemLog): void {
  const knob = check(editShape.key, parts.key);
  if (!knob.ok) return log.add(key, `${where}the knob ${knob.message}`, IGNORED);
  const step = check(editShape.step, parts.step);
  if (!step.ok) return log.add(key, where + step.message, IGNORED);
  const value = check(editShape.value, parts.value);
  if (!value.ok) return log.add(key, `${where}the value ${value.message}`, IGNORED);
  const liveKnob = knob.value as LiveKnobKey;
  const inRange = check(knobSchemas.get(liveKnob)!, value.value);
  if (!inRange.ok) return log.add(key, `${where}${liveKnob} ${inRange.message}`, IGNORED);
  const edit: DraftEdit = {
    slot: slot(key, where, null, IGNORED, () => {
      edit.dropped = true;
    }),
    runIndex,
    edit: { key: liveKnob, step: step.value as number, value: value.value as number },
    dropped: false,
  };
  draft.edits.push(edit);
}

/** runs the link gives settings for but no objective (and that no preset provides) are left out */
function dropRunsWithoutObjective(draft: Draft, log: ProblemLog): void {
  for (const [index, run] of draft.runs) {
    if (run.objective || run.base) continue;
    const why = run.rejectedObjective
      ? `run ${index} was left out because its objective (${run.rejectedObjective}) is invalid`
      : `there is no run ${index}: give its objective first, e.g. r${index}=ipo`;
    const slots = [run.name, ...run.knobs.values()].filter((s): s is Slot => s !== undefined);
    for (const s of slots) log.add(s.key, s.where + why, IGNORED);
    draft.runs.delete(index);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Draft → config, repairing cross-field errors by dropping the keys that caused them.

interface Built {
  input: Record<string, unknown>;
  /** 1-based link index of each run, in config order */
  order: number[];
  names: string[];
  edits: DraftEdit[];
}

function objectiveOf(run: DraftRun): ObjectiveId | undefined {
  return (run.objective?.value as ObjectiveId | undefined) ?? run.base?.objective;
}

function build(draft: Draft, log: ProblemLog): Built {
  const input: Record<string, unknown> = {};
  const base = draft.base;
  if (base) {
    if (base.name !== undefined) input.name = base.name;
    input.seed = base.seed;
    input.reference = base.reference;
    input.reward = base.reward;
    input.peakHalfWidth = base.peakHalfWidth;
  }
  for (const [field, s] of draft.top) input[field] = s.value;
  const defaults: Record<string, unknown> = { ...base?.defaults };
  for (const [knob, s] of draft.shared) defaults[knob] = s.value;
  input.defaults = defaults;

  const order = [...draft.runs.keys()].filter((i) => objectiveOf(draft.runs.get(i)!) !== undefined).sort((a, b) => a - b);
  const explicit = order.map((i) => {
    const run = draft.runs.get(i)!;
    return (run.name?.value as string | undefined) ?? run.base?.name;
  });
  // a run written by hand without a name is called after its objective, made unique
  const taken = new Set(explicit.filter((n): n is string => n !== undefined));
  const names = order.map((i, at) => {
    if (explicit[at] !== undefined) return explicit[at];
    const label = OBJECTIVES[objectiveOf(draft.runs.get(i)!)!].label;
    let name = label;
    for (let n = 2; taken.has(name); n++) name = `${label} ${n}`;
    taken.add(name);
    return name;
  });
  input.runs = order.map((i, at) => {
    const run = draft.runs.get(i)!;
    const out: Record<string, unknown> = { ...run.base, name: names[at], objective: objectiveOf(run) };
    for (const [knob, s] of run.knobs) out[knob] = s.value;
    return out;
  });

  const nameByIndex = new Map(order.map((i, at) => [i, names[at]]));
  const edits: DraftEdit[] = [];
  for (const e of draft.edits) {
    if (e.dropped) continue;
    const run = nameByIndex.get(e.runIndex);
    if (run === undefined) {
      log.add(e.slot.key, `${e.slot.where}there is no run ${e.runIndex} in this experiment`, IGNORED);
      e.dropped = true;
      continue;
    }
    edits.push(e);
  }
  input.edits = edits.map((e) => ({ run: nameByIndex.get(e.runIndex), ...e.edit }));
  return { input, order, names, edits };
}

/** knobs whose values are checked together (M ≤ S, S·N, pairs need N ≥ 2, a negative gradient needs N ≥ 2) */
const RELATED_KNOBS: Partial<Record<RunKnobKey, RunKnobKey[]>> = { M: ['S'], S: ['N', 'M'], N: ['S', 'negativeGradientType'] };

/** the key to drop for a cross-field error, or undefined if the link did not cause it */
function culpritOf(error: ConfigError, draft: Draft, built: Built): Slot | undefined {
  const { path } = error;
  const inRun = /^runs\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (inRun) {
    const at = Number(inRun[1]);
    const run = draft.runs.get(built.order[at]);
    if (!run) return undefined;
    const field = inRun[2];
    if (field === 'name') {
      // the other run of that name may be the one the link renamed
      return run.name ?? [...draft.runs.values()].find((r) => r !== run && r.name?.value === built.names[at])?.name;
    }
    if (field !== undefined && KNOB_KEYS.has(field)) {
      // the key that set the run's value: its own override, else the shared one (unless the base run has its own)
      const sourceOf = (knob: RunKnobKey) =>
        run.knobs.get(knob) ?? (run.base && (run.base as Record<string, unknown>)[knob] !== undefined ? undefined : draft.shared.get(knob));
      const knob = field as RunKnobKey;
      return [sourceOf(knob), ...(RELATED_KNOBS[knob] ?? []).map(sourceOf), run.objective].find((s) => s !== undefined);
    }
    return run.objective;
  }
  const inEdit = /^edits\[(\d+)\]/.exec(path);
  if (inEdit) return built.edits[Number(inEdit[1])]?.slot;
  const inDefaults = /^defaults\.(\w+)/.exec(path);
  if (inDefaults) return KNOB_KEYS.has(inDefaults[1]) ? draft.shared.get(inDefaults[1] as RunKnobKey) : undefined;
  if (path.startsWith('reference')) return draft.top.get('reference') ?? draft.top.get('seed');
  if (path.startsWith('reward')) return draft.top.get('reward') ?? draft.top.get('reference');
  const top = TOP_FIELDS.find((f) => f === path);
  return top ? draft.top.get(top) : undefined;
}

type Resolution = { ok: true; config: ExperimentConfig; order: number[] } | { ok: false; message: string };

function resolveDraft(draft: Draft, log: ProblemLog): Resolution {
  for (let round = 0; round < MAX_REPAIR_ROUNDS; round++) {
    const built = build(draft, log);
    if (!built.order.length) return { ok: false, message: 'has no valid run left (each run needs r1=<objective>, r2=…)' };
    const parsed = parseExperimentConfig(built.input);
    if (parsed.ok) return { ok: true, config: parsed.config, order: built.order };
    const culprits = new Map<Slot, ConfigError>();
    for (const error of parsed.errors) {
      const culprit = culpritOf(error, draft, built);
      if (!culprit) return { ok: false, message: `is inconsistent: ${error.path}: ${error.message}` };
      if (!culprits.has(culprit)) culprits.set(culprit, error);
    }
    for (const [culprit, error] of culprits) {
      log.add(culprit.key, culprit.where + error.message, culprit.fallback);
      culprit.remove();
    }
  }
  return { ok: false, message: 'could not be made consistent' };
}

// ---------------------------------------------------------------------------------------------------------
// Reading the readable form

type KeyMeaning =
  | { kind: 'version' | 'compact' | 'preset' | 'edit' | 'unknown' }
  | { kind: 'top'; field: TopField }
  | { kind: 'shared'; knob: RunKnobKey }
  | { kind: 'run'; index: number; field: RunField }
  | { kind: 'run-out-of-range' }
  | { kind: 'view'; field: ViewField }
  | { kind: 'sequences'; field: SequencesField };

type SequencesField = keyof SequencesDraft;
const SEQUENCES_FIELD_BY_KEY = new Map<string, SequencesField>([
  ['seq', 'preset'],
  ['seq.seed', 'seed'],
  ['seq.quick', 'quick'],
  ['seq.hidden', 'hidden'],
]);

const RUN_KEY = /^r(\d+)(?:\.(.*))?$/s;

function meaningOf(key: string): KeyMeaning {
  if (key === 'v') return { kind: 'version' };
  if (key === 'z') return { kind: 'compact' };
  if (key === 'preset') return { kind: 'preset' };
  if (key === 'e') return { kind: 'edit' };
  const top = TOP_FIELD_BY_KEY.get(key);
  if (top) return { kind: 'top', field: top };
  if (KNOB_KEYS.has(key)) return { kind: 'shared', knob: key as RunKnobKey };
  const view = VIEW_FIELD_BY_KEY.get(key);
  if (view) return { kind: 'view', field: view };
  const sequences = SEQUENCES_FIELD_BY_KEY.get(key);
  if (sequences) return { kind: 'sequences', field: sequences };
  const run = RUN_KEY.exec(key);
  if (!run) return { kind: 'unknown' };
  const field = run[2];
  if (field !== undefined && field !== 'name' && !KNOB_KEYS.has(field)) return { kind: 'unknown' };
  const index = runIndexFrom(run[1]);
  if (index === null) return { kind: 'run-out-of-range' };
  return { kind: 'run', index, field: field === undefined ? 'objective' : (field as 'name' | RunKnobKey) };
}

/** the config keys of the readable form */
function isConfigMeaning(meaning: KeyMeaning): boolean {
  return ['preset', 'top', 'shared', 'run', 'run-out-of-range', 'edit'].includes(meaning.kind);
}

function readEdit(draft: Draft, text: string, log: ProblemLog): void {
  const where = `${formatInput(text)}: `;
  const parts = text.split(':');
  if (parts.length !== 4) return log.add('e', `${where}must look like RUN:KNOB:STEP:VALUE, e.g. 3:lr:500:0.01`, IGNORED);
  const runIndex = runIndexFrom(parts[0]);
  if (runIndex === null) return log.add('e', `${where}the run must be a run index from 1 to ${MAX_RUNS} (got ${formatInput(parts[0])})`, IGNORED);
  addEdit(draft, runIndex, { key: parts[1], step: numberFrom(parts[2]), value: numberFrom(parts[3]) }, 'e', where, log);
}

// ---------------------------------------------------------------------------------------------------------
// The view

function checkPage(value: unknown): Checked<UrlView['page']> {
  return value === 'lab' || value === 'theory' || value === 'sequences' ? { ok: true, value } : { ok: false, message: `must be lab, theory or sequences (got ${formatInput(value)})` };
}

function checkAt(value: unknown): Checked<number> {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_AT
    ? { ok: true, value }
    : { ok: false, message: `must be a step, an integer between 0 and ${MAX_AT} (got ${formatInput(value)})` };
}

function checkSpeed(value: unknown): Checked<UrlView['speed']> {
  return value === 'auto' || (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_SPEED)
    ? { ok: true, value }
    : { ok: false, message: `must be auto or an integer between 1 and ${MAX_SPEED} (got ${formatInput(value)})` };
}

function checkBackend(value: unknown): Checked<Backend | null> {
  return value === null || (BACKENDS as readonly unknown[]).includes(value)
    ? { ok: true, value: value as Backend | null }
    : { ok: false, message: `must be one of ${BACKENDS.join(', ')} (got ${formatInput(value)})` };
}

/** `1`, `true` or nothing: on; `0`, `false`: off; anything else is passed on to be refused */
function flagFrom(text: string): boolean | string {
  return text === '1' || text === 'true' || text === '' ? true : text === '0' || text === 'false' ? false : text;
}

/** an on/off key (`present`, `mlp`) */
function checkPresent(value: unknown): Checked<boolean> {
  return typeof value === 'boolean' ? { ok: true, value } : { ok: false, message: `must be 1 or 0 (got ${formatInput(value)})` };
}

/** the known parts, in order and once each; the unknown ones are reported */
function hideParts(parts: readonly unknown[], key: string, where: string, log: ProblemLog): Hideable[] {
  const known = parts.filter((p): p is Hideable => (HIDEABLE as readonly unknown[]).includes(p));
  const unknown = parts.filter((p) => !(HIDEABLE as readonly unknown[]).includes(p));
  if (unknown.length) {
    const shown = unknown.slice(0, 5).map((p) => formatInput(p)).join(', ');
    log.add(key, `${where}cannot hide ${shown}${unknown.length > 5 ? ', …' : ''}; the parts a link can hide are ${HIDEABLE.join(', ')}`, { kind: 'view', field: 'hide' });
  }
  return [...new Set(known)];
}

function setView<K extends keyof ViewDraft>(view: ViewDraft, field: K, checked: Checked<ViewDraft[K]>, key: string, where: string, log: ProblemLog, viewField: ViewField): void {
  if (checked.ok) view[field] = checked.value;
  else log.add(key, where + checked.message, { kind: 'view', field: viewField });
}

function readViewKey(view: ViewDraft, field: ViewField, key: string, text: string, log: ProblemLog): void {
  switch (field) {
    case 'page':
      return setView(view, 'page', checkPage(text), key, '', log, field);
    case 'at':
      return setView(view, 'at', checkAt(numberFrom(text)), key, '', log, field);
    case 'speed':
      return setView(view, 'speed', checkSpeed(text === 'auto' ? text : numberFrom(text)), key, '', log, field);
    case 'backend':
      return setView(view, 'backend', checkBackend(text), key, '', log, field);
    case 'present':
      return setView(view, 'present', checkPresent(flagFrom(text)), key, '', log, field);
    case 'mlp':
      return setView(view, 'mlp', checkPresent(flagFrom(text)), key, '', log, field);
    case 'hide':
      view.hide = hideParts(text === '' ? [] : text.split(','), key, '', log);
      return;
    case 'hidden': {
      const parts = text === '' ? [] : text.split(',');
      const indices = parts.map(runIndexFrom);
      const bad = parts.filter((_, i) => indices[i] === null);
      if (bad.length) log.add(key, `${bad.slice(0, 5).map((p) => formatInput(p)).join(', ')}${bad.length > 5 ? ', …' : ''} ${bad.length === 1 ? 'is not a run index' : 'are not run indices'} (1 to ${MAX_RUNS}); ignored`, { kind: 'view', field });
      view.hidden = { key, where: '', indices: indices.filter((i): i is number => i !== null) };
      return;
    }
    case 'epochRun': {
      const index = runIndexFrom(text);
      if (index === null) log.add(key, `must be a run index from 1 to ${MAX_RUNS} (got ${formatInput(text)})`, { kind: 'view', field });
      else view.epoch = { key, where: '', index };
      return;
    }
  }
}

/** run indices → the names of the runs opened; references to runs that were left out are reported */
function resolveView(draft: ViewDraft, nameByIndex: ReadonlyMap<number, string>, log: ProblemLog): UrlView {
  const view: UrlView = { ...DEFAULT_VIEW, hidden: [], hide: [] };
  if (draft.page !== undefined) view.page = draft.page;
  if (draft.at !== undefined) view.at = draft.at;
  if (draft.speed !== undefined) view.speed = draft.speed;
  if (draft.hide !== undefined) view.hide = draft.hide;
  if (draft.present !== undefined) view.present = draft.present;
  if (draft.backend !== undefined) view.backend = draft.backend;
  if (draft.mlp) view.mlp = true;
  if (draft.hidden) {
    const missing = draft.hidden.indices.filter((i) => !nameByIndex.has(i));
    if (missing.length) {
      log.add(draft.hidden.key, `${draft.hidden.where}${[...new Set(missing)].join(', ')}: no such run in this experiment; ignored`, { kind: 'view', field: 'hidden' });
    }
    view.hidden = [...new Set(draft.hidden.indices.filter((i) => nameByIndex.has(i)).map((i) => nameByIndex.get(i)!))];
  }
  if (draft.epoch) {
    const name = nameByIndex.get(draft.epoch.index);
    if (name === undefined) log.add(draft.epoch.key, `${draft.epoch.where}run ${draft.epoch.index}: no such run in this experiment`, { kind: 'view', field: 'epochRun' });
    else view.epochRun = name;
  }
  if (draft.sequences) view.sequences = resolveSequences(draft.sequences, log);
  return view;
}

// ---------------------------------------------------------------------------------------------------------
// The Sequences page's keys

function sequencesDraftOf(view: ViewDraft): SequencesDraft {
  view.sequences ??= {};
  return view.sequences;
}

/** `seq.quick`: 1 (or true, or nothing) the Quick look, 0 (or false) none, STEP_FACTOR:SFT_STEPS a custom shrink */
function quickFrom(text: string): unknown {
  if (text === '1' || text === 'true' || text === '') return 'look';
  if (text === '0' || text === 'false') return null;
  const parts = text.split(':');
  return parts.length === 2 ? { stepFactor: numberFrom(parts[0]), sftSteps: numberFrom(parts[1]) } : text;
}

function readSequencesKey(view: ViewDraft, field: SequencesField, key: string, text: string): void {
  const draft = sequencesDraftOf(view);
  switch (field) {
    case 'preset':
      draft.preset = { key, where: '', value: text };
      return;
    case 'seed':
      draft.seed = { key, where: '', value: numberFrom(text) };
      return;
    case 'quick':
      draft.quick = { key, where: '', value: quickFrom(text) };
      return;
    case 'hidden':
      draft.hidden = { key, where: '', value: text === '' ? [] : text.split(','), by: 'index' };
      return;
  }
}

function readCompactSequences(record: unknown, view: ViewDraft, log: ProblemLog): void {
  if (!isRecord(record)) return log.add('z', `view.sequences: must be an object (got ${formatInput(record)}); ignored`, IGNORED);
  reportUnknownFields(record, SEQUENCES_FIELDS, 'view.sequences.', log);
  const draft = sequencesDraftOf(view);
  const field = (name: string) => own(record, name);
  if (field('preset') !== undefined) draft.preset = { key: 'z', where: 'view.sequences.preset: ', value: field('preset') };
  if (field('seed') !== undefined) draft.seed = { key: 'z', where: 'view.sequences.seed: ', value: field('seed') };
  const quick = field('quick');
  if (quick !== undefined) draft.quick = { key: 'z', where: 'view.sequences.quick: ', value: quick === true ? 'look' : quick === false ? null : quick };
  if (field('hidden') !== undefined) draft.hidden = { key: 'z', where: 'view.sequences.hidden: ', value: field('hidden'), by: 'name' };
}

const SEQUENCES_FIELDS = new Set(['preset', 'seed', 'quick', 'hidden']);

function checkSequencesSeed(value: unknown): Checked<number> {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SEQUENCES_SEED
    ? { ok: true, value }
    : { ok: false, message: `must be a seed, a whole number from 0 to ${MAX_SEQUENCES_SEED} (got ${formatInput(value)})` };
}

function checkSequencesQuick(value: unknown): Checked<SequencesQuick> {
  if (value === null || value === 'look') return { ok: true, value };
  if (isRecord(value)) {
    const stepFactor = own(value, 'stepFactor');
    const sftSteps = own(value, 'sftSteps');
    const fields = Object.keys(value);
    if (
      fields.length === 2 &&
      typeof stepFactor === 'number' &&
      stepFactor > 0 &&
      stepFactor <= 1 &&
      typeof sftSteps === 'number' &&
      Number.isInteger(sftSteps) &&
      sftSteps >= 1 &&
      sftSteps <= MAX_SEQUENCES_SFT_STEPS
    ) {
      return { ok: true, value: { stepFactor, sftSteps } };
    }
  }
  const shown = isRecord(value) ? `${formatInput(own(value, 'stepFactor'))}:${formatInput(own(value, 'sftSteps'))}` : formatInput(value);
  return {
    ok: false,
    message: `must be 1 (Quick look), 0 (none) or STEP_FACTOR:SFT_STEPS, a step factor above 0 and at most 1 and a whole number of SFT steps from 1 to ${MAX_SEQUENCES_SFT_STEPS}, e.g. 0.01:4 (got ${shown})`,
  };
}

/** The Sequences keys judged together: the seed's default and the hidden runs depend on the comparison. */
function resolveSequences(draft: SequencesDraft, log: ProblemLog): SequencesUrlView {
  let preset = DEFAULT_SEQUENCES_PRESET;
  if (draft.preset) {
    const { key, where, value } = draft.preset;
    if (typeof value === 'string' && SEQUENCES_PRESETS.has(value)) preset = value;
    else log.add(key, `${where}no Sequences comparison is named ${formatInput(value)}; the comparisons are ${[...SEQUENCES_PRESETS.keys()].join(', ')}`, { kind: 'text', text: `"${preset}"` });
  }
  const ownSeed = sequencesPresetSeed(preset);
  let seed = ownSeed;
  if (draft.seed) {
    const checked = checkSequencesSeed(draft.seed.value);
    if (checked.ok) seed = checked.value;
    else log.add(draft.seed.key, draft.seed.where + checked.message, { kind: 'text', text: `the comparison's own seed, ${ownSeed}` });
  }
  let quick: SequencesQuick = null;
  if (draft.quick) {
    const checked = checkSequencesQuick(draft.quick.value);
    if (checked.ok) quick = checked.value;
    else log.add(draft.quick.key, draft.quick.where + checked.message, { kind: 'text', text: 'no quick look (the comparison as specified)' });
  }
  const runs = sequencesPresetRuns(preset) ?? [];
  const hidden: string[] = [];
  if (draft.hidden) {
    const { key, where, value, by } = draft.hidden;
    const parts: unknown[] = Array.isArray(value) ? value : [];
    const nameOf = (part: unknown): string | undefined => {
      if (by === 'name') return typeof part === 'string' && runs.includes(part) ? part : undefined;
      const index = typeof part === 'string' ? runIndexFrom(part) : null;
      return index === null ? undefined : runs[index - 1];
    };
    const bad = parts.filter((part) => nameOf(part) === undefined);
    if (!Array.isArray(value)) log.add(key, `${where}must be a list of run names (got ${formatInput(value)}); ignored`, IGNORED);
    else if (bad.length) {
      const shownPart = (part: unknown) => (by === 'index' && typeof part === 'string' && /^\d{1,6}$/.test(part) ? part : formatInput(part));
      const shown = `${bad.slice(0, 5).map(shownPart).join(', ')}${bad.length > 5 ? ', …' : ''}`;
      const what = by === 'name' ? `no run of ${preset} is named ${shown}` : `${shown}: no such run in ${preset} (its runs are 1 to ${runs.length})`;
      log.add(key, `${where}${what}; ignored`, IGNORED);
    }
    for (const name of runs) if (parts.some((part) => nameOf(part) === name)) hidden.push(name);
  }
  return { preset, seed, quick, hidden };
}

// ---------------------------------------------------------------------------------------------------------
// The compact form

const LZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const LZ_VALUE = new Map([...LZ_ALPHABET].map((c, i) => [c, i]));

/**
 * How long lz-string's `decompressFromEncodedURIComponent` output would be, worked out from the code stream
 * without building it (each dictionary entry grows by at most one character per code, so a short input can
 * name a huge output). 'invalid' where lz-string would fail or return nothing.
 */
function inflatedLength(compressed: string, limit: number): number | 'invalid' | 'too-long' {
  const input = compressed.replace(/ /g, '+');
  if (!input) return 'invalid';
  // lz-string reads each character's 6 bits from the highest down, and characters outside its alphabet as 0
  const valueAt = (i: number) => LZ_VALUE.get(input.charAt(i)) ?? 0;
  let current = valueAt(0);
  let mask = 32;
  let next = 1;
  const read = (bitCount: number): number => {
    let bits = 0;
    for (let power = 0; power < bitCount; power++) {
      const bit = current & mask;
      mask >>= 1;
      if (mask === 0) {
        mask = 32;
        current = valueAt(next++);
      }
      if (bit) bits += 2 ** power;
    }
    return bits;
  };
  const first = read(2);
  if (first === 2) return 'invalid';
  if (first === 3) return 'invalid';
  read(first === 0 ? 8 : 16);
  // lengths of the dictionary's entries; 0, 1 and 2 are control codes
  const lengths: number[] = [0, 0, 0, 1];
  let size = 4;
  let bitsPerCode = 3;
  let enlargeIn = 4;
  let previous = 1;
  let total = 1;
  for (;;) {
    if (next > input.length) return 'invalid';
    let code = read(bitsPerCode);
    if (code === 2) return total;
    if (code === 0 || code === 1) {
      read(code === 0 ? 8 : 16);
      lengths[size++] = 1;
      code = size - 1;
      enlargeIn--;
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** bitsPerCode;
      bitsPerCode++;
    }
    let entry: number;
    if (code >= 3 && code < size) entry = lengths[code];
    else if (code === size) entry = previous + 1;
    else return 'invalid';
    total += entry;
    if (total > limit) return 'too-long';
    lengths[size++] = previous + 1;
    enlargeIn--;
    previous = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** bitsPerCode;
      bitsPerCode++;
    }
  }
}

function inflate(compressed: string, log: ProblemLog): string | null {
  const length = inflatedLength(compressed, MAX_COMPACT_JSON_LENGTH);
  if (length === 'too-long') {
    log.add('z', `inflates to more than ${MAX_COMPACT_JSON_LENGTH} characters, more than any experiment needs`, OPENED_DEFAULT);
    return null;
  }
  let text: string | null = null;
  if (length !== 'invalid') {
    try {
      text = LZString.decompressFromEncodedURIComponent(compressed);
    } catch {
      text = null;
    }
  }
  if (!text) {
    log.add('z', 'cannot be decompressed (the link may have been cut off)', OPENED_DEFAULT);
    return null;
  }
  return text;
}

const COMPACT_FIELDS = new Set(['preset', 'config', 'view']);
const CONFIG_FIELDS = new Set(['version', 'name', 'seed', 'reference', 'reward', 'peakHalfWidth', 'defaults', 'runs', 'edits']);
const RUN_FIELDS = new Set(['name', 'objective', ...RUN_KNOB_KEYS]);
const EDIT_FIELDS = new Set(['run', 'step', 'key', 'value']);
const VIEW_FIELDS = new Set<string>([...VIEW_FIELD_BY_KEY.values(), 'sequences']);

function reportUnknownFields(record: Record<string, unknown>, known: ReadonlySet<string>, where: string, log: ProblemLog): void {
  for (const field of Object.keys(record)) {
    if (!known.has(field)) log.add('z', `${where}${formatInput(field)} is not a known field; ignored`, IGNORED);
  }
}

interface CompactDraft {
  draft: Draft;
  view: ViewDraft;
  preset: string | null;
}

function readCompact(compressed: string, log: ProblemLog): CompactDraft | null {
  const text = inflate(compressed, log);
  if (text === null) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    log.add('z', 'does not hold an experiment (its JSON does not parse; the link may have been cut off)', OPENED_DEFAULT);
    return null;
  }
  if (!isRecord(payload)) {
    log.add('z', `does not hold an experiment (got ${formatInput(payload)})`, OPENED_DEFAULT);
    return null;
  }
  reportUnknownFields(payload, COMPACT_FIELDS, '', log);
  let preset: string | null = null;
  let base: ExperimentConfig | null = null;
  const presetName = own(payload, 'preset');
  if (presetName !== undefined) {
    base = typeof presetName === 'string' ? presetConfig(presetName) : null;
    if (base) preset = presetName as string;
    else log.add('z', `preset: ${unknownPresetMessage(presetName)}`, { kind: 'text', text: 'the built-in defaults' });
  }
  const draft = newDraft(base);
  const config = own(payload, 'config');
  if (config !== undefined) {
    if (isRecord(config)) readCompactConfig(config, draft, log);
    else log.add('z', `config: must be an object (got ${formatInput(config)}); ignored`, IGNORED);
  }
  const view: ViewDraft = {};
  const compactView = own(payload, 'view');
  if (compactView !== undefined) {
    if (isRecord(compactView)) readCompactView(compactView, draft, view, log);
    else log.add('z', `view: must be an object (got ${formatInput(compactView)}); ignored`, IGNORED);
  }
  return { draft, view, preset };
}

function readCompactConfig(config: Record<string, unknown>, draft: Draft, log: ProblemLog): void {
  reportUnknownFields(config, CONFIG_FIELDS, 'config.', log);
  const version = own(config, 'version');
  if (version !== undefined && version !== CONFIG_VERSION) {
    log.add('z', `version: must be ${CONFIG_VERSION} (got ${formatInput(version)}); read as version ${CONFIG_VERSION}`, IGNORED);
  }
  for (const field of TOP_FIELDS) {
    const value = own(config, field);
    if (value !== undefined) setTop(draft, field, 'z', `${field}: `, value, log);
  }
  const defaults = own(config, 'defaults');
  if (defaults !== undefined) {
    if (!isRecord(defaults)) log.add('z', `defaults: must be an object (got ${formatInput(defaults)}); ignored`, IGNORED);
    else {
      reportUnknownFields(defaults, KNOB_KEYS, 'defaults.', log);
      for (const knob of RUN_KNOB_KEYS) {
        const value = own(defaults, knob);
        if (value !== undefined) setShared(draft, knob, 'z', `defaults.${knob}: `, value, log);
      }
    }
  }
  const runs = own(config, 'runs');
  if (runs !== undefined) {
    if (!Array.isArray(runs)) log.add('z', `runs: must be a list of runs (got ${formatInput(runs)}); ignored`, IGNORED);
    else {
      // a list of runs replaces the base's runs as a whole
      draft.runs.clear();
      if (runs.length > MAX_RUNS) log.add('z', `runs: can hold at most ${MAX_RUNS} runs (got ${runs.length}); the rest were left out`, IGNORED);
      runs.slice(0, MAX_RUNS).forEach((run: unknown, i) => {
        const where = `runs[${i}]`;
        if (!isRecord(run)) return log.add('z', `${where}: must be a run (got ${formatInput(run)}); left out`, IGNORED);
        reportUnknownFields(run, RUN_FIELDS, `${where}.`, log);
        const objective = check(runShape.objective, own(run, 'objective'));
        if (!objective.ok) return log.add('z', `${where}.objective: ${objective.message}`, LEFT_OUT);
        setRunField(draft, i + 1, 'objective', 'z', `${where}.objective: `, objective.value, log);
        const name = own(run, 'name');
        if (name !== undefined) setRunField(draft, i + 1, 'name', 'z', `${where}.name: `, name, log);
        for (const knob of RUN_KNOB_KEYS) {
          const value = own(run, knob);
          if (value !== undefined) setRunField(draft, i + 1, knob, 'z', `${where}.${knob}: `, value, log);
        }
      });
    }
  }
  const edits = own(config, 'edits');
  if (edits !== undefined) {
    if (!Array.isArray(edits)) log.add('z', `edits: must be a list of edits (got ${formatInput(edits)}); ignored`, IGNORED);
    else {
      const indexByName = runIndexByName(draft);
      edits.forEach((edit: unknown, i) => {
        const where = `edits[${i}]: `;
        if (!isRecord(edit)) return log.add('z', `${where}must be an edit (got ${formatInput(edit)}); ignored`, IGNORED);
        reportUnknownFields(edit, EDIT_FIELDS, `edits[${i}].`, log);
        const run = own(edit, 'run');
        const index = typeof run === 'string' ? indexByName.get(run) : undefined;
        if (index === undefined) return log.add('z', `${where}no run is named ${formatInput(run)}; ignored`, IGNORED);
        addEdit(draft, index, { key: own(edit, 'key'), step: own(edit, 'step'), value: own(edit, 'value') }, 'z', where, log);
      });
    }
  }
}

/** the runs' names as the compact form wrote them (edits and the view refer to runs by name) */
function runIndexByName(draft: Draft): Map<string, number> {
  const byName = new Map<string, number>();
  for (const [index, run] of draft.runs) {
    const name = (run.name?.value as string | undefined) ?? run.base?.name;
    if (name !== undefined && !byName.has(name)) byName.set(name, index);
  }
  return byName;
}

function readCompactView(record: Record<string, unknown>, draft: Draft, view: ViewDraft, log: ProblemLog): void {
  reportUnknownFields(record, VIEW_FIELDS, 'view.', log);
  const field = (name: ViewField) => own(record, name);
  if (field('page') !== undefined) setView(view, 'page', checkPage(field('page')), 'z', 'view.page: ', log, 'page');
  if (field('at') !== undefined) setView(view, 'at', checkAt(field('at')), 'z', 'view.at: ', log, 'at');
  if (field('speed') !== undefined) setView(view, 'speed', checkSpeed(field('speed')), 'z', 'view.speed: ', log, 'speed');
  if (field('present') !== undefined) setView(view, 'present', checkPresent(field('present')), 'z', 'view.present: ', log, 'present');
  if (field('backend') !== undefined) setView(view, 'backend', checkBackend(field('backend')), 'z', 'view.backend: ', log, 'backend');
  if (field('mlp') !== undefined) setView(view, 'mlp', checkPresent(field('mlp')), 'z', 'view.mlp: ', log, 'mlp');
  const hide = field('hide');
  if (hide !== undefined) {
    if (Array.isArray(hide)) view.hide = hideParts(hide, 'z', 'view.hide: ', log);
    else log.add('z', `view.hide: must be a list (got ${formatInput(hide)})`, { kind: 'view', field: 'hide' });
  }
  const indexByName = runIndexByName(draft);
  const hidden = field('hidden');
  if (hidden !== undefined) {
    const names = Array.isArray(hidden) ? hidden : [];
    const unknown = names.filter((n) => typeof n !== 'string' || !indexByName.has(n));
    if (!Array.isArray(hidden) || unknown.length) {
      log.add('z', `view.hidden: ${Array.isArray(hidden) ? `no run is named ${unknown.slice(0, 5).map((n) => formatInput(n)).join(', ')}` : `must be a list of run names (got ${formatInput(hidden)})`}; ignored`, { kind: 'view', field: 'hidden' });
    }
    const indices = names.filter((n): n is string => typeof n === 'string' && indexByName.has(n)).map((n) => indexByName.get(n)!);
    view.hidden = { key: 'z', where: 'view.hidden: ', indices };
  }
  const sequences = own(record, 'sequences');
  if (sequences !== undefined) readCompactSequences(sequences, view, log);
  const epochRun = field('epochRun');
  if (epochRun !== undefined && epochRun !== null) {
    const index = typeof epochRun === 'string' ? indexByName.get(epochRun) : undefined;
    if (index === undefined) log.add('z', `view.epochRun: no run is named ${formatInput(epochRun)}`, { kind: 'view', field: 'epochRun' });
    else view.epoch = { key: 'z', where: 'view.epochRun: ', index };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Presets

const presetConfigs = new Map<string, ExperimentConfig | null>();

/** a preset's parsed config (cached: the app encodes a link every few hundred milliseconds) */
function presetConfig(name: string): ExperimentConfig | null {
  if (!presetConfigs.has(name)) {
    const preset = findPreset(name);
    const parsed = preset ? parseExperimentConfig(preset.config) : null;
    presetConfigs.set(name, parsed?.ok ? parsed.config : null);
  }
  return presetConfigs.get(name)!;
}

function unknownPresetMessage(name: unknown): string {
  return `no preset is named ${formatInput(name)}`;
}

/** equal as data: same fields (absent and undefined alike), same numbers (-0 is not 0) */
function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
  return keysA.length === keysB.length && keysA.every((k) => Object.hasOwn(b, k) && sameData(a[k], b[k]));
}

function isPresetWithEdits(config: ExperimentConfig, presetName: string): boolean {
  const preset = presetConfig(presetName);
  return preset !== null && sameData({ ...config, edits: [] }, preset);
}

// ---------------------------------------------------------------------------------------------------------
// Decoding

function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : formatValue(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function describeFallback(fallback: Fallback, config: ExperimentConfig, runByIndex: ReadonlyMap<number, ResolvedRun>, view: UrlView, openedDefault: boolean): string {
  if (openedDefault && fallback.kind !== 'view' && fallback.kind !== 'text') return OPENED_DEFAULT_TEXT;
  switch (fallback.kind) {
    case 'text':
      return fallback.text;
    case 'top': {
      const value = config[fallback.field];
      if (value === undefined) return 'no name';
      if (fallback.field === 'reference') return describeValue(formatReference(config.reference));
      if (fallback.field === 'reward') return describeValue(formatReward(config.reward));
      return describeValue(value);
    }
    case 'shared': {
      const value = (config.defaults as Record<string, unknown>)[fallback.knob];
      if (value !== undefined) return describeValue(value);
      const builtIn = RUN_KNOBS[fallback.knob].default;
      return builtIn === undefined ? 'unset (M = S)' : `unset: each run's own value or the built-in default ${describeValue(builtIn)}`;
    }
    case 'run': {
      const run = runByIndex.get(fallback.index);
      if (!run) return 'ignored (the run was left out)';
      return describeValue((run as unknown as Record<string, unknown>)[fallback.field]);
    }
    case 'view': {
      const value = view[fallback.field];
      if (fallback.field === 'mlp') return value ? 'on' : 'off';
      if (Array.isArray(value)) return value.length ? value.join(',') : 'none';
      return value === null ? 'none' : describeValue(value);
    }
  }
}

function finish(
  log: ProblemLog,
  config: ExperimentConfig,
  order: readonly number[],
  viewDraft: ViewDraft,
  preset: string | null,
  openedDefault: boolean,
): DecodedUrl {
  const nameByIndex = new Map(order.map((index, at) => [index, config.runs[at].name]));
  const view = resolveView(viewDraft, nameByIndex, log);
  const resolved = resolveRuns(config);
  const runByIndex = new Map(order.map((index, at) => [index, resolved[at]]));
  const all = log.pending.map((p) => ({ key: p.key, message: p.message, usedInstead: describeFallback(p.fallback, config, runByIndex, view, openedDefault) }));
  const problems = all.length > MAX_PROBLEMS ? [...all.slice(0, MAX_PROBLEMS - 1), { key: WHOLE_LINK, message: `and ${all.length - MAX_PROBLEMS + 1} more problems`, usedInstead: 'see above' }] : all;
  return { config, view, preset: preset && isPresetWithEdits(config, preset) ? preset : null, problems };
}

/** the default preset; `instead` when it replaces the experiment the link described */
function openDefault(log: ProblemLog, viewDraft: ViewDraft, instead = true): DecodedUrl {
  const config = presetConfig(DEFAULT_PRESET_NAME)!;
  return finish(log, config, config.runs.map((_, i) => i + 1), viewDraft, DEFAULT_PRESET_NAME, instead);
}

/** the query of a full URL (`https://…?q#h`), of `?q`, or a bare query */
function queryOf(input: string): string {
  const text = input.trim();
  const question = text.indexOf('?');
  let query = question >= 0 ? text.slice(question + 1) : /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? '' : text;
  const hash = query.indexOf('#');
  if (hash >= 0) query = query.slice(0, hash);
  return query;
}

/** reads `v`, and brings older links up to this version */
function upgrade(entries: readonly UrlEntry[], log: ProblemLog): UrlEntry[] {
  const versions = entries.filter(([key]) => key === 'v').map(([, value]) => value);
  const rest = entries.filter(([key]) => key !== 'v');
  if (!versions.length) return rest;
  if (versions.length > 1) log.add('v', `is given ${versions.length} times; the first value was used`, { kind: 'text', text: `version ${versions[0]}` });
  const version = numberFrom(versions[0]);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    log.add('v', `must be the link format version, a whole number (got ${formatInput(versions[0])})`, { kind: 'text', text: `read as version ${URL_VERSION}` });
    return rest;
  }
  if (version > URL_VERSION) {
    log.add('v', `this link was written by a newer version of the lab (link format ${version}); this lab reads format ${URL_VERSION}`, { kind: 'text', text: `read as version ${URL_VERSION}: keys it does not know are listed` });
    return rest;
  }
  const migrated = migrateUrlEntries(rest, version, URL_VERSION, URL_MIGRATIONS);
  if (migrated.version !== URL_VERSION) {
    log.add('v', `link format ${migrated.version} is unknown`, { kind: 'text', text: `read as version ${URL_VERSION}` });
  }
  return migrated.entries;
}

function decodeQuery(query: string): DecodedUrl {
  const log = new ProblemLog();
  if (query.length > MAX_URL_LENGTH) {
    log.add(WHOLE_LINK, `is ${query.length} characters long; a link may have at most ${MAX_URL_LENGTH}`, OPENED_DEFAULT);
    return openDefault(log, {});
  }
  const entries = upgrade([...new URLSearchParams(query)], log);
  const byKey = new Map<string, string[]>();
  for (const [key, value] of entries) {
    const values = byKey.get(key);
    if (values) values.push(value);
    else byKey.set(key, [value]);
  }

  // where the experiment comes from: the compact form, or a preset or the built-in defaults
  let draft: Draft | null;
  let preset: string | null = null;
  let view: ViewDraft = {};
  const compact = byKey.get('z');
  if (compact) {
    const read = readCompact(compact[0], log);
    draft = read?.draft ?? null;
    preset = read?.preset ?? null;
    view = read?.view ?? {};
  } else {
    const presetName = byKey.get('preset')?.[0];
    const base = presetName === undefined ? null : presetConfig(presetName);
    if (presetName !== undefined && !base) log.add('preset', unknownPresetMessage(presetName), { kind: 'text', text: 'the built-in defaults' });
    if (base) preset = presetName!;
    draft = newDraft(base);
  }

  let givesExperiment = compact !== undefined;
  for (const [key, values] of byKey) {
    const meaning = meaningOf(key);
    if (meaning.kind === 'unknown') {
      log.add(key, values.length > 1 ? `unknown key (given ${values.length} times); ignored` : 'unknown key; ignored', IGNORED);
      continue;
    }
    if (values.length > 1 && meaning.kind !== 'edit') {
      log.add(key, `is given ${values.length} times; the first value was used`, { kind: 'text', text: `the first, ${describeValue(values[0])}` });
    }
    if (isConfigMeaning(meaning)) {
      givesExperiment = true;
      if (compact) {
        log.add(key, 'ignored: this link carries its experiment in z', IGNORED);
        continue;
      }
    }
    const text = values[0];
    switch (meaning.kind) {
      case 'top': {
        const value = topValueFrom(meaning.field, text);
        if (value.ok) setTop(draft!, meaning.field, key, '', value.value, log);
        else log.add(key, value.message, { kind: 'top', field: meaning.field });
        break;
      }
      case 'shared':
        setShared(draft!, meaning.knob, key, '', knobValueFrom(meaning.knob, text), log);
        break;
      case 'run': {
        const value = meaning.field === 'objective' || meaning.field === 'name' ? text : knobValueFrom(meaning.field, text);
        setRunField(draft!, meaning.index, meaning.field, key, '', value, log);
        break;
      }
      case 'run-out-of-range':
        log.add(key, `runs are numbered r1 to r${MAX_RUNS}; ignored`, IGNORED);
        break;
      case 'edit':
        for (const edit of values) readEdit(draft!, edit, log);
        break;
      case 'view':
        readViewKey(view, meaning.field, key, text, log);
        break;
      case 'sequences':
        readSequencesKey(view, meaning.field, key, text);
        break;
      // version, compact and preset were read above
    }
  }

  // a link that names no experiment (`?page=theory`, or nothing) opens the default one, as the lab does
  if (!givesExperiment) return openDefault(log, view, false);
  if (!draft) return openDefault(log, view);
  dropRunsWithoutObjective(draft, log);
  const resolution = resolveDraft(draft, log);
  if (!resolution.ok) {
    log.add(WHOLE_LINK, resolution.message, OPENED_DEFAULT);
    return openDefault(log, view);
  }
  return finish(log, resolution.config, resolution.order, view, preset, false);
}

/** any string (a full URL, '?query', or bare query) → config + view; never throws; every rejected key is named in `problems`. */
export function decodeExperimentUrl(input: string): DecodedUrl {
  try {
    return decodeQuery(queryOf(typeof input === 'string' ? input : ''));
  } catch (error) {
    // not expected (the property tests look for it); the lab must still open
    const log = new ProblemLog();
    log.add(WHOLE_LINK, `could not be read (${error instanceof Error ? error.message : 'unknown error'})`, OPENED_DEFAULT);
    return openDefault(log, {});
  }
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

/** URLSearchParams escapes ',' and ':' too; they are legal in a query and keep tables and edits readable */
function toQuery(entries: ReadonlyArray<readonly [string, string]>): string {
  return new URLSearchParams(entries as Array<[string, string]>).toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

function fullView(view: Partial<UrlView>): UrlView {
  const out: UrlView = { ...DEFAULT_VIEW };
  for (const field of Object.keys(DEFAULT_VIEW) as ViewField[]) {
    if (view[field] !== undefined) (out as unknown as Record<string, unknown>)[field] = view[field];
  }
  if (view.sequences) out.sequences = view.sequences;
  if (view.mlp) out.mlp = true;
  return out;
}

function runIndicesByName(config: ExperimentConfig): Map<string, number> {
  const byName = new Map<string, number>();
  config.runs.forEach((run, i) => {
    if (!byName.has(run.name)) byName.set(run.name, i + 1);
  });
  return byName;
}

function readableQuery(config: ExperimentConfig, view: UrlView, preset: string | null): string {
  const entries: Array<[string, string]> = [['v', String(URL_VERSION)]];
  const indexByName = runIndicesByName(config);
  if (preset) entries.push(['preset', preset]);
  else {
    if (config.name !== undefined) entries.push(['name', config.name]);
    if (config.seed !== BUILT_IN.seed) entries.push(['seed', formatNumber(config.seed)]);
    if (!sameData(config.reference, BUILT_IN.reference)) entries.push(['ref', formatReference(config.reference)]);
    if (!sameData(config.reward, BUILT_IN.reward)) entries.push(['reward', formatReward(config.reward)]);
    if (config.peakHalfWidth !== BUILT_IN.peakHalfWidth) entries.push(['peak', formatNumber(config.peakHalfWidth)]);
    const defaults = config.defaults as Record<string, unknown>;
    for (const knob of RUN_KNOB_KEYS) if (defaults[knob] !== undefined) entries.push([knob, formatValue(defaults[knob])]);
    config.runs.forEach((run, i) => {
      const prefix = `r${i + 1}`;
      entries.push([prefix, run.objective], [`${prefix}.name`, run.name]);
      for (const knob of RUN_KNOB_KEYS) {
        const value = (run as Record<string, unknown>)[knob];
        if (value !== undefined) entries.push([`${prefix}.${knob}`, formatValue(value)]);
      }
    });
  }
  for (const edit of config.edits) {
    const index = indexByName.get(edit.run);
    // an edit of a run that does not exist is invalid anyway; a link cannot name it
    if (index !== undefined) entries.push(['e', `${index}:${edit.key}:${formatNumber(edit.step)}:${formatNumber(edit.value)}`]);
  }
  if (view.page !== DEFAULT_VIEW.page) entries.push(['page', view.page]);
  if (view.at !== DEFAULT_VIEW.at) entries.push(['at', formatValue(view.at)]);
  if (view.speed !== DEFAULT_VIEW.speed) entries.push(['speed', formatValue(view.speed)]);
  const hidden = [...new Set(view.hidden.map((name) => indexByName.get(name)).filter((i): i is number => i !== undefined))];
  if (hidden.length) entries.push(['hidden', hidden.join(',')]);
  const epoch = view.epochRun === null ? undefined : indexByName.get(view.epochRun);
  if (epoch !== undefined) entries.push(['epoch', String(epoch)]);
  if (view.hide.length) entries.push(['hide', [...new Set(view.hide)].join(',')]);
  if (view.present) entries.push(['present', '1']);
  if (view.backend !== null) entries.push(['backend', view.backend]);
  if (view.mlp) entries.push(['mlp', '1']);
  if (view.sequences) entries.push(...sequencesEntries(view.sequences));
  return toQuery(entries);
}

function hiddenSequenceRuns(view: SequencesUrlView): Array<{ index: number; name: string }> {
  const runs = sequencesPresetRuns(view.preset) ?? [];
  return runs.flatMap((name, i) => (view.hidden.includes(name) ? [{ index: i + 1, name }] : []));
}

function sequencesEntries(view: SequencesUrlView): Array<[string, string]> {
  const entries: Array<[string, string]> = [['seq', view.preset]];
  if (view.seed !== sequencesPresetSeed(view.preset)) entries.push(['seq.seed', formatNumber(view.seed)]);
  if (view.quick === 'look') entries.push(['seq.quick', '1']);
  else if (view.quick) entries.push(['seq.quick', `${formatNumber(view.quick.stepFactor)}:${formatNumber(view.quick.sftSteps)}`]);
  const hidden = hiddenSequenceRuns(view);
  if (hidden.length) entries.push(['seq.hidden', hidden.map((run) => run.index).join(',')]);
  return entries;
}

function compactSequences(view: SequencesUrlView): Record<string, unknown> {
  const compact: Record<string, unknown> = { preset: view.preset };
  if (view.seed !== sequencesPresetSeed(view.preset)) compact.seed = view.seed;
  if (view.quick) compact.quick = view.quick === 'look' ? true : view.quick;
  const hidden = hiddenSequenceRuns(view);
  if (hidden.length) compact.hidden = hidden.map((run) => run.name);
  return compact;
}

/** JSON that keeps -0 (JSON.stringify writes it as 0) */
function toJson(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? formatNumber(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (isRecord(value)) {
    const fields = Object.keys(value).filter((k) => value[k] !== undefined);
    return `{${fields.map((k) => `${JSON.stringify(k)}:${toJson(value[k])}`).join(',')}}`;
  }
  return 'null';
}

function compactQuery(config: ExperimentConfig, view: UrlView, preset: string | null): string {
  const payload: Record<string, unknown> = {};
  if (preset) {
    payload.preset = preset;
    if (config.edits.length) payload.config = { edits: config.edits };
  } else {
    const compactConfig: Record<string, unknown> = {};
    if (config.name !== undefined) compactConfig.name = config.name;
    if (config.seed !== BUILT_IN.seed) compactConfig.seed = config.seed;
    if (!sameData(config.reference, BUILT_IN.reference)) compactConfig.reference = config.reference;
    if (!sameData(config.reward, BUILT_IN.reward)) compactConfig.reward = config.reward;
    if (config.peakHalfWidth !== BUILT_IN.peakHalfWidth) compactConfig.peakHalfWidth = config.peakHalfWidth;
    if (Object.values(config.defaults).some((v) => v !== undefined)) compactConfig.defaults = config.defaults;
    compactConfig.runs = config.runs;
    if (config.edits.length) compactConfig.edits = config.edits;
    payload.config = compactConfig;
  }
  const names = new Set(config.runs.map((r) => r.name));
  const compactView: Record<string, unknown> = {};
  if (view.page !== DEFAULT_VIEW.page) compactView.page = view.page;
  if (view.at !== DEFAULT_VIEW.at) compactView.at = view.at;
  if (view.speed !== DEFAULT_VIEW.speed) compactView.speed = view.speed;
  const hidden = [...new Set(view.hidden.filter((n) => names.has(n)))];
  if (hidden.length) compactView.hidden = hidden;
  if (view.epochRun !== null && names.has(view.epochRun)) compactView.epochRun = view.epochRun;
  if (view.hide.length) compactView.hide = [...new Set(view.hide)];
  if (view.present) compactView.present = true;
  if (view.backend !== null) compactView.backend = view.backend;
  if (view.mlp) compactView.mlp = true;
  if (view.sequences) compactView.sequences = compactSequences(view.sequences);
  if (Object.keys(compactView).length) payload.view = compactView;
  return toQuery([
    ['v', String(URL_VERSION)],
    ['z', LZString.compressToEncodedURIComponent(toJson(payload))],
  ]);
}

/** config (+ view) → query string WITHOUT the leading '?'. If `preset` is given and the config minus its edits equals that preset's parsed config, writes `preset=<name>` plus the edits instead of every field. */
export function encodeExperimentUrl(config: ExperimentConfig, view: Partial<UrlView> = {}, options: { preset?: string | null } = {}): string {
  const shownView = fullView(view);
  const preset = options.preset && isPresetWithEdits(config, options.preset) ? options.preset : null;
  const readable = readableQuery(config, shownView, preset);
  if (readable.length <= READABLE_LIMIT) return readable;
  const compact = compactQuery(config, shownView, preset);
  return compact.length < readable.length ? compact : readable;
}

/** true when the string looks like a lab URL or query rather than a file path (used by the CLI) */
export function looksLikeExperimentUrl(input: string): boolean {
  const text = input.trim();
  if (/^https?:\/\//i.test(text)) return text.includes('?');
  if (text.startsWith('?')) return true;
  const end = text.search(/[=&]/);
  if (end <= 0) return false;
  return meaningOf(text.slice(0, end)).kind !== 'unknown';
}
