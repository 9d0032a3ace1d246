/**
 * The lab store against the real training session (in-process, with a clock the test drives): playback,
 * live knobs and their edit log, changes that restart, and recovery from a crashed worker.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseExperimentConfigOrThrow, type ExperimentConfig } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { Comparison } from '../../src/lab/train.ts';
import { progressOf, type LabStore, type StoreDeps } from '../../src/app/store/lab-store.ts';
import { createTestStore, type InProcessWorker } from '../helpers/in-process-worker.ts';

const F1 = parseExperimentConfigOrThrow(findPreset('f1-r1')!.config);

let workers: InProcessWorker[];
let store: LabStore;
const worker = () => workers[workers.length - 1];
const state = () => store.getState();
const runStep = (name: string) => state().runs.find((r) => r.name === name)!.step;

function makeStore(config: ExperimentConfig = F1, extra: Partial<StoreDeps> = {}): LabStore {
  const lab = createTestStore(config, extra);
  workers = lab.workers;
  return lab.store;
}

/** run `index`'s metric as the store's live view holds it: [row, value] for every kept row and the latest */
function column(index: number, key: 'expected_reward' | 'kl_pi_ref' = 'expected_reward'): Array<[number, number]> {
  const series = store.view.series[index];
  return series.rowsAt(1).map((row) => [row, series.at(key, row)]);
}

beforeEach(() => {
  store = makeStore();
});

describe('loading and playback', () => {
  it('loads the default comparison at step 0 with one metric row per run', () => {
    expect(state().status).toBe('ready');
    expect(state().info?.runs.map((r) => r.name)).toEqual(F1.runs.map((r) => r.name));
    expect(state().runs.every((r) => r.step === 0)).toBe(true);
    expect(store.view.series.map((s) => s.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('plays at the chosen steps per frame, and pause stops it', () => {
    state().play();
    worker().advanceTime(1000);
    const afterOneSecond = progressOf(state());
    // 4 steps per frame at 60 frames per second
    expect(afterOneSecond).toBeGreaterThanOrEqual(230);
    expect(afterOneSecond).toBeLessThanOrEqual(250);
    expect(store.view.series[4].length).toBe(afterOneSecond + 1);
    expect(store.view.series[4].last('step')).toBe(afterOneSecond);
    state().pause();
    worker().advanceTime(1000);
    expect(progressOf(state())).toBe(afterOneSecond);
    expect(state().playing).toBe(false);
  });

  it('a faster speed trains faster; auto trains to the end', () => {
    state().setSpeed(16);
    state().play();
    worker().advanceTime(500);
    expect(progressOf(state())).toBeGreaterThan(400);
    state().setSpeed('auto');
    worker().advanceTime(100);
    expect(state().runs.every((r) => r.finished)).toBe(true);
    expect(state().playing).toBe(false);
    expect(progressOf(state())).toBe(1500);
  });

  it('steps one gradient step, or to the end of the chosen run\'s epoch', () => {
    state().stepOnce();
    expect(progressOf(state())).toBe(1);
    // on-policy best-of-N: T = 15 passes over one minibatch, so an epoch is 15 steps
    state().setEpochRun('on-policy best-of-N');
    state().stepEpoch();
    expect(runStep('on-policy best-of-N')).toBe(15);
    state().stepEpoch();
    expect(runStep('on-policy best-of-N')).toBe(30);
    state().setEpochRun('REINFORCE');
    state().stepEpoch();
    expect(runStep('REINFORCE')).toBe(31);
  });

  it('reset returns to exactly the same first frame and the same trajectory', () => {
    const first = store.view.pictures.map((p) => Array.from(p.probs));
    for (let i = 0; i < 40; i++) state().stepOnce();
    const trajectory = column(3);
    state().reset();
    expect(progressOf(state())).toBe(0);
    expect(store.view.pictures.map((p) => Array.from(p.probs))).toEqual(first);
    for (let i = 0; i < 40; i++) state().stepOnce();
    expect(column(3)).toEqual(trajectory);
  });

  it('Play at the end says so instead of doing nothing', () => {
    state().setSpeed('auto');
    state().play();
    worker().advanceTime(50);
    state().play();
    expect(state().notice).toMatch(/finished.*Reset/);
  });
});

describe('live knobs', () => {
  it('record a mid-run change at the worker\'s step, and the recorded config replays it bit for bit', () => {
    for (let i = 0; i < 120; i++) state().stepOnce();
    expect(state().changeKnob({ kind: 'run', run: 'on-policy IPO' }, 'lr', 0.2)).toEqual([]);
    expect(state().config.edits).toEqual([{ run: 'on-policy IPO', step: 120, key: 'lr', value: 0.2 }]);
    expect(state().runs.find((r) => r.name === 'on-policy IPO')!.live!.lr).toBe(0.2);
    // the base config is untouched: the change lives in the edit log
    expect(state().config.runs[3].lr).toBeUndefined();
    for (let i = 0; i < 200; i++) state().stepOnce();
    state().changeKnob({ kind: 'run', run: 'on-policy IPO' }, 'ipoMargin', 3);
    for (let i = 0; i < 100; i++) state().stepOnce();

    const replay = new Comparison(state().config);
    for (let i = 0; i < 420; i++) replay.advance();
    const kept = column(3);
    expect(kept.length).toBeGreaterThan(150);
    expect(kept.at(-1)![0]).toBe(420);
    expect(kept).toEqual(kept.map(([row]) => [row, replay.runs[3].metrics.at('expected_reward', row)]));
    // and the change mattered: without the edits the run differs
    const plain = new Comparison({ ...state().config, edits: [] });
    for (let i = 0; i < 420; i++) plain.advance();
    expect(plain.runs[3].metrics.at('expected_reward', 420)).not.toBe(kept.at(-1)![1]);
  });

  it('a shared live knob changes every running run that inherits it, and skips finished ones', () => {
    for (let i = 0; i < 350; i++) state().stepOnce(); // offline IPO (300 steps) has finished
    state().changeKnob({ kind: 'shared' }, 'lr', 0.01);
    const edited = state().config.edits.map((e) => e.run).sort();
    expect(edited).toEqual(['REINFORCE', 'offline best-of-N', 'on-policy IPO', 'on-policy best-of-N']);
    expect(state().config.edits.every((e) => e.step === 350 && e.key === 'lr' && e.value === 0.01)).toBe(true);
    expect(state().notice).toMatch(/1 finished run/);
  });

  it('a live change before any training is a base change, without a dialog or an edit', () => {
    state().changeKnob({ kind: 'shared' }, 'lr', 0.1);
    expect(state().pending).toBeNull();
    expect(state().config.defaults.lr).toBe(0.1);
    expect(state().config.edits).toEqual([]);
    expect(state().runs.every((r) => r.live?.lr === 0.1)).toBe(true);
  });

  it('a new change rewrites that knob\'s future: a later edit left from before a reset is dropped', () => {
    for (let i = 0; i < 50; i++) state().stepOnce();
    state().changeKnob({ kind: 'run', run: 'REINFORCE' }, 'lr', 0.3);
    state().reset();
    for (let i = 0; i < 20; i++) state().stepOnce();
    state().changeKnob({ kind: 'run', run: 'REINFORCE' }, 'lr', 0.02);
    expect(state().config.edits).toEqual([{ run: 'REINFORCE', step: 20, key: 'lr', value: 0.02 }]);
  });

  it('refuses an out-of-range value with the schema\'s message and changes nothing', () => {
    for (let i = 0; i < 10; i++) state().stepOnce();
    const errors = state().changeKnob({ kind: 'run', run: 'REINFORCE' }, 'lr', -1);
    expect(errors[0].message).toMatch(/greater than 0 and at most 100 \(got -1\)/);
    expect(state().config.edits).toEqual([]);
  });
});

describe('changes that restart', () => {
  it('ask first once training has begun; cancel keeps everything, confirm restarts from the same initialisation', () => {
    for (let i = 0; i < 30; i++) state().stepOnce();
    const before = column(0);
    expect(state().changeKnob({ kind: 'shared' }, 'N', 4)).toEqual([]);
    expect(state().pending?.description).toMatch(/Samples per prompt \(N\) = 4/);
    state().cancelPending();
    expect(state().config.defaults.N).toBe(10);
    expect(progressOf(state())).toBe(30);
    expect(column(0)).toEqual(before);

    state().changeKnob({ kind: 'shared' }, 'N', 4);
    state().confirmPending();
    expect(state().config.defaults.N).toBe(4);
    expect(progressOf(state())).toBe(0);
    expect(state().pending).toBeNull();
  });

  it('apply at once before any training', () => {
    state().changeKnob({ kind: 'shared' }, 'optimizer', 'sgd');
    expect(state().pending).toBeNull();
    expect(state().config.defaults.optimizer).toBe('sgd');
  });

  it('refuse a value that breaks another field, naming the run and the rule', () => {
    const errors = state().changeKnob({ kind: 'shared' }, 'N', 1);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/IPO builds preference pairs within a prompt, so it needs N ≥ 2 \(got 1\)/);
    expect(errors.some((e) => e.path === 'runs[1].N')).toBe(true);
    expect(state().config.defaults.N).toBe(10);
  });

  it('renaming a run, adding an override or dropping a future edit keeps the progress', () => {
    for (let i = 0; i < 25; i++) state().stepOnce();
    state().changeKnob({ kind: 'run', run: 'REINFORCE' }, 'lr', 0.1);
    const before = column(4);
    expect(state().renameRun('REINFORCE', 'PG')).toEqual([]);
    expect(state().pending).toBeNull();
    expect(progressOf(state())).toBe(25);
    expect(state().config.edits[0].run).toBe('PG');
    expect(column(4)).toEqual(before);

    expect(state().addOverride('PG', 'klCoef')).toEqual([]);
    expect(state().config.runs[4].klCoef).toBe(0);
    expect(progressOf(state())).toBe(25);

    // the edit at step 25 has not been applied yet (it applies before step 26): dropping it keeps the past
    expect(state().removeEdit(state().config.edits[0])).toEqual([]);
    expect(state().pending).toBeNull();
    expect(progressOf(state())).toBe(25);
  });

  it('dropping an edit the run has already used asks first', () => {
    for (let i = 0; i < 10; i++) state().stepOnce();
    state().changeKnob({ kind: 'run', run: 'REINFORCE' }, 'lr', 0.1);
    for (let i = 0; i < 10; i++) state().stepOnce();
    state().removeEdit(state().config.edits[0]);
    expect(state().pending?.description).toMatch(/step 10 of “REINFORCE”/);
  });

  it('adds, duplicates (with its edit log) and removes runs', () => {
    state().addRun('dpo');
    expect(state().config.runs.map((r) => r.name)).toContain('DPO');
    expect(state().info?.runs).toHaveLength(6);
    for (let i = 0; i < 5; i++) state().stepOnce();
    state().changeKnob({ kind: 'run', run: 'DPO' }, 'dpoBeta', 0.5);
    state().duplicateRun('DPO');
    state().confirmPending();
    expect(state().config.runs.map((r) => r.name)).toContain('DPO (copy)');
    expect(state().config.edits.filter((e) => e.key === 'dpoBeta').map((e) => e.run).sort()).toEqual(['DPO', 'DPO (copy)']);
    state().removeRun('DPO');
    state().confirmPending();
    expect(state().config.runs.map((r) => r.name)).not.toContain('DPO');
    expect(state().config.edits.every((e) => e.run !== 'DPO')).toBe(true);
  });

  it('the last run cannot be removed', () => {
    let s = store;
    for (const name of F1.runs.slice(1).map((r) => r.name)) {
      s.getState().removeRun(name);
    }
    s = store;
    const errors = s.getState().removeRun('offline best-of-N');
    expect(errors[0].message).toMatch(/at least one run/);
  });
});

describe('a worker that dies', () => {
  it('shows what happened, and restarts from the last state with nothing lost', () => {
    for (let i = 0; i < 60; i++) state().stepOnce();
    state().changeKnob({ kind: 'run', run: 'on-policy IPO' }, 'lr', 0.2);
    for (let i = 0; i < 40; i++) state().stepOnce();
    const before = column(3);
    const config = state().config;
    worker().crash('out of memory');
    expect(state().status).toBe('failed');
    expect(state().failure).toMatch(/crashed: out of memory/);
    state().stepOnce(); // ignored while failed
    state().restart();
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(state().status).toBe('ready');
    expect(state().config).toBe(config);
    expect(progressOf(state())).toBe(100);
    expect(column(3)).toEqual(before);
  });

  it('an error reported by the worker stops training and can be recovered from', () => {
    worker().onmessage!({ data: { type: 'error', message: 'boom', load: 1 } } as MessageEvent);
    expect(state().failure).toBe('boom');
    state().reset();
    expect(state().status).toBe('ready');
    expect(workers).toHaveLength(2);
  });
});

describe('overrides', () => {
  it('dropping an override equal to the inherited value keeps the progress; a different one asks first', () => {
    for (let i = 0; i < 12; i++) state().stepOnce();
    // F1 sets N = 10 in its defaults and no run overrides it
    state().addOverride('REINFORCE', 'N');
    expect(state().config.runs[4].N).toBe(10);
    expect(state().clearOverride('REINFORCE', 'N')).toEqual([]);
    expect(state().pending).toBeNull();
    expect(progressOf(state())).toBe(12);
    // on-policy IPO's own T = 15 differs from the shared T = 1
    state().clearOverride('on-policy IPO', 'T');
    expect(state().pending?.description).toMatch(/on-policy IPO.*shared passes over each epoch/);
  });
});

describe('the watchdog', () => {
  it('takes a worker that goes silent while playing for dead, and not one that is paused or hidden', () => {
    let now = 0;
    let check: () => void = () => {};
    let visible = true;
    store = makeStore(F1, {
      every: (_ms, fn) => (check = fn),
      now: () => now,
      visible: () => visible,
    });
    now = 60_000; // a long pause is not silence
    check();
    expect(state().status).toBe('ready');
    state().play();
    worker().advanceTime(100);
    now += 9_000;
    check();
    expect(state().status).toBe('ready');
    // the worker dies without an error event: nothing more arrives
    worker().terminate();
    now += 12_000;
    visible = false;
    check();
    expect(state().status).toBe('ready');
    visible = true;
    check();
    expect(state().status).toBe('failed');
    expect(state().failure).toMatch(/stopped responding/);
    state().restart();
    expect(state().status).toBe('ready');
  });
});

describe('messages from a replaced comparison', () => {
  it('are dropped: an edit answering a live change made just before a restart does not enter the new log', () => {
    for (let i = 0; i < 10; i++) state().stepOnce();
    state().reset(); // the worker has now handled a second load
    const stale = { type: 'edit', edit: { run: 'REINFORCE', step: 10, key: 'lr', value: 0.3 }, load: 1 };
    worker().onmessage!({ data: stale } as MessageEvent);
    expect(state().config.edits).toEqual([]);
    // the same message from the current comparison is recorded
    worker().onmessage!({ data: { ...stale, load: 2 } } as MessageEvent);
    expect(state().config.edits).toEqual([stale.edit]);
  });
});
