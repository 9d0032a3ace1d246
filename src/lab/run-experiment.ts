/**
 * Run a comparison headless for one or more seeds and summarise it: the code path of the CLI, the
 * paper-claim tests and the benchmarks.
 */
import type { ExperimentConfig } from './config/experiment.ts';
import { formatMetric, METRIC_KEYS } from './metrics.ts';
import { Comparison, type Run } from './train.ts';

export const REWARD_THRESHOLD_FOR_SPEED = 0.8;

export interface RunSummary {
  name: string;
  objective: string;
  onPolicy: boolean;
  reward: string;
  seed: number;
  steps: number;
  finalExpectedReward: number;
  firstStepAtReward08: number | null;
  finalPeakMass: number;
  finalKlPiRef: number;
  /** mean of the expected reward over every recorded step: the area under the reward curve, a speed measure */
  meanExpectedReward: number;
  diverged: boolean;
  divergedAtStep: number | null;
}

export interface SeedResult {
  seed: number;
  comparison: Comparison;
  summaries: RunSummary[];
}

function meanOf(values: Float64Array, length: number): number {
  let total = 0;
  for (let i = 0; i < length; i++) total += values[i];
  return total / length;
}

export function summariseRun(run: Run, rewardLabel: string): RunSummary {
  const m = run.metrics;
  const er = m.columns.expected_reward;
  let first: number | null = null;
  for (let row = 0; row < m.length; row++) {
    if (er[row] >= REWARD_THRESHOLD_FOR_SPEED) {
      first = m.columns.step[row];
      break;
    }
  }
  return {
    name: run.name,
    objective: run.spec.objective,
    onPolicy: run.spec.sampling === 'on-policy',
    reward: rewardLabel,
    seed: run.seed,
    steps: run.step,
    finalExpectedReward: m.last('expected_reward'),
    firstStepAtReward08: first,
    finalPeakMass: m.last('peak_mass'),
    finalKlPiRef: m.last('kl_pi_ref'),
    meanExpectedReward: meanOf(er, m.length),
    diverged: run.diverged !== null,
    divergedAtStep: run.diverged?.step ?? null,
  };
}

/** Run the whole comparison once per seed. */
export function runExperiment(config: ExperimentConfig, seeds: readonly number[] = [config.seed]): SeedResult[] {
  return seeds.map((seed) => {
    const comparison = new Comparison(config, seed);
    comparison.runToEnd();
    return { seed, comparison, summaries: comparison.runs.map((r) => summariseRun(r, comparison.env.rewardLabel)) };
  });
}

/** Per-step metrics of one run as CSV, one row per recorded step (row 0 is the starting policy). */
export function metricsCsv(run: Run): string {
  const m = run.metrics;
  const lines = [METRIC_KEYS.join(',')];
  for (let row = 0; row < m.length; row++) {
    lines.push(METRIC_KEYS.map((k) => formatMetric(m.columns[k][row])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

