/** The training worker's session in Node: frames, pacing by acknowledgement, and refusals. */
import { describe, expect, it } from 'vitest';
import { parseExperimentConfigOrThrow } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { METRIC_KEYS } from '../../src/lab/metrics.ts';
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

describe('export', () => {
  /** the last export answer the session sent */
  function lastExport(sent: FromWorker[]) {
    const answer = sent.at(-1)!;
    if (answer.type !== 'export') throw new Error(`expected an export answer, got ${answer.type}`);
    return answer;
  }

  it('answers with every step\'s metrics (not only the chart grid), equal to the CLI\'s full series', () => {
    const { session, sent } = harness();
    session.handle({ type: 'load', config: F1 });
    for (let i = 0; i < 400; i++) session.handle({ type: 'step', unit: 'step' });
    const [cli] = runExperiment(F1, [F1.seed]);
    session.handle({ type: 'export', id: 7 });
    const answer = lastExport(sent);
    expect(answer.id).toBe(7);
    expect(answer.load).toBe(1);
    expect(answer.runs.map((r) => r.name)).toEqual(F1.runs.map((r) => r.name));
    answer.runs.forEach((run, i) => {
      const core = cli.comparison.runs[i];
      expect(run.columns).toEqual([...METRIC_KEYS]);
      // the worker is part-way (offline IPO has finished at 300); every recorded row is there, in order
      expect(run.rows.length).toBe(run.step + 1);
      const expected = Array.from({ length: run.step + 1 }, (_, r) => METRIC_KEYS.map((key) => core.metrics.at(key, r)));
      expect(run.rows, run.name).toEqual(expected);
      expect(run.diverged).toBeNull();
    });
    expect(answer.runs[1]).toMatchObject({ name: 'offline IPO', step: 300 });
    expect(answer.runs[0].step).toBe(400);
  });

  it('exports a finished comparison exactly: rows, final policies and steps equal the core run to the end', () => {
    const config = parseExperimentConfigOrThrow({
      seed: 3,
      runs: [
        { name: 'on-policy IPO', objective: 'ipo', sampling: 'on-policy', S: 4, T: 3, steps: 40 },
        { name: 'REINFORCE', objective: 'reinforce', steps: 25 },
      ],
    });
    const { session, sent } = harness();
    session.handle({ type: 'load', config, toStep: 1000 });
    session.handle({ type: 'export', id: 1 });
    const { runs } = lastExport(sent);
    const [cli] = runExperiment(config, [3]);
    runs.forEach((run, i) => {
      const core = cli.comparison.runs[i];
      expect(run.step).toBe(core.spec.steps);
      expect(run.rows.map((row) => row[METRIC_KEYS.indexOf('expected_reward')])).toEqual(core.metrics.toArray('expected_reward'));
      expect(run.rows.map((row) => row[METRIC_KEYS.indexOf('loss')])).toEqual(core.metrics.toArray('loss'));
      expect(run.finalProbs).toEqual(Array.from(core.policy.probs));
    });
  });

  it('a diverged run exports its rows up to the divergence and no final policy', () => {
    const { session, sent } = harness();
    const config = parseExperimentConfigOrThrow({
      runs: [
        { name: 'boom', objective: 'rwr', optimizer: 'sgd', lr: 100, rwrTemperature: 0.001, steps: 50 },
        { name: 'calm', objective: 'reinforce', steps: 50 },
      ],
    });
    session.handle({ type: 'load', config, toStep: 5 });
    session.handle({ type: 'export', id: 2 });
    const [boom, calm] = lastExport(sent).runs;
    expect(boom).toMatchObject({ step: 1, finalProbs: null, diverged: { step: 1, reason: 'a logit became NaN or infinite' } });
    expect(boom.rows).toHaveLength(1);
    expect(calm.rows).toHaveLength(6);
    expect(calm.finalProbs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('without an experiment it says so under the request\'s id, and the session keeps working', () => {
    const { session, sent } = harness();
    session.handle({ type: 'export', id: 4 });
    expect(sent.at(-1)).toEqual({ type: 'export-failed', id: 4, message: 'no experiment is loaded', load: 0 });
    session.handle({ type: 'load', config: F1 });
    expect(sent.at(-1)).toMatchObject({ type: 'loaded', load: 1 });
  });

  it('carries the load tag, so answers about a replaced comparison can be told apart', () => {
    const { session, sent } = harness();
    session.handle({ type: 'load', config: F1 });
    session.handle({ type: 'export', id: 1 });
    session.handle({ type: 'load', config: F1 });
    session.handle({ type: 'export', id: 2 });
    const answers = sent.filter((m) => m.type === 'export');
    expect(answers.map((m) => [m.id, m.load])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });
});
