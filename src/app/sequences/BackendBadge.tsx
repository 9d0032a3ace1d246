/**
 * The backend training runs on, as a badge; its details list every candidate the worker tried, with its
 * outcome and why (Escape closes them). After a GPU device loss it says which backend took over.
 */
import { useRef, type KeyboardEvent } from 'react';
import { activeBackend } from './sequences-store.ts';
import { useSequences } from './sequences-context.tsx';

function outcome(candidate: { ok: boolean; msPerStep?: number }, chosen: boolean): string {
  if (!candidate.ok) return 'not usable';
  const timing = candidate.msPerStep !== undefined && Number.isFinite(candidate.msPerStep) ? `, ${candidate.msPerStep.toFixed(0)} ms / step` : '';
  return `${chosen ? 'chosen' : 'works'}${timing}`;
}

export function BackendBadge() {
  const report = useSequences((s) => s.backendReport);
  const override = useSequences((s) => s.backendOverride);
  const deviceLost = useSequences((s) => s.deviceLost);
  const current = useSequences(activeBackend);
  const details = useRef<HTMLDetailsElement>(null);
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && details.current?.open) {
      details.current.open = false;
      details.current.querySelector('summary')?.focus();
    }
  };
  return (
    <details className={`backend-badge${deviceLost ? ' is-fallback' : ''}`} ref={details} onKeyDown={closeOnEscape}>
      <summary aria-label={current ? `Backend: ${current}${deviceLost ? ' (after a GPU device loss)' : ''}. Show how it was chosen` : 'Backend: not chosen yet'}>
        <span className="backend-label">backend</span> <strong>{current ?? '…'}</strong>
        {deviceLost && <span aria-hidden="true"> ⚠</span>}
      </summary>
      <div className="backend-details" role="group" aria-label="How the backend was chosen">
        {deviceLost && (
          <p className="error">
            The GPU device was lost; training went on on <strong>{deviceLost.fallback}</strong> from the last completed step. {deviceLost.message}
          </p>
        )}
        {override && <p className="note">Forced by backend={override} in the link.</p>}
        {report ? (
          <>
            <p className="backend-detail">{report.detail}</p>
            <ul className="backend-candidates">
              {report.candidates.map((candidate) => (
                <li key={candidate.backend} className={candidate.ok ? 'candidate-ok' : 'candidate-failed'} data-backend={candidate.backend}>
                  <strong>{candidate.backend}</strong>: {outcome(candidate, candidate.backend === report.backend)}
                  {candidate.reason && <span className="candidate-reason"> — {candidate.reason}</span>}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="note">The worker has not chosen a backend yet.</p>
        )}
      </div>
    </details>
  );
}
