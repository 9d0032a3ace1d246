/**
 * The lab's MLP companion (src/app/mlp-companion/companion.ts) against the real lab store and its in-process
 * training session, with a fake MLP worker that records what it is told: no worker until switched on; a load
 * per lab (re)load (Reset restarts it); targets that follow the lab's step and Play/Pause; the lab's live
 * edits forwarded; frames into chart series (and a redraw); messages of a replaced load dropped; off
 * terminates the worker and clears the overlays.
 */
import { describe, expect, it } from 'vitest';
import { parseExperimentConfigOrThrow } from '../src/lab/config/experiment.ts';
import { METRIC_KEYS } from '../src/lab/metrics.ts';
import { createMlpCompanion, type MlpWorkerLike } from '../src/app/mlp-companion/companion.ts';
import type { FromMlpWorker, ToMlpWorker } from '../src/worker/mlp/protocol.ts';
import { createTestStore } from './helpers/in-process-worker.ts';
import { experimentFromQuery } from '../src/app/url/open-link.ts';
import { queryOf } from '../src/app/url/url-sync.ts';

class FakeMlpWorker implements MlpWorkerLike {
  readonly received: ToMlpWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<FromMlpWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: ToMlpWorker): void {
    this.received.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  say(message: FromMlpWorker): void {
    this.onmessage?.({ data: message } as MessageEvent<FromMlpWorker>);
  }
  of<T extends ToMlpWorker['type']>(type: T): Array<Extract<ToMlpWorker, { type: T }>> {
    return this.received.filter((m): m is Extract<ToMlpWorker, { type: T }> => m.type === type);
  }
}

const CONFIG = parseExperimentConfigOrThrow({ defaults: { S: 4, N: 4, steps: 50, lr: 0.05 }, runs: [{ name: 'a', objective: 'best-of-n' }, { name: 'b', objective: 'ipo' }] });

function frame(load: number, step: number) {
  const row = Object.fromEntries(METRIC_KEYS.map((k) => [k, k === 'step' ? step : 0.5])) as Record<(typeof METRIC_KEYS)[number], number>;
  return {
    type: 'frame' as const,
    load,
    step,
    finished: false,
    msPerStep: 10,
    runs: [0, 1].map(() => ({
      step,
      finished: false,
      diverged: null,
      length: step + 1,
      rowIndex: Int32Array.from([step]),
      rows: Object.fromEntries(METRIC_KEYS.map((k) => [k, Float64Array.from([row[k]])])) as Record<(typeof METRIC_KEYS)[number], Float64Array>,
      latest: row,
      distribution: Array.from({ length: 100 }, () => 0.01),
    })),
  };
}

describe('the MLP companion follows the lab', () => {
  it('lazy worker, loads, targets, edits, frames, reset, off', () => {
    const lab = createTestStore(CONFIG);
    lab.worker().flush();
    const workers: FakeMlpWorker[] = [];
    const companion = createMlpCompanion(lab.store, { createWorker: () => (workers.push(new FakeMlpWorker()), workers[workers.length - 1]), sftSteps: 3 });
    expect(workers).toHaveLength(0);
    expect(companion.store.getState().status).toBe('off');

    companion.store.getState().setEnabled(true);
    expect(workers).toHaveLength(1);
    const mlp = workers[0];
    expect(mlp.of('load')).toHaveLength(1);
    expect(mlp.of('load')[0]).toMatchObject({ load: 1, sftSteps: 3 });
    expect(mlp.of('load')[0].config.runs.map((r) => r.name)).toEqual(['a', 'b']);
    expect(mlp.of('advance').at(-1)).toEqual({ type: 'advance', target: 0, running: false });

    mlp.say({ type: 'backend', load: 1, backend: 'wasm', detail: 'wasm' });
    mlp.say({ type: 'sft', load: 1, done: 2, total: 3 });
    expect(companion.store.getState()).toMatchObject({ status: 'sft', backend: 'wasm', sft: { done: 2, total: 3 } });

    // a lab step moves the target, but the MLP trains only while the lab plays
    lab.store.getState().stepOnce();
    lab.worker().flush();
    expect(mlp.of('advance').at(-1)).toEqual({ type: 'advance', target: 1, running: false });
    lab.store.getState().play();
    lab.worker().advanceTime(100);
    const playing = mlp.of('advance').at(-1)!;
    expect(playing.running).toBe(true);
    expect(playing.target).toBeGreaterThan(1);
    lab.store.getState().pause();
    lab.worker().flush();
    expect(mlp.of('advance').at(-1)!.running).toBe(false);

    // a live edit in the lab is forwarded with the lab's edit log
    lab.store.getState().changeKnob({ kind: 'shared' }, 'lr', 0.02);
    lab.worker().flush();
    expect(mlp.of('edits').at(-1)!.edits.map((e) => [e.run, e.key, e.value])).toEqual([
      ['a', 'lr', 0.02],
      ['b', 'lr', 0.02],
    ]);
    expect(mlp.of('load')).toHaveLength(1);

    // frames fill the chart series and redraw the view
    const version = lab.store.view.version;
    mlp.say(frame(1, 3));
    expect(companion.series[1].at('expected_reward', 3)).toBe(0.5);
    expect(companion.distributions[0]).toHaveLength(100);
    expect(lab.store.view.version).toBeGreaterThan(version);
    expect(companion.store.getState().step).toBe(3);

    // Reset restarts the MLP: a second load; what the first load still says is dropped
    lab.store.getState().reset();
    lab.worker().flush();
    expect(mlp.of('load')).toHaveLength(2);
    expect(mlp.of('load')[1].load).toBe(2);
    expect(companion.series[0].length).toBe(0);
    mlp.say(frame(1, 7));
    expect(companion.series[0].length).toBe(0);
    expect(companion.store.getState().step).toBe(0);

    companion.store.getState().setEnabled(false);
    expect(mlp.terminated).toBe(true);
    expect(companion.series).toEqual([]);
    expect(companion.store.getState().status).toBe('off');
    // the lab goes on without it
    lab.store.getState().stepOnce();
    lab.worker().flush();
    expect(mlp.received.length).toBe(mlp.of('load').length + mlp.of('advance').length + mlp.of('edits').length);
    expect(mlp.of('advance').at(-1)!.target).toBe(0);
  });
});

describe('the MLP companion in a link (mlp=1)', () => {
  it('the switch is written into the link, and opening a link turns the companion on or off', () => {
    const lab = createTestStore(CONFIG);
    lab.worker().flush();
    const workers: FakeMlpWorker[] = [];
    const companion = createMlpCompanion(lab.store, { createWorker: () => (workers.push(new FakeMlpWorker()), workers[workers.length - 1]), sftSteps: 3 });
    expect(queryOf(lab.store.getState(), false)).not.toContain('mlp=');

    companion.store.getState().setEnabled(true);
    const query = queryOf(lab.store.getState(), false);
    expect(new URLSearchParams(query).get('mlp')).toBe('1');
    expect(workers).toHaveLength(1);

    // a link without the key switches it off (the worker goes) ...
    lab.store.getState().openExperiment(experimentFromQuery('v=1&preset=f1-r1'));
    lab.worker().flush();
    expect(companion.store.getState().enabled).toBe(false);
    expect(workers[0].terminated).toBe(true);
    // ... and the link that was copied switches it back on, with a fresh worker that loads the experiment
    lab.store.getState().openExperiment(experimentFromQuery(query));
    lab.worker().flush();
    expect(companion.store.getState().enabled).toBe(true);
    expect(workers).toHaveLength(2);
    expect(workers[1].of('load').at(-1)!.config.runs.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('a bad value names the key and leaves it off', () => {
    const bad = experimentFromQuery('v=1&preset=f1-r1&mlp=maybe');
    expect(bad.view.mlp).toBeUndefined();
    expect(bad.problems).toEqual([{ key: 'mlp', message: 'must be 1 or 0 (got "maybe")', usedInstead: 'off' }]);
  });
});
