/**
 * The preset gallery: every preset as a card (title, explanation, the paper's words), grouped by the paper's
 * figures and the official scripts, in a modal native <dialog>. "Open" loads the preset into the lab.
 */
import { useId, useState } from 'react';
import { PRESETS, type Preset } from '../../lab/config/presets.ts';
import { Dialog } from '../components/Dialog.tsx';
import { useLab } from '../lab-context.tsx';
import './presets.css';

export interface PresetGroup {
  id: string;
  title: string;
  summary: string;
  presets: Preset[];
}

const GROUP_INFO: Array<{ id: string; title: string; summary: string; matches(name: string): boolean }> = [
  { id: 'f1', title: 'F1 — where the reward peak lies', summary: 'Offline vs on-policy data, with and without a negative gradient, on R1 (peak unlikely under π_ref) and R2 (peak on its mode).', matches: (n) => n.startsWith('f1-') },
  { id: 'f2', title: 'F2 — how on-policy: the collection batch', summary: 'More frequent, smaller batches of fresh samples at a fixed minibatch.', matches: (n) => n.startsWith('f2-') },
  { id: 'f3', title: 'F3 — sample reuse', summary: 'How many gradient steps on each batch of samples, at fixed samples and steps.', matches: (n) => n.startsWith('f3-') },
  { id: 'f4', title: 'F4 — a negative gradient, offline', summary: 'Pushing the worse responses down: when it helps, and where the freed mass goes.', matches: (n) => n.startsWith('f4-') },
  { id: 'f5', title: 'F5 — implicit rewards vs the number of prompts', summary: 'What a contrastive loss does to the likelihood of the responses it prefers.', matches: (n) => n.startsWith('f5-') },
  { id: 'f6', title: 'F6 — on-policy data plus a contrastive loss', summary: 'Each loss at its own tuned learning rate, on the same fresh data.', matches: (n) => n.startsWith('f6-') },
  { id: 'scripts', title: 'The official scripts', summary: 'The 1-D bandit scripts of the paper\'s code, on the tabular engine (lr 0.05).', matches: (n) => n.startsWith('script-') },
];

/** The presets in the gallery's groups, in order; a preset no group claims goes to "Other presets". */
export function groupPresets(presets: readonly Preset[] = PRESETS): PresetGroup[] {
  const groups: PresetGroup[] = GROUP_INFO.map(({ id, title, summary, matches }) => ({
    id,
    title,
    summary,
    presets: presets.filter((p) => matches(p.name)),
  }));
  const claimed = new Set(groups.flatMap((g) => g.presets));
  const others = presets.filter((p) => !claimed.has(p));
  if (others.length) groups.push({ id: 'other', title: 'Other presets', summary: '', presets: others });
  return groups.filter((g) => g.presets.length > 0);
}

export function PresetGalleryButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" aria-haspopup="dialog" onClick={() => setOpen(true)} title="Experiments that replay the paper's figures and scripts">
        Presets
      </button>
      <Dialog open={open} title="Presets: the paper's experiments" onClose={() => setOpen(false)} className="preset-gallery-dialog">
        <PresetGallery onOpened={() => setOpen(false)} />
        <div className="dialog-actions">
          <button type="button" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      </Dialog>
    </>
  );
}

/** The gallery itself (the dialog's content); `onOpened` runs once a preset has loaded. */
export function PresetGallery({ onOpened }: { onOpened(): void }) {
  const loaded = useLab((s) => s.preset);
  const loadPreset = useLab((s) => s.loadPreset);
  const setPage = useLab((s) => s.setPage);
  const [error, setError] = useState<string | null>(null);

  const open = (preset: Preset) => {
    const errors = loadPreset(preset.name);
    if (errors.length) {
      setError(`“${preset.title}” could not be opened: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      return;
    }
    setPage('lab');
    onOpened();
  };

  return (
    <div className="preset-gallery">
      <p className="note">
        Each preset replays one of the paper&apos;s experiments on this lab&apos;s engine. Open one, answer its question before you press Play, and
        let the runs tell you whether you were right. Opening a preset replaces the current experiment.
      </p>
      <p role="alert" className="error">
        {error}
      </p>
      {groupPresets().map((group) => (
        <section key={group.id} className="preset-group" aria-labelledby={`preset-group-${group.id}`}>
          <h3 id={`preset-group-${group.id}`}>{group.title}</h3>
          {group.summary && <p className="note">{group.summary}</p>}
          <ul className="preset-cards">
            {group.presets.map((preset) => (
              <li key={preset.name}>
                <PresetCard preset={preset} loaded={preset.name === loaded} onOpen={() => open(preset)} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function PresetCard({ preset, loaded, onOpen }: { preset: Preset; loaded: boolean; onOpen(): void }) {
  const titleId = useId();
  return (
    <article className={loaded ? 'preset-card is-loaded' : 'preset-card'} aria-labelledby={titleId} aria-current={loaded ? 'true' : undefined} data-preset={preset.name}>
      <h4 id={titleId}>{preset.title}</h4>
      {loaded && <p className="preset-loaded-badge">In the lab now</p>}
      <p>{preset.explanation}</p>
      <figure className="preset-quote">
        <blockquote>
          <p>{preset.quote.text}</p>
        </blockquote>
        <figcaption>— {preset.quote.source}</figcaption>
      </figure>
      <div className="preset-card-actions">
        <button type="button" className="primary" onClick={onOpen} aria-label={`Open ${preset.title}`}>
          Open
        </button>
        <code className="preset-name">{preset.name}</code>
      </div>
    </article>
  );
}
