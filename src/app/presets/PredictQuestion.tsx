/**
 * "Predict, then run": the loaded preset's question, in the caption. The user picks an option and locks it
 * in before pressing Play; the answer and its explanation appear once every run has finished (or on
 * "Show the answer"). A new preset brings a fresh question; a changed experiment (no preset) shows none.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { findPreset, type Preset } from '../../lab/config/presets.ts';
import { useLab } from '../lab-context.tsx';
import './presets.css';

export function PredictQuestion() {
  const presetName = useLab((s) => s.preset);
  const preset = presetName ? findPreset(presetName) : undefined;
  if (!preset) return null;
  // keyed by the preset: another preset starts with a fresh, unanswered question
  return <QuestionCard key={preset.name} preset={preset} />;
}

function QuestionCard({ preset }: { preset: Preset }) {
  const { question } = preset;
  const headingId = useId();
  const optionName = useId();
  const [choice, setChoice] = useState<number | null>(null);
  const [locked, setLocked] = useState(false);
  const [answerRequested, setAnswerRequested] = useState(false);
  // the runs' statuses may still be the previous comparison's for a moment after a preset loads: the
  // answer waits until this preset's runs have been seen training, then finishing
  const [sawUnfinishedRuns, setSawUnfinishedRuns] = useState(false);
  const someRunUnfinished = useLab((s) => s.runs.some((r) => !r.finished));
  const everyRunFinished = useLab((s) => s.runs.length > 0 && s.runs.every((r) => r.finished));
  useEffect(() => {
    if (someRunUnfinished) setSawUnfinishedRuns(true);
  }, [someRunUnfinished]);

  const runsFinished = sawUnfinishedRuns && everyRunFinished;
  const revealed = answerRequested || runsFinished;
  /** no more changes to the prediction */
  const closed = locked || revealed;

  const lockIn = (event: FormEvent) => {
    event.preventDefault();
    if (choice !== null) setLocked(true);
  };

  return (
    <section className="predict" aria-labelledby={headingId}>
      <h3 id={headingId}>Predict, then run</h3>
      <form onSubmit={lockIn}>
        <fieldset disabled={closed}>
          <legend>{question.prompt}</legend>
          {question.options.map((option, i) => (
            <label key={option} className={revealed && i === question.answer ? 'predict-option is-answer' : 'predict-option'}>
              <input type="radio" name={optionName} value={i} checked={choice === i} disabled={closed} onChange={() => setChoice(i)} />
              <span>{option}</span>
              {revealed && i === question.answer && <span className="predict-answer-mark"> ← the runs&apos; answer</span>}
            </label>
          ))}
        </fieldset>
        {!closed && (
          <div className="predict-actions">
            <button type="submit" className="primary" disabled={choice === null}>
              Lock in my prediction
            </button>
            <span className="note">Answer before you press Play.</span>
          </div>
        )}
      </form>
      <div className="predict-status" aria-live="polite">
        {locked && !revealed && choice !== null && (
          <p>
            Locked in: “{question.options[choice]}”. Now press Play and watch the runs; the answer appears when every run has finished.
          </p>
        )}
        {revealed && (
          <div className="predict-reveal">
            <p>
              <strong>{verdict(locked ? choice : null, question.answer, runsFinished)}</strong> The runs&apos; answer: “{question.options[question.answer]}”.
            </p>
            <p>{question.reveal}</p>
          </div>
        )}
      </div>
      {!revealed && (
        <button type="button" className="link-button" onClick={() => setAnswerRequested(true)}>
          Show the answer
        </button>
      )}
    </section>
  );
}

function verdict(prediction: number | null, answer: number, runsFinished: boolean): string {
  const lead = runsFinished ? 'Every run has finished.' : '';
  if (prediction === null) return lead;
  return `${lead} ${prediction === answer ? 'You predicted it.' : 'Not what you predicted.'}`.trim();
}
