/**
 * The Sequences page's state as a link carries it (`SequencesUrlView`, keys `seq`, `seq.seed`, `seq.quick`,
 * `seq.hidden`; see src/lab/config/url-codec.ts) and back: what the page shows, and how a link's choice is
 * opened.
 */
import type { SequencesUrlView } from '../../lab/config/url-codec.ts';
import type { NeuralBackendName } from '../../worker/neural/protocol.ts';
import { QUICK_LOOK, type OpenOptions, type SequencesState, type SequencesStore } from './sequences-store.ts';

function isQuickLook(shrink: SequencesState['shrink']): boolean {
  return shrink.stepFactor === QUICK_LOOK.stepFactor && shrink.sftSteps === QUICK_LOOK.sftSteps;
}

/** the page's choice as a link writes it */
export function sequencesUrlView(state: Pick<SequencesState, 'preset' | 'seed' | 'quick' | 'shrink' | 'hidden'>): SequencesUrlView {
  return {
    preset: state.preset,
    seed: state.seed,
    quick: !state.quick ? null : isQuickLook(state.shrink) ? 'look' : { ...state.shrink },
    hidden: [...state.hidden],
  };
}

/** how the store opens a link's choice */
export function openOptionsOf(view: SequencesUrlView, backend: NeuralBackendName | null): OpenOptions {
  return {
    seed: view.seed,
    quick: view.quick !== null,
    shrink: view.quick === null || view.quick === 'look' ? { ...QUICK_LOOK } : { ...view.quick },
    hidden: [...view.hidden],
    backend,
  };
}

/**
 * A link's choice arrives while the page shows (Back, Forward, a saved experiment): the same comparison only
 * updates which runs are hidden; another one (or another seed or size) is opened, which restarts training.
 */
export function applyRequestedView(store: SequencesStore, view: SequencesUrlView, backend: NeuralBackendName | null): void {
  const current = sequencesUrlView(store.getState());
  const sameComparison = view.preset === current.preset && view.seed === current.seed && JSON.stringify(view.quick) === JSON.stringify(current.quick);
  if (sameComparison) store.setState({ hidden: [...view.hidden] });
  else store.getState().open(view.preset, openOptionsOf(view, backend));
}
