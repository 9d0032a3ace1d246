// @vitest-environment happy-dom
/** The guided tour: its pages as data, and the non-modal panel that walks through them. */
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useShortcuts } from '../../src/app/components/use-shortcuts.ts';
import { useLabStore } from '../../src/app/lab-context.tsx';
import { TourButton } from '../../src/app/tour/Tour.tsx';
import { TOUR_PAGES, type Lab, type TourPage } from '../../src/app/tour/tour-pages.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { config, makeLab, renderWithStore } from '../helpers/render-lab.tsx';
import { makeDelayedLab } from '../helpers/delayed-worker.ts';

afterEach(cleanup);

/** the lab's global shortcuts, as the app installs them */
function Shortcuts() {
  useShortcuts(useLabStore());
  return null;
}

function setup(pages?: TourPage[]) {
  const lab = makeLab();
  const user = userEvent.setup();
  renderWithStore(
    <>
      <Shortcuts />
      <TourButton pages={pages} />
    </>,
    lab.store,
  );
  const tourButton = () => screen.getByRole('button', { name: 'Tour' });
  const panel = () => screen.queryByRole('dialog');
  const button = (name: string) => within(panel()!).getByRole('button', { name }) as HTMLButtonElement;
  return { lab, user, tourButton, panel, button, state: () => lab.store.getState() };
}

describe('TOUR_PAGES', () => {
  it('has 7 to 9 pages with unique ids, a title and plain-text paragraphs, from the categorical policy to on-policy plus a negative gradient', () => {
    expect(TOUR_PAGES.length).toBeGreaterThanOrEqual(7);
    expect(TOUR_PAGES.length).toBeLessThanOrEqual(9);
    expect(new Set(TOUR_PAGES.map((p) => p.id)).size).toBe(TOUR_PAGES.length);
    for (const page of TOUR_PAGES) {
      expect(page.title.trim().length).toBeGreaterThan(5);
      expect(page.body.length).toBeGreaterThan(0);
      for (const paragraph of page.body) {
        expect(paragraph.trim().length).toBeGreaterThan(40);
        expect(paragraph).not.toMatch(/<[a-z]/i);
      }
    }
    expect(TOUR_PAGES[0].title).toMatch(/policy/i);
    expect(TOUR_PAGES[TOUR_PAGES.length - 1].title).toMatch(/on-policy.*negative gradient/i);
  });

  it('each page\'s enter hook sets the lab up without complaint: a real preset, the right page', () => {
    const lab = makeLab();
    const expected: Record<string, { preset: string | null; page: 'lab' | 'theory'; playing: boolean }> = {
      'categorical-policy': { preset: 'f1-r1', page: 'lab', playing: false },
      rewards: { preset: 'f1-r2', page: 'lab', playing: true },
      'offline-maximum-likelihood': { preset: 'f1-r1', page: 'lab', playing: true },
      'negative-gradient': { preset: 'f4-r1', page: 'lab', playing: true },
      'on-policy': { preset: 'f1-r1', page: 'lab', playing: true },
      'mode-seeking': { preset: 'f1-r1', page: 'theory', playing: false },
      'how-on-policy': { preset: 'f2-r1', page: 'lab', playing: true },
      'sample-reuse': { preset: 'f3-r1', page: 'lab', playing: true },
      'putting-it-together': { preset: 'f6-r1', page: 'lab', playing: true },
    };
    expect(TOUR_PAGES.map((p) => p.id)).toEqual(Object.keys(expected));
    let previous: TourPage | null = null;
    for (const page of TOUR_PAGES) {
      act(() => {
        previous?.leave?.(lab.store.getState());
        page.enter?.(lab.store.getState());
      });
      const state = lab.store.getState();
      expect({ preset: state.preset, page: state.page, playing: state.playing }, page.id).toEqual(expected[page.id]);
      if (state.preset) expect(findPreset(state.preset)).toBeDefined();
      expect(state.notice, page.id).toBeNull();
      previous = page;
    }
    // the offline maximum-likelihood page shows offline best-of-N alone
    act(() => TOUR_PAGES[2].enter?.(lab.store.getState()));
    expect(lab.store.getState().hidden).toEqual(['offline IPO', 'on-policy best-of-N', 'on-policy IPO', 'REINFORCE']);
  });
});

describe('TourButton', () => {
  it('opens a non-modal panel on the first page, with its title focused, and enters that page', async () => {
    const { user, tourButton, panel, button, state } = setup();
    expect(tourButton().getAttribute('aria-expanded')).toBe('false');
    await user.click(tourButton());
    const dialog = panel()!;
    expect(dialog.getAttribute('aria-modal')).toBe('false');
    expect(dialog.tagName).not.toBe('DIALOG');
    expect(tourButton().getAttribute('aria-expanded')).toBe('true');
    expect(tourButton().getAttribute('aria-controls')).toBe(dialog.id);
    const title = within(dialog).getByRole('heading', { level: 2 });
    expect(title.textContent).toBe(TOUR_PAGES[0].title);
    expect(screen.getByRole('dialog', { name: TOUR_PAGES[0].title })).toBe(dialog);
    expect(document.activeElement).toBe(title);
    expect(dialog.textContent).toContain(`page 1 of ${TOUR_PAGES.length}`);
    for (const paragraph of TOUR_PAGES[0].body) expect(dialog.textContent).toContain(paragraph);
    expect(button('Back').disabled).toBe(true);
    expect(state().preset).toBe('f1-r1');
  });

  it('Next and Back leave one page and enter the other; Next is disabled on the last page', async () => {
    const { user, tourButton, panel, button, state } = setup();
    await user.click(tourButton());
    await user.click(button('Next'));
    expect(within(panel()!).getByRole('heading', { level: 2 }).textContent).toBe(TOUR_PAGES[1].title);
    expect(panel()!.textContent).toContain(`page 2 of ${TOUR_PAGES.length}`);
    expect(state().preset).toBe('f1-r2');
    expect(state().playing).toBe(true);
    await user.click(button('Back'));
    // leaving page 2 paused the lab; page 1 loaded F1 on R1 again
    expect(state().playing).toBe(false);
    expect(state().preset).toBe('f1-r1');
    for (let i = 1; i < TOUR_PAGES.length; i++) await user.click(button('Next'));
    expect(panel()!.textContent).toContain(`page ${TOUR_PAGES.length} of ${TOUR_PAGES.length}`);
    expect(button('Next').disabled).toBe(true);
    expect(state().preset).toBe('f6-r1');
  });

  it('← and → turn the pages while the panel has focus, without stepping the lab; Esc closes it and gives focus back', async () => {
    const { user, tourButton, panel, state } = setup();
    await user.click(tourButton());
    await user.keyboard('{ArrowRight}');
    expect(within(panel()!).getByRole('heading', { level: 2 }).textContent).toBe(TOUR_PAGES[1].title);
    // page 2 plays; the lab's own → ("one gradient step") would have paused it
    expect(state().playing).toBe(true);
    expect(state().runs.every((r) => r.step === 0)).toBe(true);
    await user.keyboard('{ArrowRight}');
    expect(within(panel()!).getByRole('heading', { level: 2 }).textContent).toBe(TOUR_PAGES[2].title);
    await user.keyboard('{ArrowLeft}');
    expect(within(panel()!).getByRole('heading', { level: 2 }).textContent).toBe(TOUR_PAGES[1].title);
    await user.keyboard('{Escape}');
    expect(panel()).toBeNull();
    expect(document.activeElement).toBe(tourButton());
    expect(tourButton().getAttribute('aria-expanded')).toBe('false');
    // closing left the page: the lab is paused
    expect(state().playing).toBe(false);
  });

  it('keeps the lab usable beside it: its shortcuts work when the focus is outside the panel', async () => {
    const { user, tourButton, panel, state } = setup();
    await user.click(tourButton());
    (document.activeElement as HTMLElement).blur();
    await user.keyboard('{ArrowRight}');
    expect(state().runs.every((r) => r.step === 1)).toBe(true);
    expect(within(panel()!).getByRole('heading', { level: 2 }).textContent).toBe(TOUR_PAGES[0].title);
  });

  it('calls leave of the page it leaves and enter of the page it enters, with the store\'s state', async () => {
    const calls: string[] = [];
    const seen: Lab[] = [];
    const page = (id: string): TourPage => ({
      id,
      title: `Page ${id}`,
      body: ['A paragraph long enough to read as a paragraph of the tour.'],
      enter: vi.fn((lab: Lab) => {
        calls.push(`enter ${id}`);
        seen.push(lab);
      }),
      leave: vi.fn(() => calls.push(`leave ${id}`)),
    });
    const { user, tourButton, button, state } = setup([page('a'), page('b'), page('c')]);
    await user.click(tourButton());
    await user.click(button('Next'));
    await user.click(button('Next'));
    await user.click(button('Back'));
    await user.click(button('Close'));
    expect(calls).toEqual(['enter a', 'leave a', 'enter b', 'leave b', 'enter c', 'leave c', 'enter b', 'leave b']);
    expect(seen[0].config).toBe(state().config);
    expect(typeof seen[0].loadPreset).toBe('function');
    // reopened, it goes on where it was closed
    await user.click(tourButton());
    expect(calls.at(-1)).toBe('enter b');
  });

  it('a page that loads a preset and plays starts playing once the new comparison has loaded, even if the old one had finished', async () => {
    const short = config({ runs: [{ name: 'short', objective: 'reinforce', steps: 5 }] });
    const { store, worker } = makeDelayedLab(short);
    const user = userEvent.setup();
    const pages: TourPage[] = [
      { id: 'play-it', title: 'Play it', body: ['Loads a preset and plays it, as a tour page does.'], enter: (lab) => {
        lab.loadPreset('script-ipo');
        lab.play();
      } },
    ];
    renderWithStore(<TourButton pages={pages} />, store);
    act(() => {
      store.getState().setSpeed('auto');
      store.getState().play();
    });
    act(() => worker().advance(500));
    expect(store.getState().runs.every((r) => r.finished)).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Tour' }));
    // not refused ("every run has finished"), only waiting for the worker
    expect(store.getState().notice).toBeNull();
    act(() => worker().deliver());
    expect(store.getState().preset).toBe('script-ipo');
    expect(store.getState().playing).toBe(true);
    act(() => worker().advance(100));
    expect(store.getState().runs[0].step).toBeGreaterThan(0);
  });
});
