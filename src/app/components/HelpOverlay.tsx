/** The keyboard help. */
import { useLab } from '../lab-context.tsx';
import { Dialog } from './Dialog.tsx';
import { SHORTCUTS } from './use-shortcuts.ts';

export function HelpOverlay() {
  const open = useLab((s) => s.helpOpen);
  const setHelpOpen = useLab((s) => s.setHelpOpen);
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={() => setHelpOpen(false)}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note">Shortcuts are ignored while you type in a field. Tab moves through every control.</p>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={() => setHelpOpen(false)} autoFocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
