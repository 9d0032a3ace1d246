/**
 * The annotations of spec E.4's three properties at the current step (from `regimeNotes`). Each note is
 * linked like a formula term: hovering, focusing or pressing it lights up its bins.
 */
import { REGIME_TERM } from './formula-terms.ts';
import { useHighlight } from './highlight-context.tsx';
import type { RegimeNote } from './regime-notes.ts';
import { FALLING, RISING, RISING_SLOWLY } from './theory-colours.ts';

const REGIME_COLOUR = { 'zero-forcing': FALLING, concentration: RISING, 'slow-discovery': RISING_SLOWLY } as const;

export function RegimeNotes({ notes, step }: { notes: RegimeNote[]; step: number }) {
  const { active, pinned, hover, focus, togglePin } = useHighlight();
  return (
    <section className="regime-notes" aria-label={`What KL(p‖q) does at step ${step}`}>
      <h3>
        What KL(p‖q) does at step {step} <span className="note">— exact conditions, recomputed every step</span>
      </h3>
      <ul>
        {notes.map((note) => {
          const term = REGIME_TERM[note.regime];
          return (
            <li key={note.regime} data-regime={note.regime} data-bins={note.bins.join(' ')}>
              <button
                type="button"
                className={active === term ? 'regime-button is-active' : 'regime-button'}
                aria-pressed={pinned === term}
                onMouseEnter={() => hover(term)}
                onMouseLeave={() => hover(null)}
                onFocus={() => focus(term)}
                onBlur={() => focus(null)}
                onClick={() => togglePin(term)}
              >
                <span className="swatch" style={{ background: REGIME_COLOUR[note.regime] }} aria-hidden="true" />
                {note.title}
              </button>{' '}
              <span className="regime-condition">{note.condition}.</span> <span className="regime-detail">{note.detail}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
