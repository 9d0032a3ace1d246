// @vitest-environment happy-dom
/** "Predict, then run": the loaded preset's question, locked before Play and answered by the runs. */
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { PredictQuestion } from '../../src/app/presets/PredictQuestion.tsx';
import { findPreset } from '../../src/lab/config/presets.ts';
import { F1, makeLab, renderWithStore } from '../helpers/render-lab.tsx';
import { makeDelayedLab } from '../helpers/delayed-worker.ts';

afterEach(cleanup);

function setup(preset: string | null = 'script-ipo') {
  const lab = makeLab();
  const user = userEvent.setup();
  if (preset) act(() => void lab.store.getState().loadPreset(preset));
  renderWithStore(<PredictQuestion />, lab.store);
  const region = () => screen.getByRole('region', { name: 'Predict, then run' });
  const radios = () => within(region()).getAllByRole('radio') as HTMLInputElement[];
  const lockIn = () => within(region()).queryByRole('button', { name: 'Lock in my prediction' }) as HTMLButtonElement | null;
  const showAnswer = () => within(region()).queryByRole('button', { name: 'Show the answer' });
  /** play every run to its end, as fast as possible */
  const runToEnd = () => {
    act(() => {
      lab.store.getState().setSpeed('auto');
      lab.store.getState().play();
    });
    for (let i = 0; i < 50 && !lab.store.getState().runs.every((r) => r.finished); i++) lab.advance(200);
    expect(lab.store.getState().runs.every((r) => r.finished)).toBe(true);
  };
  return { lab, user, region, radios, lockIn, showAnswer, runToEnd, state: () => lab.store.getState() };
}

describe('PredictQuestion', () => {
  it('shows nothing when the experiment is not a preset', () => {
    setup(null);
    expect(screen.queryByRole('region', { name: 'Predict, then run' })).toBeNull();
  });

  it('asks the preset\'s question with one radio per option; the lock-in waits for a choice', async () => {
    const { user, region, radios, lockIn } = setup();
    const question = findPreset('script-ipo')!.question;
    const group = within(region()).getByRole('group', { name: question.prompt });
    expect(within(group).getAllByRole('radio').map((r) => (r.closest('label') as HTMLElement).textContent)).toEqual(question.options);
    expect(lockIn()!.disabled).toBe(true);
    await user.click(within(group).getByLabelText(question.options[0]));
    expect(lockIn()!.disabled).toBe(false);
    expect(radios()[0].checked).toBe(true);
    // nothing of the answer before it is earned
    expect(region().textContent).not.toContain(question.reveal);
  });

  it('locking in disables the options and says to press Play; the answer appears once every run has finished', async () => {
    const { user, region, radios, lockIn, runToEnd, showAnswer } = setup();
    const question = findPreset('script-ipo')!.question;
    await user.click(radios()[question.answer]);
    await user.click(lockIn()!);
    expect(radios().every((r) => r.disabled)).toBe(true);
    expect(lockIn()).toBeNull();
    expect(region().textContent).toContain(`Locked in: “${question.options[question.answer]}”. Now press Play`);
    expect(region().textContent).not.toContain(question.reveal);

    runToEnd();
    expect(region().textContent).toContain('Every run has finished. You predicted it.');
    expect(region().textContent).toContain(`The runs' answer: “${question.options[question.answer]}”.`);
    expect(region().textContent).toContain(question.reveal);
    expect(showAnswer()).toBeNull();
    const answerLabel = radios()[question.answer].closest('label')!;
    expect(answerLabel.textContent).toContain('the runs\' answer');
  });

  it('a wrong prediction is told so', async () => {
    const { user, region, radios, lockIn, runToEnd } = setup();
    const question = findPreset('script-ipo')!.question;
    await user.click(radios()[(question.answer + 1) % question.options.length]);
    await user.click(lockIn()!);
    runToEnd();
    expect(region().textContent).toContain('Not what you predicted.');
    expect(region().textContent).toContain(question.reveal);
  });

  it('"Show the answer" reveals it at once, without training, and closes the question', async () => {
    const { user, region, radios, showAnswer, state } = setup('f1-r1');
    const question = findPreset('f1-r1')!.question;
    await user.click(showAnswer()!);
    expect(state().runs.every((r) => r.step === 0)).toBe(true);
    expect(region().textContent).toContain(question.reveal);
    expect(region().textContent).not.toContain('Every run has finished');
    expect(radios().every((r) => r.disabled)).toBe(true);
  });

  it('a newly loaded preset brings its own, unanswered question; a changed experiment shows none', async () => {
    const { user, region, radios, lockIn, state } = setup('f1-r1');
    await user.click(radios()[0]);
    await user.click(lockIn()!);
    expect(radios()[0].disabled).toBe(true);

    act(() => void state().loadPreset('f2-r2'));
    const question = findPreset('f2-r2')!.question;
    expect(within(region()).getByRole('group', { name: question.prompt })).toBeTruthy();
    expect(radios().every((r) => !r.checked && !r.disabled)).toBe(true);
    expect(region().textContent).not.toContain('Locked in');

    act(() => void state().changeKnob({ kind: 'shared' }, 'lr', 0.1));
    expect(state().preset).toBeNull();
    expect(screen.queryByRole('region', { name: 'Predict, then run' })).toBeNull();
  });

  it('while a new preset loads, the previous comparison\'s finished runs do not answer its question', () => {
    const { store, worker } = makeDelayedLab(F1);
    act(() => void store.getState().loadPreset('script-ipo'));
    act(() => worker().deliver());
    renderWithStore(<PredictQuestion />, store);
    const region = () => screen.getByRole('region', { name: 'Predict, then run' });
    act(() => {
      store.getState().setSpeed('auto');
      store.getState().play();
    });
    act(() => worker().advance(3000));
    expect(store.getState().runs.every((r) => r.finished)).toBe(true);
    expect(region().textContent).toContain('Every run has finished.');

    // the worker has not answered yet: the store still shows the old, finished runs
    act(() => void store.getState().loadPreset('script-best-of-n'));
    expect(store.getState().runs.every((r) => r.finished)).toBe(true);
    const reveal = findPreset('script-best-of-n')!.question.reveal;
    expect(region().textContent).not.toContain(reveal);
    act(() => worker().deliver());
    expect(store.getState().runs.every((r) => r.step === 0)).toBe(true);
    expect(region().textContent).not.toContain(reveal);
  });
});
