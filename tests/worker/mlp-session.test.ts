/**
 * The MLP companion's worker session in Node (wasm, the official MLP): the load sequence (backend, SFT
 * progress, ready, a step-0 frame), training toward the lab's step and no further, streamed rows equal to an
 * `MlpComparison` driven directly, pause, live edits, and a second load that cancels the first (its messages
 * stop, its tensors are freed), then stop.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfigOrThrow, type ExperimentConfig } from '../../src/lab/config/experiment.ts';
import { MlpComparison } from '../../src/lab/mlp-bandit/mlp-comparison.ts';
import { wasmCandidate } from '../../src/worker/backend/candidates.ts';
import { selectBackend } from '../../src/worker/backend/select-backend.ts';
import { MlpSession } from '../../src/worker/mlp/mlp-session.ts';
import type { FromMlpWorker } from '../../src/worker/mlp/protocol.ts';
import { tfMlpModelFactory } from '../../src/worker/mlp/tf-mlp-model.ts';
import { useBackend } from '../helpers/tf-backend.ts';

const SFT_STEPS = 6;

const CONFIG: ExperimentConfig = parseExperimentConfigOrThrow({
  seed: 4,
  defaults: { S: 5, N: 4, T: 2, steps: 12, lr: 0.01 },
  runs: [
    { name: 'on-policy BoN', objective: 'best-of-n' },
    { name: 'offline IPO', objective: 'ipo', sampling: 'offline', S: 8, ipoMargin: 2 },
  ],
});

function harness() {
  const sent: FromMlpWorker[] = [];
  const session = new MlpSession({
    post: (message) => sent.push(message),
    now: () => performance.now(),
    schedule: (callback, delay) => void setTimeout(callback, delay),
    selectBackend: (o) => selectBackend({ ...o, candidates: [wasmCandidate], warmUpSteps: 0, timedSteps: 1 }),
  });
  const of = <T extends FromMlpWorker['type']>(type: T, load?: number) =>
    sent.filter((m): m is Extract<FromMlpWorker, { type: T }> => m.type === type && (load === undefined || m.load === load));
  /** every streamed row of run `run` of load `load`: step → expected_reward */
  const streamed = (load: number, run: number) => {
    const rows = new Map<number, number>();
    for (const frame of of('frame', load)) frame.runs[run].rowIndex.forEach((r, k) => rows.set(r, frame.runs[run].rows.expected_reward[k]));
    return rows;
  };
  return { session, sent, of, streamed };
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('MlpSession (wasm)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('loads (backend, SFT progress, ready), trains toward the lab’s step only, and streams the same metrics as a direct run', async () => {
    const { session, of, streamed, sent } = harness();
    session.handle({ type: 'load', load: 1, config: CONFIG, sftSteps: SFT_STEPS });
    await until(() => of('ready', 1).length === 1 || of('error').length > 0);
    expect(of('error')).toEqual([]);
    expect(of('backend', 1)[0].backend).toBe('wasm');
    const progress = of('sft', 1);
    // two distinct S (5 and 8): one SFT each, shared by runs with the same S
    expect(progress[progress.length - 1]).toMatchObject({ done: 2 * SFT_STEPS, total: 2 * SFT_STEPS });
    expect(of('ready', 1)[0].runs).toEqual(['on-policy BoN', 'offline IPO']);
    const types = sent.map((m) => m.type);
    expect(types.indexOf('backend')).toBeLessThan(types.indexOf('sft'));
    expect(types.lastIndexOf('sft')).toBeLessThan(types.indexOf('ready'));
    await session.idle();
    // nothing is trained before the lab asks
    expect(of('frame', 1).every((f) => f.step === 0)).toBe(true);

    session.handle({ type: 'advance', target: 5, running: true });
    await until(() => of('frame', 1).some((f) => f.step === 5));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await session.idle();
    expect(Math.max(...of('frame', 1).map((f) => f.step))).toBe(5);

    session.handle({ type: 'advance', target: 100, running: true });
    await until(() => of('frame', 1).some((f) => f.finished));
    const last = of('frame', 1).at(-1)!;
    expect(last.runs.map((r) => r.step)).toEqual([12, 12]);
    expect(last.runs[0].distribution).toHaveLength(100);
    expect(last.runs[0].distribution.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);

    const direct = (await MlpComparison.create(CONFIG, tfMlpModelFactory(), { sftSteps: SFT_STEPS }))!;
    while (await direct.advance()) {
      /* lock step */
    }
    for (let run = 0; run < 2; run++) {
      const rows = streamed(1, run);
      expect(rows.size).toBe(13);
      for (const [step, value] of rows) expect(value).toBe(direct.runs[run].metrics.at('expected_reward', step));
    }
    direct.dispose();
    await session.dispose();
  });

  it('pauses when the lab pauses, and applies the lab’s live edits at their steps', async () => {
    const { session, of, streamed } = harness();
    // long enough that the pause lands mid-run however fast this machine steps (a lock step is a few ms)
    const steps = 400;
    const config = { ...CONFIG, runs: [{ ...CONFIG.runs[0], steps }] };
    session.handle({ type: 'load', load: 1, config, sftSteps: SFT_STEPS });
    await until(() => of('ready', 1).length === 1);
    session.handle({ type: 'edits', edits: [{ run: 'on-policy BoN', step: 3, key: 'lr', value: 0.05 }] });
    session.handle({ type: 'advance', target: steps, running: true });
    await until(() => of('frame', 1).some((f) => f.step >= 2));
    session.handle({ type: 'advance', target: steps, running: false });
    await session.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await session.idle();
    const paused = Math.max(...of('frame', 1).map((f) => f.step));
    expect(paused).toBeLessThan(steps);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(Math.max(...of('frame', 1).map((f) => f.step))).toBe(paused);
    session.handle({ type: 'advance', target: steps, running: true });
    await until(() => of('frame', 1).some((f) => f.finished));

    const withEdit = (await MlpComparison.create({ ...config, edits: [{ run: 'on-policy BoN', step: 3, key: 'lr', value: 0.05 }] }, tfMlpModelFactory(), { sftSteps: SFT_STEPS }))!;
    while (await withEdit.advance()) {
      /* lock step */
    }
    for (const [step, value] of streamed(1, 0)) expect(value).toBe(withEdit.runs[0].metrics.at('expected_reward', step));
    withEdit.dispose();
    await session.dispose();
  });

  it('a new load cancels the old one (mid-SFT): no more messages from it, its tensors freed; stop frees everything', async () => {
    const { session, of } = harness();
    const baseline = tf.memory().numTensors;
    session.handle({ type: 'load', load: 1, config: CONFIG, sftSteps: 100 });
    await until(() => of('sft', 1).length > 0);
    session.handle({ type: 'load', load: 2, config: { ...CONFIG, runs: [CONFIG.runs[0]] }, sftSteps: SFT_STEPS });
    const cancelledAt = of('sft', 1).length;
    await until(() => of('ready', 2).length === 1);
    expect(of('ready', 1)).toEqual([]);
    expect(of('sft', 1).length).toBeLessThanOrEqual(cancelledAt + 1);
    expect(of('sft', 1).at(-1)!.done).toBeLessThan(100);
    await session.idle();
    const one = tf.memory().numTensors;
    session.handle({ type: 'advance', target: 12, running: true });
    await until(() => of('frame', 2).some((f) => f.finished));
    await session.idle();
    expect(tf.memory().numTensors).toBe(one);
    session.handle({ type: 'stop' });
    await session.idle();
    expect(tf.memory().numTensors).toBe(baseline);
    expect(of('error')).toEqual([]);
  });
});
