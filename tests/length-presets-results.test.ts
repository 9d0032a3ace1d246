/**
 * The recorded runs of the three length presets (docs/length-presets-results.json, written by
 * scripts/run-length-presets.ts; far too slow for a test run: ~20 min a preset and seed) against what the
 * Sequences page and docs/sequence-tasks.md say they show. This does not re-run anything: it fails when a
 * preset's settings change without the runs being recorded again, or when the page's statements stop matching
 * the recorded numbers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LENGTH_TASK_PRESETS } from '../src/lab/sequence/sequence-presets.ts';

interface EvalPoint {
  step: number;
  meanLength: number;
  distanceToMode: number | null;
  klPerToken: number;
}
interface RecordedRun {
  id: string;
  steps: number;
  diverged: string | null;
  firstShortStep: number | null;
  evaluations: EvalPoint[];
}
interface RecordedPreset {
  id: string;
  seed: number;
  steps: number;
  complete: boolean;
  tensorsBefore: number;
  tensorsAfter: number;
  runs: RecordedRun[];
}

const recorded = JSON.parse(readFileSync(new URL('../docs/length-presets-results.json', import.meta.url), 'utf8')) as { presets: Record<string, RecordedPreset> };
const complete = Object.values(recorded.presets).filter((p) => p.complete);

function runsOf(presetId: string): RecordedPreset[] {
  return complete.filter((p) => p.id === presetId);
}

function at(run: RecordedRun, step: number): EvalPoint {
  const point = run.evaluations.find((e) => e.step === step);
  if (!point) throw new Error(`${run.id}: no evaluation at step ${step}`);
  return point;
}

function run(preset: RecordedPreset, suffix: string): RecordedRun {
  const found = preset.runs.find((r) => r.id.endsWith(suffix));
  if (!found) throw new Error(`${preset.id}: no run ${suffix}`);
  return found;
}

describe('the recorded length-preset runs', () => {
  it('were made with the presets as they are now: every run, its full length, every seed, no leak, no divergence', () => {
    for (const preset of LENGTH_TASK_PRESETS) {
      const records = runsOf(preset.id);
      expect(records.map((r) => r.seed).sort(), preset.id).toEqual(preset.runs[0].seeds);
      for (const record of records) {
        expect(record.runs.map((r) => r.id), preset.id).toEqual(preset.runs.map((r) => r.id));
        record.runs.forEach((r, i) => {
          expect(r.steps, r.id).toBe(preset.runs[i].gradientSteps);
          expect(r.diverged, r.id).toBeNull();
          expect(r.evaluations.at(-1)?.step, r.id).toBe(preset.runs[i].gradientSteps);
        });
        expect(record.tensorsAfter, `${preset.id} seed ${record.seed}`).toBe(record.tensorsBefore);
      }
    }
  });

  it('min length: on-policy DPO is short (≤ 1.5) by step 50 in every seed, RWR by 100, PPO not before step 150, offline DPO ends between 1.0 and 1.4', () => {
    for (const record of runsOf('min-length-comparison')) {
      expect(run(record, 'onpolicy-dpo').firstShortStep).toBeLessThanOrEqual(50);
      expect(run(record, 'ppo').firstShortStep).toBeGreaterThanOrEqual(150);
      expect(run(record, 'onpolicy-rwr').firstShortStep).toBeLessThanOrEqual(100);
      const offline = at(run(record, 'offline-dpo'), 300).meanLength;
      expect(offline).toBeGreaterThanOrEqual(1);
      expect(offline).toBeLessThanOrEqual(1.4);
    }
  });

  it('skew length: offline DPO on the truncated pairs does not plateau (unlike F7): ≤ 1.1 from step 50 on, in every seed', () => {
    for (const record of runsOf('skew-length-comparison')) {
      for (const point of run(record, 'offline-dpo').evaluations.filter((e) => e.step >= 50)) expect(point.meanLength).toBeLessThanOrEqual(1.1);
      expect(run(record, 'onpolicy-dpo').firstShortStep).toBeLessThanOrEqual(50);
      expect(run(record, 'ppo').firstShortStep).toBeGreaterThanOrEqual(150);
    }
  });

  it('mode length: the on-policy runs are at the mode (distance ≤ 0.1) from step 100 on; offline DPO drifts to 0.2–1.7, further than any', () => {
    for (const record of runsOf('mode-length-comparison')) {
      for (const suffix of ['onpolicy-dpo', 'ppo', 'onpolicy-rwr']) {
        for (const point of run(record, suffix).evaluations.filter((e) => e.step >= 100)) expect(point.distanceToMode!).toBeLessThanOrEqual(0.1);
      }
      const offline = at(run(record, 'offline-dpo'), 300).distanceToMode!;
      expect(offline).toBeGreaterThanOrEqual(0.2);
      expect(offline).toBeLessThanOrEqual(1.7);
    }
  });
});
