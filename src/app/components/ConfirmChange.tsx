/** Asks before a change restarts every run (once training has begun). */
import { useLab } from '../lab-context.tsx';
import { Dialog } from './Dialog.tsx';

export function ConfirmChange() {
  const pending = useLab((s) => s.pending);
  const runs = useLab((s) => s.config.runs.length);
  const seed = useLab((s) => s.config.seed);
  const confirm = useLab((s) => s.confirmPending);
  const cancel = useLab((s) => s.cancelPending);
  return (
    <Dialog open={pending !== null} title="Restart every run?" onClose={cancel} role="alertdialog">
      <p>{pending?.description}</p>
      <p>
        This is not a live knob, so every run restarts from step 0 with the same initialisation (seed {pending?.config.seed ?? seed}). The training so far is
        discarded; the edit log of live changes is kept and replays.
        {pending && pending.config.runs.length !== runs ? ` The comparison will have ${pending.config.runs.length} runs.` : ''}
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={cancel} autoFocus>
          Keep training
        </button>
        <button type="button" className="primary" onClick={confirm}>
          Restart with this change
        </button>
      </div>
    </Dialog>
  );
}
