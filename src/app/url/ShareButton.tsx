/**
 * "Share": copy a link to the experiment (from the start, or replaying to the current step), and build a
 * classroom link that hides chosen panels and controls or opens in presentation mode.
 */
import { useState } from 'react';
import { HIDEABLE, type Hideable } from '../../lab/config/url-codec.ts';
import { Dialog } from '../components/Dialog.tsx';
import { useLab, useLabStore } from '../lab-context.tsx';
import { progressOf } from '../store/lab-store.ts';
import { HIDEABLE_LABELS } from './hideable-labels.ts';
import { linkWith, queryOf } from './url-sync.ts';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function ShareButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} title="Copy a link that reproduces this experiment exactly">
        Share
      </button>
      <Dialog open={open} title="Share this experiment" onClose={() => setOpen(false)} className="share-dialog">
        <ShareContent onClose={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function ShareContent({ onClose }: { onClose: () => void }) {
  const store = useLabStore();
  const step = useLab((s) => progressOf(s));
  const [status, setStatus] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const [hide, setHide] = useState<Hideable[]>(() => store.getState().hide);
  const [present, setPresent] = useState(() => store.getState().present);
  const base = { origin: window.location.origin, pathname: window.location.pathname };

  const copy = async (what: string, link: string) => {
    setShown(link);
    setStatus((await copyText(link)) ? `Copied ${what}.` : 'This browser did not allow copying: select the link below and copy it.');
  };
  const plain = () => linkWith(queryOf(store.getState(), false), base);
  const atStep = () => linkWith(queryOf(store.getState(), true), base);
  const classroom = () => linkWith(queryOf(store.getState(), false, { hide, present }), base);
  const toggle = (part: Hideable) => setHide((h) => (h.includes(part) ? h.filter((p) => p !== part) : HIDEABLE.filter((p) => p === part || h.includes(p))));

  return (
    <div className="share">
      <p className="note">A link carries the whole set-up, the seed and every live change with its step, so whoever opens it trains exactly the same runs.</p>
      <div className="share-actions">
        <button type="button" className="primary" onClick={() => copy('the link', plain())} autoFocus>
          Copy link
        </button>
        <button type="button" onClick={() => copy(`the link at step ${step}`, atStep())} disabled={step === 0} title="The lab replays to this step when the link is opened">
          Copy link at step {step}
        </button>
      </div>
      <fieldset className="classroom">
        <legend>Classroom link</legend>
        <p className="note">Hide what students should not change, or open in presentation mode.</p>
        <ul>
          {HIDEABLE.map((part) => (
            <li key={part}>
              <label>
                <input type="checkbox" checked={hide.includes(part)} onChange={() => toggle(part)} /> Hide {HIDEABLE_LABELS[part]}
              </label>
            </li>
          ))}
          <li>
            <label>
              <input type="checkbox" checked={present} onChange={(e) => setPresent(e.target.checked)} /> Presentation mode (large type)
            </label>
          </li>
        </ul>
        <button type="button" onClick={() => copy('the classroom link', classroom())}>
          Copy classroom link
        </button>
      </fieldset>
      <p role="status" className="share-status">
        {status}
      </p>
      {shown && (
        <label className="share-link">
          Link
          <input type="text" readOnly value={shown} onFocus={(e) => e.target.select()} />
        </label>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
