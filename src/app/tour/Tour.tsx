/**
 * The guided tour: a "Tour" button that opens a non-modal panel walking through `TOUR_PAGES`. The lab stays
 * usable beside it (Play, the charts, the shortcuts). Entering a page calls the previous page's `leave` and
 * the new page's `enter` with the store's state. The panel answers ← / → (previous / next) while it has
 * focus, and Esc closes it; focus moves to each page's title and back to the button on close.
 *
 * The tour's own state (open, which page) lives here, not in the store.
 */
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { useLabStore } from '../lab-context.tsx';
import type { LabStore } from '../store/lab-store.ts';
import { TOUR_PAGES, type Lab, type TourPage } from './tour-pages.ts';
import './tour.css';

/**
 * The lab as a page hook sees it: the store's state and actions, except that `play()` after a preset was
 * loaded in the same hook waits until the new comparison has loaded (until then the store still holds the
 * old runs, and would refuse to play if they had all finished). Returns a function that cancels the wait.
 */
function labForHook(store: LabStore): { lab: Lab; cancel: () => void } {
  const before = store.getState();
  let unsubscribe: (() => void) | null = null;
  const cancel = () => {
    unsubscribe?.();
    unsubscribe = null;
  };
  const play = () => {
    cancel();
    const now = store.getState();
    const loading = now.config !== before.config && now.info === before.info;
    if (!loading) {
      now.play();
      return;
    }
    unsubscribe = store.subscribe((state) => {
      const loaded = state.info !== before.info && state.status === 'ready' && state.runs.some((r) => !r.finished);
      if (!loaded) return;
      cancel();
      state.play();
    });
  };
  return { lab: { ...before, play }, cancel };
}

export interface TourButtonProps {
  /** the pages to show (tests pass their own; the app uses the tour) */
  pages?: TourPage[];
}

export function TourButton({ pages = TOUR_PAGES }: TourButtonProps) {
  const store = useLabStore();
  const [open, setOpen] = useState(false);
  const [index, setIndex] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const cancelPendingPlay = useRef<() => void>(() => {});
  const panelId = useId();

  const enter = useCallback(
    (page: TourPage) => {
      cancelPendingPlay.current();
      const { lab, cancel } = labForHook(store);
      cancelPendingPlay.current = cancel;
      page.enter?.(lab);
    },
    [store],
  );
  const leave = useCallback(
    (page: TourPage) => {
      cancelPendingPlay.current();
      page.leave?.(store.getState());
    },
    [store],
  );

  // a tour closed on its last page starts over next time
  const openTour = () => {
    const start = index >= pages.length - 1 ? 0 : index;
    setIndex(start);
    setOpen(true);
    enter(pages[start]);
  };
  const closeTour = () => {
    leave(pages[index]);
    setOpen(false);
    buttonRef.current?.focus();
  };
  const goTo = (next: number) => {
    if (next < 0 || next >= pages.length || next === index) return;
    leave(pages[index]);
    setIndex(next);
    enter(pages[next]);
  };

  // a pending "play once loaded" must not outlive the button
  useEffect(() => () => cancelPendingPlay.current(), []);

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="tour-button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        title="A guided path through the paper, page by page"
        onClick={() => (open ? closeTour() : openTour())}
      >
        Tour
      </button>
      {open &&
        createPortal(
          <TourPanel
            id={panelId}
            page={pages[index]}
            index={index}
            count={pages.length}
            onBack={() => goTo(index - 1)}
            onNext={() => goTo(index + 1)}
            onClose={closeTour}
          />,
          document.body,
        )}
    </>
  );
}

interface TourPanelProps {
  id: string;
  page: TourPage;
  index: number;
  count: number;
  onBack(): void;
  onNext(): void;
  onClose(): void;
}

function TourPanel({ id, page, index, count, onBack, onNext, onClose }: TourPanelProps) {
  const titleId = useId();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const isFirst = index === 0;
  const isLast = index === count - 1;

  // each page's title takes focus, so that it is read out and the arrow keys work at once
  useEffect(() => {
    titleRef.current?.focus();
  }, [page.id]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    switch (event.key) {
      case 'ArrowLeft':
        onBack();
        break;
      case 'ArrowRight':
        onNext();
        break;
      case 'Escape':
        onClose();
        break;
      default:
        return;
    }
    // the lab's own shortcuts (→ is "one gradient step") ignore a handled key
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <section
      id={id}
      className="tour-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      aria-keyshortcuts="ArrowLeft ArrowRight Escape"
      onKeyDown={onKeyDown}
    >
      <p className="tour-progress">
        Tour · page {index + 1} of {count}
      </p>
      <h2 id={titleId} ref={titleRef} tabIndex={-1}>
        {page.title}
      </h2>
      <div className="tour-body">
        {page.body.map((paragraph, i) => (
          <p key={i}>{paragraph}</p>
        ))}
      </div>
      <div className="tour-actions">
        <button type="button" onClick={onBack} disabled={isFirst}>
          Back
        </button>
        <button type="button" className="primary" onClick={onNext} disabled={isLast}>
          Next
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="tour-keys note">← / → turn the page while the tour has focus; Esc closes it.</p>
    </section>
  );
}
