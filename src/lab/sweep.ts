/**
 * Sweeps: run a comparison once per value of one knob (for every run, over every seed) and report, for
 * each run, the value with the best mean final expected reward (or, with `rankBy: 'area'`, the best mean
 * expected reward over all steps, which rewards speed) — as the authors picked per-method learning rates.
 * Claims that compare speeds across objectives are only meaningful at each one's tuned value.
 */
import { parseExperimentConfigOrThrow, type ExperimentConfigInput } from './config/experiment.ts';
import { applyOverrides, overrideFor } from './config/overrides.ts';
import { runExperiment, type SeedResult } from './run-experiment.ts';

export interface SweepPoint {
  value: unknown;
  results: SeedResult[];
}

export type SweepRanking = 'final' | 'area';

export interface SweepBest {
  run: string;
  objective: string;
  bestValue: unknown;
  /** the ranking score of the best value: mean final expected reward, or mean expected reward over all steps */
  score: number;
  /** the score per swept value, in sweep order */
  byValue: Array<{ value: unknown; score: number; diverged: number }>;
}

export function runSweep(
  input: ExperimentConfigInput,
  key: string,
  values: readonly unknown[],
  seeds: readonly number[],
  rankBy: SweepRanking = 'final',
): { points: SweepPoint[]; best: SweepBest[] } {
  const points = values.map((value) => {
    const config = parseExperimentConfigOrThrow(applyOverrides(input, [overrideFor(key, value)]));
    return { value, results: runExperiment(config, seeds) };
  });
  const runNames = points[0].results[0].summaries.map((s) => ({ name: s.name, objective: s.objective }));
  const best = runNames.map(({ name, objective }) => {
    const byValue = points.map((p) => {
      const summaries = p.results.map((r) => r.summaries.find((s) => s.name === name)!);
      const scores = summaries.map((s) => (s.diverged ? 0 : rankBy === 'final' ? s.finalExpectedReward : s.meanExpectedReward));
      return {
        value: p.value,
        score: scores.reduce((a, b) => a + b, 0) / scores.length,
        diverged: summaries.filter((s) => s.diverged).length,
      };
    });
    const top = byValue.reduce((a, b) => (b.score > a.score ? b : a));
    return { run: name, objective, bestValue: top.value, score: top.score, byValue };
  });
  return { points, best };
}
