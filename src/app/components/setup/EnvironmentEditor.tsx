/**
 * The "Reward & reference" section of the setup panel. It edits a draft of π_ref, the reward and the peak
 * window, validates it with the experiment schema, and hands it to `onApply` only when the user presses
 * Apply (the parent confirms, because a new environment restarts every run).
 */
import { useId, useMemo, useState, type JSX, type ReactNode } from 'react';
import { MAX_BINS, parseExperimentConfig, type ConfigError, type ExperimentConfig } from '../../../lab/config/experiment.ts';
import { cauchyTanhReference, customReference, OFFICIAL_HISTOGRAM_DRAWS, sampledCauchyTanhReference } from '../../../lab/reference.ts';
import { argmax, gaussianReward, OFFICIAL_REWARDS } from '../../../lab/rewards.ts';
import { BarEditor, formatValue } from './BarEditor.tsx';
import { parseValues } from './parse-values.ts';
import './environment-editor.css';

export interface EnvironmentSetup {
  reference: ExperimentConfig['reference'];
  reward: ExperimentConfig['reward'];
  peakHalfWidth: number;
}

export interface EnvironmentEditorProps {
  /** what the lab currently runs */
  value: EnvironmentSetup;
  /** the experiment seed, which the sampled reference histogram depends on */
  seed: number;
  /** the parent confirms the reset and applies it */
  onApply: (next: EnvironmentSetup) => void;
}

/** The draft as the user typed it: number fields keep their text, so invalid input is never coerced. */
interface Draft {
  referenceKind: ExperimentConfig['reference']['kind'];
  bins: string;
  draws: string;
  referenceValues: number[];
  rewardKind: ExperimentConfig['reward']['kind'];
  centre: string;
  width: string;
  rewardValues: number[];
  peakHalfWidth: string;
}

const REFERENCE_CHOICES: Array<{ kind: ExperimentConfig['reference']['kind']; title: string; note: string }> = [
  { kind: 'cauchy-tanh', title: 'Analytic tanh-Cauchy', note: 'exact bin probabilities of tanh(Cauchy(−0.7, 0.4))' },
  {
    kind: 'sampled',
    title: 'Sampled histogram, as the official code',
    note: 'a histogram of draws from the same distribution, seeded by the experiment seed',
  },
  { kind: 'custom', title: 'Custom (drawn or pasted)', note: 'any positive weights, one per bin' },
];

/** A drawn π_ref bin never goes below this fraction of the tallest bin. */
const REFERENCE_FLOOR = 1e-4;

function draftOf(setup: EnvironmentSetup): Draft {
  const { reference: ref, reward } = setup;
  return {
    referenceKind: ref.kind,
    bins: String(ref.kind === 'custom' ? ref.values.length : ref.bins),
    draws: String(ref.kind === 'sampled' ? ref.draws : OFFICIAL_HISTOGRAM_DRAWS),
    referenceValues: ref.kind === 'custom' ? [...ref.values] : [],
    rewardKind: reward.kind,
    centre: String(reward.kind === 'gaussian' ? reward.centre : OFFICIAL_REWARDS[4].centre),
    width: String(reward.kind === 'gaussian' ? reward.width : OFFICIAL_REWARDS[4].width),
    rewardValues: reward.kind === 'custom' ? [...reward.values] : [],
    peakHalfWidth: String(setup.peakHalfWidth),
  };
}

function numberOf(text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function setupKey(s: EnvironmentSetup): string {
  const ref = s.reference;
  const reward = s.reward;
  return JSON.stringify([
    ref.kind,
    ref.kind === 'custom' ? ref.values : ref.bins,
    ref.kind === 'sampled' ? ref.draws : null,
    reward.kind,
    reward.kind === 'custom' ? reward.values : [reward.centre, reward.width],
    s.peakHalfWidth,
  ]);
}

export function sameSetup(a: EnvironmentSetup, b: EnvironmentSetup): boolean {
  return setupKey(a) === setupKey(b);
}

interface Checked {
  /** null while a number field does not hold a number */
  setup: EnvironmentSetup | null;
  errors: ConfigError[];
}

/** Validates the draft with the experiment schema, as part of a one-run config with the lab's seed. */
function check(draft: Draft, seed: number): Checked {
  const errors: ConfigError[] = [];
  const num = (path: string, text: string): number => {
    const n = numberOf(text);
    if (n === null) errors.push({ path, message: 'must be a number' });
    return n ?? Number.NaN;
  };
  const reference: EnvironmentSetup['reference'] =
    draft.referenceKind === 'custom'
      ? { kind: 'custom', values: draft.referenceValues }
      : draft.referenceKind === 'sampled'
        ? { kind: 'sampled', bins: num('reference.bins', draft.bins), draws: num('reference.draws', draft.draws) }
        : { kind: 'cauchy-tanh', bins: num('reference.bins', draft.bins) };
  const reward: EnvironmentSetup['reward'] =
    draft.rewardKind === 'custom'
      ? { kind: 'custom', values: draft.rewardValues }
      : { kind: 'gaussian', centre: num('reward.centre', draft.centre), width: num('reward.width', draft.width) };
  const setup = { reference, reward, peakHalfWidth: num('peakHalfWidth', draft.peakHalfWidth) };
  const notNumbers = new Set(errors.map((e) => e.path));
  const result = parseExperimentConfig({ ...setup, seed, runs: [{ name: 'check', objective: 'reinforce' }] });
  if (!result.ok) {
    for (const e of result.errors) {
      if (/^(reference|reward|peakHalfWidth)([.[]|$)/.test(e.path) && !notNumbers.has(e.path)) errors.push(e);
    }
  }
  return { setup: notNumbers.size ? null : setup, errors };
}

const validBins = (n: number | null): n is number => n !== null && Number.isInteger(n) && n >= 2 && n <= MAX_BINS;

/** The draft's π_ref (normalised) and reward tables, where the fields allow computing them. */
function draftTables(draft: Draft, seed: number): { reference: number[] | null; reward: number[] | null } {
  const bins = numberOf(draft.bins);
  const draws = numberOf(draft.draws);
  let reference: number[] | null = null;
  if (draft.referenceKind === 'custom') {
    const probs = Array.from(customReference(draft.referenceValues));
    reference = probs.every(Number.isFinite) ? probs : null;
  } else if (validBins(bins)) {
    if (draft.referenceKind === 'cauchy-tanh') reference = Array.from(cauchyTanhReference(bins));
    else if (draws !== null && Number.isInteger(draws) && draws >= 1 && draws <= 10_000_000) {
      reference = Array.from(sampledCauchyTanhReference(seed, bins, draws));
    }
  }
  let reward: number[] | null = null;
  if (draft.rewardKind === 'custom') reward = draft.rewardValues;
  else if (reference) {
    const centre = numberOf(draft.centre);
    const width = numberOf(draft.width);
    if (centre !== null && width !== null && width > 0) reward = Array.from(gaussianReward(reference.length, centre, width));
  }
  return { reference, reward };
}

/** Linear interpolation of a table onto `bins` bins. */
function resample(values: readonly number[], bins: number): number[] {
  return Array.from({ length: bins }, (_, i) => {
    const x = bins === 1 ? 0 : (i * (values.length - 1)) / (bins - 1);
    const a = Math.floor(x);
    const b = Math.min(values.length - 1, a + 1);
    return values[a] + (x - a) * (values[b] - values[a]);
  });
}

function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (const v of values) m = Math.max(m, v);
  return m;
}

/** Sorts errors to the control they belong to: a known field, else `reward` / `reference`. */
const FIELDS = ['reward.centre', 'reward.width', 'reward.values', 'reference.bins', 'reference.draws', 'reference.values', 'peakHalfWidth'];

function groupErrors(errors: ConfigError[]): (field: string) => ConfigError[] {
  const groups = new Map<string, ConfigError[]>();
  for (const e of errors) {
    const field = FIELDS.find((f) => e.path === f || e.path.startsWith(`${f}[`) || e.path.startsWith(`${f}.`)) ?? e.path.split(/[.[]/)[0];
    groups.set(field, [...(groups.get(field) ?? []), e]);
  }
  return (field) => groups.get(field) ?? [];
}

function FieldErrors({ id, field, errors }: { id: string; field: string; errors: ConfigError[] }) {
  if (!errors.length) return null;
  return (
    <div id={id} role="alert" className="env-errors">
      {errors.map((e, i) => (
        <p key={i} className="env-error">
          <span aria-hidden="true">⚠ </span>
          {e.path === field ? e.message : `${e.path}: ${e.message}`}
        </p>
      ))}
    </div>
  );
}

interface NumberFieldProps {
  label: string;
  value: string;
  onChange: (text: string) => void;
  field: string;
  errors: ConfigError[];
  hint?: string;
}

/** A text input for a number: it keeps whatever the user typed, and shows the schema's message beside it. */
function NumberField({ label, value, onChange, field, errors, hint }: NumberFieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="env-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={described || undefined}
      />
      {hint && (
        <span id={`${id}-hint`} className="env-hint">
          {hint}
        </span>
      )}
      <FieldErrors id={`${id}-error`} field={field} errors={errors} />
    </div>
  );
}

interface CustomValuesProps {
  /** how the pasted table is named: "π_ref" or "the reward table" */
  what: string;
  label: string;
  values: number[];
  onChange: (values: number[]) => void;
  /** π_ref: every bin must stay strictly positive */
  positive: boolean;
  field: string;
  errors: ConfigError[];
  children?: ReactNode;
}

/** A custom table: drawn with the BarEditor or pasted. */
function CustomValues({ what, label, values, onChange, positive, field, errors, children }: CustomValuesProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [pasteError, setPasteError] = useState<string | null>(null);

  function takePasted() {
    const parsed = parseValues(text);
    if (!parsed.ok) return setPasteError(parsed.error);
    const bad = positive ? parsed.values.findIndex((v) => v <= 0) : -1;
    if (bad >= 0) {
      return setPasteError(
        `value ${bad + 1} (bin ${bad}) is ${parsed.values[bad]}: every bin of π_ref needs a positive probability`,
      );
    }
    setPasteError(null);
    onChange(parsed.values);
  }

  return (
    <div className="env-custom">
      <BarEditor values={values} onChange={onChange} label={label} floor={positive ? maxOf(values) * REFERENCE_FLOOR : undefined} />
      {children}
      <FieldErrors id={`${id}-errors`} field={field} errors={errors} />
      <div className="env-paste">
        <label htmlFor={`${id}-paste`}>Paste values for {what}</label>
        <textarea
          id={`${id}-paste`}
          rows={3}
          value={text}
          placeholder="[0.1, 0.2, …] or numbers separated by commas, spaces or new lines"
          onChange={(e) => setText(e.target.value)}
          aria-invalid={pasteError ? true : undefined}
          aria-describedby={pasteError ? `${id}-paste-error` : undefined}
        />
        <button type="button" onClick={takePasted}>
          Use these values
        </button>
        {pasteError && (
          <p id={`${id}-paste-error`} role="alert" className="env-error">
            <span aria-hidden="true">⚠ </span>
            {pasteError}
          </p>
        )}
      </div>
    </div>
  );
}

/** A read-only picture of the draft: π_ref as bars, the reward as a dashed line, the peak window shaded. */
function DraftPreview({ reference, reward, halfWidth }: { reference: number[]; reward: number[] | null; halfWidth: number | null }) {
  const W = 600;
  const H = 120;
  const K = reference.length;
  const top = maxOf(reference) * 1.05 || 1;
  const x = (a: number) => (a / K) * W;
  const line = reward && reward.length === K ? reward : null;
  let path = '';
  let peakWindow: [number, number] | null = null;
  if (line) {
    const lo = Math.min(0, ...line);
    const span = maxOf(line) - lo || 1;
    path = line.map((r, a) => `${a === 0 ? 'M' : 'L'}${x(a + 0.5)},${H - ((r - lo) / span) * H}`).join('');
    const peak = argmax(line);
    if (halfWidth !== null && Number.isInteger(halfWidth) && halfWidth >= 0) peakWindow = [Math.max(0, peak - halfWidth), Math.min(K - 1, peak + halfWidth)];
  }
  const description = `Preview of the draft: π_ref over ${K} bins (bars)${line ? ' and the reward (dashed line)' : ''}${
    peakWindow ? `; the peak window is bins ${peakWindow[0]} to ${peakWindow[1]}` : ''
  }.`;
  return (
    <figure className="env-preview">
      {/* the caption describes the picture in words, so the drawing itself is hidden from screen readers */}
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true">
        {peakWindow && <rect className="env-preview-window" x={x(peakWindow[0])} y={0} width={x(peakWindow[1] + 1) - x(peakWindow[0])} height={H} />}
        {reference.map((p, a) => (
          <rect key={a} className="env-preview-bar" x={x(a)} y={H - (p / top) * H} width={Math.max(0.3, (W / K) * 0.85)} height={(p / top) * H} />
        ))}
        {line && <path className="env-preview-reward" d={path} />}
      </svg>
      <figcaption>{description}</figcaption>
    </figure>
  );
}

export function EnvironmentEditor({ value, seed, onApply }: EnvironmentEditorProps): JSX.Element {
  const name = useId();
  const [draft, setDraft] = useState(() => draftOf(value));
  const [shownValue, setShownValue] = useState(value);
  // bumped by Discard, so the paste boxes forget their text too
  const [revision, setRevision] = useState(0);
  const checked = useMemo(() => check(draft, seed), [draft, seed]);
  const tables = useMemo(() => draftTables(draft, seed), [draft, seed]);

  // a new `value` replaces the draft unless the user has started editing it
  if (value !== shownValue) {
    setShownValue(value);
    if (checked.setup && sameSetup(checked.setup, shownValue)) setDraft(draftOf(value));
  }

  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const errorsFor = groupErrors(checked.errors);
  const dirty = !checked.setup || !sameSetup(checked.setup, value);
  const canApply = dirty && checked.setup !== null && checked.errors.length === 0;

  const K = draft.referenceKind === 'custom' ? draft.referenceValues.length : numberOf(draft.bins);
  const centre = numberOf(draft.centre);
  const width = numberOf(draft.width);
  const official = Object.entries(OFFICIAL_REWARDS).find(([, r]) => r.centre === centre && r.width === width)?.[0];
  const rewardChoice = draft.rewardKind === 'custom' ? 'custom' : official ? `official-${official}` : 'gaussian';

  function chooseCustomReward() {
    const table = tables.reward ?? Array.from(gaussianReward(validBins(K) ? K : 100, 70, 10));
    update({ rewardKind: 'custom', rewardValues: table });
  }

  function chooseCustomReference() {
    const probs = tables.reference ?? Array.from(cauchyTanhReference(validBins(K) ? K : 100));
    const floor = maxOf(probs) * REFERENCE_FLOOR;
    update({ referenceKind: 'custom', referenceValues: probs.map((p) => Math.max(p, floor)) });
  }

  function discard() {
    setDraft(draftOf(value));
    setRevision((r) => r + 1);
  }

  const referenceSum = draft.referenceValues.reduce((s, v) => s + v, 0);
  const rewardLengthWrong = draft.rewardKind === 'custom' && validBins(K) && draft.rewardValues.length !== K;

  return (
    <section className="env-editor" aria-labelledby={`${name}-title`}>
      <h4 id={`${name}-title`} className="visually-hidden">Reward &amp; reference</h4>
      {tables.reference ? (
        <DraftPreview reference={tables.reference} reward={tables.reward} halfWidth={numberOf(draft.peakHalfWidth)} />
      ) : (
        <p className="env-hint">The preview returns once π_ref&apos;s settings are valid.</p>
      )}

      <fieldset className="env-group">
        <legend>Reward</legend>
        <div className="env-choices">
          {Object.entries(OFFICIAL_REWARDS).map(([id, r]) => (
            <label key={id} className="env-choice">
              <input
                type="radio"
                name={`${name}-reward`}
                value={`official-${id}`}
                checked={rewardChoice === `official-${id}`}
                onChange={() => update({ rewardKind: 'gaussian', centre: String(r.centre), width: String(r.width) })}
              />
              <span>
                <strong>{r.label}</strong> — {r.note} (centre {r.centre}, width {r.width})
              </span>
            </label>
          ))}
          <label className="env-choice">
            <input
              type="radio"
              name={`${name}-reward`}
              value="gaussian"
              checked={rewardChoice === 'gaussian'}
              onChange={() => update({ rewardKind: 'gaussian' })}
            />
            <span>
              <strong>Gaussian bump</strong> — r(a) = exp(−((a − centre)/width)²), any centre and width
            </span>
          </label>
          <label className="env-choice">
            <input type="radio" name={`${name}-reward`} value="custom" checked={rewardChoice === 'custom'} onChange={chooseCustomReward} />
            <span>
              <strong>Custom table</strong> — one reward per bin, drawn or pasted
            </span>
          </label>
        </div>
        {draft.rewardKind === 'gaussian' ? (
          <div className="env-fields">
            <NumberField label="Centre (bin)" value={draft.centre} onChange={(t) => update({ centre: t })} field="reward.centre" errors={errorsFor('reward.centre')} />
            <NumberField label="Width (bins)" value={draft.width} onChange={(t) => update({ width: t })} field="reward.width" errors={errorsFor('reward.width')} />
          </div>
        ) : (
          <CustomValues
            key={revision}
            what="the reward table"
            label="Reward per bin"
            values={draft.rewardValues}
            onChange={(values) => update({ rewardValues: values })}
            positive={false}
            field="reward.values"
            errors={errorsFor('reward.values')}
          >
            {rewardLengthWrong && (
              <p className="env-hint env-warning">
                π_ref now has {K} bins but the reward table has {draft.rewardValues.length} values: draw or paste a table of {K} values,
                or{' '}
                <button type="button" onClick={() => update({ rewardValues: resample(draft.rewardValues, K) })}>
                  stretch the table to {K} bins
                </button>
              </p>
            )}
          </CustomValues>
        )}
        <FieldErrors id={`${name}-reward-errors`} field="reward" errors={errorsFor('reward')} />
      </fieldset>

      <fieldset className="env-group">
        <legend>Reference policy π_ref</legend>
        <div className="env-choices">
          {REFERENCE_CHOICES.map((choice) => (
            <label key={choice.kind} className="env-choice">
              <input
                type="radio"
                name={`${name}-reference`}
                value={choice.kind}
                checked={draft.referenceKind === choice.kind}
                onChange={() => (choice.kind === 'custom' ? chooseCustomReference() : update({ referenceKind: choice.kind }))}
              />
              <span>
                <strong>{choice.title}</strong> — {choice.kind === 'sampled' ? `${choice.note} (${seed})` : choice.note}
              </span>
            </label>
          ))}
        </div>
        {draft.referenceKind === 'custom' ? (
          <CustomValues
            key={revision}
            what="π_ref"
            label="π_ref weight per bin"
            values={draft.referenceValues}
            onChange={(values) => update({ referenceValues: values })}
            positive
            field="reference.values"
            errors={errorsFor('reference.values')}
          >
            <p className="env-hint">
              {draft.referenceValues.length} bins; the weights sum to {formatValue(referenceSum)}. π_ref is normalised, so they need
              not sum to 1. Drawn bins stay at or above {REFERENCE_FLOOR} of the tallest bin: every bin of π_ref needs a positive
              probability.
            </p>
          </CustomValues>
        ) : (
          <div className="env-fields">
            <NumberField label="Bins (K)" value={draft.bins} onChange={(t) => update({ bins: t })} field="reference.bins" errors={errorsFor('reference.bins')} />
            {draft.referenceKind === 'sampled' && (
              <NumberField label="Draws" value={draft.draws} onChange={(t) => update({ draws: t })} field="reference.draws" errors={errorsFor('reference.draws')} />
            )}
          </div>
        )}
        <FieldErrors id={`${name}-reference-errors`} field="reference" errors={errorsFor('reference')} />
      </fieldset>

      <div className="env-fields">
        <NumberField
          label="Peak window half-width"
          value={draft.peakHalfWidth}
          onChange={(t) => update({ peakHalfWidth: t })}
          field="peakHalfWidth"
          errors={errorsFor('peakHalfWidth')}
          hint="peak mass is the probability within this many bins of the reward's peak"
        />
      </div>

      <div className="env-actions">
        <p className="env-note" id={`${name}-note`}>
          Changing the reward or the reference restarts every run from the same initialisation.
        </p>
        {dirty && checked.errors.length > 0 && (
          <p className="env-hint">
            Fix the {checked.errors.length === 1 ? 'problem' : `${checked.errors.length} problems`} shown above to apply.
          </p>
        )}
        <button
          type="button"
          className="env-apply"
          disabled={!canApply}
          aria-describedby={`${name}-note`}
          onClick={() => checked.setup && onApply(checked.setup)}
        >
          Apply (resets all runs)
        </button>
        <button type="button" disabled={!dirty} onClick={discard}>
          Discard
        </button>
      </div>
    </section>
  );
}
