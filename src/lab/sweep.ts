/**
 * Sweeps: run a comparison once per value of one knob (for every run, over every seed) and report, for
 * each run, the value with the best mean final expected reward — as the authors picked per-method learning
 * rates. Claims that compare speeds across objectives are only meaningful at each one's tuned value.
 */
import { parseExperimentConfigOrThrow, type ExperimentConfigInput } from './config/experiment.ts';
import { applyOverrides, overrideFor } from './config/overrides.ts';
import { runExperiment, type SeedResult } from './run-experiment.ts';

export interface SweepPoint {
  value: unknown;
  results: SeedResult[];
}

export interface SweepBest {
  run: string;
  objective: string;
  bestValue: unknown;
  meanFinalExpectedReward: number;
  /** mean final expected reward per swept value, in sweep order */
  byValue: Array<{ value: unknown; meanFinalExpectedReward: number; diverged: number }>;
}

export function runSweep(input: ExperimentConfigInput, key: string, values: readonly unknown[], seeds: readonly number[]): { points: SweepPoint[]; best: SweepBest[] } {
  const points = values.map((value) => {
    const config = parseExperimentConfigOrThrow(applyOverrides(input, [overrideFor(key, value)]));
    return { value, results: runExperiment(config, seeds) };
  });
  const runNames = points[0].results[0].summaries.map((s) => ({ name: s.name, objective: s.objective }));
  const best = runNames.map(({ name, objective }) => {
    const byValue = points.map((p) => {
      const summaries = p.results.map((r) => r.summaries.find((s) => s.name === name)!);
      const finals = summaries.map((s) => (s.diverged ? 0 : s.finalExpectedReward));
      return {
        value: p.value,
        meanFinalExpectedReward: finals.reduce((a, b) => a + b, 0) / finals.length,
        diverged: summaries.filter((s) => s.diverged).length,
      };
    });
    const top = byValue.reduce((a, b) => (b.meanFinalExpectedReward > a.meanFinalExpectedReward ? b : a));
    return { run: name, objective, bestValue: top.value, meanFinalExpectedReward: top.meanFinalExpectedReward, byValue };
  });
  return { points, best };
}
