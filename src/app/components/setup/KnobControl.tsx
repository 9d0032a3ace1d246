/**
 * One control generated from a knob of the settings table: a text field for numbers, a select for
 * choices, a checkbox for booleans. A number is checked against the knob's schema as it is typed and
 * committed on Enter or when the field loses focus; a refused value keeps the user's text and shows
 * the schema's message beside the field. Live knobs and knobs that restart the runs are marked as such.
 */
import { useEffect, useId, useState } from 'react';
import type { ConfigError } from '../../../lab/config/experiment.ts';
import { knobSchema, RUN_KNOBS, type Knob, type RunKnobKey } from '../../../lab/config/settings.ts';
import { useLab, useLabStore } from '../../lab-context.tsx';
import { KnobBadge } from './KnobBadge.tsx';
import { positionOf, SLIDER_STEPS, valueAt } from './slider-scale.ts';

export interface KnobControlProps {
  knobKey: RunKnobKey;
  /** the value shown (undefined: unset, e.g. M = S) */
  value: unknown;
  /** shown when the value is unset or differs between runs */
  placeholder?: string;
  /** apply a new value; returns the problems it caused, shown beside the control */
  onCommit: (value: unknown) => ConfigError[];
  /** e.g. "used by IPO, DPO" */
  context?: string;
  /** an extra action next to the control (e.g. dropping a run's override) */
  onRemove?: () => void;
  removeLabel?: string;
}

function format(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export function KnobControl({ knobKey, value, placeholder, onCommit, context, onRemove, removeLabel }: KnobControlProps) {
  const knob: Knob = RUN_KNOBS[knobKey];
  const id = useId();
  const [draft, setDraft] = useState(format(value));
  const [editing, setEditing] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);

  const store = useLabStore();
  const pending = useLab((s) => s.pending);
  const refused = errors.length > 0;

  // follow the value from outside (a live change, a replay, a cancelled restart) unless the user is
  // typing, is being asked whether to restart with the typed value, or should see what was refused
  useEffect(() => {
    if (!editing && pending === null && !refused) setDraft(format(value));
  }, [value, editing, pending, refused]);

  const commit = (next: unknown) => {
    const problems = onCommit(next);
    setErrors(problems.map((p) => p.message));
    return problems.length === 0;
  };

  const validateNumber = (text: string): { ok: true; value: number | undefined } | { ok: false; message: string } => {
    if (text.trim() === '') {
      return knob.default === undefined ? { ok: true, value: undefined } : { ok: false, message: `${knob.label} needs a value` };
    }
    const number = Number(text);
    if (!Number.isFinite(number)) return { ok: false, message: `${knob.label} must be a number (got "${text.slice(0, 24)}")` };
    const parsed = knobSchema(knob).safeParse(number);
    return parsed.success ? { ok: true, value: number } : { ok: false, message: `${knob.label} ${parsed.error.issues[0].message}` };
  };

  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const badge = <KnobBadge live={knob.live} />;

  let control;
  if (knob.kind === 'number') {
    const submit = () => {
      // the restart dialog takes the focus: that blur must not submit the same value a second time
      if (store.getState().pending) return;
      if (draft === format(value)) return setErrors([]);
      const checked = validateNumber(draft);
      if (!checked.ok) return setErrors([checked.message]);
      if (!commit(checked.value)) return;
    };
    control = (
      <input
        id={id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={draft}
        placeholder={placeholder}
        aria-invalid={errors.length > 0}
        aria-describedby={`${errors.length ? errorId : ''} ${helpId}`.trim()}
        onFocus={() => setEditing(true)}
        onChange={(e) => {
          setDraft(e.target.value);
          const checked = validateNumber(e.target.value);
          setErrors(checked.ok ? [] : [checked.message]);
        }}
        onBlur={() => {
          setEditing(false);
          submit();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            // without this, the same Enter would press the button that a restart dialog focuses
            e.preventDefault();
            submit();
          }
          if (e.key === 'Escape') {
            setDraft(format(value));
            setErrors([]);
          }
        }}
      />
    );
    if (knob.slider) {
      const shown = Number(draft);
      const slider = knob;
      control = (
        <div className="knob-number">
          {control}
          <input
            type="range"
            className="knob-slider"
            min={0}
            max={SLIDER_STEPS}
            value={positionOf(slider, Number.isFinite(shown) && draft !== '' ? shown : Number(value))}
            aria-label={`${knob.label} slider`}
            aria-valuetext={draft}
            onChange={(e) => {
              const next = valueAt(slider, Number(e.target.value));
              setDraft(String(next));
              setErrors([]);
            }}
            // commit when the slider is let go, not at every pixel of the drag
            onPointerUp={submit}
            onKeyUp={submit}
            onBlur={submit}
          />
        </div>
      );
    }
  } else if (knob.kind === 'choice') {
    control = (
      <select id={id} value={format(value)} aria-describedby={`${errors.length ? errorId : ''} ${helpId}`.trim()} aria-invalid={errors.length > 0} onChange={(e) => commit(e.target.value)}>
        {value === undefined && <option value="">{placeholder ?? '—'}</option>}
        {knob.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    control = <input id={id} type="checkbox" checked={value === true} aria-describedby={`${errors.length ? errorId : ''} ${helpId}`.trim()} onChange={(e) => commit(e.target.checked)} />;
  }

  return (
    <div className={`knob knob-${knob.kind}${errors.length ? ' has-error' : ''}`} data-knob={knobKey}>
      <div className="knob-head">
        <label htmlFor={id}>{knob.label}</label>
        {badge}
        {onRemove && (
          <button type="button" className="link-button" onClick={onRemove}>
            {removeLabel ?? 'remove'}
          </button>
        )}
      </div>
      {control}
      {errors.length > 0 && (
        <p id={errorId} className="knob-error" role="alert">
          {errors.join(' ')}
        </p>
      )}
      <p id={helpId} className="knob-help">
        {context ? <em>{context}. </em> : null}
        {knob.help}
      </p>
    </div>
  );
}
