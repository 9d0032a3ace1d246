/** A failed worker (with a way back) and passing notices. */
import { useLab } from '../lab-context.tsx';
import { progressOf } from '../store/lab-store.ts';

export function StatusBanners() {
  const failure = useLab((s) => s.failure);
  const notice = useLab((s) => s.notice);
  const step = useLab((s) => progressOf(s));
  const restart = useLab((s) => s.restart);
  const dismiss = useLab((s) => s.dismissNotice);
  const urlProblems = useLab((s) => s.urlProblems);
  const dismissUrlProblems = useLab((s) => s.dismissUrlProblems);
  return (
    <>
      {urlProblems.length > 0 && (
        <div className="banner banner-warning" role="alert">
          <div>
            <p>
              <strong>
                {urlProblems.length === 1 ? 'One part of this link could not be used' : `${urlProblems.length} parts of this link could not be used`}
              </strong>
              ; the rest of it applies.
            </p>
            <ul className="url-problems">
              {urlProblems.slice(0, 12).map((p, i) => (
                <li key={i}>
                  <code>{p.key}</code>: {p.message}
                  {p.usedInstead === 'ignored' ? '' : `. Used instead: ${p.usedInstead}.`}
                </li>
              ))}
              {urlProblems.length > 12 && <li>… and {urlProblems.length - 12} more.</li>}
            </ul>
          </div>
          <button type="button" onClick={dismissUrlProblems}>
            Dismiss
          </button>
        </div>
      )}
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
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
