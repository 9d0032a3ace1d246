// @vitest-environment happy-dom
/** The playback toolbar against a real store and the in-process training session. */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { Transport } from '../../src/app/components/Transport.tsx';
import { resolveRuns, type ExperimentConfig } from '../../src/lab/config/experiment.ts';
import { config, F1, makeLab, renderWithStore } from '../helpers/render-lab.tsx';

afterEach(cleanup);

const isDisabled = (el: HTMLElement) => (el as HTMLButtonElement).disabled;

function setup(experiment: ExperimentConfig = F1) {
  const lab = makeLab(experiment);
  const user = userEvent.setup();
  renderWithStore(<Transport />, lab.store);
  const toolbar = () => within(screen.getByRole('toolbar', { name: 'Playback' }));
  const button = (name: string) => toolbar().getByRole('button', { name });
  const steps = () => lab.store.getState().runs.map((r) => r.step);
  return { lab, user, toolbar, button, steps, state: () => lab.store.getState() };
}

describe('Transport', () => {
  it('Play toggles to Pause and back, following the store', async () => {
    const { lab, user, button, state } = setup();
    expect(state().status).toBe('ready');
    expect(state().playing).toBe(false);
    await user.click(button('Play'));
    expect(state().playing).toBe(true);
    expect(button('Pause')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Play' })).toBeNull();
    lab.advance(100);
    expect(lab.progress()).toBeGreaterThan(0);
    await user.click(button('Pause'));
    expect(state().playing).toBe(false);
    expect(button('Play')).toBeTruthy();
    const stopped = lab.progress();
    lab.advance(200);
    expect(lab.progress()).toBe(stopped);
  });

  it('Step advances every run by exactly one gradient step, Reset goes back to 0', async () => {
    const { user, button, steps, state } = setup();
    expect(steps()).toEqual([0, 0, 0, 0, 0]);
    await user.click(button('Step'));
    expect(steps()).toEqual([1, 1, 1, 1, 1]);
    await user.click(button('Step'));
    await user.click(button('Step'));
    expect(steps()).toEqual([3, 3, 3, 3, 3]);
    expect(state().playing).toBe(false);
    await user.click(button('Reset'));
    expect(steps()).toEqual([0, 0, 0, 0, 0]);
    expect(state().playing).toBe(false);
  });

  it('Epoch steps to the end of the chosen run\'s epoch', async () => {
    const { user, button, toolbar, state } = setup();
    const select = toolbar().getByLabelText('Epoch of which run') as HTMLSelectElement;
    // by default the first on-policy run: on-policy best-of-N, T = 15
    expect(select.value).toBe('on-policy best-of-N');
    await user.click(button('Epoch'));
    expect(state().runs.find((r) => r.name === 'on-policy best-of-N')!.step).toBe(15);
    await user.selectOptions(select, 'REINFORCE');
    expect(state().epochRun).toBe('REINFORCE');
    await user.click(button('Epoch'));
    expect(state().runs.find((r) => r.name === 'REINFORCE')!.step).toBe(16);
  });

  it('the speed select sets the store\'s speed', async () => {
    const { user, toolbar, state } = setup();
    const speed = toolbar().getByLabelText(/^Speed/) as HTMLSelectElement;
    expect(speed.value).toBe(String(state().speed));
    await user.selectOptions(speed, '16');
    expect(state().speed).toBe(16);
    await user.selectOptions(speed, 'as fast as possible');
    expect(state().speed).toBe('auto');
    expect(speed.value).toBe('auto');
    await user.selectOptions(speed, '1 step / frame');
    expect(state().speed).toBe(1);
  });

  it('the Epoch select lists every run with its steps per epoch (T · ⌈S/M⌉)', () => {
    const { toolbar } = setup();
    const select = toolbar().getByLabelText('Epoch of which run') as HTMLSelectElement;
    const expected = resolveRuns(F1).map((r) => {
      const n = r.T * Math.ceil(r.S / (r.M ?? r.S));
      return `of ${r.name} (${n} ${n === 1 ? 'step' : 'steps'})`;
    });
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual(expected);
    expect(Array.from(select.options).map((o) => o.value)).toEqual(F1.runs.map((r) => r.name));
    // the preset's numbers, spelled out
    expect(expected).toEqual([
      'of offline best-of-N (1500 steps)',
      'of offline IPO (300 steps)',
      'of on-policy best-of-N (15 steps)',
      'of on-policy IPO (15 steps)',
      'of REINFORCE (1 step)',
    ]);
  });

  it('disables Play, Step and Epoch once every run has finished; Reset still works', async () => {
    const { lab, user, button, toolbar, state, steps } = setup(
      config({ runs: [{ name: 'a', objective: 'reinforce', steps: 30 }, { name: 'b', objective: 'best-of-n', steps: 20 }] }),
    );
    await user.selectOptions(toolbar().getByLabelText(/^Speed/), 'auto');
    await user.click(button('Play'));
    lab.advance(200);
    expect(state().runs.every((r) => r.finished)).toBe(true);
    expect(steps()).toEqual([30, 20]);
    expect(state().playing).toBe(false);
    expect(isDisabled(button('Play'))).toBe(true);
    expect(isDisabled(button('Step'))).toBe(true);
    expect(isDisabled(button('Epoch'))).toBe(true);
    expect(isDisabled(button('Reset'))).toBe(false);
    await user.click(button('Reset'));
    expect(steps()).toEqual([0, 0]);
    expect(isDisabled(button('Play'))).toBe(false);
    expect(isDisabled(button('Step'))).toBe(false);
  });

  it('the ? button opens the keyboard help', async () => {
    const { user, toolbar, state } = setup();
    await user.click(toolbar().getByRole('button', { name: 'Keyboard shortcuts' }));
    expect(state().helpOpen).toBe(true);
  });
});
