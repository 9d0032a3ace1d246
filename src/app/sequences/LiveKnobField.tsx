/**
 * One of a run's live knobs (learning rate, DPO β, IPO margin, …), changed from the run's next gradient step:
 * Enter or "Set" applies the typed value; a value out of the knob's range is refused with the store's message
 * (the knob's name and range), kept beside the field until it is corrected.
 */
import { useId, useState, type FormEvent } from 'react';
import { liveKnobLabel, type NeuralLiveKey } from '../../worker/neural/protocol.ts';
import { knobNameInSentence } from './live-edit-text.ts';
import { useSequences } from './sequences-context.tsx';

export function LiveKnobField({ runName, knob, value, disabled }: { runName: string; knob: NeuralLiveKey; value: number | undefined; disabled: boolean }) {
  const setLive = useSequences((s) => s.setLive);
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const label = liveKnobLabel(knob);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (draft === null) return;
    const text = draft.trim();
    const value = Number(text);
    const why =
      text === '' ? `${label} needs a value` : Number.isNaN(value) ? `${label} must be a number (got "${text.slice(0, 24)}")` : setLive(runName, knob, value);
    setProblem(why);
    if (!why) setDraft(null);
  };

  return (
    <form className="live-knob" data-knob={knob} onSubmit={apply}>
      <label htmlFor={`${id}-input`}>
        {label}
        <span className="visually-hidden"> of {runName}</span>
      </label>
      <input
        id={`${id}-input`}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={draft ?? (value === undefined ? '' : String(value))}
        disabled={disabled}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => {
          if (draft === null) setProblem(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setDraft(null);
            setProblem(null);
          }
        }}
      />
      <button type="submit" disabled={disabled || draft === null} aria-label={`Set the ${knobNameInSentence(knob)} of ${runName}`}>
        Set
      </button>
      {problem && (
        <p id={`${id}-problem`} className="knob-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
