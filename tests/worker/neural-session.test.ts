/**
 * The neural worker's session in Node (wasm, real-size gpt-nano, `quick` presets): the load sequence and its
 * info, frames equal to a SequenceRun driven directly, ack pacing, pause, step, live lr, replacing a load
 * (and its tensors), a forced backend that is refused, and a simulated device loss that continues from the last
 * step; plus SequenceRun's snapshot/restore on its own; reset (replays the first pass exactly, its live change
 * included, with a flat tensor count) and the `lose-device` hook; live changes of an objective's own knob (IPO's
 * margin), replayed after a reset, and the refusal of a knob the objective does not read or a value out of range.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GptNano } from '../../src/lab/policies/gpt-nano.ts';
import { SEQUENCE_PRESETS_BY_ID } from '../../src/lab/sequence/sequence-presets.ts';
import { SequenceRun } from '../../src/lab/sequence-engine/sequence-run.ts';
import { trainSequenceReference } from '../../src/lab/sequence-engine/sft.ts';
import type { DeviceLoss, DeviceLossWatcher } from '../../src/worker/backend/device-loss.ts';
import { wasmCandidate, webGpuCandidate } from '../../src/worker/backend/candidates.ts';
import { selectBackend } from '../../src/worker/backend/select-backend.ts';
import type { WatchDeviceLoss } from '../../src/worker/neural/neural-backend.ts';
import { buildTask, metricRow, resolvePreset, runSettings, sftOptions } from '../../src/worker/neural/neural-comparison.ts';
import { NeuralSession } from '../../src/worker/neural/neural-session.ts';
import type { FromNeuralWorker, NeuralComparisonChoice, NeuralComparisonInfo, NeuralLiveEdit, NeuralMetricRow, NeuralRunFrame } from '../../src/worker/neural/protocol.ts';
import { useBackend } from '../helpers/tf-backend.ts';

const BANDIT = 'official-onpolicy-transformer-best-of-n';
/** the same task (so the same SFT reference) with IPO: its live knobs are lr and the target margin */
const BANDIT_IPO = 'official-onpolicy-transformer-ipo';
const LENGTH = 'min-length-comparison';
/** 1000 steps × 0.005 = 5 steps; 4 SFT steps */
const QUICK = { stepFactor: 0.005, sftSteps: 4 };
const SEED = 3;

type Loaded = Extract<FromNeuralWorker, { type: 'loaded' }>;
type FrameMessage = Extract<FromNeuralWorker, { type: 'frame' }>;

function harness(options: { autoAck?: boolean; watch?: WatchDeviceLoss; keepLostBackend?: boolean; loseDevice?: (backend: string) => boolean } = {}) {
  const sent: FromNeuralWorker[] = [];
  const clock = { time: 0 };
  const session: NeuralSession = new NeuralSession({
    post: (message) => {
      sent.push(message);
      // the page acknowledges a frame once it has painted it
      if (options.autoAck && (message.type === 'frame' || message.type === 'loaded')) setTimeout(() => session.handle({ type: 'ack' }), 0);
    },
    // a frozen clock unless a test moves it: the ack timeout never fires by itself
    now: () => clock.time,
    schedule: (callback, delay) => void setTimeout(callback, delay),
    // webgpu (absent in Node) and wasm; a short timing so that loads stay quick
    // (a simulated device loss "loses" wasm: keepLostBackend lets the session fall back to wasm itself)
    selectBackend: (o) => selectBackend({ ...o, candidates: [webGpuCandidate, wasmCandidate], warmUpSteps: 0, timedSteps: 1, ...(options.keepLostBackend ? { exclude: [] } : {}) }),
    watchDeviceLoss: options.watch ?? (() => null),
    ...(options.loseDevice ? { loseDevice: options.loseDevice } : {}),
  });
  const of = <T extends FromNeuralWorker['type']>(type: T) => sent.filter((m): m is Extract<FromNeuralWorker, { type: T }> => m.type === type);
  const frames = (): Array<{ playing: boolean; runs: NeuralRunFrame[] }> =>
    sent.flatMap((m) => (m.type === 'frame' ? [m] : m.type === 'loaded' || m.type === 'reset-done' ? [m.frame] : []));
  const load = async (preset: string, extra: Partial<NeuralComparisonChoice> = {}): Promise<Loaded> => {
    const before = of('loaded').length;
    session.handle({ type: 'load', preset, seed: SEED, backend: null, quick: QUICK, ...extra });
    await until(() => of('loaded').length > before || of('error').length > 0);
    expect(of('error')).toEqual([]);
    return of('loaded')[before];
  };
  return { session, sent, clock, of, frames, load };
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** every run's rows over all frames, in order */
function rowsOf(frames: Array<{ runs: NeuralRunFrame[] }>, run = 0): NeuralMetricRow[] {
  return frames.flatMap((frame) => frame.runs[run].newRows);
}

function expectRowsSumToOne(heatmap: number[], positions: number, vocab: number): void {
  expect(heatmap).toHaveLength(positions * vocab);
  for (let p = 0; p < positions; p++) {
    let total = 0;
    for (let a = 0; a < vocab; a++) {
      expect(heatmap[p * vocab + a]).toBeGreaterThanOrEqual(0);
      total += heatmap[p * vocab + a];
    }
    expect(total).toBeCloseTo(1, 9);
  }
}

/**
 * A bandit preset's run (best-of-N unless `preset` says otherwise: every official transformer script shares the
 * task, so the reference) driven directly with the SFT the worker does, each live change applied with
 * `setLive(key, value)` before the step after its `step`.
 */
let banditReference: GptNano;
async function directRun(steps: number, edits: readonly NeuralLiveEdit[] = [], preset = BANDIT): Promise<NeuralMetricRow[]> {
  const spec = SEQUENCE_PRESETS_BY_ID.get(preset)!;
  const task = buildTask(resolvePreset(preset).task, SEED);
  const run = new SequenceRun(task, banditReference, runSettings(spec, QUICK), SEED);
  for (let i = 0; i < steps; i++) {
    for (const edit of edits) if (run.step === edit.step) run.setLive(edit.key, edit.value);
    await run.advance();
  }
  const rows = run.metrics.map((m) => metricRow(m, false));
  run.dispose();
  return rows;
}

let baseline = 0;

beforeAll(async () => {
  await useBackend('wasm');
  const task = buildTask(resolvePreset(BANDIT).task, SEED);
  banditReference = (await trainSequenceReference(task, SEED, sftOptions(QUICK, 'wasm'))).reference;
  baseline = tf.memory().numTensors;
}, 60_000);

afterAll(() => banditReference?.dispose());

describe('NeuralSession: loading', () => {
  it('reports progress, the backend, then the comparison (official bandit preset: 1 run, vocab 100)', async () => {
    const h = harness();
    const loaded = await h.load(BANDIT);
    const types = h.sent.map((m) => m.type);
    expect(types[0]).toBe('progress');
    expect(types.indexOf('backend')).toBeGreaterThan(0);
    expect(types.indexOf('loaded')).toBe(types.length - 1);
    const progress = h.of('progress');
    expect(progress[0].phase).toBe('backend');
    expect(progress.some((m) => m.phase === 'sft')).toBe(true);
    for (const m of progress) expect(m.fraction).toBeGreaterThanOrEqual(0);
    const backend = h.of('backend')[0];
    expect(backend.backend).toBe('wasm');
    expect(backend.candidates.map((c) => [c.backend, c.ok])).toEqual([
      ['webgpu', false],
      ['wasm', true],
    ]);
    expect(h.sent.every((m) => m.load === 1)).toBe(true);

    const info: NeuralComparisonInfo = loaded.info;
    expect(info).toMatchObject({ preset: BANDIT, task: 'sequence-bandit', vocab: 100, positions: 9, endToken: null, referenceLengths: null, backend: 'wasm' });
    // best-of-N without a negative gradient reads no live knob of its own: lr alone
    expect(info.runs).toEqual([{ name: 'On-policy best-of-N (official transformer script)', objective: 'best-of-n', sampling: 'on-policy', steps: 5, lr: 3e-5, liveKeys: ['lr'] }]);
    expect(info.referenceTokens).toHaveLength(100);
    expectRowsSumToOne(info.referenceHeatmap, 9, 100);
    const run = loaded.frame.runs[0];
    expect(loaded.frame.playing).toBe(false);
    expect(run).toMatchObject({ step: 0, finished: false, diverged: null, newRows: [], lengths: null, samples: [], live: { lr: 3e-5 }, liveEdits: [] });
    expect(run.heatmap).toEqual(info.referenceHeatmap);
    await h.session.dispose();
  }, 30_000);

  it('a length preset: 4 runs, vocab 101 with the end token, reference lengths; step moves each unfinished run once', async () => {
    const h = harness({ autoAck: true });
    // 1000 × 0.001 = 1 step per run
    const loaded = await h.load(LENGTH, { quick: { stepFactor: 0.001, sftSteps: 4 } });
    const { info } = loaded;
    expect(info).toMatchObject({ task: 'min-length', vocab: 101, positions: 9, endToken: 100 });
    expect(info.runs.map((r) => [r.name, r.sampling, r.steps])).toEqual([
      ['On-policy DPO', 'on-policy', 1],
      ['Offline DPO', 'offline', 1],
      ['PPO', 'on-policy', 1],
      ['On-policy RWR', 'on-policy', 1],
    ]);
    // each run's live knobs: those its objective reads, at the preset's values
    expect(info.runs.map((r) => r.liveKeys)).toEqual([['lr', 'dpoBeta'], ['lr', 'dpoBeta'], ['lr', 'klCoef', 'ppoClip'], ['lr', 'rwrTemperature']]);
    const specs = resolvePreset(LENGTH).runs;
    const lr = specs[0].lr;
    expect(loaded.frame.runs.map((r) => r.live)).toEqual([
      { lr, dpoBeta: 0.1 },
      { lr, dpoBeta: 0.1 },
      { lr, klCoef: 0.01, ppoClip: 0.2 },
      { lr, rwrTemperature: 1 },
    ]);
    expect(specs.every((spec) => spec.lr === lr)).toBe(true);
    expect(info.referenceLengths).toHaveLength(9);
    expect(info.referenceLengths!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expectRowsSumToOne(info.referenceHeatmap, 9, 101);
    // the end token is masked at the first generated position
    expect(info.referenceHeatmap[100]).toBe(0);
    for (const run of loaded.frame.runs) expect(run.lengths).toHaveLength(9);

    h.session.handle({ type: 'step' });
    await h.session.idle();
    const first = h.of('frame').at(-1)!;
    expect(first.playing).toBe(false);
    expect(first.runs.map((r) => [r.step, r.finished, r.newRows.length])).toEqual([
      [1, true, 1],
      [1, true, 1],
      [1, true, 1],
      [1, true, 1],
    ]);
    for (const run of first.runs) {
      expectRowsSumToOne(run.heatmap, 9, 101);
      expect(run.lengths!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(run.newRows[0].meanLength).toBeGreaterThan(0);
      expect(run.samples.length).toBeGreaterThan(0);
      expect(run.samples.length).toBeLessThanOrEqual(8);
      for (const sample of run.samples) {
        expect(sample.tokens).toHaveLength(10);
        expect(sample.length).toBeGreaterThanOrEqual(1);
        expect(sample.reward).toBe(-sample.length);
      }
    }
    // every run has finished: another step moves nothing
    h.session.handle({ type: 'step' });
    await h.session.idle();
    expect(h.of('frame').at(-1)!.runs.map((r) => [r.step, r.newRows.length])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    await h.session.dispose();
  }, 60_000);

  it('refuses a forced backend that does not work here, says why, and falls back to measuring', async () => {
    const h = harness();
    // (and refuses to play before anything is loaded)
    h.session.handle({ type: 'play' });
    await h.session.idle();
    expect(h.sent).toEqual([{ type: 'refused', message: 'no comparison is loaded, so there is nothing to play', load: 0 }]);
    h.sent.length = 0;
    await h.load(BANDIT, { backend: 'webgpu' });
    const refused = h.of('refused');
    expect(refused).toHaveLength(1);
    expect(refused[0].message).toMatch(/backend=webgpu cannot be used here/);
    expect(refused[0].message).toMatch(/navigator\.gpu does not exist/);
    const backend = h.of('backend');
    expect(backend).toHaveLength(1);
    expect(backend[0].backend).toBe('wasm');
    expect(h.sent.findIndex((m) => m.type === 'refused')).toBeLessThan(h.sent.findIndex((m) => m.type === 'backend'));
    await h.session.dispose();
  }, 30_000);

  it('a newer load replaces the older (messages carry the load count) and frees its tensors', async () => {
    const h = harness();
    await h.load(BANDIT);
    const withOne = tf.memory().numTensors;
    expect(withOne).toBeGreaterThan(baseline);
    // the second load is replaced by the third before it finishes
    h.session.handle({ type: 'load', preset: BANDIT, seed: SEED, backend: null, quick: QUICK });
    h.session.handle({ type: 'load', preset: BANDIT, seed: SEED + 1, backend: null, quick: QUICK });
    await until(() => h.of('loaded').length === 2 || h.of('error').length > 0);
    await h.session.idle();
    expect(h.of('error')).toEqual([]);
    expect(h.of('loaded').map((m) => m.load)).toEqual([1, 3]);
    expect(h.sent.filter((m) => m.load === 2)).toEqual([]);
    expect(tf.memory().numTensors).toBe(withOne);
    await h.session.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  }, 60_000);
});

describe('NeuralSession: training', () => {
  it('play streams consecutive new rows equal to a SequenceRun driven directly, then stops at the end', async () => {
    const h = harness({ autoAck: true });
    await h.load(BANDIT);
    h.session.handle({ type: 'play' });
    await until(() => h.of('frame').some((f) => !f.playing && f.runs[0].finished));
    const rows = rowsOf(h.frames());
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    expect(rows).toEqual(await directRun(5));
    // one slice = one step of the run: a frame after each (the page acknowledges every frame)
    expect(h.of('frame').length).toBeGreaterThanOrEqual(5);
    const last = h.of('frame').at(-1)!;
    expectRowsSumToOne(last.runs[0].heatmap, 9, 100);
    expect(last.runs[0].samples).toHaveLength(8);
    for (const sample of last.runs[0].samples) expect(sample.length).toBe(9);
    // play on a finished comparison answers with a paused frame
    h.session.handle({ type: 'play' });
    await h.session.idle();
    expect(h.of('frame').at(-1)!.playing).toBe(false);
    await h.session.dispose();
  }, 60_000);

  it('waits for the ack before the next frame (training goes on), or ACK_TIMEOUT_MS at most', async () => {
    const h = harness();
    await h.load(BANDIT);
    h.session.handle({ type: 'play' });
    // the loaded frame is not acknowledged and the clock stands still: slices run, no frame is sent
    await until(() => h.session.runSteps[0] >= 2);
    expect(h.of('frame')).toHaveLength(0);
    // 500 ms later by the clock: the next slice sends a frame anyway, with every row since the loaded frame
    h.clock.time += 600;
    await until(() => h.of('frame').length === 1);
    const first = h.of('frame')[0] as FrameMessage;
    expect(first.runs[0].newRows.map((r) => r.step)).toEqual(Array.from({ length: first.runs[0].step }, (_, i) => i + 1));
    expect(first.runs[0].step).toBeGreaterThanOrEqual(3);
    // an ack lets the next slice send at once
    h.session.handle({ type: 'ack' });
    await until(() => h.of('frame').length === 2 || h.session.runSteps[0] === 5);
    await h.session.idle();
    await until(() => h.of('frame').length >= 2);
    expect(rowsOf(h.of('frame')).map((r) => r.step)).toEqual(Array.from({ length: h.of('frame').at(-1)!.runs[0].step }, (_, i) => i + 1));
    h.session.handle({ type: 'pause' });
    await h.session.dispose();
  }, 60_000);

  it('pause stops training after the step in flight and sends a paused frame', async () => {
    const h = harness({ autoAck: true });
    await h.load(BANDIT);
    h.session.handle({ type: 'play' });
    await until(() => h.session.runSteps[0] >= 1);
    h.session.handle({ type: 'pause' });
    await h.session.idle();
    const steps = h.session.runSteps[0];
    expect(steps).toBeLessThan(5);
    const last = h.of('frame').at(-1)!;
    expect(last.playing).toBe(false);
    expect(last.runs[0].step).toBe(steps);
    await sleep(300);
    expect(h.session.runSteps[0]).toBe(steps);
    expect(rowsOf(h.frames()).map((r) => r.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    await h.session.dispose();
  }, 60_000);

  it('a live learning rate applies from the next step; an unknown run is refused', async () => {
    const h = harness({ autoAck: true });
    await h.load(BANDIT);
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'live', run: 'On-policy best-of-N (official transformer script)', key: 'lr', value: 0.01 });
    h.session.handle({ type: 'live', run: 'no such run', key: 'lr', value: 0.01 });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'step' });
    await h.session.idle();
    expect(h.of('refused').map((m) => m.message)).toEqual([expect.stringContaining('no run is named "no such run"')]);
    const rows = rowsOf(h.frames());
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3, 4]);
    const direct = await directRun(4, [{ step: 2, key: 'lr', value: 0.01 }]);
    expect(rows).toEqual(direct);
    // and the change mattered: without it, step 4 differs
    expect((await directRun(4))[3]).not.toEqual(direct[3]);
    await h.session.dispose();
  }, 60_000);
});

describe('device loss', () => {
  it('SequenceRun.restore continues bit-identically on the same backend, leaking nothing', async () => {
    const spec = SEQUENCE_PRESETS_BY_ID.get(BANDIT)!;
    const task = buildTask(resolvePreset(BANDIT).task, SEED);
    const settings = { ...runSettings(spec, QUICK), T: 2, steps: 5 };
    const straight = new SequenceRun(task, banditReference, settings, SEED);
    await straight.runToEnd();
    const run = new SequenceRun(task, banditReference, settings, SEED);
    await run.advance();
    await run.advance();
    const snapshot = await run.snapshot();
    // a step that is then thrown away (as if the device were lost during it), across an epoch boundary (T = 2)
    await run.advance();
    run.restore(snapshot);
    expect(run.step).toBe(2);
    expect(run.metrics).toHaveLength(2);
    await run.runToEnd();
    expect(run.metrics).toEqual(straight.metrics);
    expect(await run.policy.readWeights()).toEqual(await straight.policy.readWeights());
    run.dispose();
    straight.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  }, 60_000);

  it('a lost device is reported, training moves to the next backend and goes on from the last completed step', async () => {
    let lose: ((loss: DeviceLoss) => void) | null = null;
    let watched = 0;
    const watch: WatchDeviceLoss = (_backend, onLost) => {
      watched++;
      lose = onLost;
      const watcher: DeviceLossWatcher = { lost: new Promise(() => {}), stop: () => (lose = null) };
      return watcher;
    };
    const h = harness({ autoAck: true, watch, keepLostBackend: true });
    await h.load(BANDIT);
    expect(watched).toBe(1);
    h.session.handle({ type: 'play' });
    await until(() => h.session.runSteps[0] >= 2);
    // lost in the middle of a slice
    lose!({ backend: 'webgpu', reason: 'destroyed', message: 'simulated' });
    await until(() => h.of('device-lost').length === 1 || h.of('error').length > 0);
    expect(h.of('error')).toEqual([]);
    const lost = h.of('device-lost')[0];
    expect(lost.fallback).toBe('wasm');
    expect(lost.message).toMatch(/WebGPU device lost \(destroyed\): simulated; continuing on wasm from step \d/);
    await until(() => h.of('frame').some((f) => !f.playing && f.runs[0].finished));
    // no row twice, none missing, and the same numbers as without the loss (restored on the same backend)
    const rows = rowsOf(h.frames());
    expect(rows).toEqual(await directRun(5));
    expect(h.of('backend')).toHaveLength(2);
    expect(h.of('error')).toEqual([]);
    await h.session.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  }, 60_000);
});

/** a fake device-loss watcher: `lose()` reports a loss as a real watcher does (the callback, then `lost` resolves) */
function fakeWatcher() {
  const state: { lose: ((loss: DeviceLoss) => void) | null; watched: number } = { lose: null, watched: 0 };
  const watch: WatchDeviceLoss = (_backend, onLost) => {
    state.watched++;
    let report: (loss: DeviceLoss) => void = () => {};
    const lost = new Promise<DeviceLoss>((resolve) => (report = resolve));
    let stopped = false;
    state.lose = (loss) => {
      if (stopped) return;
      onLost(loss);
      report(loss);
    };
    const watcher: DeviceLossWatcher = {
      lost,
      stop: () => {
        stopped = true;
        state.lose = null;
      },
    };
    return watcher;
  };
  return { state, watch };
}

describe('NeuralSession: reset', () => {
  const RUN = 'On-policy best-of-N (official transformer script)';

  it('puts every run back to step 0 on the same reference and seed; replaying gives the same rows, the live change replayed', async () => {
    const h = harness({ autoAck: true });
    const loaded = await h.load(BANDIT);
    const atLoad = tf.memory().numTensors;
    // the first pass: two steps, a live lr change, three more (the end)
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'live', run: RUN, key: 'lr', value: 0.01 });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'play' });
    await until(() => h.of('frame').some((f) => !f.playing && f.runs[0].finished));
    await h.session.idle();
    const firstPass = rowsOf(h.frames());
    expect(firstPass.map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    expect(firstPass).toEqual(await directRun(5, [{ step: 2, key: 'lr', value: 0.01 }]));
    expect(h.of('frame').at(-1)!.runs[0]).toMatchObject({ live: { lr: 0.01 }, liveEdits: [{ step: 2, key: 'lr', value: 0.01 }] });

    // three resets, each replayed to the end: the same rows each time, and no tensor left behind
    const counts: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      const before = h.sent.length;
      h.session.handle({ type: 'reset' });
      await h.session.idle();
      const done = h.of('reset-done');
      expect(done).toHaveLength(pass + 1);
      const frame = done.at(-1)!.frame;
      expect(frame.playing).toBe(false);
      // step 0 again: the reference's picture, no rows, the preset's lr, and the edit log kept
      expect(frame.runs[0]).toMatchObject({ step: 0, finished: false, diverged: null, newRows: [], samples: [], live: { lr: 3e-5 }, liveEdits: [{ step: 2, key: 'lr', value: 0.01 }] });
      expect(frame.runs[0].heatmap).toEqual(loaded.info.referenceHeatmap);
      expect(h.session.runSteps).toEqual([0]);
      counts.push(tf.memory().numTensors);
      // replayed by Play alone: the change applies again after step 2
      h.session.handle({ type: 'play' });
      await until(() => h.sent.slice(before).some((m) => m.type === 'frame' && !m.playing && m.runs[0].finished));
      await h.session.idle();
      const replay = h.sent.slice(before).flatMap((m) => (m.type === 'frame' ? m.runs[0].newRows : []));
      expect(replay).toEqual(firstPass);
    }
    // no second SFT: nothing but frames and reset-done after the load
    expect(h.of('progress').every((m) => h.sent.indexOf(m) < h.sent.indexOf(loaded))).toBe(true);
    expect(h.of('loaded')).toHaveLength(1);
    expect(counts).toEqual([atLoad, atLoad, atLoad]);
    await h.session.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  }, 90_000);

  it('a live change after a reset rewrites the run’s future: the logged change from later steps is dropped', async () => {
    const h = harness({ autoAck: true });
    await h.load(BANDIT);
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'live', run: RUN, key: 'lr', value: 0.01 });
    h.session.handle({ type: 'reset' });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'live', run: RUN, key: 'lr', value: 0.002 });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'step' });
    await h.session.idle();
    const last = h.of('frame').at(-1)!.runs[0];
    expect(last).toMatchObject({ step: 3, live: { lr: 0.002 }, liveEdits: [{ step: 1, key: 'lr', value: 0.002 }] });
    const afterReset = h.sent.slice(h.sent.indexOf(h.of('reset-done')[0])).flatMap((m) => (m.type === 'frame' ? m.runs[0].newRows : []));
    expect(afterReset).toEqual(await directRun(3, [{ step: 1, key: 'lr', value: 0.002 }]));
    await h.session.dispose();
  }, 60_000);

  it('stops playing; before a load it is refused', async () => {
    const h = harness({ autoAck: true });
    h.session.handle({ type: 'reset' });
    await h.session.idle();
    expect(h.of('refused').map((m) => m.message)).toEqual(['no comparison is loaded, so there is nothing to reset']);
    await h.load(BANDIT);
    h.session.handle({ type: 'play' });
    await until(() => h.session.runSteps[0] >= 1);
    h.session.handle({ type: 'reset' });
    await h.session.idle();
    expect(h.session.runSteps).toEqual([0]);
    await sleep(200);
    expect(h.session.runSteps).toEqual([0]);
    expect(h.sent.at(-1)!.type).toBe('reset-done');
    await h.session.dispose();
  }, 60_000);

  it('with a device-loss watcher, a loss after a reset continues from the reset runs, not the old ones', async () => {
    const { state, watch } = fakeWatcher();
    const h = harness({ autoAck: true, watch, keepLostBackend: true });
    await h.load(BANDIT);
    h.session.handle({ type: 'play' });
    await until(() => h.of('frame').some((f) => !f.playing && f.runs[0].finished));
    await h.session.idle();
    h.session.handle({ type: 'reset' });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'step' });
    await h.session.idle();
    state.lose!({ backend: 'webgpu', reason: 'destroyed', message: 'simulated' });
    await until(() => h.of('device-lost').length === 1 || h.of('error').length > 0);
    expect(h.of('error')).toEqual([]);
    expect(h.of('device-lost')[0].message).toMatch(/continuing on wasm from step 2$/);
    await h.session.idle();
    h.session.handle({ type: 'play' });
    await until(() => h.of('frame').filter((f) => !f.playing && f.runs[0].finished).length === 2);
    const afterReset = h.sent.slice(h.sent.indexOf(h.of('reset-done')[0])).flatMap((m) => (m.type === 'frame' ? m.runs[0].newRows : []));
    expect(afterReset).toEqual(await directRun(5));
    await h.session.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  }, 90_000);
});

describe('NeuralSession: the lose-device hook', () => {
  it('asks the host to destroy the device of the backend in use; the watcher then reports the loss', async () => {
    const { state, watch } = fakeWatcher();
    const destroyed: string[] = [];
    const h = harness({
      autoAck: true,
      watch,
      keepLostBackend: true,
      // what a real device.destroy() leads to: the watcher reports it
      loseDevice: (backend) => {
        destroyed.push(backend);
        setTimeout(() => state.lose?.({ backend: 'webgpu', reason: 'destroyed', message: 'destroyed by the hook' }), 0);
        return true;
      },
    });
    h.session.handle({ type: 'lose-device' });
    expect(h.of('refused').map((m) => m.message)).toEqual(['no comparison is loaded, so there is no device to lose']);
    await h.load(BANDIT);
    h.session.handle({ type: 'play' });
    await until(() => h.session.runSteps[0] >= 1);
    h.session.handle({ type: 'lose-device' });
    expect(destroyed).toEqual(['wasm']);
    await until(() => h.of('device-lost').length === 1 || h.of('error').length > 0);
    expect(h.of('device-lost')[0].message).toMatch(/^WebGPU device lost \(destroyed\): destroyed by the hook; continuing on wasm from step \d$/);
    // the page heard of the loss at once, and of each candidate tried, before training went on
    const recovering = h.of('recovering').map((m) => m.message);
    expect(recovering[0]).toBe('WebGPU device lost (destroyed): destroyed by the hook; choosing another backend: waiting for the step in flight');
    expect(recovering.some((m) => /choosing another backend: wasm: ok/.test(m))).toBe(true);
    expect(h.sent.findIndex((m) => m.type === 'recovering')).toBeLessThan(h.sent.findIndex((m) => m.type === 'device-lost'));
    await until(() => h.of('frame').some((f) => !f.playing && f.runs[0].finished));
    expect(rowsOf(h.frames())).toEqual(await directRun(5));
    await h.session.dispose();
  }, 60_000);

  it('a step that fails because the device has just gone is not a divergence: training goes on after the loss', async () => {
    const { state, watch } = fakeWatcher();
    const h = harness({ autoAck: true, watch, keepLostBackend: true });
    await h.load(BANDIT);
    // as on a real device: the step in flight fails at once, the loss is reported a moment later
    const advance = vi.spyOn(SequenceRun.prototype, 'advance').mockImplementationOnce(async () => {
      setTimeout(() => state.lose?.({ backend: 'webgpu', reason: 'destroyed', message: 'destroyed mid-step' }), 50);
      throw new Error('GPU device destroyed');
    });
    try {
      h.session.handle({ type: 'play' });
      await until(() => h.of('device-lost').length === 1 || h.of('error').length > 0);
      await until(() => h.of('frame').some((f) => !f.playing && f.runs[0].finished));
    } finally {
      advance.mockRestore();
    }
    expect(h.of('error')).toEqual([]);
    expect(h.of('device-lost')[0].message).toMatch(/destroyed mid-step; continuing on wasm from step 0$/);
    expect(h.of('frame').every((f) => f.runs[0].diverged === null)).toBe(true);
    expect(rowsOf(h.frames())).toEqual(await directRun(5));
    await h.session.dispose();
  }, 60_000);

  it('is refused when the host has no device to destroy', async () => {
    const h = harness({ loseDevice: () => false });
    await h.load(BANDIT);
    h.session.handle({ type: 'lose-device' });
    expect(h.of('refused').map((m) => m.message)).toEqual(['there is no GPU device to lose: training runs on wasm']);
    await h.session.dispose();
  }, 30_000);
});

describe('NeuralSession: live changes of an objective’s own knobs', () => {
  const RUN = 'On-policy IPO (official transformer script)';
  const MARGIN_EDIT: NeuralLiveEdit = { step: 2, key: 'ipoMargin', value: 2 };

  it('an IPO margin change applies from the next step, as setLive on a SequenceRun does; Reset replays it', async () => {
    const h = harness({ autoAck: true });
    const loaded = await h.load(BANDIT_IPO);
    expect(loaded.info.runs.map((r) => [r.objective, r.liveKeys])).toEqual([['ipo', ['lr', 'ipoMargin']]]);
    expect(loaded.frame.runs[0].live).toEqual({ lr: 0.01, ipoMargin: 10 });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'live', run: RUN, key: 'ipoMargin', value: 2 });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'step' });
    await h.session.idle();
    expect(h.of('refused')).toEqual([]);
    const rows = rowsOf(h.frames());
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3, 4]);
    const direct = await directRun(4, [MARGIN_EDIT], BANDIT_IPO);
    expect(rows).toEqual(direct);
    // the change mattered: with the preset's margin, step 3 differs (and steps 1-2 do not)
    const unchanged = await directRun(4, [], BANDIT_IPO);
    expect(unchanged.slice(0, 2)).toEqual(direct.slice(0, 2));
    expect(unchanged[2]).not.toEqual(direct[2]);
    const last = h.of('frame').at(-1)!.runs[0];
    expect(last.live).toEqual({ lr: 0.01, ipoMargin: 2 });
    expect(last.liveEdits).toEqual([MARGIN_EDIT]);

    const before = h.sent.length;
    h.session.handle({ type: 'reset' });
    await h.session.idle();
    const reset = h.of('reset-done').at(-1)!.frame.runs[0];
    // step 0: the preset's margin again, the log kept
    expect(reset).toMatchObject({ step: 0, newRows: [] });
    expect(reset.live).toEqual({ lr: 0.01, ipoMargin: 10 });
    expect(reset.liveEdits).toEqual([MARGIN_EDIT]);
    h.session.handle({ type: 'play' });
    await until(() => h.sent.slice(before).some((m) => m.type === 'frame' && !m.playing && m.runs[0].finished));
    await h.session.idle();
    const replay = h.sent.slice(before).flatMap((m) => (m.type === 'frame' ? m.runs[0].newRows : []));
    expect(replay).toEqual(await directRun(5, [MARGIN_EDIT], BANDIT_IPO));
    expect(replay.slice(0, 4)).toEqual(rows);
    expect(h.of('frame').at(-1)!.runs[0].live).toEqual({ lr: 0.01, ipoMargin: 2 });
    await h.session.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  }, 90_000);

  it('changes of two knobs are logged together; a later change of one rewrites only that knob’s future', async () => {
    const h = harness({ autoAck: true });
    await h.load(BANDIT_IPO);
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'live', run: RUN, key: 'lr', value: 0.002 });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'live', run: RUN, key: 'ipoMargin', value: 2 });
    h.session.handle({ type: 'reset' });
    // at step 0 now: a new margin from step 0 replaces the logged one (from step 2); the lr change stays
    h.session.handle({ type: 'live', run: RUN, key: 'ipoMargin', value: 5 });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'step' });
    h.session.handle({ type: 'step' });
    await h.session.idle();
    const edits: NeuralLiveEdit[] = [
      { step: 0, key: 'ipoMargin', value: 5 },
      { step: 1, key: 'lr', value: 0.002 },
    ];
    const last = h.of('frame').at(-1)!.runs[0];
    expect(last.liveEdits).toEqual(edits);
    expect(last.live).toEqual({ lr: 0.002, ipoMargin: 5 });
    const afterReset = h.sent.slice(h.sent.indexOf(h.of('reset-done')[0])).flatMap((m) => (m.type === 'frame' ? m.runs[0].newRows : []));
    expect(afterReset).toEqual(await directRun(3, edits, BANDIT_IPO));
    await h.session.dispose();
  }, 90_000);

  it('refuses a knob the objective does not read and a value out of the knob’s range, changing nothing', async () => {
    const h = harness({ autoAck: true });
    await h.load(BANDIT_IPO);
    h.session.handle({ type: 'live', run: RUN, key: 'dpoBeta', value: 0.5 });
    h.session.handle({ type: 'live', run: RUN, key: 'ppoClip', value: 0.1 });
    h.session.handle({ type: 'live', run: RUN, key: 'ipoMargin', value: -1 });
    h.session.handle({ type: 'live', run: RUN, key: 'ipoMargin', value: Number.NaN });
    h.session.handle({ type: 'live', run: RUN, key: 'lr', value: 0 });
    // a key that is no knob at all (the page never sends one; a console user might)
    h.session.handle({ type: 'live', run: RUN, key: 'T' as NeuralLiveEdit['key'], value: 3 });
    h.session.handle({ type: 'step' });
    await h.session.idle();
    expect(h.of('refused').map((m) => m.message)).toEqual([
      `"dpoBeta" cannot be changed live in "${RUN}": its objective (ipo) reads only lr, ipoMargin`,
      `"ppoClip" cannot be changed live in "${RUN}": its objective (ipo) reads only lr, ipoMargin`,
      `${RUN}: IPO target margin must be a number at least 0 and at most 1000 (got -1)`,
      expect.stringMatching(/^On-policy IPO \(official transformer script\): IPO target margin must be a number at least 0 and at most 1000/),
      `${RUN}: Learning rate must be a number greater than 0 and at most 100 (got 0)`,
      `"T" cannot be changed live in "${RUN}": its objective (ipo) reads only lr, ipoMargin`,
    ]);
    const last = h.of('frame').at(-1)!.runs[0];
    expect(last.live).toEqual({ lr: 0.01, ipoMargin: 10 });
    expect(last.liveEdits).toEqual([]);
    expect(rowsOf(h.frames())).toEqual(await directRun(1, [], BANDIT_IPO));
    await h.session.dispose();
  }, 60_000);

  it('best-of-N without a negative gradient refuses its weight (it reads lr alone)', async () => {
    const h = harness({ autoAck: true });
    await h.load(BANDIT);
    h.session.handle({ type: 'live', run: 'On-policy best-of-N (official transformer script)', key: 'negGradWeight', value: 0.5 });
    await h.session.idle();
    expect(h.of('refused').map((m) => m.message)).toEqual(['"negGradWeight" cannot be changed live in "On-policy best-of-N (official transformer script)": its objective (best-of-n) reads only lr']);
    await h.session.dispose();
  }, 60_000);
});
