/**
 * The bandit a comparison is played on: π_ref, the reward table and the peak window, built once from a
 * config and shared (read-only) by every run.
 */
import { binCount, type ExperimentConfig } from './config/experiment.ts';
import { cauchyTanhReference, customReference, sampledCauchyTanhReference } from './reference.ts';
import { argmax, gaussianReward, OFFICIAL_REWARDS } from './rewards.ts';
import { log } from './math.ts';

export interface Environment {
  K: number;
  refProbs: Float64Array;
  logRef: Float64Array;
  /** cumulative π_ref, for inverse-CDF sampling of the offline dataset */
  refCdf: Float64Array;
  reward: Float64Array;
  /** the reward's peak bin and the window [peakLo, peakHi] whose mass is reported */
  peakBin: number;
  peakLo: number;
  peakHi: number;
  /** "R1", "R2", … when the reward is an official one, else "custom" or "gaussian(c, w)" */
  rewardLabel: string;
}

export function rewardLabel(config: ExperimentConfig): string {
  const r = config.reward;
  if (r.kind === 'custom') return 'custom';
  for (const info of Object.values(OFFICIAL_REWARDS)) {
    if (info.centre === r.centre && info.width === r.width) return info.label;
  }
  return `gaussian(${r.centre}, ${r.width})`;
}

export function buildEnvironment(config: ExperimentConfig): Environment {
  const K = binCount(config);
  const ref = config.reference;
  const refProbs =
    ref.kind === 'cauchy-tanh'
      ? cauchyTanhReference(ref.bins)
      : ref.kind === 'sampled'
        ? sampledCauchyTanhReference(config.seed, ref.bins, ref.draws)
        : customReference(ref.values);
  const logRef = new Float64Array(K);
  for (let a = 0; a < K; a++) logRef[a] = log(refProbs[a]);
  if (ref.kind === 'sampled') {
    const empty = refProbs.findIndex((p) => p === 0);
    if (empty >= 0) {
      throw new Error(
        `reference: the sampled histogram (seed ${config.seed}, ${ref.draws} draws) left bin ${empty} empty, so log π_ref would be −∞; use more draws or the analytic reference`,
      );
    }
  }
  const refCdf = new Float64Array(K);
  let cumulative = 0;
  for (let a = 0; a < K; a++) refCdf[a] = cumulative += refProbs[a];
  const reward =
    config.reward.kind === 'gaussian'
      ? gaussianReward(K, config.reward.centre, config.reward.width)
      : Float64Array.from(config.reward.values);
  const peakBin = argmax(reward);
  return {
    K,
    refProbs,
    logRef,
    refCdf,
    reward,
    peakBin,
    peakLo: Math.max(0, peakBin - config.peakHalfWidth),
    peakHi: Math.min(K - 1, peakBin + config.peakHalfWidth),
    rewardLabel: rewardLabel(config),
  };
}
