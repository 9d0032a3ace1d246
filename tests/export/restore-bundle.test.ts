// @vitest-environment happy-dom
/**
 * Restoring a bundle against a worker that answers late, as a real one does: the bundle's experiment
 * replaces the current one and trains again from step 0 (a regression test: an earlier version started
 * playback from a store subscription that re-entered itself until the stack overflowed).
 */
import { describe, expect, it } from 'vitest';
import { restoreBundle } from '../../src/app/export/import-bundle.ts';
import { buildBundle } from '../../src/app/export/bundle.ts';
import { parseExperimentConfigOrThrow } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { makeDelayedLab } from '../helpers/delayed-worker.ts';
import { exportAfter } from './exported-runs.ts';

const F1 = parseExperimentConfigOrThrow(findPreset('f1-r1')!.config);
const F4 = parseExperimentConfigOrThrow(findPreset('f4-r1')!.config);

describe('restoring a bundle', () => {
  it('replaces the experiment and trains it again from step 0, without re-entering the store', () => {
    const { store, worker } = makeDelayedLab(F4);
    const bundle = buildBundle({ config: F1, runs: exportAfter(F1, 3) });
    restoreBundle(store, bundle, 'f1.json');
    expect(store.getState().playing).toBe(true);
    worker().advance(200);
    const s = store.getState();
    expect(s.config).toEqual(F1);
    expect(s.info?.runs.map((r) => r.name)).toEqual(F1.runs.map((r) => r.name));
    expect(s.playing).toBe(true);
    expect(Math.max(...s.runs.map((r) => r.step))).toBeGreaterThan(0);
    s.pause();
    worker().advance(100);
    expect(store.getState().playing).toBe(false);
  });
});
