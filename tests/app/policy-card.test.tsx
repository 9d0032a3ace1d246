// @vitest-environment happy-dom
/**
 * A run's card (its state line and readings) and the failure banner, against a real store and the
 * in-process training session.
 */
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyCard } from '../../src/app/components/PolicyCard.tsx';
import { StatusBanners } from '../../src/app/components/StatusBanners.tsx';
import type { LabStore } from '../../src/app/store/lab-store.ts';
import { Comparison } from '../../src/lab/train.ts';
import { config, F1, makeLab, renderWithStore } from '../helpers/render-lab.tsx';

afterEach(cleanup);

function Cards({ count }: { count: number }) {
  return (
    <>
      {Array.from({ length: count }, (_, i) => (
        <PolicyCard key={i} index={i} />
      ))}
    </>
  );
}

const card = (name: string) => within(screen.getByRole('article', { name }));
const metric = (name: string, key: string) => card(name).getByText((_, el) => el?.getAttribute('data-metric') === key);

/** the readings shown on every card agree with the store's live view */
function expectReadingsMatch(store: LabStore) {
  store.view.info!.runs.forEach((run, i) => {
    const series = store.view.series[i];
    expect(series.length).toBeGreaterThan(0);
    for (const key of ['expected_reward', 'peak_mass', 'kl_pi_ref'] as const) {
      expect(metric(run.name, key).textContent, `${run.name} ${key}`).toBe(series.last(key).toFixed(3));
    }
  });
}

// RWR with a tiny temperature: exp(r/τ) overflows, so the first SGD step makes the logits infinite
const DIVERGING = config({
  runs: [
    { name: 'steady', objective: 'reinforce', steps: 100 },
    { name: 'blows up', objective: 'rwr', optimizer: 'sgd', lr: 100, rwrTemperature: 0.001 },
  ],
});

describe('PolicyCard', () => {
  it('the diverging config really diverges in the core (at step 1)', () => {
    const comparison = new Comparison(DIVERGING);
    comparison.advance();
    expect(comparison.runs[1].diverged).toEqual({ step: 1, reason: 'a logit became NaN or infinite' });
    expect(comparison.runs[0].diverged).toBeNull();
  });

  it('a diverged run says "diverged at step …" as an alert; the other run goes on', () => {
    const lab = makeLab(DIVERGING);
    renderWithStore(<Cards count={2} />, lab.store);
    expect(screen.queryByRole('alert')).toBeNull();
    lab.step(3);
    const alert = card('blows up').getByRole('alert');
    expect(alert.textContent).toBe('diverged at step 1: a logit became NaN or infinite');
    expect(screen.getByRole('article', { name: 'blows up' }).className).toContain('is-diverged');
    expect(card('steady').queryByRole('alert')).toBeNull();
    expect(card('steady').getByText(/^step 3 of 100 · epoch \d+$/)).toBeTruthy();
    expect(lab.store.getState().runs.map((r) => r.step)).toEqual([3, 1]);
    expectReadingsMatch(lab.store);
  });

  it('a run that diverges after a live change says at which step', () => {
    const lab = makeLab(config({ runs: [{ name: 'rwr', objective: 'rwr', optimizer: 'sgd', lr: 100, steps: 200 }] }));
    renderWithStore(<Cards count={1} />, lab.store);
    lab.step(10);
    expect(card('rwr').queryByRole('alert')).toBeNull();
    lab.store.getState().changeKnob({ kind: 'run', run: 'rwr' }, 'rwrTemperature', 0.001);
    lab.step(5);
    expect(card('rwr').getByRole('alert').textContent).toBe('diverged at step 11: a logit became NaN or infinite');
  });

  it('a finished run says "finished at step N"; readings match the live view', async () => {
    const lab = makeLab(config({ runs: [{ name: 'short', objective: 'reinforce', steps: 6 }, { name: 'longer', objective: 'best-of-n', steps: 9 }] }));
    renderWithStore(<Cards count={2} />, lab.store);
    expect(card('short').getByText('step 0 of 6 · epoch 1')).toBeTruthy();
    lab.step(6);
    expect(card('short').getByText('finished at step 6')).toBeTruthy();
    expect(card('short').queryByRole('alert')).toBeNull();
    expect(card('longer').getByText(/^step 6 of 9 · /)).toBeTruthy();
    expectReadingsMatch(lab.store);
    lab.step(5);
    expect(card('longer').getByText('finished at step 9')).toBeTruthy();
    expect(card('short').getByText('finished at step 6')).toBeTruthy();
    expectReadingsMatch(lab.store);
    expect(lab.store.view.series[0].length).toBe(7);
    expect(lab.store.view.series[1].length).toBe(10);
  });

  it('readings follow the live view while playing (F1)', () => {
    const lab = makeLab(F1);
    renderWithStore(<Cards count={5} />, lab.store);
    expectReadingsMatch(lab.store);
    const start = metric('REINFORCE', 'expected_reward').textContent;
    lab.store.getState().setSpeed(16);
    lab.store.getState().play();
    lab.advance(500);
    lab.store.getState().pause();
    expect(lab.progress()).toBeGreaterThan(200);
    expectReadingsMatch(lab.store);
    expect(metric('REINFORCE', 'expected_reward').textContent).not.toBe(start);
    // the summary for screen readers names the run and the same numbers
    const reward = lab.store.view.series[4].last('expected_reward').toFixed(3);
    expect(card('REINFORCE').getByRole('img').getAttribute('aria-label')).toContain(`expected reward ${reward}`);
  });
});

describe('StatusBanners', () => {
  it('after a crash the alert shows the message; Restart restores the previous step', async () => {
    const lab = makeLab(F1);
    const user = userEvent.setup();
    renderWithStore(<StatusBanners />, lab.store);
    expect(screen.queryByRole('alert')).toBeNull();
    lab.step(12);
    const before = Array.from(lab.store.view.series[3].columns.expected_reward.slice(0, 13));
    act(() => lab.worker().crash('boom'));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Training stopped: the training worker crashed: boom');
    expect(alert.textContent).toContain('replays the experiment to step 12');
    expect(lab.store.getState().status).toBe('failed');
    await user.click(within(alert).getByRole('button', { name: 'Restart from step 12' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(lab.workers).toHaveLength(2);
    expect(lab.workers[0].terminated).toBe(true);
    expect(lab.store.getState().status).toBe('ready');
    expect(lab.store.getState().runs.map((r) => r.step)).toEqual([12, 12, 12, 12, 12]);
    expect(Array.from(lab.store.view.series[3].columns.expected_reward.slice(0, 13))).toEqual(before);
  });

  it('a crash before any step offers to restart the worker', async () => {
    const lab = makeLab(F1);
    const user = userEvent.setup();
    renderWithStore(<StatusBanners />, lab.store);
    act(() => lab.worker().crash('boom'));
    await user.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Restart the worker' }));
    expect(lab.store.getState().status).toBe('ready');
    expect(lab.progress()).toBe(0);
  });

  it('a notice can be dismissed', async () => {
    const lab = makeLab(config({ runs: [{ name: 'a', objective: 'reinforce', steps: 2 }] }));
    const user = userEvent.setup();
    renderWithStore(<StatusBanners />, lab.store);
    lab.step(2);
    act(() => lab.store.getState().play());
    const notice = screen.getByRole('status');
    expect(notice.textContent).toContain('Every run has finished. Press Reset to train again from the start.');
    await user.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('status')).toBeNull();
    expect(lab.store.getState().notice).toBeNull();
  });
});
