/**
 * The lab and its URL: the address bar follows the experiment, and opening a link restores the experiment,
 * the view and the playback position, with metrics identical to the original's.
 */
import { describe, expect, it } from 'vitest';
import { progressOf, type LabStore } from '../../src/app/store/lab-store.ts';
import { experimentFromQuery } from '../../src/app/url/open-link.ts';
import { followInUrl, queryOf } from '../../src/app/url/url-sync.ts';
import { parseExperimentConfigOrThrow } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { Comparison } from '../../src/lab/train.ts';
import { createTestStore } from '../helpers/in-process-worker.ts';

const F1 = parseExperimentConfigOrThrow(findPreset('f1-r1')!.config);

function stepStore(store: LabStore, n: number): void {
  for (let i = 0; i < n; i++) store.getState().stepOnce();
}

/** the latest expected reward of each run, as the store's live view holds it */
function latestRewards(store: LabStore): number[] {
  return store.getState().runs.map((_, i) => store.view.series[i].latest!.expected_reward);
}

describe('opening a link', () => {
  it('an empty query is the default comparison, from its preset, with no problems', () => {
    const opened = experimentFromQuery('');
    expect(opened.preset).toBe('f1-r1');
    expect(opened.problems).toEqual([]);
    expect(opened.config).toEqual(F1);
    expect(experimentFromQuery('?')).toEqual(opened);
  });

  it('restores the experiment, its live edits, the view and the step; metrics equal a fresh Comparison', () => {
    const { store: original } = createTestStore(F1);
    stepStore(original, 5);
    original.getState().changeKnob({ kind: 'run', run: 'REINFORCE' }, 'lr', 0.3);
    stepStore(original, 4);
    original.getState().toggleHidden('offline IPO');
    original.getState().setEpochRun('on-policy IPO');
    original.getState().setSpeed(16);
    original.getState().setClassroom(['speed', 'setup'], true);
    expect(original.getState().config.edits).toEqual([{ run: 'REINFORCE', step: 5, key: 'lr', value: 0.3 }]);

    const query = queryOf(original.getState(), true);
    const { store: copy, worker } = createTestStore(F1);
    copy.getState().openExperiment(experimentFromQuery(`?${query}`));
    const s = copy.getState();
    expect(s.urlProblems).toEqual([]);
    expect(s.config).toEqual(original.getState().config);
    expect(progressOf(s)).toBe(9);
    expect(s.hidden).toEqual(['offline IPO']);
    expect(s.epochRun).toBe('on-policy IPO');
    expect(s.speed).toBe(16);
    expect(s.hide).toEqual(['speed', 'setup']);
    expect(s.present).toBe(true);
    // the worker was told the speed, not only the store
    expect(worker().received.filter((m) => m.type === 'speed').at(-1)).toEqual({ type: 'speed', speed: 16 });
    // bit-identical metrics: the copy, the original and the core replaying the same config
    expect(latestRewards(copy)).toEqual(latestRewards(original));
    const reference = new Comparison(s.config, s.config.seed);
    for (let i = 0; i < 9; i++) reference.advance();
    expect(latestRewards(copy)).toEqual(reference.runs.map((r) => r.metrics.last('expected_reward')));
  });

  it('a link from a preset opens with the preset caption; an edited one with a generic caption', () => {
    const { store } = createTestStore(F1);
    store.getState().openExperiment(experimentFromQuery('?v=1&preset=f4-r1'));
    expect(store.getState().preset).toBe('f4-r1');
    expect(store.getState().caption.title).toBe(findPreset('f4-r1')!.title);
    store.getState().openExperiment(experimentFromQuery('?v=1&preset=f4-r1&seed=7'));
    expect(store.getState().config.seed).toBe(7);
    expect(store.getState().preset).toBeNull();
  });

  it('names each rejected key in urlProblems and applies the rest', () => {
    const { store } = createTestStore(F1);
    store.getState().openExperiment(experimentFromQuery('?v=1&preset=f1-r2&seed=abc&lr=-1&bogus=1'));
    const s = store.getState();
    expect(s.urlProblems.map((p) => p.key).sort()).toEqual(['bogus', 'lr', 'seed']);
    expect(s.config.reward).toEqual({ kind: 'gaussian', centre: 20, width: 10 });
    expect(s.status).toBe('ready');
    store.getState().dismissUrlProblems();
    expect(store.getState().urlProblems).toEqual([]);
  });
});

describe('the address bar follows the lab', () => {
  function follow(store: LabStore) {
    const writes: string[] = [];
    const pushes: string[] = [];
    const due: Array<() => void> = [];
    const following = followInUrl(store, { write: (q) => writes.push(q), push: (q) => pushes.push(q), schedule: (callback) => due.push(callback) });
    const runDue = () => due.splice(0).forEach((f) => f());
    return { writes, pushes, runDue, stop: following.stop, fromHistory: following.fromHistory };
  }

  it('writes the config, the view and the step, once per scheduled interval, and only what changed', () => {
    const { store } = createTestStore(F1);
    const { writes, runDue, stop } = follow(store);
    expect(writes).toHaveLength(1);
    expect(experimentFromQuery(writes[0]).config).toEqual(F1);
    stepStore(store, 3);
    store.getState().setSpeed(8);
    runDue();
    expect(writes).toHaveLength(2);
    const opened = experimentFromQuery(writes[1]);
    expect(opened.view.at).toBe(3);
    expect(opened.view.speed).toBe(8);
    runDue();
    expect(writes).toHaveLength(2);
    store.getState().changeKnob({ kind: 'shared' }, 'lr', 0.1);
    runDue();
    expect(experimentFromQuery(writes.at(-1)!).config.edits.map((e) => [e.run, e.step, e.value])).toEqual(
      ['offline best-of-N', 'offline IPO', 'on-policy best-of-N', 'on-policy IPO', 'REINFORCE'].map((r) => [r, 3, 0.1]),
    );
    stop();
    store.getState().setSpeed(2);
    runDue();
    expect(writes).toHaveLength(3);
  });

  it('keeps the link as it was while a comparison is loading (the position is not known yet)', () => {
    const { store } = createTestStore(F1);
    store.setState({ status: 'starting' });
    const { writes, runDue } = follow(store);
    store.getState().setSpeed(8);
    runDue();
    expect(writes).toEqual([]);
  });

  it('opening another experiment adds a history entry (Back returns to it); edits and the entry Back opened replace', () => {
    const { store } = createTestStore(F1);
    const { writes, pushes, runDue, fromHistory } = follow(store);
    stepStore(store, 2);
    runDue();
    expect(pushes).toEqual([]);
    store.getState().loadPreset('f4-r1');
    runDue();
    expect(pushes).toHaveLength(1);
    expect(experimentFromQuery(pushes[0]).preset).toBe('f4-r1');
    store.getState().setSpeed(16);
    runDue();
    expect(pushes).toHaveLength(1);
    expect(experimentFromQuery(writes.at(-1)!).view.speed).toBe(16);
    // the browser went back: the lab opens that entry, which must not become a new entry
    store.getState().openExperiment(experimentFromQuery(writes[1]));
    fromHistory();
    runDue();
    expect(pushes).toHaveLength(1);
    expect(experimentFromQuery(writes.at(-1)!).config).toEqual(F1);
  });
});
