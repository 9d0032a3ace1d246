/**
 * The Sequences page's store against a fake neural worker: the `load` it sends, metric rows accumulated
 * in order, messages about a replaced comparison dropped, acks only after a paint, set-up progress, the
 * backend report, refusals, a lost GPU device, errors, crashes and the watchdog, playback, and live changes of
 * each run's own knobs (lr for all, DPO β, PPO's clip and KL coefficient, RWR τ) with their range checks.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { QUICK_LOOK, SEQUENCES_RECOVERY_SILENCE_MS, SEQUENCES_WATCHDOG_SILENCE_MS, activeBackend } from '../../src/app/sequences/sequences-store.ts';
import { banditInfo, frame, lengthInfo, loaded, metricRow, runFrame, sample, makeTestStore, type TestStore } from './fake-neural-worker.ts';

let t: TestStore;
const state = () => t.store.getState();

beforeEach(() => {
  t = makeTestStore();
});

describe('opening a comparison', () => {
  it('starts idle, then sends one load with the preset, seed, backend override and quick look', () => {
    expect(state().status).toBe('idle');
    state().open('min-length-comparison', { seed: 3, backend: 'wasm', quick: true });
    expect(state().status).toBe('preparing');
    expect(t.workers).toHaveLength(1);
    expect(t.worker().posted).toEqual([{ type: 'load', preset: 'min-length-comparison', seed: 3, backend: 'wasm', quick: { ...QUICK_LOOK } }]);
    expect(QUICK_LOOK).toEqual({ stepFactor: 0.1, sftSteps: 40 });
  });

  it('without quick look sends no `quick`, and keeps the backend override on a later open', () => {
    state().open('official-transformer-ipo', { backend: 'cpu' });
    state().open('official-transformer-best-of-n', { seed: 2 });
    const loads = t.worker().posted;
    expect(loads[1]).toEqual({ type: 'load', preset: 'official-transformer-best-of-n', seed: 2, backend: 'cpu' });
    expect(t.workers).toHaveLength(1);
  });

  it('shows the set-up progress and the backend report while preparing', () => {
    state().open('official-onpolicy-transformer-best-of-n');
    t.worker().emit({ type: 'progress', phase: 'backend', message: 'timing wasm', fraction: 0.25 });
    expect(state().progress).toEqual({ phase: 'backend', message: 'timing wasm', fraction: 0.25 });
    const candidates = [
      { backend: 'webgpu', ok: false, reason: 'no adapter' },
      { backend: 'wasm', ok: true, msPerStep: 95 },
    ];
    t.worker().emit({ type: 'backend', backend: 'wasm', detail: 'wasm was fastest', candidates });
    expect(state().backendReport).toEqual({ backend: 'wasm', detail: 'wasm was fastest', candidates });
    expect(activeBackend(state())).toBe('wasm');
    t.worker().emit({ type: 'progress', phase: 'sft', message: 'SFT step 10 of 400', fraction: 0.025 });
    expect(state().progress?.phase).toBe('sft');
    expect(state().status).toBe('preparing');
  });

  it('is ready once loaded, with one run per info run at step 0 and the first rows', () => {
    state().open('min-length-comparison');
    const info = lengthInfo();
    t.worker().emit(loaded(info));
    expect(state().status).toBe('ready');
    expect(state().progress).toBeNull();
    expect(state().info).toBe(info);
    expect(state().runs.map((r) => r.name)).toEqual(info.runs.map((r) => r.name));
    expect(state().runs.map((r) => r.rows.length)).toEqual([1, 1, 1, 1]);
    expect(state().runs[0].live).toEqual({ lr: 1e-3, dpoBeta: 0.1 });
    expect(state().runs.map((r) => r.liveKeys)).toEqual(info.runs.map((r) => r.liveKeys));
    expect(state().runs[0].lengths).toHaveLength(9);
  });
});

describe('frames', () => {
  beforeEach(() => {
    state().open('official-onpolicy-transformer-best-of-n');
    t.worker().emit(loaded(banditInfo()));
    t.paint();
  });

  it('accumulate new metric rows in order, and replace the heatmap and samples with the latest', () => {
    const info = banditInfo();
    const samples = [sample([3, 20, 21, 19, 20, 22, 20, 18, 20, 20], 0.9, 0.5)];
    t.worker().emit(frame(info, [runFrame(info, 2, { newRows: [metricRow(1), metricRow(2)], samples })]));
    t.worker().emit(frame(info, [runFrame(info, 3, { newRows: [metricRow(3)], heatmap: [] })]));
    t.worker().emit(frame(info, [runFrame(info, 5, { newRows: [metricRow(4), metricRow(5)] })], true, 12));
    const run = state().runs[0];
    expect(run.rows.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(run.step).toBe(5);
    expect(run.heatmap).toHaveLength(900);
    expect(state().playing).toBe(true);
    expect(state().stepsPerSecond).toBe(12);
  });

  it('keep the last heatmap when a frame brings none', () => {
    const info = banditInfo();
    t.worker().emit(frame(info, [runFrame(info, 1, { heatmap: [] })]));
    expect(state().runs[0].heatmap).toHaveLength(900);
  });

  it('are acknowledged only after the page has painted them', () => {
    const info = banditInfo();
    const acks = () => t.worker().posted.filter((m) => m.type === 'ack').length;
    expect(acks()).toBe(1); // the `loaded` frame
    t.worker().emit(frame(info, [runFrame(info, 1)]));
    expect(acks()).toBe(1);
    t.paint();
    expect(acks()).toBe(2);
    expect(t.worker().posted.at(-1)).toEqual({ type: 'ack' });
  });

  it('about a replaced comparison (an older load tag) are dropped and not acknowledged', () => {
    const old = banditInfo();
    state().open('min-length-comparison');
    t.paint();
    const acksBefore = t.worker().posted.filter((m) => m.type === 'ack').length;
    // still about load 1
    t.worker().emit(frame(old, [runFrame(old, 7, { newRows: [metricRow(7)] })]), 1);
    t.worker().emit({ type: 'error', message: 'old comparison broke' }, 1);
    t.worker().emit({ type: 'progress', phase: 'sft', message: 'old', fraction: 0.9 }, 1);
    expect(state().status).toBe('preparing');
    expect(state().runs).toEqual([]);
    expect(state().progress).toBeNull();
    expect(state().failure).toBeNull();
    t.paint();
    expect(t.worker().posted.filter((m) => m.type === 'ack').length).toBe(acksBefore);
    // the new one's messages are taken
    t.worker().emit(loaded(lengthInfo()), 2);
    expect(state().status).toBe('ready');
    expect(state().runs).toHaveLength(4);
  });

  it('record a finished and a diverged run', () => {
    const info = banditInfo();
    t.worker().emit(frame(info, [runFrame(info, 9, { diverged: 'loss is NaN', finished: true })], false));
    expect(state().runs[0]).toMatchObject({ step: 9, diverged: 'loss is NaN', finished: true });
    expect(state().playing).toBe(false);
  });
});

describe('playback and live changes', () => {
  beforeEach(() => {
    state().open('min-length-comparison');
    t.worker().emit(loaded(lengthInfo()));
  });

  it('play, pause, toggle and step send their messages', () => {
    state().play();
    expect(state().playing).toBe(true);
    state().togglePlay();
    expect(state().playing).toBe(false);
    state().togglePlay();
    state().step();
    expect(state().playing).toBe(false);
    expect(t.worker().types().filter((type) => type !== 'ack' && type !== 'load')).toEqual(['play', 'pause', 'play', 'step']);
  });

  it('play and step do nothing before the comparison is ready', () => {
    state().open('mode-length-comparison');
    const before = t.worker().posted.length;
    state().play();
    state().step();
    expect(t.worker().posted.length).toBe(before);
    expect(state().playing).toBe(false);
  });

  it('a finished comparison refuses to play, with a notice', () => {
    const info = lengthInfo();
    t.worker().emit(frame(info, info.runs.map(() => runFrame(info, 1000, { finished: true })), false));
    state().play();
    expect(t.worker().types()).not.toContain('play');
    expect(state().refusal).toMatch(/finished/);
  });

  it('setLive of lr sends a live change for that run and keeps its new value; a bad value is refused with the range', () => {
    expect(state().setLive('PPO', 'lr', 5e-4)).toBeNull();
    expect(t.worker().posted.at(-1)).toEqual({ type: 'live', run: 'PPO', key: 'lr', value: 5e-4 });
    expect(state().runs.find((r) => r.name === 'PPO')?.live.lr).toBe(5e-4);
    const sent = t.worker().posted.length;
    expect(state().setLive('PPO', 'lr', -1)).toBe('Learning rate must be a number greater than 0 and at most 100 (got -1)');
    expect(state().setLive('PPO', 'lr', 0)).toBe('Learning rate must be a number greater than 0 and at most 100 (got 0)');
    expect(state().setLive('PPO', 'lr', Number.NaN)).toMatch(/^Learning rate must be a number greater than 0 and at most 100/);
    expect(state().setLive('nobody', 'lr', 1e-3)).not.toBeNull();
    expect(t.worker().posted.length).toBe(sent);
    expect(state().runs.find((r) => r.name === 'PPO')?.live.lr).toBe(5e-4);
  });

  it('setLive of an objective’s own knob sends it; its range is checked with the knob’s name', () => {
    expect(state().setLive('PPO', 'ppoClip', 0.3)).toBeNull();
    expect(t.worker().posted.at(-1)).toEqual({ type: 'live', run: 'PPO', key: 'ppoClip', value: 0.3 });
    expect(state().setLive('PPO', 'klCoef', 0.5)).toBeNull();
    expect(t.worker().posted.at(-1)).toEqual({ type: 'live', run: 'PPO', key: 'klCoef', value: 0.5 });
    expect(state().setLive('Offline DPO', 'dpoBeta', 2)).toBeNull();
    expect(t.worker().posted.at(-1)).toEqual({ type: 'live', run: 'Offline DPO', key: 'dpoBeta', value: 2 });
    expect(state().setLive('On-policy RWR', 'rwrTemperature', 0.5)).toBeNull();
    expect(state().runs.find((r) => r.name === 'PPO')?.live).toEqual({ lr: 1e-3, klCoef: 0.5, ppoClip: 0.3 });
    expect(state().runs.find((r) => r.name === 'Offline DPO')?.live).toEqual({ lr: 1e-3, dpoBeta: 2 });
    // the other DPO run keeps its own β
    expect(state().runs.find((r) => r.name === 'On-policy DPO')?.live).toEqual({ lr: 1e-3, dpoBeta: 0.1 });

    const sent = t.worker().posted.length;
    expect(state().setLive('PPO', 'ppoClip', 1.5)).toBe('PPO clip ε must be a number at least 0 and at most 1 (got 1.5)');
    expect(state().setLive('PPO', 'klCoef', -0.1)).toBe('KL coefficient must be a number at least 0 and at most 100 (got -0.1)');
    expect(state().setLive('Offline DPO', 'dpoBeta', 0)).toBe('DPO temperature β must be a number greater than 0 and at most 1000 (got 0)');
    expect(state().setLive('On-policy RWR', 'rwrTemperature', 5000)).toBe('RWR temperature τ must be a number greater than 0 and at most 1000 (got 5000)');
    expect(t.worker().posted.length).toBe(sent);
    expect(state().runs.find((r) => r.name === 'PPO')?.live).toEqual({ lr: 1e-3, klCoef: 0.5, ppoClip: 0.3 });
  });

  it('setLive refuses a knob the run’s objective does not read, naming the ones it does', () => {
    const sent = t.worker().posted.length;
    expect(state().setLive('PPO', 'dpoBeta', 0.2)).toBe('PPO does not use DPO temperature β (its live knobs: Learning rate, KL coefficient, PPO clip ε)');
    expect(state().setLive('On-policy DPO', 'ppoClip', 0.2)).toMatch(/^On-policy DPO does not use PPO clip ε/);
    expect(t.worker().posted.length).toBe(sent);
  });

  it('setLive refuses a finished run', () => {
    const info = lengthInfo();
    t.worker().emit(frame(info, info.runs.map((_, i) => runFrame(info, 1000, { finished: i === 2 }, i)), false));
    expect(state().setLive('PPO', 'klCoef', 0.5)).toMatch(/^PPO has finished; reset to train it again/);
    expect(state().setLive('On-policy DPO', 'dpoBeta', 0.5)).toBeNull();
  });
});

describe('notices and failures', () => {
  beforeEach(() => {
    state().open('official-onpolicy-transformer-best-of-n', { backend: null });
    t.worker().emit({ type: 'backend', backend: 'webgpu', detail: 'webgpu was fastest', candidates: [{ backend: 'webgpu', ok: true, msPerStep: 12 }] });
    t.worker().emit(loaded(banditInfo()));
  });

  it('a refusal is a dismissable notice', () => {
    t.worker().emit({ type: 'refused', message: 'the run has finished' });
    expect(state().refusal).toBe('the run has finished');
    expect(state().status).toBe('ready');
    state().dismissRefusal();
    expect(state().refusal).toBeNull();
  });

  it('a lost GPU device switches the active backend to the fallback and says so', () => {
    t.worker().emit({ type: 'device-lost', message: 'GPU device destroyed', fallback: 'wasm' });
    expect(state().deviceLost).toEqual({ message: 'GPU device destroyed', fallback: 'wasm' });
    expect(activeBackend(state())).toBe('wasm');
    expect(state().backendReport?.backend).toBe('webgpu');
    expect(state().status).toBe('ready');
  });

  it('an error stops training with the message; restart opens the same comparison on a fresh worker', () => {
    state().play();
    t.worker().emit({ type: 'error', message: 'out of memory' });
    expect(state()).toMatchObject({ status: 'failed', failure: 'out of memory', playing: false });
    const first = t.worker();
    state().restart();
    expect(first.terminated).toBe(true);
    expect(t.workers).toHaveLength(2);
    expect(t.worker().posted).toEqual([{ type: 'load', preset: 'official-onpolicy-transformer-best-of-n', seed: 1, backend: null }]);
    expect(state().status).toBe('preparing');
    expect(state().failure).toBeNull();
    // the new worker's first load is load 1 again
    t.worker().emit(loaded(banditInfo()), 1);
    expect(state().status).toBe('ready');
  });

  it('a crashed worker fails the page; its later messages are ignored', () => {
    const crashed = t.worker();
    crashed.crash('script error');
    expect(state().status).toBe('failed');
    expect(state().failure).toMatch(/crashed: script error/);
    state().restart();
    crashed.emit({ type: 'error', message: 'late' }, 1);
    expect(state().failure).toBeNull();
  });

  it('the watchdog fails a worker silent for too long while playing, not while paused', () => {
    t.advance(SEQUENCES_WATCHDOG_SILENCE_MS + 1);
    state().checkAlive();
    expect(state().status).toBe('ready');
    state().play();
    t.advance(SEQUENCES_WATCHDOG_SILENCE_MS / 2);
    state().checkAlive();
    expect(state().status).toBe('ready');
    t.advance(SEQUENCES_WATCHDOG_SILENCE_MS);
    state().checkAlive();
    expect(state().status).toBe('failed');
    expect(state().failure).toMatch(/stopped responding/);
  });

  it('stop terminates the worker; opening again starts a fresh one', () => {
    const first = t.worker();
    state().stop();
    expect(first.terminated).toBe(true);
    expect(state().status).toBe('idle');
    state().open('official-transformer-ipo');
    expect(t.workers).toHaveLength(2);
    expect(t.worker().posted[0]).toMatchObject({ type: 'load', preset: 'official-transformer-ipo' });
  });
});

describe('reset', () => {
  beforeEach(() => {
    state().open('min-length-comparison');
    t.worker().emit(loaded(lengthInfo()));
    t.paint();
  });

  it('sends reset (and stops playing); the worker’s reset-done replaces every run’s rows and steps', () => {
    const info = lengthInfo();
    state().play();
    const edits = [
      { step: 2, key: 'lr', value: 5e-4 },
      { step: 3, key: 'dpoBeta', value: 0.5 },
    ] as const;
    t.worker().emit(
      frame(
        info,
        info.runs.map((_, i) => runFrame(info, 3, { newRows: [metricRow(1), metricRow(2), metricRow(3)], ...(i === 0 ? { live: { lr: 5e-4, dpoBeta: 0.5 }, liveEdits: [...edits] } : {}) }, i)),
      ),
    );
    expect(state().runs[0].live).toEqual({ lr: 5e-4, dpoBeta: 0.5 });
    expect(state().runs[0].rows).toHaveLength(4);
    state().reset();
    expect(state().playing).toBe(false);
    expect(t.worker().posted.at(-1)).toEqual({ type: 'reset' });
    // a frame from before the reset still on its way is applied, then replaced
    t.worker().emit(frame(info, info.runs.map(() => runFrame(info, 4, { newRows: [metricRow(4)] }))));
    t.worker().emit({ type: 'reset-done', frame: { playing: false, runs: info.runs.map((_, i) => runFrame(info, 0, i === 0 ? { liveEdits: [...edits] } : {}, i)) } });
    expect(state().runs.map((r) => [r.step, r.rows.length, r.live.lr])).toEqual(info.runs.map(() => [0, 0, 1e-3]));
    // the preset's β again, the log kept for the replay
    expect(state().runs[0].live).toEqual({ lr: 1e-3, dpoBeta: 0.1 });
    expect(state().runs[0].liveEdits).toEqual(edits);
    expect(state().runs[1].liveEdits).toEqual([]);
    expect(state().status).toBe('ready');
    // the replay's rows accumulate from step 1 again
    t.worker().emit(frame(info, info.runs.map(() => runFrame(info, 1, { newRows: [metricRow(1)] }))));
    expect(state().runs[0].rows.map((r) => r.step)).toEqual([1]);
  });

  it('does nothing before the comparison is ready; a finished comparison’s Play notice points to Reset', () => {
    state().open('mode-length-comparison');
    state().reset();
    expect(t.worker().types()).not.toContain('reset');
    t.worker().emit(loaded(lengthInfo()));
    const info = lengthInfo();
    t.worker().emit(frame(info, info.runs.map(() => runFrame(info, 1000, { finished: true })), false));
    state().play();
    expect(state().refusal).toMatch(/Reset/);
    state().reset();
    expect(state().refusal).toBeNull();
    expect(t.worker().posted.at(-1)).toEqual({ type: 'reset' });
  });
});

describe('the live values shown', () => {
  beforeEach(() => {
    state().open('min-length-comparison');
    t.worker().emit(loaded(lengthInfo()));
  });

  it('a live change shows at once; frames already on their way with the old value do not undo it; later frames rule', () => {
    const info = lengthInfo();
    state().setLive('PPO', 'lr', 5e-4);
    t.worker().emit(frame(info, info.runs.map((_, i) => runFrame(info, 1, {}, i))));
    expect(state().runs[2].live.lr).toBe(5e-4);
    const applied = { live: { lr: 5e-4, klCoef: 0.01, ppoClip: 0.2 }, liveEdits: [{ step: 1, key: 'lr' as const, value: 5e-4 }] };
    t.worker().emit(frame(info, info.runs.map((_, i) => runFrame(info, 2, i === 2 ? applied : {}, i))));
    expect(state().runs[2]).toMatchObject(applied);
    // seen once: from now on the worker's value is shown (a replayed log changes it at its step)
    t.worker().emit(frame(info, info.runs.map((_, i) => runFrame(info, 3, i === 2 ? { live: { lr: 2e-3, klCoef: 0.01, ppoClip: 0.2 } } : {}, i))));
    expect(state().runs[2].live.lr).toBe(2e-3);
  });

  it('pending values are kept per knob: the worker applying one does not drop another still on its way', () => {
    const info = lengthInfo();
    state().setLive('PPO', 'klCoef', 0.5);
    state().setLive('PPO', 'ppoClip', 0.3);
    // the worker has applied the KL coefficient but not yet the clip
    t.worker().emit(frame(info, info.runs.map((_, i) => runFrame(info, 1, i === 2 ? { live: { lr: 1e-3, klCoef: 0.5, ppoClip: 0.2 } } : {}, i))));
    expect(state().runs[2].live).toEqual({ lr: 1e-3, klCoef: 0.5, ppoClip: 0.3 });
    t.worker().emit(frame(info, info.runs.map((_, i) => runFrame(info, 2, i === 2 ? { live: { lr: 1e-3, klCoef: 0.5, ppoClip: 0.3 } } : {}, i))));
    // both seen: the worker rules again for both
    t.worker().emit(frame(info, info.runs.map((_, i) => runFrame(info, 3, i === 2 ? { live: { lr: 1e-3, klCoef: 0.7, ppoClip: 0.1 } } : {}, i))));
    expect(state().runs[2].live).toEqual({ lr: 1e-3, klCoef: 0.7, ppoClip: 0.1 });
  });
});

describe('runs hidden from the charts', () => {
  beforeEach(() => {
    state().open('min-length-comparison', { hidden: ['PPO'] });
    t.worker().emit(loaded(lengthInfo()));
  });

  it('open takes them; toggling hides and shows one; solo shows one alone, and again every run', () => {
    expect(state().hidden).toEqual(['PPO']);
    state().toggleHidden('PPO');
    expect(state().hidden).toEqual([]);
    state().toggleHidden('Offline DPO');
    expect(state().hidden).toEqual(['Offline DPO']);
    state().solo('PPO');
    expect(state().hidden).toEqual(['On-policy DPO', 'Offline DPO', 'On-policy RWR']);
    state().solo('PPO');
    expect(state().hidden).toEqual([]);
    // nothing is sent: hiding is the page's business
    expect(t.worker().types().filter((type) => type !== 'load' && type !== 'ack')).toEqual([]);
  });

  it('reopening the same comparison keeps them; another comparison starts with every run shown', () => {
    state().open('min-length-comparison', { seed: 4 });
    expect(state().hidden).toEqual(['PPO']);
    state().open('mode-length-comparison');
    expect(state().hidden).toEqual([]);
  });
});

describe('the device-loss hook', () => {
  it('asks the worker to destroy its device once the comparison is ready', () => {
    state().open('official-onpolicy-transformer-best-of-n', { backend: 'webgpu' });
    state().simulateDeviceLoss();
    expect(t.worker().types()).not.toContain('lose-device');
    t.worker().emit(loaded(banditInfo()));
    state().simulateDeviceLoss();
    expect(t.worker().posted.at(-1)).toEqual({ type: 'lose-device' });
  });
});

describe('recovering from a lost GPU device', () => {
  beforeEach(() => {
    state().open('official-onpolicy-transformer-best-of-n', { backend: 'webgpu' });
    t.worker().emit(loaded(banditInfo()));
    state().play();
  });

  it('says so at once, then gives way to the device-lost notice', () => {
    t.worker().emit({ type: 'recovering', message: 'WebGPU device lost (destroyed): x; choosing another backend: wasm: ok, 50 ms/step' });
    expect(state().recovering).toMatch(/choosing another backend/);
    t.worker().emit({ type: 'device-lost', message: 'WebGPU device lost (destroyed): x; continuing on wasm from step 3', fallback: 'wasm' });
    expect(state().recovering).toBeNull();
    expect(state().deviceLost?.fallback).toBe('wasm');
  });

  it('the watchdog waits longer while the worker chooses another backend', () => {
    t.worker().emit({ type: 'recovering', message: 'choosing another backend: webgl: ok' });
    t.advance(SEQUENCES_WATCHDOG_SILENCE_MS + 1000);
    state().checkAlive();
    expect(state().status).toBe('ready');
    t.advance(SEQUENCES_RECOVERY_SILENCE_MS);
    state().checkAlive();
    expect(state().status).toBe('failed');
    expect(state().failure).toMatch(/recovering from a lost GPU device/);
  });
});
