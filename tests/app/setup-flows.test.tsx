// @vitest-environment happy-dom
/**
 * The set-up panel inside the whole app: a change that restarts asks first (the native <dialog>:
 * happy-dom's showModal only sets `open`, so the dialog's content and the store's `pending` are what is
 * checked, not focus trapping), cross-field problems beside the field, live changes in the edit log,
 * and adding, duplicating, removing and renaming runs.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../src/lab/config/experiment.ts';
import { config, makeLab, renderApp } from '../helpers/render-lab.tsx';

afterEach(cleanup);

const TWO_RUNS = config({
  runs: [
    { name: 'on-policy IPO', objective: 'ipo', S: 10, T: 15 },
    { name: 'REINFORCE', objective: 'reinforce' },
  ],
});

const valueOf = (el: HTMLElement) => (el as HTMLInputElement).value;
const isDisabled = (el: HTMLElement) => (el as HTMLButtonElement).disabled;

function setup(experiment: ExperimentConfig = TWO_RUNS) {
  const lab = makeLab(experiment);
  const user = userEvent.setup();
  renderApp(lab.store);
  const state = () => lab.store.getState();
  const sharedN = () => screen.getByLabelText('Samples per prompt (N)') as HTMLInputElement;
  const sharedLr = () => screen.getByLabelText('Learning rate') as HTMLInputElement;
  /** the set-up card of one run */
  const runCard = (name: string) => {
    const heading = screen.getByRole('heading', { level: 4, name });
    return within(heading.closest('li') as HTMLElement);
  };
  const setupCards = () => document.querySelectorAll('.run-setup-list > li').length;
  const confirmDialog = () => screen.queryByRole('alertdialog', { name: 'Restart every run?' });
  return { lab, user, state, sharedN, sharedLr, runCard, setupCards, confirmDialog };
}

describe('a change that restarts, once training has begun', () => {
  it('Enter in the field opens the "Restart every run?" dialog and it stays open (the same Enter must not answer it)', async () => {
    const { lab, user, state, sharedN, confirmDialog } = setup();
    lab.step(3);
    expect(confirmDialog()).toBeNull();
    await user.clear(sharedN());
    await user.type(sharedN(), '4{Enter}');
    expect(state().pending?.description).toBe('Set Samples per prompt (N) = 4 for every run that uses the shared value.');
    const dialog = confirmDialog();
    expect(dialog).not.toBeNull();
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(valueOf(sharedN())).toBe('4');
    expect(lab.progress()).toBe(3);
  });

  it('asks first (field committed by leaving it): "Keep training" keeps the step and the field returns to 10', async () => {
    const { lab, user, state, sharedN, confirmDialog } = setup();
    lab.step(3);
    await user.clear(sharedN());
    await user.type(sharedN(), '4');
    await user.tab();
    expect(state().pending?.description).toBe('Set Samples per prompt (N) = 4 for every run that uses the shared value.');
    const dialog = confirmDialog()!;
    expect(dialog).toBeTruthy();
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(dialog.textContent).toContain('Set Samples per prompt (N) = 4 for every run that uses the shared value.');
    expect(dialog.textContent).toContain('every run restarts from step 0 with the same initialisation (seed 1)');
    // while it asks, the field shows the value it asks about, and nothing has restarted yet
    expect(valueOf(sharedN())).toBe('4');
    expect(lab.progress()).toBe(3);

    await user.click(within(dialog).getByRole('button', { name: 'Keep training' }));
    expect(state().pending).toBeNull();
    expect(confirmDialog()).toBeNull();
    expect(state().config.defaults.N ?? 10).toBe(10);
    expect(lab.progress()).toBe(3);
    expect(screen.getByTestId('step').textContent).toBe('3');
    expect(valueOf(sharedN())).toBe('10');
  });

  it('"Restart with this change" sets N = 4 and goes back to step 0', async () => {
    const { lab, user, state, sharedN, confirmDialog } = setup();
    lab.step(3);
    await user.clear(sharedN());
    await user.type(sharedN(), '4');
    await user.tab();
    await user.click(within(confirmDialog()!).getByRole('button', { name: 'Restart with this change' }));
    expect(state().pending).toBeNull();
    expect(confirmDialog()).toBeNull();
    expect(state().config.defaults.N).toBe(4);
    expect(lab.progress()).toBe(0);
    expect(screen.getByTestId('step').textContent).toBe('0');
    expect(valueOf(sharedN())).toBe('4');
    // the restarted runs really use N = 4: one step of REINFORCE queries S·N = 40 rewards
    lab.step(1);
    expect(lab.store.view.series[1].last('queries')).toBe(40);
  });

  it('before any training a restart applies at once, without asking', async () => {
    const { lab, user, state, sharedN, confirmDialog } = setup();
    await user.clear(sharedN());
    await user.type(sharedN(), '4{Enter}');
    expect(confirmDialog()).toBeNull();
    expect(state().pending).toBeNull();
    expect(state().config.defaults.N).toBe(4);
    expect(lab.progress()).toBe(0);
  });
});

describe('problems beside the field', () => {
  it('shared N = 1 shows the cross-field rule about IPO needing N ≥ 2 and changes nothing', async () => {
    const { lab, user, state, sharedN, confirmDialog } = setup();
    lab.step(2);
    await user.clear(sharedN());
    await user.type(sharedN(), '1{Enter}');
    const knob = sharedN().closest('[data-knob="N"]') as HTMLElement;
    const alert = within(knob).getByRole('alert');
    expect(alert.textContent).toContain('IPO builds preference pairs within a prompt, so it needs N ≥ 2 (got 1)');
    expect(sharedN().getAttribute('aria-invalid')).toBe('true');
    expect(sharedN().getAttribute('aria-describedby')).toContain(alert.id);
    expect(confirmDialog()).toBeNull();
    expect(state().pending).toBeNull();
    expect(state().config.defaults.N ?? 10).toBe(10);
    expect(lab.progress()).toBe(2);
  });
});

describe('live changes', () => {
  it('a learning-rate change mid-run is logged in each run\'s edit log with its step, without a reset', async () => {
    const { lab, user, state, sharedLr, runCard, confirmDialog } = setup();
    lab.step(5);
    expect(runCard('REINFORCE').getByText(/^No live changes yet/)).toBeTruthy();
    await user.clear(sharedLr());
    await user.type(sharedLr(), '0.2{Enter}');
    expect(confirmDialog()).toBeNull();
    expect(lab.progress()).toBe(5);
    expect(state().config.edits).toEqual([
      { run: 'on-policy IPO', step: 5, key: 'lr', value: 0.2 },
      { run: 'REINFORCE', step: 5, key: 'lr', value: 0.2 },
    ]);
    for (const name of ['on-policy IPO', 'REINFORCE']) {
      const card = runCard(name);
      expect(card.getByText('Edit log (1)')).toBeTruthy();
      const log = card.getByRole('list', { name: `Live changes of ${name}` });
      const items = within(log).getAllByRole('listitem');
      expect(items).toHaveLength(1);
      // recorded at step 5, it applies from step 6
      expect(items[0].textContent).toContain('from step 6: learning rate = 0.2');
      expect(within(items[0]).getByRole('button', { name: 'Remove the change of learning rate at step 5' })).toBeTruthy();
    }
    expect(valueOf(sharedLr())).toBe('0.2');
    expect(state().runs.every((r) => r.live?.lr === 0.2)).toBe(true);

    // a second change is appended after the first
    lab.step(4);
    await user.clear(sharedLr());
    await user.type(sharedLr(), '0.01{Enter}');
    const items = within(runCard('REINFORCE').getByRole('list', { name: 'Live changes of REINFORCE' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent!.replace(/remove$/, ''))).toEqual(['from step 6: learning rate = 0.2', 'from step 10: learning rate = 0.01']);
    expect(lab.progress()).toBe(9);
  });
});

describe('runs', () => {
  it('"Add run" with DPO adds a run (a card, a policy and a set-up entry)', async () => {
    const { user, state, setupCards } = setup();
    await user.selectOptions(screen.getByLabelText('New run with'), 'dpo');
    await user.click(screen.getByRole('button', { name: 'Add run' }));
    expect(state().config.runs.map((r) => [r.name, r.objective])).toEqual([
      ['on-policy IPO', 'ipo'],
      ['REINFORCE', 'reinforce'],
      ['DPO', 'dpo'],
    ]);
    expect(state().info?.runs.map((r) => r.name)).toEqual(['on-policy IPO', 'REINFORCE', 'DPO']);
    expect(setupCards()).toBe(3);
    expect(screen.getByRole('heading', { level: 3, name: 'Runs (3)' })).toBeTruthy();
    expect(screen.getByRole('article', { name: 'DPO' })).toBeTruthy();
  });

  it('adding a run after training has begun asks first', async () => {
    const { lab, user, state, confirmDialog } = setup();
    lab.step(2);
    await user.selectOptions(screen.getByLabelText('New run with'), 'dpo');
    await user.click(screen.getByRole('button', { name: 'Add run' }));
    const dialog = confirmDialog()!;
    expect(dialog.textContent).toContain('Add the run “DPO”.');
    expect(dialog.textContent).toContain('The comparison will have 3 runs.');
    await user.click(within(dialog).getByRole('button', { name: 'Restart with this change' }));
    expect(state().config.runs).toHaveLength(3);
    expect(lab.progress()).toBe(0);
  });

  it('Duplicate copies a run; Remove removes one; Remove is disabled for the last run', async () => {
    const { user, state, runCard, setupCards } = setup(config({ runs: [{ name: 'REINFORCE', objective: 'reinforce', lr: 0.3 }] }));
    expect(isDisabled(runCard('REINFORCE').getByRole('button', { name: 'Remove' }))).toBe(true);
    await user.click(runCard('REINFORCE').getByRole('button', { name: 'Duplicate' }));
    expect(state().config.runs).toEqual([
      { name: 'REINFORCE', objective: 'reinforce', lr: 0.3 },
      { name: 'REINFORCE (copy)', objective: 'reinforce', lr: 0.3 },
    ]);
    expect(setupCards()).toBe(2);
    expect(isDisabled(runCard('REINFORCE').getByRole('button', { name: 'Remove' }))).toBe(false);
    expect(isDisabled(runCard('REINFORCE (copy)').getByRole('button', { name: 'Remove' }))).toBe(false);

    await user.click(runCard('REINFORCE').getByRole('button', { name: 'Remove' }));
    expect(state().config.runs.map((r) => r.name)).toEqual(['REINFORCE (copy)']);
    expect(state().info?.runs.map((r) => r.name)).toEqual(['REINFORCE (copy)']);
    expect(setupCards()).toBe(1);
    expect(isDisabled(runCard('REINFORCE (copy)').getByRole('button', { name: 'Remove' }))).toBe(true);
  });

  it('renaming a run keeps the step and the training so far', async () => {
    const { lab, user, state, runCard, confirmDialog } = setup();
    lab.step(7);
    const before = Array.from(lab.store.view.series[1].columns.expected_reward.slice(0, 8));
    const name = runCard('REINFORCE').getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'PG{Enter}');
    expect(confirmDialog()).toBeNull();
    expect(state().config.runs.map((r) => r.name)).toEqual(['on-policy IPO', 'PG']);
    expect(state().runs.map((r) => [r.name, r.step])).toEqual([
      ['on-policy IPO', 7],
      ['PG', 7],
    ]);
    expect(Array.from(lab.store.view.series[1].columns.expected_reward.slice(0, 8))).toEqual(before);
    expect(screen.getByRole('heading', { level: 4, name: 'PG' })).toBeTruthy();
    expect(screen.getByRole('article', { name: 'PG' })).toBeTruthy();
    expect(screen.getByTestId('step').textContent).toBe('7');
  });

  it('a name that is already taken is refused beside the field', async () => {
    const { lab, user, state, runCard } = setup();
    lab.step(2);
    const name = runCard('REINFORCE').getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'on-policy IPO{Enter}');
    expect(runCard('REINFORCE').getByRole('alert').textContent).not.toBe('');
    expect(state().config.runs.map((r) => r.name)).toEqual(['on-policy IPO', 'REINFORCE']);
    expect(lab.progress()).toBe(2);
  });
});
