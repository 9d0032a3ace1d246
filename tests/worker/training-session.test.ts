/** The training worker's session in Node: frames, pacing by acknowledgement, and refusals. */
import { describe, expect, it } from 'vitest';
import { parseExperimentConfigOrThrow } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { runExperiment } from '../../src/lab/run-experiment.ts';
import { chartStride, type Frame, type FromWorker } from '../../src/worker/protocol.ts';
import { TrainingSession } from '../../src/worker/training-session.ts';

const F1 = parseExperimentConfigOrThrow(findPreset('f1-r1')!.config);

function harness() {
  const sent: FromWorker[] = [];
  let time = 0;
  let timers: Array<{ at: number; callback: () => void }> = [];
  const session = new TrainingSession({
    post: (message) => sent.push(message),
    now: () => time,
    schedule: (callback, delay) => timers.push({ at: time + delay, callback }),
  });
  const advance = (ms: number) => {
    const end = time + ms;
    while (time < end) {
      time = Math.min(end, time + 1000 / 60);
      for (let due = timers.findIndex((t) => t.at <= time); due >= 0; due = timers.findIndex((t) => t.at <= time)) {
        const [timer] = timers.splice(due, 1);
        timer.callback();
      }
    }
  };
  const frames = () => sent.flatMap((m) => (m.type === 'frame' ? [m.frame] : m.type === 'loaded' ? [m.frame] : [])) as Frame[];
  return { session, sent, advance, frames, clearTimers: () => (timers = []) };
}

describe('TrainingSession', () => {
  it('streams the rows the charts need (each once, on the stride grid) and the latest row, equal to the CLI\'s', () => {
    const { session, advance, frames } = harness();
    session.handle({ type: 'load', config: F1 });
    session.handle({ type: 'speed', speed: 32 });
    session.handle({ type: 'play' });
    for (let i = 0; i < 200; i++) {
      advance(1000 / 60);
      session.handle({ type: 'ack' });
    }
    const [cli] = runExperiment(F1, [F1.seed]);
    const metrics = cli.comparison.runs[4].metrics;
    const sent: number[] = [];
    for (const frame of frames()) {
      const run = frame.runs[4];
      const stride = chartStride(run.length);
      run.rowIndex.forEach((row, k) => {
        expect(row % stride).toBe(0);
        expect(run.rows.expected_reward[k]).toBe(metrics.at('expected_reward', row));
      });
      sent.push(...run.rowIndex);
      expect(run.latest.step).toBe(run.length - 1);
      expect(run.latest.kl_pi_ref).toBe(metrics.at('kl_pi_ref', run.length - 1));
    }
    // increasing, never twice, and every row of the final grid is there
    expect(sent).toEqual([...new Set(sent)].sort((a, b) => a - b));
    const finalStride = chartStride(1501);
    for (let row = 0; row <= 1500; row += finalStride) expect(sent).toContain(row);
    expect(sent.length).toBeLessThan(400);
  });

  it('waits for the main thread to acknowledge a frame before streaming the next (at most every 500 ms without)', () => {
    const { session, advance, frames } = harness();
    session.handle({ type: 'load', config: F1 });
    session.handle({ type: 'play' });
    advance(1000);
    // no ack at all: the loaded frame, then one frame per 500 ms
    expect(frames().length).toBeLessThanOrEqual(3);
    expect(frames().length).toBeGreaterThanOrEqual(2);
    const before = frames().length;
    session.handle({ type: 'ack' });
    advance(50);
    expect(frames().length).toBeGreaterThan(before);
  });

  it('steps to the end of a run\'s epoch, and refuses an epoch of a finished run', () => {
    const { session, sent, frames } = harness();
    session.handle({ type: 'load', config: F1 });
    session.handle({ type: 'step', unit: 'epoch', run: 'offline IPO' });
    // offline IPO makes 300 passes over one dataset: one epoch is the whole run
    expect(frames().at(-1)!.runs[1]).toMatchObject({ step: 300, finished: true });
    session.handle({ type: 'step', unit: 'epoch', run: 'offline IPO' });
    expect(sent.at(-1)).toEqual({ type: 'refused', message: '"offline IPO" has finished, so it has no next epoch', load: 1 });
  });

  it('refuses a live edit it cannot honour, and keeps training', () => {
    const { session, sent } = harness();
    session.handle({ type: 'load', config: F1 });
    session.handle({ type: 'live', run: 'nobody', key: 'lr', value: 0.1 });
    expect(sent.at(-1)).toEqual({ type: 'refused', message: 'no run is named "nobody"', load: 1 });
    session.handle({ type: 'live', run: 'REINFORCE', key: 'lr', value: 0 });
    expect(sent.at(-1)).toMatchObject({ type: 'refused', message: expect.stringMatching(/Learning rate must be a number greater than 0/) });
    session.handle({ type: 'step', unit: 'step' });
    expect(sent.at(-1)).toMatchObject({ type: 'frame' });
  });

  it('reports a config it cannot build as an error, and loads the next one', () => {
    const { session, sent } = harness();
    const broken = { ...F1, reference: { kind: 'sampled' as const, bins: 100, draws: 50 } };
    session.handle({ type: 'load', config: broken });
    expect(sent.at(-1)).toMatchObject({ type: 'error', message: expect.stringMatching(/left bin \d+ empty/) });
    session.handle({ type: 'play' });
    expect(sent.at(-1)).toEqual({ type: 'error', message: 'no experiment is loaded', load: 1 });
    session.handle({ type: 'load', config: F1 });
    expect(sent.at(-1)).toMatchObject({ type: 'loaded' });
  });

  it('restores to a step by replaying: the frame after a restore equals the original at that step', () => {
    const a = harness();
    a.session.handle({ type: 'load', config: F1 });
    for (let i = 0; i < 77; i++) a.session.handle({ type: 'step', unit: 'step' });
    const b = harness();
    b.session.handle({ type: 'load', config: F1, toStep: 77 });
    const original = a.frames().at(-1)!.runs.map((r) => Array.from(r.probs!));
    const restored = b.frames().at(-1)!.runs.map((r) => Array.from(r.probs!));
    expect(restored).toEqual(original);
    expect(b.frames().at(-1)!.runs[0].length).toBe(78);
    expect(Array.from(b.frames().at(-1)!.runs[0].rowIndex)).toEqual(Array.from({ length: 78 }, (_, i) => i));
  });
});

describe('a diverging run', () => {
  it('reports where it diverged and never streams its NaN policy; the other run goes on', () => {
    const { session, frames } = harness();
    const config = parseExperimentConfigOrThrow({
      runs: [
        { name: 'boom', objective: 'rwr', optimizer: 'sgd', lr: 100, rwrTemperature: 0.001, steps: 50 },
        { name: 'calm', objective: 'reinforce', steps: 50 },
      ],
    });
    session.handle({ type: 'load', config });
    for (let i = 0; i < 5; i++) session.handle({ type: 'step', unit: 'step' });
    const last = frames().at(-1)!;
    expect(last.runs[0].diverged).toMatchObject({ step: 1 });
    expect(last.runs[1].step).toBe(5);
    for (const frame of frames()) {
      const probs = frame.runs[0].probs;
      if (probs) expect(probs.every(Number.isFinite)).toBe(true);
    }
  });
});
