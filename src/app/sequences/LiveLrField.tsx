/** A run's learning rate, changed live: from the run's next gradient step (Enter or "Set" applies it). */
import { useId, useState, type FormEvent } from 'react';
import { useSequences } from './sequences-context.tsx';

export function LiveLrField({ runName, lr, disabled }: { runName: string; lr: number; disabled: boolean }) {
  const setLr = useSequences((s) => s.setLr);
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (draft === null) return;
    const value = Number(draft.trim());
    const why = draft.trim() === '' ? 'enter a learning rate' : setLr(runName, value);
    setProblem(why);
    if (!why) setDraft(null);
  };

  return (
    <form className="live-lr" onSubmit={apply}>
      <label htmlFor={`${id}-lr`}>
        Learning rate <span className="badge badge-live">live</span>
      </label>
      <input
        id={`${id}-lr`}
        type="text"
        inputMode="decimal"
        value={draft ?? String(lr)}
        disabled={disabled}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => {
          if (draft === null) setProblem(null);
        }}
      />
      <button type="submit" disabled={disabled || draft === null} aria-label={`Set the learning rate of ${runName}`}>
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
