/** The framework-free sequence tasks: rewards 6/7 and their quirk, the length tasks, the skew BT model, the presets. */
import { describe, expect, it } from 'vitest';
import { exp } from '../src/lab/math.ts';
import { stream } from '../src/lab/random.ts';
import { cauchyTanhReference } from '../src/lab/reference.ts';
import {
  BIN_COUNT,
  END_TOKEN,
  MAX_GENERATED_TOKENS,
  SEQUENCE_SLOTS,
  batchLengths,
  formatSequence,
  generatedTokens,
  makeSequence,
  sequenceLength,
} from '../src/lab/sequence/tokens.ts';
import { SequenceReward, officialSequenceRewardSpec, uniformPromptDistribution } from '../src/lab/sequence/sequence-rewards.ts';
import {
  DEFAULT_SHORT_LIMIT,
  LENGTH_TASK_STREAMS,
  buildSkewLengthTask,
  buildSkewPreferencePairs,
  customLengthDistribution,
  discretisedGaussianLengths,
  endTokenHazard,
  fitBradleyTerryLengthModel,
  generateLengthSftDataset,
  lengthDistributionMode,
  lengthProbability,
  minLengthTask,
  modeLengthTask,
  referenceSequenceLogProb,
  truncatedLength,
  type LengthReference,
} from '../src/lab/sequence/length-tasks.ts';
import { LENGTH_TASK_PRESETS, OFFICIAL_SEQUENCE_PRESETS, SEQUENCE_PRESETS_BY_ID } from '../src/lab/sequence/sequence-presets.ts';
import { buildTask, runSettings } from '../src/worker/neural/neural-comparison.ts';

const piRef = cauchyTanhReference();
const uniformPrompt = uniformPromptDistribution();
const defaultLengths = discretisedGaussianLengths();
const reference: LengthReference = { tokenDistribution: piRef, lengthDistribution: defaultLengths };

/** Pearson's χ² of observed counts against expected probabilities. */
function chiSquare(counts: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  let statistic = 0;
  for (let i = 0; i < counts.length; i++) {
    const expected = total * probabilities[i];
    statistic += ((counts[i] - expected) * (counts[i] - expected)) / expected;
  }
  return statistic;
}

describe('tokens and sequences', () => {
  it('pads after the end token and measures the length as tokens before it (9 when none)', () => {
    const short = makeSequence(17, [3, 16, END_TOKEN, 42]);
    expect(Array.from(short)).toEqual([17, 3, 16, END_TOKEN, END_TOKEN, END_TOKEN, END_TOKEN, END_TOKEN, END_TOKEN, END_TOKEN]);
    expect(sequenceLength(short)).toBe(2);
    expect(generatedTokens(short)).toEqual([3, 16]);
    expect(formatSequence(short)).toBe('17 | 3 16 ⏹');
    const full = makeSequence(0, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sequenceLength(full)).toBe(MAX_GENERATED_TOKENS);
    expect(SEQUENCE_SLOTS).toBe(10);
    expect(END_TOKEN).toBe(BIN_COUNT);
    expect(() => makeSequence(END_TOKEN, [1])).toThrow();
    expect(() => makeSequence(0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toThrow();
  });

  it('reads lengths at an offset inside a batch', () => {
    const tokens = new Int32Array([...makeSequence(1, [5]), ...makeSequence(2, [5, 6, 7, 8])]);
    expect(batchLengths({ count: 2, tokens })).toEqual(new Int32Array([1, 4]));
  });
});

describe('sequence rewards 6 and 7 (spec A.4)', () => {
  it('averages the per-token bump over 10 tokens (official) or the 9 generated ones (corrected)', () => {
    const allAtPeak = makeSequence(50, [20, 20, 20, 20, 20, 20, 20, 20, 20]);
    const official = new SequenceReward(officialSequenceRewardSpec(7));
    const corrected = new SequenceReward(officialSequenceRewardSpec(7, 'generated-only'));
    expect(official.reward(allAtPeak)).toBeCloseTo((exp(-9) + 9) / 10, 14);
    expect(corrected.reward(allAtPeak)).toBeCloseTo(1, 14);
    const mixed = makeSequence(20, [70, 30, 20, 20, 20, 20, 20, 20, 20]);
    expect(corrected.reward(mixed)).toBeCloseTo((exp(-25) + exp(-1) + 7) / 9, 14);
    expect(official.reward(mixed)).toBeCloseTo((1 + exp(-25) + exp(-1) + 7) / 10, 14);
    const reward6 = new SequenceReward(officialSequenceRewardSpec(6, 'generated-only'));
    expect(reward6.reward(makeSequence(0, [70, 70, 70, 70, 70, 70, 70, 70, 60]))).toBeCloseTo((8 + exp(-1)) / 9, 14);
  });

  it('takes the centre and width as parameters', () => {
    const custom = new SequenceReward({ centre: 50, width: 5, scope: 'generated-only' });
    expect(custom.reward(makeSequence(0, [55, 55, 55, 55, 55, 55, 55, 55, 55]))).toBeCloseTo(exp(-1), 14);
  });

  it('caps the official expected reward at ≈ 0.918 with a uniform prompt; the corrected form reaches 1', () => {
    for (const id of [6, 7] as const) {
      expect(new SequenceReward(officialSequenceRewardSpec(id)).maximumExpected(uniformPrompt)).toBeCloseTo(0.918, 3);
      expect(new SequenceReward(officialSequenceRewardSpec(id, 'generated-only')).maximumExpected(uniformPrompt)).toBe(1);
    }
  });

  it('starts reward 7 at ≈ 0.357 (official) and ≈ 0.377 (corrected) under the exact π_ref', () => {
    expect(new SequenceReward(officialSequenceRewardSpec(7)).expectedUnderIndependentTokens(piRef, uniformPrompt)).toBeCloseTo(0.357, 3);
    expect(new SequenceReward(officialSequenceRewardSpec(7, 'generated-only')).expectedUnderIndependentTokens(piRef, uniformPrompt)).toBeCloseTo(0.377, 3);
    expect(new SequenceReward(officialSequenceRewardSpec(6, 'generated-only')).expectedUnderIndependentTokens(piRef, uniformPrompt)).toBeCloseTo(0.039, 3);
  });

  it('computes the exact expectation consistently with the per-sequence reward (enumeration over a two-token support)', () => {
    // tokens 18 (p 0.3) and 70 (p 0.7), prompt 25: enumerate all 2^9 generated sequences
    const tokenDistribution = new Float64Array(BIN_COUNT);
    tokenDistribution[18] = 0.3;
    tokenDistribution[70] = 0.7;
    const promptDistribution = new Float64Array(BIN_COUNT);
    promptDistribution[25] = 1;
    for (const scope of ['official-with-prompt', 'generated-only'] as const) {
      const reward = new SequenceReward(officialSequenceRewardSpec(7, scope));
      let enumerated = 0;
      for (let mask = 0; mask < 1 << MAX_GENERATED_TOKENS; mask++) {
        const generated: number[] = [];
        let probability = 1;
        for (let t = 0; t < MAX_GENERATED_TOKENS; t++) {
          const high = (mask >> t) & 1;
          generated.push(high ? 70 : 18);
          probability *= high ? 0.7 : 0.3;
        }
        enumerated += probability * reward.reward(makeSequence(25, generated));
      }
      expect(reward.expectedUnderIndependentTokens(tokenDistribution, promptDistribution)).toBeCloseTo(enumerated, 12);
    }
  });
});

describe('length distributions', () => {
  it('the default is a normalised discretised Gaussian with mean 6, sd 1.5 and its mode at 6', () => {
    const sum = defaultLengths.probabilities.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 14);
    expect(lengthDistributionMode(defaultLengths)).toBe(6);
    expect(lengthProbability(defaultLengths, 6)).toBeCloseTo(0.2683, 4);
    expect(lengthProbability(defaultLengths, 1)).toBeCloseTo(0.001, 3);
    expect(lengthProbability(defaultLengths, 0)).toBe(0);
    expect(lengthProbability(defaultLengths, 4) / lengthProbability(defaultLengths, 6)).toBeCloseTo(exp(-2 / 2.25), 12);
  });

  it('puts its mode at any configured integer mean, and custom weights are normalised', () => {
    for (let mean = 1; mean <= 9; mean++) {
      const distribution = discretisedGaussianLengths(mean, 2);
      expect(lengthDistributionMode(distribution)).toBe(mean);
      expect(distribution.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    }
    const custom = customLengthDistribution([1, 5, 2, 0, 0, 0, 0, 0, 2]);
    expect(lengthDistributionMode(custom)).toBe(2);
    expect(lengthProbability(custom, 9)).toBeCloseTo(0.2, 14);
    expect(() => customLengthDistribution([1, 2])).toThrow();
    expect(() => customLengthDistribution([0, 0, 0, 0, 0, 0, 0, 0, 0])).toThrow();
  });

  it('end-token hazards reproduce the length distribution', () => {
    const hazard = endTokenHazard(defaultLengths);
    expect(hazard[0]).toBe(0);
    let survival = 1;
    for (let length = 1; length < MAX_GENERATED_TOKENS; length++) {
      survival *= 1 - hazard[length - 1];
      expect(survival * hazard[length]).toBeCloseTo(lengthProbability(defaultLengths, length), 12);
    }
    survival *= 1 - hazard[MAX_GENERATED_TOKENS - 1];
    expect(survival).toBeCloseTo(lengthProbability(defaultLengths, 9), 12);
  });
});

describe('the length-task SFT dataset', () => {
  const count = 20_000;
  const dataset = generateLengthSftDataset(count, reference, stream(7, LENGTH_TASK_STREAMS.sftDataset));

  it('is well formed: prompts and generated tokens are bins, the end token follows the length', () => {
    expect(dataset.tokens.length).toBe(count * SEQUENCE_SLOTS);
    expect(batchLengths(dataset)).toEqual(dataset.lengths);
    for (let i = 0; i < count; i++) {
      const offset = i * SEQUENCE_SLOTS;
      expect(dataset.tokens[offset]).toBeLessThan(BIN_COUNT);
      for (let t = 1; t < SEQUENCE_SLOTS; t++) {
        const isEnd = dataset.tokens[offset + t] === END_TOKEN;
        if (isEnd !== t > dataset.lengths[i]) throw new Error(`sequence ${i} slot ${t} is malformed`);
      }
    }
  });

  it('has tokens that follow π_ref, lengths that follow the length distribution and uniform prompts (χ², p ≈ 0.001 bounds)', () => {
    const tokenCounts = new Float64Array(BIN_COUNT);
    const lengthCounts = new Float64Array(MAX_GENERATED_TOKENS);
    const promptCounts = new Float64Array(BIN_COUNT);
    for (let i = 0; i < count; i++) {
      const offset = i * SEQUENCE_SLOTS;
      promptCounts[dataset.tokens[offset]]++;
      lengthCounts[dataset.lengths[i] - 1]++;
      for (let t = 1; t <= dataset.lengths[i]; t++) tokenCounts[dataset.tokens[offset + t]]++;
    }
    // 99 degrees of freedom: the 0.999 quantile is ≈ 148; 8 degrees: ≈ 26.1
    expect(chiSquare(tokenCounts, piRef)).toBeLessThan(148);
    expect(chiSquare(promptCounts, uniformPrompt)).toBeLessThan(148);
    expect(chiSquare(lengthCounts, defaultLengths.probabilities)).toBeLessThan(26.1);
    // the same statistic detects a wrong distribution
    expect(chiSquare(tokenCounts, uniformPrompt)).toBeGreaterThan(1000);
    expect(chiSquare(lengthCounts, discretisedGaussianLengths(5, 1.5).probabilities)).toBeGreaterThan(1000);
  });

  it('is deterministic for a seed, and different stream names are independent', () => {
    const again = generateLengthSftDataset(count, reference, stream(7, LENGTH_TASK_STREAMS.sftDataset));
    expect(again.tokens).toEqual(dataset.tokens);
    const other = generateLengthSftDataset(count, reference, stream(7, 'another-stream'));
    let samePrompt = 0;
    let sameLength = 0;
    for (let i = 0; i < count; i++) {
      if (other.tokens[i * SEQUENCE_SLOTS] === dataset.tokens[i * SEQUENCE_SLOTS]) samePrompt++;
      if (other.lengths[i] === dataset.lengths[i]) sameLength++;
    }
    // independent: agreement at the chance rates, 1/100 for prompts and Σ P(L)² ≈ 0.19 for lengths
    const chanceLength = defaultLengths.probabilities.reduce((a, p) => a + p * p, 0);
    expect(samePrompt / count).toBeLessThan(0.015);
    expect(Math.abs(sameLength / count - chanceLength)).toBeLessThan(0.015);
  });

  it('uses the same uniforms per sequence whatever the length distribution (common random numbers)', () => {
    const shorter = generateLengthSftDataset(count, { ...reference, lengthDistribution: discretisedGaussianLengths(3, 1) }, stream(7, LENGTH_TASK_STREAMS.sftDataset));
    for (let i = 0; i < 200; i++) {
      const offset = i * SEQUENCE_SLOTS;
      const shared = Math.min(shorter.lengths[i], dataset.lengths[i]);
      for (let t = 0; t <= shared; t++) expect(shorter.tokens[offset + t]).toBe(dataset.tokens[offset + t]);
    }
  });

  it('scores sequences under the exact reference', () => {
    const sequence = makeSequence(3, [16, 0, 99]);
    const expected = Math.log(lengthProbability(defaultLengths, 3)) + Math.log(piRef[16]) + Math.log(piRef[0]) + Math.log(piRef[99]);
    expect(referenceSequenceLogProb(sequence, 0, piRef, defaultLengths)).toBeCloseTo(expected, 12);
  });
});

describe('min- and mode-length rewards', () => {
  it('min length: r = −length', () => {
    const task = minLengthTask();
    expect(task.reward(makeSequence(4, [1, 2, 3]))).toBe(-3);
    expect(task.reward(makeSequence(4, [1, END_TOKEN, 3]))).toBe(-1);
    expect(task.reward(makeSequence(4, [1, 2, 3, 4, 5, 6, 7, 8, 9]))).toBe(-9);
    expect(task.optimalLength).toBe(1);
    expect(task.describe()).toContain('−length');
  });

  it('mode length: r = −|length − mode| with the mode of the reference length distribution', () => {
    const task = modeLengthTask(defaultLengths);
    expect(task.reward(makeSequence(0, [1, 2, 3]))).toBe(-3);
    expect(task.reward(makeSequence(0, [1, 2, 3, 4, 5, 6]))).toBe(-0);
    expect(task.reward(makeSequence(0, [1, 2, 3, 4, 5, 6, 7, 8, 9]))).toBe(-3);
    expect(task.optimalLength).toBe(6);
    const modeTwo = modeLengthTask(discretisedGaussianLengths(2, 1));
    expect(modeTwo.reward(makeSequence(0, [1, 2, 3, 4, 5]))).toBe(-3);
    expect(modeTwo.optimalLength).toBe(2);
  });
});

describe('skew length', () => {
  it('truncates a reference sample of length L to min(L, c), c uniform on 1..shortLimit', () => {
    expect(truncatedLength(6, 0, 4)).toBe(1);
    expect(truncatedLength(6, 0.26, 4)).toBe(2);
    expect(truncatedLength(6, 0.999, 4)).toBe(4);
    expect(truncatedLength(2, 0.999, 4)).toBe(2);
    expect(truncatedLength(9, 0.999, 9)).toBe(9);
    // the cut is uniform on 1..shortLimit: an even grid of uniforms hits every cut equally often
    const hits = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const length = truncatedLength(9, (i + 0.5) / 1000, 4);
      hits.set(length, (hits.get(length) ?? 0) + 1);
    }
    expect([...hits.entries()].sort((a, b) => a[0] - b[0])).toEqual([[1, 250], [2, 250], [3, 250], [4, 250]]);
  });

  const skew = buildSkewLengthTask(reference, stream(3, LENGTH_TASK_STREAMS.skewPreferencePairs));

  it('builds pairs only from truncated short samples of one prompt, the shorter chosen, ties dropped', () => {
    const { pairs } = skew;
    expect(pairs.count + pairs.droppedTies).toBe(pairs.candidateCount);
    expect(pairs.count).toBeGreaterThan(600);
    let referenceLengthTotal = 0;
    for (let p = 0; p < pairs.count; p++) {
      const offset = p * SEQUENCE_SLOTS;
      expect(pairs.chosen.tokens[offset]).toBe(pairs.rejected.tokens[offset]);
      expect(sequenceLength(pairs.chosen.tokens, offset)).toBe(pairs.chosen.lengths[p]);
      expect(sequenceLength(pairs.rejected.tokens, offset)).toBe(pairs.rejected.lengths[p]);
      expect(pairs.chosen.lengths[p]).toBeLessThan(pairs.rejected.lengths[p]);
      expect(pairs.rejected.lengths[p]).toBeLessThanOrEqual(pairs.shortLimit);
      expect(pairs.chosen.lengths[p]).toBeLessThanOrEqual(pairs.chosenReferenceLengths[p]);
      expect(pairs.rejected.lengths[p]).toBeLessThanOrEqual(pairs.rejectedReferenceLengths[p]);
      referenceLengthTotal += pairs.chosenReferenceLengths[p] + pairs.rejectedReferenceLengths[p];
    }
    // the untruncated samples are ordinary reference samples (mean length ≈ 6)
    expect(referenceLengthTotal / (2 * pairs.count)).toBeGreaterThan(5.5);
  });

  it('learns a Bradley–Terry model that prefers shorter sequences, monotone in length', () => {
    const { diagnostics, model, task } = skew;
    expect(diagnostics.trainingAccuracy).toBeGreaterThan(0.8);
    expect(diagnostics.finalGradientNorm).toBeLessThan(1e-8);
    for (let step = 1; step < diagnostics.lossHistory.length; step++) {
      expect(diagnostics.lossHistory[step]).toBeLessThanOrEqual(diagnostics.lossHistory[step - 1]);
    }
    expect(diagnostics.lossHistory[0]).toBeCloseTo(Math.log(2), 12);
    // monotone over 1..9, and defined (finite, best) at length 0 where the end token comes first
    for (let length = 1; length <= MAX_GENERATED_TOKENS; length++) {
      expect(model.score(length)).toBeLessThan(model.score(length - 1));
    }
    expect(Number.isFinite(model.score(0))).toBe(true);
    expect(task.optimalLength).toBe(1);
    expect(task.reward(makeSequence(0, [1, 2]))).toBe(model.score(2));
    expect(task.describe()).toContain('Bradley–Terry');
  });

  it('is deterministic, and depends on its stream and its truncation limit', () => {
    const again = buildSkewLengthTask(reference, stream(3, LENGTH_TASK_STREAMS.skewPreferencePairs));
    expect(again.pairs.chosen.tokens).toEqual(skew.pairs.chosen.tokens);
    expect(again.model.coefficients).toEqual(skew.model.coefficients);
    const otherStream = buildSkewPreferencePairs(reference, stream(3, 'another-stream'));
    expect(otherStream.chosen.tokens).not.toEqual(skew.pairs.chosen.tokens);
    const longer = buildSkewLengthTask(reference, stream(3, LENGTH_TASK_STREAMS.skewPreferencePairs), { shortLimit: 6 });
    expect(Math.max(...longer.pairs.rejected.lengths)).toBe(6);
    expect(longer.model.coefficients).not.toEqual(skew.model.coefficients);
  });

  it('the fit follows the labels: pairs where the longer wins give a model that prefers longer', () => {
    const chosen = [3, 5, 2, 4, 4, 1];
    const rejected = [1, 2, 1, 3, 2, 3]; // the last pair disagrees
    const { model, diagnostics } = fitBradleyTerryLengthModel(chosen, rejected);
    expect(model.score(9)).toBeGreaterThan(model.score(1));
    expect(diagnostics.trainingAccuracy).toBeCloseTo(5 / 6, 12);
    expect(() => fitBradleyTerryLengthModel([], [])).toThrow();
  });
});

describe('sequence presets', () => {
  it('holds the four official transformer scripts of spec B.11', () => {
    const rows = OFFICIAL_SEQUENCE_PRESETS.map((p) => [p.script, p.objective, p.sampling, p.epochs, p.N, p.T, p.S, p.lr, p.beta, p.rewardThreshold, p.seeds.join(','), p.samples, p.gradientSteps]);
    expect(rows).toEqual([
      ['transformer_best_of_n.sh', 'best-of-n', 'offline', 1, 10, 100, 10, 1e-4, null, null, '1,2,3,4,5', 100, 100],
      ['transformer_ipo.sh', 'ipo', 'offline', 1, 10, 100, 100, 0.01, 10, 0, '5', 1000, 100],
      ['onpolicy_transformer_best_of_n.sh', 'best-of-n', 'on-policy', 100, 10, 10, 10, 3e-5, null, null, '1', 10_000, 1000],
      ['onpolicy_transformer_ipo.sh', 'ipo', 'on-policy', 100, 10, 10, 10, 0.01, 10, null, '5', 10_000, 1000],
    ]);
    for (const preset of OFFICIAL_SEQUENCE_PRESETS) expect(preset.task).toMatchObject({ kind: 'sequence-bandit', rewardId: 7 });
  });

  it('keeps budgets consistent: steps = epochs·T and samples = epochs·S·N, ids unique', () => {
    const all = [...OFFICIAL_SEQUENCE_PRESETS, ...LENGTH_TASK_PRESETS.flatMap((p) => p.runs)];
    expect(SEQUENCE_PRESETS_BY_ID.size).toBe(all.length);
    for (const spec of all) {
      expect(spec.gradientSteps, spec.id).toBe(spec.epochs * spec.T);
      expect(spec.samples, spec.id).toBe(spec.epochs * spec.S * spec.N);
      expect(spec.sampling === 'offline', spec.id).toBe(spec.epochs === 1 && spec.offlineData !== null);
    }
  });

  it('sets up the F7 contrast on the three length tasks at equal step budgets', () => {
    expect(LENGTH_TASK_PRESETS.map((p) => p.task.taskId)).toEqual(['min-length', 'skew-length', 'mode-length']);
    for (const preset of LENGTH_TASK_PRESETS) {
      expect(preset.runs.map((r) => `${r.sampling} ${r.objective}`)).toEqual(['on-policy dpo', 'offline dpo', 'on-policy ppo', 'on-policy rwr']);
      expect(new Set(preset.runs.map((r) => r.gradientSteps)).size).toBe(1);
      for (const run of preset.runs) expect(run.task).toEqual(preset.task);
      const offline = preset.runs[1];
      expect(offline.offlineData).toBe(preset.task.taskId === 'skew-length' ? 'skew-truncated-pairs' : 'reference-samples');
    }
  });

  it('gives the skew preset\'s offline run the truncated pairs as its data, as the worker builds it', () => {
    const skew = LENGTH_TASK_PRESETS.find((p) => p.task.taskId === 'skew-length')!;
    const task = buildTask(skew.task, 1);
    expect(task.offlinePairs?.count).toBe(751);
    expect(Math.max(...task.offlinePairs!.chosen.lengths, ...task.offlinePairs!.rejected.lengths)).toBeLessThanOrEqual(DEFAULT_SHORT_LIMIT);
    expect(skew.runs.map((spec) => runSettings(spec, undefined).offlineSource)).toEqual(['reference-samples', 'task-pairs', 'reference-samples', 'reference-samples']);
    // the other tasks have no pairs of their own: their offline runs sample π_ref
    const min = LENGTH_TASK_PRESETS.find((p) => p.task.taskId === 'min-length')!;
    expect(buildTask(min.task, 1).offlinePairs).toBeUndefined();
    expect(runSettings(min.runs[1], undefined).offlineSource).toBe('reference-samples');
  });
});
