/** "My experiments": save the current experiment in this browser under a name; list, rename, delete, open. */
import { useState } from 'react';
import { Dialog } from '../components/Dialog.tsx';
import { useLab, useLabStore } from '../lab-context.tsx';
import { experimentFromQuery } from '../url/open-link.ts';
import { queryOf } from '../url/url-sync.ts';
import { deleteSaved, listSaved, MAX_NAME_LENGTH, renameSaved, saveExperiment, type KeyValueStorage, type SavedExperiment } from './saved-experiments.ts';

function browserStorage(): KeyValueStorage {
  try {
    return window.localStorage;
  } catch {
    // storage disabled (some privacy settings): keep the list for this page only
    const memory = new Map<string, string>();
    return { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => void memory.set(k, v) };
  }
}

export function MyExperimentsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} title="Experiments saved in this browser">
        My experiments
      </button>
      <Dialog open={open} title="My experiments" onClose={() => setOpen(false)} className="saved-dialog">
        <MyExperiments onClose={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function MyExperiments({ onClose }: { onClose: () => void }) {
  const store = useLabStore();
  const [storage] = useState(browserStorage);
  const [saved, setSaved] = useState<SavedExperiment[]>(() => listSaved(storage));
  const defaultName = useLab((s) => s.config.name ?? s.caption.title);
  const [name, setName] = useState(defaultName);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  const attempt = (action: () => SavedExperiment[], success: string) => {
    try {
      setSaved(action());
      setMessage({ text: success, error: false });
      return true;
    } catch (error) {
      setMessage({ text: (error as Error).message, error: true });
      return false;
    }
  };
  const save = () => attempt(() => saveExperiment(storage, name, queryOf(store.getState(), true), new Date(), crypto.randomUUID()), `Saved “${name.trim()}” in this browser.`);
  const open = (entry: SavedExperiment) => {
    const opened = experimentFromQuery(entry.query);
    store.getState().openExperiment({ ...opened, caption: { title: entry.name, lookFor: `Your saved experiment (saved ${new Date(entry.savedAt).toLocaleString()}). Press Play to train it.` } });
    onClose();
  };

  return (
    <div className="saved">
      <p className="note">Saved in this browser only; nothing is sent anywhere. Each keeps the set-up, the seed, every live change and the step it was at.</p>
      <form
        className="saved-new"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label>
          Name <input type="text" value={name} maxLength={MAX_NAME_LENGTH + 20} onChange={(e) => setName(e.target.value)} aria-invalid={message?.error || undefined} />
        </label>
        <button type="submit" className="primary">
          Save current
        </button>
      </form>
      <p role="status" className={message?.error ? 'error' : 'note'}>
        {message?.text}
      </p>
      {saved.length === 0 ? (
        <p className="note">Nothing saved yet.</p>
      ) : (
        <ul className="saved-list" aria-label="Saved experiments">
          {saved.map((entry) => (
            <li key={entry.id}>
              {renaming?.id === entry.id ? (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (attempt(() => renameSaved(storage, entry.id, renaming.name), `Renamed to “${renaming.name.trim()}”.`)) setRenaming(null);
                  }}
                >
                  <label>
                    New name for “{entry.name}” <input type="text" value={renaming.name} autoFocus onChange={(e) => setRenaming({ id: entry.id, name: e.target.value })} />
                  </label>
                  <button type="submit">Rename</button>
                  <button type="button" onClick={() => setRenaming(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <span className="saved-name">{entry.name}</span>
                  <span className="note"> {new Date(entry.savedAt).toLocaleString()}</span>
                  <span className="saved-buttons">
                    <button type="button" onClick={() => open(entry)} aria-label={`Open “${entry.name}”`}>
                      Open
                    </button>
                    <button type="button" onClick={() => setRenaming({ id: entry.id, name: entry.name })} aria-label={`Rename “${entry.name}”`}>
                      Rename
                    </button>
                    {confirmDelete === entry.id ? (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          setConfirmDelete(null);
                          attempt(() => deleteSaved(storage, entry.id), `Deleted “${entry.name}”.`);
                        }}
                      >
                        Really delete “{entry.name}”
                      </button>
                    ) : (
                      <button type="button" onClick={() => setConfirmDelete(entry.id)} aria-label={`Delete “${entry.name}”`}>
                        Delete
                      </button>
                    )}
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
