/**
 * A number set by a slider or by typing (committed with Enter or on leaving the field; Escape restores the
 * value). Typed values outside [min, max] or not numbers are refused with a message.
 */
import { useId, useState } from 'react';

interface NumberSliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(value: number): void;
  /** how the field shows the value */
  format?(value: number): string;
}

export function NumberSlider({ label, value, min, max, step, onChange, format = (v) => String(v) }: NumberSliderProps) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function commit() {
    if (draft === null) return;
    const parsed = Number(draft.trim());
    if (draft.trim() === '' || !Number.isFinite(parsed)) {
      setError(`Type a number from ${min} to ${max}.`);
      return;
    }
    if (parsed < min || parsed > max) {
      setError(`${label} must lie between ${min} and ${max} (got ${parsed}).`);
      return;
    }
    setError(null);
    setDraft(null);
    onChange(parsed);
  }

  return (
    <div className="number-slider">
      <label htmlFor={`${id}-field`}>{label}</label>
      <input
        type="range"
        aria-label={`${label} slider`}
        min={min}
        max={max}
        step={step}
        value={Math.min(max, Math.max(min, value))}
        onChange={(event) => {
          setDraft(null);
          setError(null);
          onChange(Number(event.target.value));
        }}
      />
      <input
        id={`${id}-field`}
        type="text"
        inputMode="decimal"
        className="number-field"
        value={draft ?? format(value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
          if (event.key === 'Escape') {
            setDraft(null);
            setError(null);
          }
        }}
      />
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
