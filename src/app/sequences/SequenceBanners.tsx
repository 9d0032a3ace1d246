/** The page's messages: a stopped worker (with a restart), a refused request, a lost GPU device (while recovering, then for good). */
import { useSequences } from './sequences-context.tsx';

export function SequenceBanners() {
  const failure = useSequences((s) => s.failure);
  const refusal = useSequences((s) => s.refusal);
  const deviceLost = useSequences((s) => s.deviceLost);
  const recovering = useSequences((s) => s.recovering);
  const restart = useSequences((s) => s.restart);
  const dismissRefusal = useSequences((s) => s.dismissRefusal);
  const dismissDeviceLost = useSequences((s) => s.dismissDeviceLost);
  return (
    <>
      {failure && (
        <div className="banner banner-error" role="alert">
          <p>
            <strong>Training stopped:</strong> {failure}
          </p>
          <button type="button" className="primary" onClick={restart}>
            Restart the comparison
          </button>
        </div>
      )}
      {recovering && (
        <div className="banner banner-warning" role="alert">
          <p>
            <strong>The GPU device was lost.</strong> Choosing another backend to go on from the last completed step… <span className="note">{recovering}</span>
          </p>
        </div>
      )}
      {deviceLost && (
        <div className="banner banner-warning" role="alert">
          <p>
            <strong>The GPU device was lost.</strong> Training goes on on <strong>{deviceLost.fallback}</strong> from the last completed step (slower). {deviceLost.message}
          </p>
          <button type="button" onClick={dismissDeviceLost}>
            Dismiss
          </button>
        </div>
      )}
      {refusal && (
        <div className="banner banner-notice" role="status">
          <p>
            <strong>Not done:</strong> {refusal}
          </p>
          <button type="button" onClick={dismissRefusal}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
