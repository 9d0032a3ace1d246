/**
 * The pieces of a neural comparison that the session assembles, kept apart so that tests build exactly the
 * same task, settings and SFT as the worker: which runs a preset id stands for, the task a preset trains on,
 * the runs' settings (with `quick`), the SFT options, and the views a frame carries (token marginals, length
 * histograms, samples, metric rows). No worker globals; tfjs only through the lab's policy helpers.
 */
import type { GptNano } from '../../lab/policies/gpt-nano.ts';
import { nextTokenProbabilities } from '../../lab/policies/gpt-training.ts';
import { stream } from '../../lab/random.ts';
import { cauchyTanhReference } from '../../lab/reference.ts';
import { buildSkewLengthTask, discretisedGaussianLengths, LENGTH_TASK_STREAMS } from '../../lab/sequence/length-tasks.ts';
import { LENGTH_TASK_PRESETS, OFFICIAL_SEQUENCE_PRESETS, type SequenceExperimentSpec, type SequenceTaskSpec } from '../../lab/sequence/sequence-presets.ts';
import { officialSequenceRewardSpec } from '../../lab/sequence/sequence-rewards.ts';
import { BIN_COUNT, END_TOKEN, MAX_GENERATED_TOKENS, SEQUENCE_SLOTS, sequenceLength } from '../../lab/sequence/tokens.ts';
import type { SequenceStepMetrics } from '../../lab/sequence-engine/sequence-metrics.ts';
import type { SequenceRun } from '../../lab/sequence-engine/sequence-run.ts';
import { drawPrompts, sampleTaskSequences } from '../../lab/sequence-engine/sequence-sampling.ts';
import { sequenceRunSettingsFromSpec, type SequenceRunSettings } from '../../lab/sequence-engine/sequence-settings.ts';
import { lengthTaskDefinition, minLengthTaskDefinition, modeLengthTaskDefinition, sequenceBanditTask, type SequenceTaskDefinition } from '../../lab/sequence-engine/sequence-task.ts';
import { DEFAULT_SEQUENCE_SFT, type SequenceSftOptions } from '../../lab/sequence-engine/sft.ts';
import type { NeuralBackendName, NeuralComparisonChoice, NeuralMetricRow, NeuralSample } from './protocol.ts';

/** Stream names of the neural worker (beside the engine's). */
export const NEURAL_STREAMS = {
  /** prompts of the reference sample behind the reference heatmap */
  referenceHeatmapPrompts: 'neural-reference-heatmap-prompts',
  /** sampling uniforms of that sample */
  referenceHeatmapSampling: 'neural-reference-heatmap-sampling',
  /** the token batch the backend timing trains on */
  backendWorkload: 'neural-backend-workload',
} as const;

/** Reference sequences behind the reference heatmap (fewer with `quick`). */
export const REFERENCE_HEATMAP_SAMPLES = 512;
export const QUICK_REFERENCE_HEATMAP_SAMPLES = 128;
/** samples a frame carries per run */
export const FRAME_SAMPLES = 8;

/** What a preset id opens: one official script (one run) or a length comparison (its runs). */
export interface ResolvedPreset {
  id: string;
  title: string;
  task: SequenceTaskSpec;
  runs: readonly SequenceExperimentSpec[];
}

export function resolvePreset(id: string): ResolvedPreset {
  const official = OFFICIAL_SEQUENCE_PRESETS.find((spec) => spec.id === id);
  if (official) return { id, title: official.label, task: official.task, runs: [official] };
  const comparison = LENGTH_TASK_PRESETS.find((preset) => preset.id === id);
  if (comparison) return { id, title: comparison.label, task: comparison.task, runs: comparison.runs };
  const known = [...OFFICIAL_SEQUENCE_PRESETS.map((spec) => spec.id), ...LENGTH_TASK_PRESETS.map((preset) => preset.id)];
  throw new Error(`no sequence preset is called "${id}" (known: ${known.join(', ')})`);
}

/** 'sequence-bandit' or the length task's id. */
export function taskId(spec: SequenceTaskSpec): string {
  return spec.kind === 'sequence-bandit' ? 'sequence-bandit' : spec.taskId;
}

/**
 * The task a preset trains on. Skew length fits its Bradley–Terry reward model to truncated reference pairs
 * drawn from `stream(seed, LENGTH_TASK_STREAMS.skewPreferencePairs)` (host only, a few milliseconds).
 */
export function buildTask(spec: SequenceTaskSpec, seed: number): SequenceTaskDefinition {
  if (spec.kind === 'sequence-bandit') return sequenceBanditTask(officialSequenceRewardSpec(spec.rewardId, spec.rewardScope));
  const lengths = discretisedGaussianLengths(spec.lengthMean, spec.lengthSd);
  switch (spec.taskId) {
    case 'min-length':
      return minLengthTaskDefinition(lengths);
    case 'mode-length':
      return modeLengthTaskDefinition(lengths);
    case 'skew-length': {
      const tokens = cauchyTanhReference(BIN_COUNT);
      const skew = buildSkewLengthTask({ tokenDistribution: tokens, lengthDistribution: lengths }, stream(seed, LENGTH_TASK_STREAMS.skewPreferencePairs), {
        shortLimit: spec.shortLimit,
        candidatePairCount: spec.candidatePairCount,
      });
      return lengthTaskDefinition(skew.task, lengths, tokens, skew.pairs);
    }
  }
}

/** A run's gradient steps under `quick`: the preset's times the factor, at least one. */
export function quickSteps(steps: number, quick: NeuralComparisonChoice['quick']): number {
  return quick ? Math.max(1, Math.round(steps * quick.stepFactor)) : steps;
}

/** The settings of one run of the preset. */
export function runSettings(spec: SequenceExperimentSpec, quick: NeuralComparisonChoice['quick']): SequenceRunSettings {
  return sequenceRunSettingsFromSpec(spec, { steps: quickSteps(spec.gradientSteps, quick) });
}

/** The reference's SFT: the engine's defaults, at most `quick.sftSteps` steps, the transpose-free matMul on wasm. */
export function sftOptions(quick: NeuralComparisonChoice['quick'], backend: NeuralBackendName): Partial<SequenceSftOptions> {
  return {
    steps: quick ? Math.max(1, Math.min(DEFAULT_SEQUENCE_SFT.steps, Math.round(quick.sftSteps))) : DEFAULT_SEQUENCE_SFT.steps,
    modelOverrides: { transposeFreeMatMul: backend === 'wasm' },
  };
}

/** Divide each row of a row-major [rows × vocab] array by its sum (float64), so rows sum to 1. */
function normaliseRows(values: Float64Array, vocab: number): number[] {
  for (let row = 0; row * vocab < values.length; row++) {
    let total = 0;
    for (let a = 0; a < vocab; a++) total += values[row * vocab + a];
    if (total > 0) for (let a = 0; a < vocab; a++) values[row * vocab + a] /= total;
  }
  return Array.from(values);
}

/** Empirical per-position token frequencies of `count` 10-slot sequences: generated positions 1..9 × vocab. */
export function tokenMarginals(tokens: Int32Array, count: number, vocab: number): number[] {
  const heat = new Float64Array(MAX_GENERATED_TOKENS * vocab);
  for (let i = 0; i < count; i++) {
    for (let p = 1; p <= MAX_GENERATED_TOKENS; p++) heat[(p - 1) * vocab + tokens[i * SEQUENCE_SLOTS + p]] += 1;
  }
  return normaliseRows(heat, vocab);
}

/** Fractions of the sequences of each length 1..9 (index 0 = length 1). */
export function lengthHistogram(tokens: Int32Array, count: number): number[] {
  const histogram = Array.from({ length: MAX_GENERATED_TOKENS }, () => 0);
  for (let i = 0; i < count; i++) {
    const length = sequenceLength(tokens, i * SEQUENCE_SLOTS);
    if (length >= 1) histogram[length - 1] += 1 / count;
  }
  return histogram;
}

export interface ReferenceView {
  /** positions × vocab, rows summing to 1 */
  heatmap: number[];
  /** length tasks: the sample's length histogram over 1..9; null for the bandit */
  lengths: number[] | null;
}

/**
 * The reference's per-position token marginals, estimated from `count` seeded reference sequences and computed
 * from the model along them (a Rao–Blackwellised estimate): the marginal of position p is the average over the
 * sampled prefixes of the model's own next-token distribution at p (the end token masked at position 1, as the
 * sampler does), and exactly the end token at positions after an end token (the padding). Unbiased, with far
 * less noise than counting the sampled tokens; the exact marginal would need a sum over 100⁸ prefixes.
 */
export async function referenceView(reference: GptNano, task: SequenceTaskDefinition, seed: number, count: number): Promise<ReferenceView> {
  const vocab = task.vocabulary;
  const prompts = drawPrompts(count, stream(seed, NEURAL_STREAMS.referenceHeatmapPrompts));
  const tokens = await sampleTaskSequences(reference, task, prompts, stream(seed, NEURAL_STREAMS.referenceHeatmapSampling));
  const probs = await nextTokenProbabilities(reference, { count, length: SEQUENCE_SLOTS, tokens });
  const heat = new Float64Array(MAX_GENERATED_TOKENS * vocab);
  for (let i = 0; i < count; i++) {
    let ended = false;
    for (let p = 1; p <= MAX_GENERATED_TOKENS; p++) {
      const row = (p - 1) * vocab;
      if (ended) {
        heat[row + END_TOKEN] += 1;
        continue;
      }
      const base = (i * SEQUENCE_SLOTS + p - 1) * vocab;
      const masked = task.hasEndToken && p === 1 ? END_TOKEN : -1;
      let total = 0;
      for (let a = 0; a < vocab; a++) if (a !== masked) total += probs[base + a];
      for (let a = 0; a < vocab; a++) if (a !== masked) heat[row + a] += probs[base + a] / total;
      if (task.hasEndToken && tokens[i * SEQUENCE_SLOTS + p] === END_TOKEN) ended = true;
    }
  }
  return { heatmap: normaliseRows(heat, vocab), lengths: task.hasEndToken ? lengthHistogram(tokens, count) : null };
}

export function metricRow(metrics: SequenceStepMetrics, hasEndToken: boolean): NeuralMetricRow {
  return {
    step: metrics.step,
    // the policy's own recent samples: an offline run's batch is its fixed dataset, which says nothing of the policy
    reward: Number.isFinite(metrics.policyReward) ? metrics.policyReward : metrics.batchReward,
    klPerToken: Number.isFinite(metrics.policyKlPerToken) ? metrics.policyKlPerToken : metrics.klPerToken,
    meanLength: hasEndToken ? (Number.isFinite(metrics.policyLength) ? metrics.policyLength : metrics.meanLength) : null,
    loss: metrics.loss,
    gradNorm: metrics.gradNorm,
  };
}

/** Up to FRAME_SAMPLES sequences of the run's latest minibatch, evenly spread over it. */
export function frameSamples(run: SequenceRun): NeuralSample[] {
  const batch = run.lastBatch;
  if (!batch) return [];
  const from = batch.p0 * batch.data.N;
  const to = batch.p1 * batch.data.N;
  const count = Math.min(FRAME_SAMPLES, to - from);
  const samples: NeuralSample[] = [];
  for (let k = 0; k < count; k++) {
    const i = from + Math.floor((k * (to - from)) / count);
    const offset = i * SEQUENCE_SLOTS;
    samples.push({
      tokens: Array.from(run.tokens.subarray(offset, offset + SEQUENCE_SLOTS)),
      reward: batch.data.rewards[i],
      coefficient: run.coefficients.coef[i],
      length: sequenceLength(run.tokens, offset),
    });
  }
  return samples;
}
