/**
 * Edits a small categorical distribution (Demo A's p₀ or q) so that it stays one: drag a bar to set it, or
 * type a bin's value (Enter or leaving the field commits; ↑ ↓ nudge by 0.01, Shift by 0.1). Either way the
 * other bins are rescaled in proportion, so the values stay non-negative and sum to 1 (`setBinValue`).
 * A distribution the bench cannot use (a zero) gets its message (`distributionProblem`) as an alert.
 */
import { useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { distributionProblem, parseProbability, setBinValue, type DistributionRole } from './distribution-edit.ts';

interface DistributionEditorProps {
  /** "p₀" or "q" */
  symbol: string;
  title: string;
  role: DistributionRole;
  values: number[];
  colour: string;
  onChange(values: number[]): void;
}

const W = 240;
const H = 110;
const TOP = 14;

export function DistributionEditor({ symbol, title, role, values, colour, onChange }: DistributionEditorProps) {
  const id = useId();
  const [drafts, setDrafts] = useState<Record<number, string>>({});
  const [errors, setErrors] = useState<Record<number, string>>({});
  const dragging = useRef(false);
  const K = values.length;
  const slot = W / K;
  const problem = distributionProblem(values, role);

  function setDraft(bin: number, text: string | null) {
    setDrafts((current) => {
      const next = { ...current };
      if (text === null) delete next[bin];
      else next[bin] = text;
      return next;
    });
  }

  function setError(bin: number, message: string | null) {
    setErrors((current) => {
      const next = { ...current };
      if (message === null) delete next[bin];
      else next[bin] = message;
      return next;
    });
  }

  function apply(bin: number, value: number) {
    setError(bin, null);
    setDraft(bin, null);
    onChange(setBinValue(values, bin, value));
  }

  function commit(bin: number) {
    const draft = drafts[bin];
    if (draft === undefined) return;
    const parsed = parseProbability(draft);
    if ('error' in parsed) setError(bin, parsed.error);
    else apply(bin, parsed.value);
  }

  function onFieldKey(event: KeyboardEvent<HTMLInputElement>, bin: number) {
    const nudge = event.shiftKey ? 0.1 : 0.01;
    if (event.key === 'Enter') commit(bin);
    else if (event.key === 'Escape') {
      setDraft(bin, null);
      setError(bin, null);
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      const base = values[bin];
      apply(bin, Math.round((base + (event.key === 'ArrowUp' ? nudge : -nudge)) * 1000) / 1000);
    }
  }

  function pointAt(event: PointerEvent<SVGSVGElement>): { bin: number; value: number } {
    const box = event.currentTarget.getBoundingClientRect();
    const fx = box.width > 0 ? (event.clientX - box.left) / box.width : 0;
    const fy = box.height > 0 ? ((event.clientY - box.top) / box.height) * H : 0;
    const bin = Math.max(0, Math.min(K - 1, Math.floor(fx * K)));
    // the drawing area runs from y = TOP (value 1) to y = H (value 0)
    const value = Math.max(0, Math.min(1, (H - fy) / (H - TOP)));
    return { bin, value: Math.round(value * 1000) / 1000 };
  }

  function onPointerDown(event: PointerEvent<SVGSVGElement>) {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    dragging.current = true;
    const { bin, value } = pointAt(event);
    apply(bin, value);
  }

  function onPointerMove(event: PointerEvent<SVGSVGElement>) {
    if (!dragging.current) return;
    const { bin, value } = pointAt(event);
    apply(bin, value);
  }

  function endDrag(event: PointerEvent<SVGSVGElement>) {
    dragging.current = false;
    if (event.currentTarget.hasPointerCapture?.(event.pointerId)) event.currentTarget.releasePointerCapture(event.pointerId);
  }

  const y = (v: number) => H - v * (H - TOP);
  return (
    <fieldset className="distribution-editor" data-distribution={role} aria-describedby={problem ? `${id}-problem` : undefined}>
      <legend>
        {symbol} — {title}
      </legend>
      {/* the fields below give the same control to keyboards and screen readers */}
      <svg
        className="distribution-drag"
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        aria-hidden="true"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
      >
        <line className="distribution-grid" x1={0} x2={W} y1={y(0.5)} y2={y(0.5)} />
        {values.map((v, bin) => (
          <g key={bin}>
            <rect className="distribution-hit" x={bin * slot} y={0} width={slot} height={H} />
            <rect data-bin={bin} x={bin * slot + slot * 0.15} y={y(v)} width={slot * 0.7} height={H - y(v)} fill={v > 0 ? colour : 'none'} />
          </g>
        ))}
        <line className="distribution-baseline" x1={0} x2={W} y1={H - 0.5} y2={H - 0.5} />
      </svg>
      <div className="distribution-fields">
        {values.map((v, bin) => (
          <div key={bin} className="distribution-field">
            <label htmlFor={`${id}-bin${bin}`}>
              {symbol}
              <sub>{bin}</sub>
            </label>
            <input
              id={`${id}-bin${bin}`}
              type="text"
              inputMode="decimal"
              data-bin={bin}
              value={drafts[bin] ?? v.toFixed(3)}
              aria-invalid={errors[bin] || v <= 0 ? true : undefined}
              aria-describedby={errors[bin] ? `${id}-error${bin}` : undefined}
              onChange={(event) => setDraft(bin, event.target.value)}
              onBlur={() => commit(bin)}
              onKeyDown={(event) => onFieldKey(event, bin)}
            />
            {errors[bin] && (
              <span id={`${id}-error${bin}`} className="field-error">
                {errors[bin]}
              </span>
            )}
          </div>
        ))}
      </div>
      <p className="note distribution-hint">Drag a bar or type a value: the other bins rescale so the total stays 1.</p>
      {problem && (
        <p id={`${id}-problem`} className="distribution-problem" role="alert">
          {problem}
        </p>
      )}
    </fieldset>
  );
}
