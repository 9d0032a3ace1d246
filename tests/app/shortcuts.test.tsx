// @vitest-environment happy-dom
/** The lab's keyboard shortcuts, through the whole app with a real store. */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { config, makeLab, renderApp } from '../helpers/render-lab.tsx';

afterEach(cleanup);

const TWO_RUNS = config({
  runs: [
    { name: 'on-policy IPO', objective: 'ipo', S: 10, T: 15 },
    { name: 'REINFORCE', objective: 'reinforce' },
  ],
});

function setup() {
  const lab = makeLab(TWO_RUNS);
  const user = userEvent.setup();
  renderApp(lab.store);
  return { lab, user, state: () => lab.store.getState() };
}

describe('keyboard shortcuts', () => {
  it('Space and K toggle play', async () => {
    const { user, state } = setup();
    expect(document.activeElement).toBe(document.body);
    await user.keyboard(' ');
    expect(state().playing).toBe(true);
    await user.keyboard(' ');
    expect(state().playing).toBe(false);
    await user.keyboard('k');
    expect(state().playing).toBe(true);
    await user.keyboard('k');
    expect(state().playing).toBe(false);
  });

  it('ArrowRight and . take one gradient step; E one epoch; R resets', async () => {
    const { lab, user, state } = setup();
    await user.keyboard('{ArrowRight}');
    expect(state().runs.map((r) => r.step)).toEqual([1, 1]);
    await user.keyboard('..');
    expect(lab.progress()).toBe(3);
    expect(screen.getByTestId('step').textContent).toBe('3');
    // an epoch of on-policy IPO is T = 15 steps
    await user.keyboard('e');
    expect(lab.progress()).toBe(15);
    await user.keyboard('r');
    expect(state().runs.map((r) => r.step)).toEqual([0, 0]);
    expect(screen.getByTestId('step').textContent).toBe('0');
  });

  it('+, − and A change the speed', async () => {
    const { user, state } = setup();
    expect(state().speed).toBe(4);
    await user.keyboard('+');
    expect(state().speed).toBe(8);
    await user.keyboard('--');
    expect(state().speed).toBe(2);
    await user.keyboard('a');
    expect(state().speed).toBe('auto');
  });

  it('? opens the help, and other shortcuts wait while it is open', async () => {
    const { user, state } = setup();
    await user.keyboard('?');
    expect(state().helpOpen).toBe(true);
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(within(dialog).getByText('Play / pause')).toBeTruthy();
    await user.keyboard('{ArrowRight}');
    expect(state().runs.map((r) => r.step)).toEqual([0, 0]);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(state().helpOpen).toBe(false);
    expect((dialog as HTMLDialogElement).open).toBe(false);
    await user.keyboard('{ArrowRight}');
    expect(state().runs.map((r) => r.step)).toEqual([1, 1]);
  });

  it('keys typed into a text field are text, not shortcuts', async () => {
    const { lab, user, state } = setup();
    const field = screen.getByLabelText('Learning rate') as HTMLInputElement;
    await user.click(field);
    await user.keyboard(' k{ArrowRight}.er?a+');
    expect(state().playing).toBe(false);
    expect(lab.progress()).toBe(0);
    expect(state().helpOpen).toBe(false);
    expect(state().speed).toBe(4);
    // the click put the caret at the end; ArrowRight only moves it
    expect(field.value).toBe('0.05 k.er?a+');
    await user.keyboard('{Escape}');
    expect(field.value).toBe('0.05');

    // and a select keeps its own keys
    const speed = screen.getByLabelText(/^Speed/);
    speed.focus();
    await user.keyboard(' r');
    expect(state().playing).toBe(false);
    expect(state().helpOpen).toBe(false);
  });

  it('Space on a focused button presses the button once, without also toggling play', async () => {
    const { lab, user, state } = setup();
    const play = screen.getByRole('button', { name: 'Play' });
    play.focus();
    await user.keyboard(' ');
    expect(state().playing).toBe(true);
    expect(document.activeElement?.textContent).toBe('Pause');
    await user.keyboard(' ');
    expect(state().playing).toBe(false);

    // Space on Step steps once and leaves playback alone
    const step = screen.getByRole('button', { name: 'Step' });
    step.focus();
    await user.keyboard(' ');
    expect(lab.progress()).toBe(1);
    expect(state().playing).toBe(false);
  });
});
