// @vitest-environment happy-dom
/**
 * The Sequences page as a user sees it (happy-dom + Testing Library, a fake neural worker): the load it
 * sends on mount, the progress bar while preparing, the backend badge with every candidate's reason, one
 * card per run with its heatmap canvases (drawing skipped: happy-dom has no 2D context), the length
 * histogram only for length tasks, samples with ∎ and pushed-down coefficients, the live knobs each run's
 * objective reads (one labelled field each, range messages, the list of live changes), playback, the
 * preset chooser with quick look, and the failure, refusal and device-lost messages.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SequencesPage } from '../../src/app/sequences/SequencesPage.tsx';
import { requestSequencesView, sequencesViewForUrl } from '../../src/app/url/sequences-link.ts';
import type { NeuralBackendName } from '../../src/worker/neural/protocol.ts';
import { banditInfo, FakeNeuralWorker, frame, lengthInfo, loaded, metricRow, presetLive, runFrame, sample } from './fake-neural-worker.ts';

beforeAll(() => {
  // happy-dom: no canvas 2D context (the heatmaps skip drawing) and no layout (Recharts needs a ResizeObserver)
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
  if (typeof globalThis.ResizeObserver === 'undefined') {
    globalThis.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  }
});

afterEach(() => {
  cleanup();
  // the page leaves its last choice for its next mount (sequences-link.ts); each test starts from no link
  requestSequencesView(null);
});

function setup(backend: NeuralBackendName | null = null) {
  const workers: FakeNeuralWorker[] = [];
  const view = render(
    <SequencesPage
      backend={backend}
      createWorker={() => {
        const worker = new FakeNeuralWorker();
        workers.push(worker);
        return worker;
      }}
    />,
  );
  const worker = () => workers[workers.length - 1];
  const emit = (...args: Parameters<FakeNeuralWorker['emit']>) => act(() => worker().emit(...args));
  return { view, workers, worker, emit, user: userEvent.setup() };
}

const card = (name: string) => within(screen.getByRole('article', { name }));

describe('opening and preparing', () => {
  it('sends the default comparison with the URL’s backend on mount, and terminates the worker on unmount', () => {
    const { worker, view } = setup('wasm');
    expect(worker().posted[0]).toEqual({ type: 'load', preset: 'official-onpolicy-transformer-best-of-n', seed: 1, backend: 'wasm' });
    view.unmount();
    expect(worker().terminated).toBe(true);
  });

  it('shows the phase and a progress bar while preparing, and removes them once loaded', () => {
    const { emit } = setup();
    expect(screen.getByRole('progressbar')).toBeTruthy();
    emit({ type: 'progress', phase: 'backend', message: 'timing wasm', fraction: 0.25 });
    let bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(screen.getByRole('heading', { name: /Choosing the backend/ })).toBeTruthy();
    emit({ type: 'progress', phase: 'sft', message: 'SFT step 200 of 400', fraction: 0.5 });
    bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(bar.getAttribute('aria-valuetext')).toMatch(/SFT step 200 of 400/);
    expect(screen.getByRole('heading', { name: /Training the reference/ })).toBeTruthy();
    emit(loaded(banditInfo()));
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('shows the backend badge, whose details list every candidate’s outcome and reason', async () => {
    const { emit, user } = setup();
    emit({
      type: 'backend',
      backend: 'wasm',
      detail: 'wasm was the fastest of 2 working backends',
      candidates: [
        { backend: 'webgpu', ok: false, reason: 'only a fallback adapter' },
        { backend: 'webgl', ok: false, reason: 'smoke test differed from the CPU reference' },
        { backend: 'wasm', ok: true, msPerStep: 96 },
        { backend: 'cpu', ok: true, msPerStep: 880 },
      ],
    });
    const summary = screen.getByLabelText(/Backend: wasm/);
    await user.click(summary);
    const details = screen.getByRole('group', { name: 'How the backend was chosen' });
    expect(details.textContent).toMatch(/only a fallback adapter/);
    expect(details.textContent).toMatch(/smoke test differed from the CPU reference/);
    expect(details.textContent).toMatch(/wasm: chosen, 96 ms \/ step/);
    expect(details.textContent).toMatch(/cpu: works, 880 ms \/ step/);
  });

  it('the chooser lists the four official scripts and the three length comparisons, and opens one with quick look', async () => {
    const { worker, user } = setup();
    const radios = screen.getAllByRole('radio');
    expect(radios).toHaveLength(7);
    await user.click(screen.getByRole('radio', { name: /Skew length: four methods/ }));
    await user.click(screen.getByRole('checkbox', { name: /Quick look/ }));
    await user.click(screen.getByRole('button', { name: /^Open/ }));
    expect(worker().posted.at(-1)).toEqual({ type: 'load', preset: 'skew-length-comparison', seed: 1, backend: null, quick: { stepFactor: 0.1, sftSteps: 40 } });
  });
});

describe('run cards', () => {
  it('one card per run, each with its heatmap and the reference’s, and a text summary', () => {
    const { emit } = setup();
    const info = lengthInfo();
    emit(loaded(info));
    const cards = screen.getAllByRole('article');
    expect(cards.map((c) => c.getAttribute('data-run'))).toEqual(info.runs.map((r) => r.name));
    for (const element of cards) expect(element.querySelectorAll('canvas')).toHaveLength(2);
    const ppo = card('PPO');
    expect(ppo.getByRole('img', { name: /^PPO, most likely token per position: position 1: token 20 \(p 0\.30\)/ })).toBeTruthy();
    expect(ppo.getByRole('img', { name: /^π_ref, most likely token per position: position 1: token 50/ })).toBeTruthy();
    expect(ppo.getByText(/^20 20 20/)).toBeTruthy();
    expect(ppo.getByLabelText('Save image of the token heatmaps of PPO')).toBeTruthy();
  });

  it('shows a length histogram only for the length tasks', () => {
    const bandit = setup();
    bandit.emit(loaded(banditInfo()));
    expect(screen.getAllByRole('article')).toHaveLength(1);
    expect(screen.queryByRole('figure', { name: /Lengths/ })).toBeNull();
    cleanup();
    const lengths = setup();
    lengths.emit(loaded(lengthInfo()));
    const histogram = card('On-policy DPO').getByRole('img', { name: /latest samples by length/ });
    expect(histogram.getAttribute('aria-label')).toMatch(/1: 20%/);
    expect(histogram.querySelectorAll('g[data-length]')).toHaveLength(9);
    expect(screen.getAllByRole('figure', { name: /Lengths/ })).toHaveLength(4);
  });

  it('lists samples with the end token as ∎, their rewards, and negative coefficients marked as pushed down', () => {
    const { emit } = setup();
    const info = lengthInfo();
    emit(loaded(info));
    const samples = [sample([7, 12, 30, 100, 100, 100, 100, 100, 100, 100], -2, -0.25, 2), sample([9, 4, 100, 100, 100, 100, 100, 100, 100, 100], -1, 0.75, 1)];
    emit(frame(info, info.runs.map((_, i) => runFrame(info, 1, i === 0 ? { samples } : {}))));
    const list = card('On-policy DPO').getByRole('list', { name: 'Latest samples of On-policy DPO' });
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first.textContent).toMatch(/7 │ , then 12 30 ∎/);
    expect(first.textContent?.match(/∎/g)).toHaveLength(1);
    expect(first.textContent).toMatch(/r -2\.000/);
    expect(first.textContent).toMatch(/c −0\.250 ▼ pushed down/);
    expect(first.className).toMatch(/sample-down/);
    expect(second.textContent).toMatch(/pushed up/);
    expect(second.textContent).not.toMatch(/pushed down/);
  });

  it('a live lr change sends {type: live} for that run', async () => {
    const { emit, worker, user } = setup();
    emit(loaded(lengthInfo()));
    const field = card('Offline DPO').getByLabelText(/Learning rate/);
    await user.clear(field);
    await user.type(field, '0.0005{Enter}');
    expect(worker().posted.at(-1)).toEqual({ type: 'live', run: 'Offline DPO', key: 'lr', value: 0.0005 });
    await user.clear(field);
    await user.type(field, 'fast{Enter}');
    expect(card('Offline DPO').getByRole('alert').textContent).toBe('Learning rate must be a number (got "fast")');
    await user.clear(field);
    await user.type(field, '-1{Enter}');
    expect(card('Offline DPO').getByRole('alert').textContent).toBe('Learning rate must be a number greater than 0 and at most 100 (got -1)');
    expect(worker().posted.at(-1)).toEqual({ type: 'live', run: 'Offline DPO', key: 'lr', value: 0.0005 });
  });
});

describe('live knobs', () => {
  /** the accessible names of a card's live-knob fields */
  const knobFields = (run: string) =>
    within(screen.getByRole('region', { name: `Live knobs of ${run}` }))
      .getAllByRole('textbox')
      .map((input) => input.getAttribute('id'))
      .map((id) => document.querySelector(`label[for="${id}"]`)?.textContent);

  it('each card has one labelled field per knob its objective reads, showing its value', () => {
    const { emit } = setup();
    emit(loaded(lengthInfo()));
    expect(knobFields('On-policy DPO')).toEqual(['Learning rate of On-policy DPO', 'DPO temperature β of On-policy DPO']);
    expect(knobFields('Offline DPO')).toEqual(['Learning rate of Offline DPO', 'DPO temperature β of Offline DPO']);
    expect(knobFields('PPO')).toEqual(['Learning rate of PPO', 'KL coefficient of PPO', 'PPO clip ε of PPO']);
    expect(knobFields('On-policy RWR')).toEqual(['Learning rate of On-policy RWR', 'RWR temperature τ of On-policy RWR']);
    expect((screen.getByLabelText('DPO temperature β of Offline DPO') as HTMLInputElement).value).toBe('0.1');
    expect((screen.getByLabelText('KL coefficient of PPO') as HTMLInputElement).value).toBe('0.01');
    expect((screen.getByLabelText('PPO clip ε of PPO') as HTMLInputElement).value).toBe('0.2');
    expect((screen.getByLabelText('RWR temperature τ of On-policy RWR') as HTMLInputElement).value).toBe('1');
    expect(card('PPO').queryByLabelText(/DPO temperature/)).toBeNull();
    expect(card('Offline DPO').queryByLabelText(/PPO clip|KL coefficient|RWR temperature/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Set the PPO clip ε of PPO' })).toBeTruthy();
  });

  it('best-of-N without a negative gradient has the learning rate alone', () => {
    const { emit } = setup();
    emit(loaded(banditInfo()));
    expect(knobFields('on-policy best-of-N')).toEqual(['Learning rate of on-policy best-of-N']);
  });

  it('a change of an objective’s knob sends it for that run; a value out of range is refused with the knob and its range', async () => {
    const { emit, worker, user } = setup();
    emit(loaded(lengthInfo()));
    const beta = screen.getByLabelText('DPO temperature β of On-policy DPO') as HTMLInputElement;
    await user.clear(beta);
    await user.type(beta, '0.5{Enter}');
    expect(worker().posted.at(-1)).toEqual({ type: 'live', run: 'On-policy DPO', key: 'dpoBeta', value: 0.5 });
    expect(beta.value).toBe('0.5');
    // the other DPO run keeps its β
    expect((screen.getByLabelText('DPO temperature β of Offline DPO') as HTMLInputElement).value).toBe('0.1');

    const clip = screen.getByLabelText('PPO clip ε of PPO') as HTMLInputElement;
    await user.clear(clip);
    await user.type(clip, '1.5{Enter}');
    const alert = card('PPO').getByRole('alert');
    expect(alert.textContent).toBe('PPO clip ε must be a number at least 0 and at most 1 (got 1.5)');
    expect(clip.getAttribute('aria-invalid')).toBe('true');
    expect(clip.getAttribute('aria-describedby')).toBe(alert.id);
    expect(worker().posted.at(-1)).toEqual({ type: 'live', run: 'On-policy DPO', key: 'dpoBeta', value: 0.5 });
    await user.clear(clip);
    await user.type(clip, '0.1{Enter}');
    expect(card('PPO').queryByRole('alert')).toBeNull();
    expect(worker().posted.at(-1)).toEqual({ type: 'live', run: 'PPO', key: 'ppoClip', value: 0.1 });
  });

  it('the fields of a finished run are disabled', () => {
    const { emit } = setup();
    const info = lengthInfo();
    emit(loaded(info));
    emit(frame(info, info.runs.map((_, i) => runFrame(info, 1000, { finished: i === 2 }, i)), false));
    expect((screen.getByLabelText('KL coefficient of PPO') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText('DPO temperature β of Offline DPO') as HTMLInputElement).disabled).toBe(false);
  });

  it('the card lists the live changes with their steps and knobs', () => {
    const { emit } = setup();
    const info = lengthInfo();
    emit(loaded(info));
    expect(card('PPO').queryByText(/Live changes/)).toBeNull();
    const edits = [
      { step: 1, key: 'lr', value: 5e-4 },
      { step: 2, key: 'klCoef', value: 0.5 },
      { step: 2, key: 'ppoClip', value: 0.1 },
    ] as const;
    emit(frame(info, info.runs.map((_, i) => runFrame(info, 3, i === 2 ? { live: { lr: 5e-4, klCoef: 0.5, ppoClip: 0.1 }, liveEdits: [...edits] } : {}, i)), false));
    expect(card('PPO').getByText('Live changes (Reset replays them): after step 1, learning rate = 0.0005; after step 2, KL coefficient = 0.5; after step 2, PPO clip ε = 0.1.')).toBeTruthy();
    expect((screen.getByLabelText('KL coefficient of PPO') as HTMLInputElement).value).toBe('0.5');
    expect(card('Offline DPO').queryByText(/Live changes/)).toBeNull();
  });
});

describe('metric charts', () => {
  it('show reward, KL per token and loss for every run, and mean length only for length tasks', async () => {
    const bandit = setup();
    bandit.emit(loaded(banditInfo()));
    expect(await screen.findByRole('figure', { name: /^Reward/ })).toBeTruthy();
    expect(screen.getByRole('figure', { name: /^KL\(π‖π_ref\) per token/ })).toBeTruthy();
    expect(screen.getByRole('figure', { name: /^Loss/ })).toBeTruthy();
    expect(screen.queryByRole('figure', { name: /^Mean length/ })).toBeNull();
    expect(screen.getByLabelText('Save image of the chart Reward')).toBeTruthy();
    cleanup();
    const lengths = setup();
    lengths.emit(loaded(lengthInfo()));
    expect(await screen.findByRole('figure', { name: /^Mean length/ })).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Runs shown in the charts' })).getAllByRole('listitem')).toHaveLength(4);
  });
});

describe('playback and messages', () => {
  it('Play, Pause and Step send play, pause and step; steps/s shows while playing', async () => {
    const { emit, worker, user } = setup();
    const toolbar = within(screen.getByRole('toolbar', { name: 'Playback' }));
    expect((toolbar.getByRole('button', { name: 'Play' }) as HTMLButtonElement).disabled).toBe(true);
    const info = banditInfo();
    emit(loaded(info));
    await user.click(toolbar.getByRole('button', { name: 'Play' }));
    emit(frame(info, [runFrame(info, 3)], true, 9.5));
    expect(toolbar.getByText('9.5')).toBeTruthy();
    await user.click(toolbar.getByRole('button', { name: 'Pause' }));
    await user.click(toolbar.getByRole('button', { name: 'Step' }));
    expect(worker().types().filter((type) => ['play', 'pause', 'step'].includes(type))).toEqual(['play', 'pause', 'step']);
  });

  it('says clearly when training stopped, offers a restart, and shows refusals and a lost device', async () => {
    const { emit, workers, user } = setup();
    emit(loaded(banditInfo()));
    emit({ type: 'refused', message: 'that run has finished' });
    expect(screen.getByRole('status').textContent).toMatch(/that run has finished/);
    emit({ type: 'recovering', message: 'WebGPU device lost (destroyed): x; choosing another backend: wasm: ok, 50 ms/step' });
    expect(screen.getAllByRole('alert').some((a) => /GPU device was lost.*Choosing another backend.*wasm: ok/.test(a.textContent ?? ''))).toBe(true);
    emit({ type: 'device-lost', message: 'the GPU device was destroyed', fallback: 'wasm' });
    expect(screen.queryByText(/Choosing another backend/)).toBeNull();
    const alerts = screen.getAllByRole('alert');
    expect(alerts.some((a) => /GPU device was lost.*wasm/.test(a.textContent ?? ''))).toBe(true);
    expect(screen.getByLabelText(/Backend: wasm \(after a GPU device loss\)/)).toBeTruthy();
    emit({ type: 'error', message: 'tfjs ran out of memory' });
    expect(screen.getAllByRole('alert').some((a) => /Training stopped:.*tfjs ran out of memory/.test(a.textContent ?? ''))).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Restart the comparison' }));
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].posted[0]).toMatchObject({ type: 'load', preset: 'official-onpolicy-transformer-best-of-n' });
    expect(screen.getByRole('progressbar')).toBeTruthy();
  });

  it('the backend details close with Escape', () => {
    const { emit } = setup();
    emit({ type: 'backend', backend: 'cpu', detail: 'forced', candidates: [{ backend: 'cpu', ok: true }] });
    const details = screen.getByLabelText(/Backend: cpu/).closest('details') as HTMLDetailsElement;
    details.open = true;
    fireEvent.keyDown(details, { key: 'Escape' });
    expect(details.open).toBe(false);
  });
});

describe('reset', () => {
  it('is offered once a run has stepped; it sends reset, and the worker’s answer puts every card back to step 0', async () => {
    const { emit, worker, user } = setup();
    const info = lengthInfo();
    emit(loaded(info));
    const reset = () => within(screen.getByRole('toolbar', { name: 'Playback' })).getByRole('button', { name: 'Reset' }) as HTMLButtonElement;
    expect(reset().disabled).toBe(true);
    const edits = [{ step: 1, key: 'lr', value: 5e-4 }] as const;
    emit(frame(info, info.runs.map((_, i) => runFrame(info, 2, { newRows: [metricRow(1), metricRow(2)], live: { ...presetLive(info.runs[i]), lr: 5e-4 }, liveEdits: [...edits] }, i)), false));
    expect(card('PPO').getByText('step 2 of 1000')).toBeTruthy();
    expect(card('PPO').getByText(/Live changes \(Reset replays them\): after step 1, learning rate = 0\.0005/)).toBeTruthy();
    expect((card('PPO').getByLabelText(/Learning rate/) as HTMLInputElement).value).toBe('0.0005');
    expect(reset().disabled).toBe(false);
    await user.click(reset());
    expect(worker().posted.at(-1)).toEqual({ type: 'reset' });
    emit({ type: 'reset-done', frame: { playing: false, runs: info.runs.map((_, i) => runFrame(info, 0, { liveEdits: [...edits] }, i)) } });
    expect(card('PPO').getByText('step 0 of 1000')).toBeTruthy();
    expect((card('PPO').getByLabelText(/Learning rate/) as HTMLInputElement).value).toBe('0.001');
    expect(reset().disabled).toBe(true);
  });
});

describe('hiding runs from the charts', () => {
  it('unticking a run leaves it out of every chart; solo shows one alone', async () => {
    const { emit, user } = setup();
    const info = lengthInfo();
    emit(loaded(info));
    emit(frame(info, info.runs.map(() => runFrame(info, 1, { newRows: [metricRow(1)] })), false));
    const legend = within(screen.getByRole('list', { name: 'Runs shown in the charts' }));
    await screen.findByRole('figure', { name: /^Reward/ });
    const latest = () => within(screen.getByRole('figure', { name: /^Reward/ })).getByText(/^Latest:/).textContent ?? '';
    expect(latest()).toMatch(/PPO/);
    await user.click(legend.getByRole('checkbox', { name: 'PPO' }));
    expect((legend.getByRole('checkbox', { name: 'PPO' }) as HTMLInputElement).checked).toBe(false);
    // the charts redraw at most twice a second
    await waitFor(() => expect(latest()).not.toMatch(/PPO/));
    expect(latest()).toMatch(/Offline DPO/);
    await user.click(legend.getByRole('button', { name: 'solo Offline DPO' }));
    await waitFor(() => expect(latest()).toBe('Latest: Offline DPO 0.301.'));
    await user.click(legend.getByRole('button', { name: 'solo Offline DPO' }));
    await waitFor(() => expect(latest()).toMatch(/On-policy DPO.*Offline DPO.*PPO.*On-policy RWR/));
  });
});

describe('the page and the address bar', () => {
  it('opens the choice a link left for it (its seed, size and hidden runs), and shows its own choice for the link', () => {
    requestSequencesView({ preset: 'min-length-comparison', seed: 3, quick: { stepFactor: 0.004, sftSteps: 2 }, hidden: ['PPO'] });
    const { worker, emit } = setup('wasm');
    expect(worker().posted[0]).toEqual({ type: 'load', preset: 'min-length-comparison', seed: 3, backend: 'wasm', quick: { stepFactor: 0.004, sftSteps: 2 } });
    emit(loaded(lengthInfo()));
    expect((within(screen.getByRole('list', { name: 'Runs shown in the charts' })).getByRole('checkbox', { name: 'PPO' }) as HTMLInputElement).checked).toBe(false);
    expect(sequencesViewForUrl()).toEqual({ preset: 'min-length-comparison', seed: 3, quick: { stepFactor: 0.004, sftSteps: 2 }, hidden: ['PPO'] });
    expect(screen.getByRole('heading', { name: 'Min length: four methods' }).closest('section')!.textContent).toMatch(/Seed 3\..*0\.4% of the steps and at most 2 SFT steps/);
  });

  it('choosing in the chooser shows up in the link’s choice', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('radio', { name: /Mode length/ }));
    await user.click(screen.getByRole('checkbox', { name: /Quick look/ }));
    await user.click(screen.getByRole('button', { name: /^Open/ }));
    expect(sequencesViewForUrl()).toMatchObject({ preset: 'mode-length-comparison', quick: 'look', hidden: [] });
  });

  it('a link opened while it shows (Back, Forward): another comparison reopens, the same one only changes the hidden runs', () => {
    const { worker, emit } = setup();
    emit(loaded(banditInfo()));
    const loads = () => worker().posted.filter((m) => m.type === 'load');
    expect(loads()).toHaveLength(1);
    act(() => requestSequencesView({ preset: 'official-onpolicy-transformer-best-of-n', seed: 1, quick: null, hidden: ['On-policy best-of-N (official transformer script)'] }));
    expect(loads()).toHaveLength(1);
    expect(sequencesViewForUrl()?.hidden).toEqual(['On-policy best-of-N (official transformer script)']);
    act(() => requestSequencesView({ preset: 'skew-length-comparison', seed: 2, quick: 'look', hidden: [] }));
    expect(loads()).toHaveLength(2);
    expect(loads()[1]).toMatchObject({ preset: 'skew-length-comparison', seed: 2, quick: { stepFactor: 0.1, sftSteps: 40 } });
  });
});
