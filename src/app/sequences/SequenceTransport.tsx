/** Playback of the comparison: Play/Pause, one gradient step of every run, and the speed reached. */
import { useSequences } from './sequences-context.tsx';

export function SequenceTransport() {
  const playing = useSequences((s) => s.playing);
  const ready = useSequences((s) => s.status === 'ready');
  const allFinished = useSequences((s) => s.runs.length > 0 && s.runs.every((r) => r.finished));
  const stepsPerSecond = useSequences((s) => s.stepsPerSecond);
  const togglePlay = useSequences((s) => s.togglePlay);
  const step = useSequences((s) => s.step);
  return (
    <div className="transport" role="toolbar" aria-label="Playback">
      <button type="button" className="primary" onClick={togglePlay} disabled={!ready || (allFinished && !playing)} aria-pressed={playing}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={step} disabled={!ready || allFinished} title="One gradient step of every unfinished run">
        Step
      </button>
      <span className="steps-per-second" aria-live="off">
        <span className="readout-label">steps/s</span> <strong>{playing && stepsPerSecond > 0 ? stepsPerSecond.toFixed(1) : '–'}</strong>
      </span>
    </div>
  );
}
