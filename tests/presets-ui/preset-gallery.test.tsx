// @vitest-environment happy-dom
/** The preset gallery: a dialog of every preset, grouped, each card opening its preset in the lab. */
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { groupPresets, PresetGalleryButton } from '../../src/app/presets/PresetGallery.tsx';
import { PRESETS } from '../../src/lab/config/presets.ts';
import { makeLab, renderWithStore } from '../helpers/render-lab.tsx';

afterEach(cleanup);

const GALLERY = 'Presets: the paper\'s experiments';

function setup() {
  const lab = makeLab();
  const user = userEvent.setup();
  renderWithStore(<PresetGalleryButton />, lab.store);
  const openButton = () => screen.getByRole('button', { name: 'Presets' });
  // the dialog element itself (closed, it has no accessible name: its title renders only while open)
  const gallery = () => document.querySelector<HTMLDialogElement>('dialog.preset-gallery-dialog')!;
  const card = (name: string) => gallery().querySelector<HTMLElement>(`[data-preset="${name}"]`)!;
  return { lab, user, openButton, gallery, card, state: () => lab.store.getState() };
}

describe('groupPresets', () => {
  it('puts every preset in exactly one group: F1 to F6, then the official scripts', () => {
    const groups = groupPresets();
    expect(groups.map((g) => g.id)).toEqual(['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'scripts']);
    const listed = groups.flatMap((g) => g.presets.map((p) => p.name));
    expect([...listed].sort()).toEqual(PRESETS.map((p) => p.name).sort());
    expect(groups.find((g) => g.id === 'f6')!.presets.map((p) => p.name)).toEqual(['f6-r1']);
  });
});

describe('PresetGalleryButton', () => {
  it('opens a dialog with a card per preset, grouped under headings, each with its explanation and quote', async () => {
    const { user, openButton, gallery, card } = setup();
    expect(openButton().getAttribute('aria-haspopup')).toBe('dialog');
    await user.click(openButton());
    expect(gallery().open).toBe(true);
    expect(screen.getByRole('dialog', { name: GALLERY })).toBe(gallery());
    const headings = within(gallery()).getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(headings).toEqual(groupPresets().map((g) => g.title));
    expect(within(gallery()).getAllByRole('article')).toHaveLength(PRESETS.length);
    for (const preset of PRESETS) {
      const article = card(preset.name);
      expect(within(article).getByRole('heading', { level: 4 }).textContent).toBe(preset.title);
      expect(article.textContent).toContain(preset.explanation);
      expect(article.querySelector('blockquote')!.textContent).toBe(preset.quote.text);
      expect(article.querySelector('figcaption')!.textContent).toBe(`— ${preset.quote.source}`);
      expect(within(article).getByRole('button', { name: `Open ${preset.title}` }).textContent).toBe('Open');
    }
  });

  it('"Open" loads the preset into the lab, shows the lab page and closes the gallery', async () => {
    const { user, openButton, gallery, card, state } = setup();
    act(() => state().setPage('theory'));
    await user.click(openButton());
    await user.click(within(card('f4-r1')).getByRole('button', { name: /^Open / }));
    expect(state().preset).toBe('f4-r1');
    expect(state().config.name).toBe('F4 — R1');
    expect(state().caption.title).toBe(PRESETS.find((p) => p.name === 'f4-r1')!.title);
    expect(state().page).toBe('lab');
    expect(state().runs.map((r) => r.name)).toEqual(['offline best-of-N', 'offline IPO', 'best-of-N + average_over_worse_actions', 'best-of-N + sum_over_worse_actions']);
    expect(gallery().open).toBe(false);
  });

  it('marks the preset that is in the lab now', async () => {
    const { user, openButton, card, state } = setup();
    act(() => void state().loadPreset('f6-r1'));
    await user.click(openButton());
    expect(card('f6-r1').getAttribute('aria-current')).toBe('true');
    expect(card('f6-r1').textContent).toContain('In the lab now');
    expect(card('f1-r1').getAttribute('aria-current')).toBeNull();
  });

  it('works from the keyboard: Enter opens it, Tab reaches the cards\' buttons, Enter opens a preset; Close closes', async () => {
    const { user, openButton, gallery, state } = setup();
    openButton().focus();
    await user.keyboard('{Enter}');
    expect(gallery().open).toBe(true);
    const firstOpen = within(gallery()).getAllByRole('button', { name: /^Open / })[0];
    firstOpen.focus();
    await user.tab();
    expect(document.activeElement?.getAttribute('aria-label')).toBe(`Open ${PRESETS[1].title}`);
    await user.keyboard('{Enter}');
    expect(state().preset).toBe(PRESETS[1].name);
    expect(gallery().open).toBe(false);

    await user.click(openButton());
    await user.click(within(gallery()).getByRole('button', { name: 'Close' }));
    expect(gallery().open).toBe(false);
  });
});
