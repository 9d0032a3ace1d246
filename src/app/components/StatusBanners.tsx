/** A failed worker (with a way back) and passing notices. */
import { useLab } from '../lab-context.tsx';
import { progressOf } from '../store/lab-store.ts';

export function StatusBanners() {
  const failure = useLab((s) => s.failure);
  const notice = useLab((s) => s.notice);
  const step = useLab((s) => progressOf(s));
  const restart = useLab((s) => s.restart);
  const dismiss = useLab((s) => s.dismissNotice);
  return (
    <>
      {failure && (
        <div className="banner banner-error" role="alert">
          <p>
            <strong>Training stopped:</strong> {failure}
          </p>
          <p>Your set-up is kept. Restarting builds a fresh worker and replays the experiment{step > 0 ? ` to step ${step}` : ''}.</p>
          <button type="button" className="primary" onClick={restart}>
            Restart {step > 0 ? `from step ${step}` : 'the worker'}
          </button>
        </div>
      )}
      {notice && (
        <div className="banner banner-notice" role="status">
          <p>{notice}</p>
          <button type="button" onClick={dismiss} aria-label="Dismiss the notice">
            OK
          </button>
        </div>
      )}
    </>
  );
}
