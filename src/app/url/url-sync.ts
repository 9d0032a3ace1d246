/**
 * The address bar follows the experiment: the config (with its edit log) and the view are written into
 * the query with `history.replaceState` (no history entries), at most every `intervalMs`.
 */
import { encodeExperimentUrl, type UrlView } from '../../lab/config/url-codec.ts';
import { progressOf, type LabState, type LabStore } from '../store/lab-store.ts';
import { onSequencesViewShown, sequencesViewForUrl } from './sequences-link.ts';

/**
 * The view as the URL carries it; `at` (the playback position) only where asked for; the Sequences page's
 * choice (sequences-link.ts) while that page is shown.
 */
export function viewOf(state: LabState, withStep: boolean): Partial<UrlView> {
  const sequences = state.page === 'sequences' ? sequencesViewForUrl() : null;
  return {
    ...(sequences ? { sequences } : {}),
    page: state.page,
    at: withStep ? progressOf(state) : 0,
    speed: state.speed,
    hidden: state.hidden,
    epochRun: state.epochRun,
    hide: state.hide,
    present: state.present,
    backend: state.backend,
    ...(state.mlpCompanion ? { mlp: true } : {}),
  };
}

/** The query (without '?') of the lab's current experiment and view. */
export function queryOf(state: LabState, withStep: boolean, overrides: Partial<UrlView> = {}): string {
  return encodeExperimentUrl(state.config, { ...viewOf(state, withStep), ...overrides }, { preset: state.preset });
}

/** An absolute link to the page with this query. */
export function linkWith(query: string, base: { origin: string; pathname: string }): string {
  return `${base.origin}${base.pathname}${query ? `?${query}` : ''}`;
}

export interface UrlWriter {
  /** write the query into the address bar (without adding a history entry) */
  write(query: string): void;
  /** write the query as a new history entry (another experiment was opened: Back returns to the last one) */
  push(query: string): void;
  schedule(callback: () => void, ms: number): void;
}

/**
 * Keeps the address bar in step with the store: the experiment, the view and the playback position
 * (a reload replays to it). Changes replace the current history entry; opening another experiment (a
 * preset, a saved one, a bundle) adds one, so the browser's Back button returns to the previous experiment.
 * `fromHistory()` tells it that the lab has just opened the entry the browser went back or forward to.
 * Returns a function that stops following.
 */
export function followInUrl(store: LabStore, writer: UrlWriter, intervalMs = 400): { stop(): void; fromHistory(): void } {
  let last: string | null = null;
  let scheduled = false;
  let stopped = false;
  let openedSeen = store.getState().opened;
  const flush = () => {
    scheduled = false;
    // until the worker has replayed to the opened position, the position is unknown: keep the link as it was
    if (stopped || store.getState().status !== 'ready') return;
    const state = store.getState();
    const query = queryOf(state, true);
    const anotherExperiment = state.opened !== openedSeen;
    openedSeen = state.opened;
    if (query === last) return;
    last = query;
    if (anotherExperiment) writer.push(query);
    else writer.write(query);
  };
  flush();
  const changed = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    writer.schedule(flush, intervalMs);
  };
  const unsubscribe = store.subscribe(changed);
  const unsubscribeSequences = onSequencesViewShown(changed);
  return {
    stop: () => {
      stopped = true;
      unsubscribe();
      unsubscribeSequences();
    },
    fromHistory: () => {
      openedSeen = store.getState().opened;
    },
  };
}
