/**
 * Playback of the comparison: Play/Pause, one gradient step of every run, Reset (every run back to step 0 on the
 * same reference and seed, its live lr changes replayed) and the speed reached.
 */
import { useSequences } from './sequences-context.tsx';

export function SequenceTransport() {
  const playing = useSequences((s) => s.playing);
  const ready = useSequences((s) => s.status === 'ready');
  const allFinished = useSequences((s) => s.runs.length > 0 && s.runs.every((r) => r.finished));
  const stepsPerSecond = useSequences((s) => s.stepsPerSecond);
  const togglePlay = useSequences((s) => s.togglePlay);
  const step = useSequences((s) => s.step);
  const reset = useSequences((s) => s.reset);
  const started = useSequences((s) => s.runs.some((r) => r.step > 0));
  return (
    <div className="transport" role="toolbar" aria-label="Playback">
      <button type="button" className="primary" onClick={togglePlay} disabled={!ready || (allFinished && !playing)} aria-pressed={playing}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={step} disabled={!ready || allFinished} title="One gradient step of every unfinished run">
        Step
      </button>
      <button type="button" onClick={reset} disabled={!ready || !started} title="Every run back to step 0: the same fine-tuned reference and seed (no new SFT); live learning-rate changes are replayed at their steps">
        Reset
      </button>
      <span className="steps-per-second" aria-live="off">
        <span className="readout-label">steps/s</span> <strong>{playing && stepsPerSecond > 0 ? stepsPerSecond.toFixed(1) : '–'}</strong>
      </span>
    </div>
  );
}
