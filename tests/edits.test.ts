/** The edit-log rule shared by the worker and the store, and the comparison's live edits. */
import { describe, expect, it } from 'vitest';
import { recordEdit } from '../src/lab/config/edits.ts';
import { parseExperimentConfigOrThrow, type LiveEdit } from '../src/lab/config/experiment.ts';
import { Comparison } from '../src/lab/train.ts';

const e = (run: string, step: number, key: LiveEdit['key'], value: number): LiveEdit => ({ run, step, key, value });

describe('recordEdit', () => {
  it('drops later edits of the same run and knob, keeps others, and keeps the log ordered by step', () => {
    const log = [e('a', 5, 'lr', 1), e('a', 50, 'lr', 2), e('b', 50, 'lr', 3), e('a', 60, 'klCoef', 4)];
    expect(recordEdit(log, e('a', 20, 'lr', 9))).toEqual([e('a', 5, 'lr', 1), e('a', 20, 'lr', 9), e('b', 50, 'lr', 3), e('a', 60, 'klCoef', 4)]);
  });

  it('replaces an edit at the same step', () => {
    expect(recordEdit([e('a', 5, 'lr', 1)], e('a', 5, 'lr', 2))).toEqual([e('a', 5, 'lr', 2)]);
  });
});

describe('Comparison.applyLiveEdit', () => {
  const config = parseExperimentConfigOrThrow({
    runs: [
      { name: 'pg', objective: 'reinforce', steps: 200 },
      { name: 'ipo', objective: 'ipo', steps: 200 },
    ],
  });

  it('records the change at the run\'s step and replays identically from the recorded edits', () => {
    const live = new Comparison(config);
    for (let i = 0; i < 40; i++) live.advance();
    expect(live.applyLiveEdit('pg', 'lr', 0.5)).toEqual(e('pg', 40, 'lr', 0.5));
    for (let i = 0; i < 30; i++) live.advance();
    live.applyLiveEdit('ipo', 'ipoMargin', 2);
    live.runToEnd();
    const replay = new Comparison({ ...config, edits: live.edits });
    replay.runToEnd();
    for (const i of [0, 1]) {
      expect(replay.runs[i].metrics.toArray('expected_reward')).toEqual(live.runs[i].metrics.toArray('expected_reward'));
    }
  });

  it('a change overrides a pending edit of the same knob from the config', () => {
    const withPlan = new Comparison({ ...config, edits: [e('pg', 100, 'lr', 0.9)] });
    for (let i = 0; i < 50; i++) withPlan.advance();
    withPlan.applyLiveEdit('pg', 'lr', 0.01);
    for (let i = 0; i < 60; i++) withPlan.advance();
    expect(withPlan.runs[0].settings.lr).toBe(0.01);
    expect(withPlan.edits).toEqual([e('pg', 50, 'lr', 0.01)]);
  });

  it('refuses unknown runs, bad values and finished runs', () => {
    const c = new Comparison(config);
    expect(() => c.applyLiveEdit('nope', 'lr', 1)).toThrow('no run is named "nope"');
    expect(() => c.applyLiveEdit('pg', 'lr', 1000)).toThrow(/Learning rate must be a number greater than 0 and at most 100 \(got 1000\)/);
    c.runToEnd();
    expect(() => c.applyLiveEdit('pg', 'lr', 1)).toThrow(/has finished/);
  });
});
