/**
 * The Sequences page's part of the address bar (keys `seq`, `seq.seed`, `seq.quick`, `seq.hidden`).
 *
 * The lab's store does not hold the Sequences page's state (the page has its own store, made when it mounts),
 * so the two meet here:
 *   - a link that is opened (the address bar at start, Back/Forward, a saved experiment) leaves its Sequences
 *     part as the *request*: the page opens it when it mounts, or at once if it is showing;
 *   - the page *shows* its current choice here while it is mounted, and `followInUrl` writes it into the
 *     address bar whenever the lab's page is Sequences (the request stands in until the page has mounted);
 *   - when the page unmounts, what it showed becomes the request, so returning to it reopens that comparison.
 */
import type { SequencesUrlView } from '../../lab/config/url-codec.ts';

type Listener = () => void;

let requested: SequencesUrlView | null = null;
let shown: SequencesUrlView | null = null;
const requestListeners = new Set<Listener>();
const shownListeners = new Set<Listener>();

function subscribe(listeners: Set<Listener>, listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A link was opened: the Sequences comparison it names (null: it names none). */
export function requestSequencesView(view: SequencesUrlView | null): void {
  requested = view;
  for (const listener of requestListeners) listener();
}

export function requestedSequencesView(): SequencesUrlView | null {
  return requested;
}

export function onSequencesViewRequested(listener: Listener): () => void {
  return subscribe(requestListeners, listener);
}

/** The page's current choice (the page calls it while mounted). */
export function showSequencesView(view: SequencesUrlView): void {
  if (shown !== null && sameSequencesView(shown, view)) return;
  shown = view;
  for (const listener of shownListeners) listener();
}

/** The page unmounts: its last choice is what it reopens next time. */
export function leaveSequencesPage(): void {
  if (shown === null) return;
  requested = shown;
  shown = null;
  for (const listener of shownListeners) listener();
}

/** What the address bar carries for the Sequences page: the page's choice, or the request until it has mounted. */
export function sequencesViewForUrl(): SequencesUrlView | null {
  return shown ?? requested;
}

export function onSequencesViewShown(listener: Listener): () => void {
  return subscribe(shownListeners, listener);
}

export function sameSequencesView(a: SequencesUrlView, b: SequencesUrlView): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
