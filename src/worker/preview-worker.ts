/**
 * A first, one-shot worker: runs the default comparison headless with the lab core and posts its
 * expected-reward curves (downsampled) and summary. The interactive training worker with a typed
 * protocol replaces it when the lab UI lands.
 */
import { parseExperimentConfigOrThrow } from '../lab/config/experiment.ts';
import { DEFAULT_PRESET_NAME, findPreset } from '../lab/config/presets.ts';
import { runExperiment, type RunSummary } from '../lab/run-experiment.ts';

export interface PreviewResult {
  title: string;
  description: string;
  rewardLabel: string;
  /** one row per plotted step: { step, [run name]: expected reward } */
  curve: Array<Record<string, number>>;
  summaries: RunSummary[];
  finalPolicies: Array<{ name: string; probs: number[] }>;
  reference: number[];
  reward: number[];
  millis: number;
}

const MAX_POINTS = 300;

function preview(): PreviewResult {
  const started = performance.now();
  const preset = findPreset(DEFAULT_PRESET_NAME)!;
  const config = parseExperimentConfigOrThrow(preset.config);
  const [result] = runExperiment(config, [config.seed]);
  const runs = result.comparison.runs;
  const longest = Math.max(...runs.map((r) => r.metrics.length));
  const stride = Math.max(1, Math.ceil(longest / MAX_POINTS));
  const curve: Array<Record<string, number>> = [];
  for (let row = 0; row < longest; row += stride) {
    const point: Record<string, number> = { step: row };
    for (const run of runs) if (row < run.metrics.length) point[run.name] = run.metrics.at('expected_reward', row);
    curve.push(point);
  }
  return {
    title: preset.title,
    description: preset.description,
    rewardLabel: result.comparison.env.rewardLabel,
    curve,
    summaries: result.summaries,
    finalPolicies: runs.map((r) => ({ name: r.name, probs: Array.from(r.policy.probs) })),
    reference: Array.from(result.comparison.env.refProbs),
    reward: Array.from(result.comparison.env.reward),
    millis: performance.now() - started,
  };
}

self.onmessage = () => {
  try {
    self.postMessage({ ok: true, result: preview() });
  } catch (error) {
    self.postMessage({ ok: false, error: (error as Error).message });
  }
};
