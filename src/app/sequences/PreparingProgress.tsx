/** While a comparison is being prepared: which phase (choosing the backend, the reference's SFT) and how far. */
import { useSequences } from './sequences-context.tsx';

const PHASES = { backend: 'Choosing the backend', sft: 'Training the reference π_ref (SFT)' } as const;

export function PreparingProgress() {
  const status = useSequences((s) => s.status);
  const progress = useSequences((s) => s.progress);
  if (status !== 'preparing') return null;
  const phase = progress ? PHASES[progress.phase] : 'Starting the training worker';
  const percent = progress ? Math.round(Math.min(1, Math.max(0, progress.fraction)) * 100) : null;
  return (
    <section className="preparing" aria-labelledby="preparing-title">
      <h3 id="preparing-title">{phase}…</h3>
      <div
        className="progress-track"
        role="progressbar"
        aria-labelledby="preparing-title"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? 'starting' : `${percent}%${progress?.message ? `: ${progress.message}` : ''}`}
      >
        <div className={`progress-fill${percent === null ? ' is-indeterminate' : ''}`} style={{ width: `${percent ?? 30}%` }} />
      </div>
      <p className="note" aria-live="polite">
        {progress?.message ?? 'Loading TensorFlow.js in the worker.'}
      </p>
    </section>
  );
}
