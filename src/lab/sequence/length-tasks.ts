/**
 * Synthetic length tasks on the toy transformer (spec C.3 suggestion; an extension, not a reproduction).
 *
 * The vocabulary gains an end token (tokens.ts). The reference policy is the gpt-nano after SFT on
 * sequences whose generated tokens follow the bin π_ref independently and whose lengths (1..9 generated
 * tokens, then the end token) follow a stated, adjustable length distribution. Three rewards:
 *
 * - min length:  r = −length
 * - mode length: r = −|length − mode|, the mode of the length distribution
 * - skew length: preference pairs come only from reference samples truncated to short lengths (the
 *   truncation rule is at `truncatedLength`), labelled "shorter wins"; a Bradley–Terry reward model on
 *   two length features is fitted to those pairs, and its score is the reward.
 *
 * Every random draw comes from a caller-given seeded stream, a fixed number of uniforms per sequence
 * (or per candidate pair), so datasets are reproducible and line up across settings that change only
 * the distributions (common random numbers).
 */
import { log, log1p, exp } from '../math.ts';
import { inverseCdf } from '../inverse-cdf.ts';
import type { RandomStream } from '../random.ts';
import {
  BIN_COUNT,
  END_TOKEN,
  MAX_GENERATED_TOKENS,
  PROMPT_SLOT,
  SEQUENCE_SLOTS,
  allocateSequenceBatch,
  sequenceLength,
  type SequenceBatch,
} from './tokens.ts';

/** Stream names for the length tasks, in one place so that no two concerns share a stream by accident. */
export const LENGTH_TASK_STREAMS = {
  /** the SFT dataset that defines the length-task reference policy */
  sftDataset: 'length-sft-dataset',
  /** the truncated reference samples behind the skew-length preference pairs */
  skewPreferencePairs: 'skew-length-preference-pairs',
} as const;

// ───────────────────────────── length distributions ─────────────────────────────

/** A distribution over lengths 1..9: `probabilities[L − 1] = P(length = L)`, summing to 1. */
export interface LengthDistribution {
  readonly probabilities: Float64Array;
  readonly description: string;
}

/** Default mean (and mode) of the length distribution. [ours; the issue asks for the mode at 6] */
export const DEFAULT_LENGTH_MEAN = 6;
/** Default standard deviation of the discretised bell. [ours] */
export const DEFAULT_LENGTH_SD = 1.5;

/**
 * The discretised Gaussian over lengths: P(L) ∝ exp(−(L − mean)² / (2·sd²)) for L = 1..9, normalised.
 * With an integer mean in 1..9 its mode is exactly that mean. Defaults: mean 6, sd 1.5, which gives
 * P(6) ≈ 0.268, P(5) = P(7) ≈ 0.215, P(1) ≈ 0.001 and P(9) ≈ 0.036 (mean ≈ 5.96).
 */
export function discretisedGaussianLengths(mean = DEFAULT_LENGTH_MEAN, sd = DEFAULT_LENGTH_SD): LengthDistribution {
  if (!(sd > 0)) throw new Error(`length sd must be positive, got ${sd}`);
  const weights: number[] = [];
  for (let length = 1; length <= MAX_GENERATED_TOKENS; length++) {
    const z = (length - mean) / sd;
    weights.push(exp(-0.5 * z * z));
  }
  return customLengthDistribution(weights, `discretised Gaussian over lengths 1..${MAX_GENERATED_TOKENS}, mean ${mean}, sd ${sd}`);
}

/** Any non-negative weights over lengths 1..9 (index L − 1), normalised. */
export function customLengthDistribution(weights: readonly number[], description = 'custom length distribution'): LengthDistribution {
  if (weights.length !== MAX_GENERATED_TOKENS) {
    throw new Error(`a length distribution has ${MAX_GENERATED_TOKENS} weights (lengths 1..${MAX_GENERATED_TOKENS}), got ${weights.length}`);
  }
  let total = 0;
  for (const w of weights) {
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`length weights must be finite and non-negative, got ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new Error('length weights must not all be zero');
  const probabilities = new Float64Array(MAX_GENERATED_TOKENS);
  for (let i = 0; i < MAX_GENERATED_TOKENS; i++) probabilities[i] = weights[i] / total;
  return { probabilities, description };
}

/** P(length = L) for L = 1..9 (0 outside). */
export function lengthProbability(distribution: LengthDistribution, length: number): number {
  return length >= 1 && length <= MAX_GENERATED_TOKENS ? distribution.probabilities[length - 1] : 0;
}

/** The mode of a length distribution (the shortest of the most likely lengths). */
export function lengthDistributionMode(distribution: LengthDistribution): number {
  let best = 0;
  for (let i = 1; i < MAX_GENERATED_TOKENS; i++) if (distribution.probabilities[i] > distribution.probabilities[best]) best = i;
  return best + 1;
}

/** The mean length. */
export function lengthDistributionMean(distribution: LengthDistribution): number {
  let mean = 0;
  for (let i = 0; i < MAX_GENERATED_TOKENS; i++) mean += (i + 1) * distribution.probabilities[i];
  return mean;
}

/**
 * What a perfectly fitted reference model outputs for the end token: `hazard[t − 1]` is the probability
 * that generated slot t holds the end token given that slots 1..t−1 hold ordinary tokens, i.e.
 * P(L = t − 1 | L ≥ t − 1). Slot 1 can never end (lengths start at 1), so hazard[0] = 0. An ordinary token
 * at slot t then has probability (1 − hazard[t − 1])·π_ref(a).
 */
export function endTokenHazard(distribution: LengthDistribution): Float64Array {
  const hazard = new Float64Array(MAX_GENERATED_TOKENS);
  let survival = 1; // P(L ≥ t − 1), starting at t = 2 where it is P(L ≥ 1) = 1
  for (let t = 2; t <= MAX_GENERATED_TOKENS; t++) {
    const endHere = lengthProbability(distribution, t - 1);
    hazard[t - 1] = survival > 0 ? endHere / survival : 1;
    survival -= endHere;
  }
  return hazard;
}

/**
 * The exact log-probability of a sequence's generated part under the length-task reference (the
 * distribution the SFT dataset is drawn from): log P(L) + Σ_t log π_ref(y_t). The prompt is given.
 */
export function referenceSequenceLogProb(
  tokens: ArrayLike<number>,
  offset: number,
  tokenDistribution: ArrayLike<number>,
  lengthDistribution: LengthDistribution,
): number {
  const length = sequenceLength(tokens, offset);
  let total = log(lengthProbability(lengthDistribution, length));
  for (let t = 1; t <= length; t++) total += log(tokenDistribution[tokens[offset + t]]);
  return total;
}

// ───────────────────────────── the SFT dataset ─────────────────────────────

/** The distributions a reference sample is drawn from. */
export interface LengthReference {
  /** π_ref over the K bins, used independently for every generated token */
  tokenDistribution: ArrayLike<number>;
  lengthDistribution: LengthDistribution;
  /** over the K bins; uniform when left out (as the sequence bandit's `randint(0, 100)`) */
  promptDistribution?: ArrayLike<number>;
}

/** A batch of sequences with their lengths. */
export interface LengthDataset extends SequenceBatch {
  readonly lengths: Int32Array;
}

/** Uniforms one reference sequence consumes, whatever its length: its length + 9 tokens. */
const UNIFORMS_PER_REFERENCE_BODY = 1 + MAX_GENERATED_TOKENS;
/** Uniforms one SFT sequence consumes: its prompt, its length and 9 tokens (11). */
export const UNIFORMS_PER_SFT_SEQUENCE = 1 + UNIFORMS_PER_REFERENCE_BODY;

/**
 * The SFT dataset that defines the length-task reference policy: `count` sequences, each a prompt
 * (from the prompt distribution), a length L from the length distribution, L tokens drawn independently
 * from π_ref, then the end token (none when L = 9) and end-token padding.
 *
 * Every sequence consumes exactly 11 uniforms of `rng` (prompt, length, 9 tokens; the tokens past L are
 * drawn and discarded), so sequence i uses the same uniforms whatever the distributions.
 */
export function generateLengthSftDataset(count: number, reference: LengthReference, rng: RandomStream): LengthDataset {
  const sampler = new ReferenceSampler(reference);
  const batch = allocateSequenceBatch(count);
  const lengths = new Int32Array(count);
  const body = new Int32Array(MAX_GENERATED_TOKENS);
  for (let i = 0; i < count; i++) {
    const offset = i * SEQUENCE_SLOTS;
    batch.tokens[offset + PROMPT_SLOT] = sampler.prompt(rng.uniform());
    const length = sampler.body(rng, body);
    writeBody(batch.tokens, offset, body, length);
    lengths[i] = length;
  }
  return { ...batch, lengths };
}

/** Inverse-CDF samplers for the prompt, the length and the tokens of a reference sequence. */
class ReferenceSampler {
  private readonly tokenCdf: Float64Array;
  private readonly promptCdf: Float64Array;
  private readonly lengthCdf: Float64Array;

  constructor(reference: LengthReference) {
    if (reference.tokenDistribution.length !== BIN_COUNT) {
      throw new Error(`π_ref must have ${BIN_COUNT} entries, got ${reference.tokenDistribution.length}`);
    }
    this.tokenCdf = cumulative(reference.tokenDistribution);
    this.promptCdf = cumulative(reference.promptDistribution ?? new Float64Array(BIN_COUNT).fill(1 / BIN_COUNT));
    this.lengthCdf = cumulative(reference.lengthDistribution.probabilities);
  }

  prompt(u: number): number {
    return inverseCdf(this.promptCdf, u);
  }

  /** Draw a length and 9 tokens into `body` (11 − 1 = 10 uniforms); returns the length. */
  body(rng: RandomStream, body: Int32Array): number {
    const length = inverseCdf(this.lengthCdf, rng.uniform()) + 1;
    for (let t = 0; t < MAX_GENERATED_TOKENS; t++) body[t] = inverseCdf(this.tokenCdf, rng.uniform());
    return length;
  }
}

function writeBody(tokens: Int32Array, offset: number, body: Int32Array, length: number): void {
  for (let t = 1; t < SEQUENCE_SLOTS; t++) tokens[offset + t] = t <= length ? body[t - 1] : END_TOKEN;
}

function cumulative(distribution: ArrayLike<number>): Float64Array {
  const cdf = new Float64Array(distribution.length);
  let total = 0;
  for (let i = 0; i < distribution.length; i++) {
    total += distribution[i];
    cdf[i] = total;
  }
  return cdf;
}

// ───────────────────────────── skew-length preference pairs ─────────────────────────────

/** Default largest length a truncated reference sample keeps. [ours] */
export const DEFAULT_SHORT_LIMIT = 4;
/** Default number of candidate pairs drawn for the skew task (ties are dropped). [ours] */
export const DEFAULT_CANDIDATE_PAIRS = 1000;

/**
 * The truncation rule of the skew-length data: a reference sample of length L is cut to
 * min(L, c) tokens, where the cut c is uniform on {1, …, shortLimit} and drawn per sample. The
 * truncated lengths therefore lie in 1..shortLimit (roughly uniformly there under the default
 * reference), far from the reference's mode 6: the skewed, low-overlap D_pref of spec C.3.
 */
export function truncatedLength(referenceLength: number, cutUniform: number, shortLimit: number): number {
  const cut = 1 + Math.min(shortLimit - 1, Math.floor(cutUniform * shortLimit));
  return Math.min(referenceLength, cut);
}

export interface SkewPairOptions {
  /** candidate pairs to draw; pairs of equal length are ties and are dropped */
  candidatePairCount?: number;
  /** the largest length a truncated sample keeps (truncatedLength) */
  shortLimit?: number;
}

/** Preference pairs: pair p is (chosen[p], rejected[p]), both of the same prompt. */
export interface LengthPreferencePairs {
  readonly count: number;
  readonly chosen: LengthDataset;
  readonly rejected: LengthDataset;
  /** the lengths the samples had before truncation, chosen then rejected */
  readonly chosenReferenceLengths: Int32Array;
  readonly rejectedReferenceLengths: Int32Array;
  readonly candidateCount: number;
  /** candidate pairs dropped because both samples had the same length */
  readonly droppedTies: number;
  readonly shortLimit: number;
}

/** Uniforms one candidate pair consumes: a prompt, then per sample its length, 9 tokens and its cut (23). */
export const UNIFORMS_PER_CANDIDATE_PAIR = 1 + 2 * (UNIFORMS_PER_REFERENCE_BODY + 1);

/**
 * The skew-length preference data. For each candidate pair: draw one prompt, two reference samples for
 * it (as the SFT dataset), truncate both with `truncatedLength`, and label the shorter one chosen, as
 * the min-length preference does (deterministic labels, as the bandit's, spec A.6). Equal lengths are
 * a tie and the pair is dropped. Each candidate consumes exactly 23 uniforms of `rng`.
 */
export function buildSkewPreferencePairs(reference: LengthReference, rng: RandomStream, options: SkewPairOptions = {}): LengthPreferencePairs {
  const candidateCount = options.candidatePairCount ?? DEFAULT_CANDIDATE_PAIRS;
  const shortLimit = options.shortLimit ?? DEFAULT_SHORT_LIMIT;
  if (!Number.isInteger(shortLimit) || shortLimit < 1 || shortLimit > MAX_GENERATED_TOKENS) {
    throw new Error(`shortLimit must be an integer in 1..${MAX_GENERATED_TOKENS}, got ${shortLimit}`);
  }
  const sampler = new ReferenceSampler(reference);
  const bodies = [new Int32Array(MAX_GENERATED_TOKENS), new Int32Array(MAX_GENERATED_TOKENS)];
  const referenceLengths = [0, 0];
  const truncated = [0, 0];
  const kept: Array<{ prompt: number; bodies: [Int32Array, Int32Array]; truncated: [number, number]; reference: [number, number] }> = [];
  for (let c = 0; c < candidateCount; c++) {
    const prompt = sampler.prompt(rng.uniform());
    for (let k = 0; k < 2; k++) {
      referenceLengths[k] = sampler.body(rng, bodies[k]);
      truncated[k] = truncatedLength(referenceLengths[k], rng.uniform(), shortLimit);
    }
    if (truncated[0] === truncated[1]) continue;
    const chosenIndex = truncated[0] < truncated[1] ? 0 : 1;
    const rejectedIndex = 1 - chosenIndex;
    kept.push({
      prompt,
      bodies: [bodies[chosenIndex].slice(), bodies[rejectedIndex].slice()],
      truncated: [truncated[chosenIndex], truncated[rejectedIndex]],
      reference: [referenceLengths[chosenIndex], referenceLengths[rejectedIndex]],
    });
  }
  const count = kept.length;
  const chosen = { ...allocateSequenceBatch(count), lengths: new Int32Array(count) };
  const rejected = { ...allocateSequenceBatch(count), lengths: new Int32Array(count) };
  const chosenReferenceLengths = new Int32Array(count);
  const rejectedReferenceLengths = new Int32Array(count);
  kept.forEach((pair, p) => {
    const offset = p * SEQUENCE_SLOTS;
    chosen.tokens[offset + PROMPT_SLOT] = pair.prompt;
    rejected.tokens[offset + PROMPT_SLOT] = pair.prompt;
    writeBody(chosen.tokens, offset, pair.bodies[0], pair.truncated[0]);
    writeBody(rejected.tokens, offset, pair.bodies[1], pair.truncated[1]);
    chosen.lengths[p] = pair.truncated[0];
    rejected.lengths[p] = pair.truncated[1];
    chosenReferenceLengths[p] = pair.reference[0];
    rejectedReferenceLengths[p] = pair.reference[1];
  });
  return {
    count,
    chosen,
    rejected,
    chosenReferenceLengths,
    rejectedReferenceLengths,
    candidateCount,
    droppedTies: candidateCount - count,
    shortLimit,
  };
}

// ───────────────────────────── the Bradley–Terry length reward model ─────────────────────────────

/**
 * The features of a length: φ(L) = [L / 9, ln(1 + L) / ln 10], both 0 at L = 0 and 1 at L = 9; defined
 * for a length-0 sequence too (end token first). No bias: it cancels in Bradley–Terry. [ours]
 */
export const LENGTH_FEATURE_NAMES = ['length / 9', 'ln(1 + length) / ln 10'] as const;

export function lengthFeatures(length: number): [number, number] {
  return [length / MAX_GENERATED_TOKENS, log1p(length) / log1p(MAX_GENERATED_TOKENS)];
}

/** Default L2 penalty: the pairs are separable by length, so without it the coefficients diverge. [ours] */
export const DEFAULT_BT_RIDGE = 0.01;
/** Default number of Newton steps. [ours] */
export const DEFAULT_BT_NEWTON_STEPS = 30;

export interface BradleyTerryFitOptions {
  ridge?: number;
  newtonSteps?: number;
}

/** A fitted Bradley–Terry reward model on length features: score(L) = w · φ(L). */
export interface BradleyTerryLengthModel {
  readonly coefficients: Float64Array;
  readonly featureNames: readonly string[];
  score(length: number): number;
}

export interface BradleyTerryFitDiagnostics {
  readonly pairCount: number;
  /** the fraction of training pairs whose chosen sample scores strictly higher */
  readonly trainingAccuracy: number;
  /** the penalised mean negative log-likelihood after each Newton step (index 0: before any step) */
  readonly lossHistory: Float64Array;
  /** ‖gradient‖ of the penalised loss at the end */
  readonly finalGradientNorm: number;
  readonly coefficients: Float64Array;
  readonly ridge: number;
  readonly newtonSteps: number;
}

/**
 * Fit w by minimising (1/P) Σ_p −log σ(w·(φ(chosen_p) − φ(rejected_p))) + (ridge/2)‖w‖² with a fixed
 * number of Newton steps from w = 0, each with step halving until the loss does not increase. The
 * loss is strictly convex, the procedure uses no randomness, and the result is deterministic.
 */
export function fitBradleyTerryLengthModel(
  chosenLengths: ArrayLike<number>,
  rejectedLengths: ArrayLike<number>,
  options: BradleyTerryFitOptions = {},
): { model: BradleyTerryLengthModel; diagnostics: BradleyTerryFitDiagnostics } {
  const ridge = options.ridge ?? DEFAULT_BT_RIDGE;
  const newtonSteps = options.newtonSteps ?? DEFAULT_BT_NEWTON_STEPS;
  const pairCount = chosenLengths.length;
  if (rejectedLengths.length !== pairCount) throw new Error('chosen and rejected lengths differ in count');
  if (pairCount === 0) throw new Error('no preference pairs to fit');
  if (!(ridge > 0)) throw new Error(`ridge must be positive, got ${ridge}`);
  const dimension = LENGTH_FEATURE_NAMES.length;
  const differences = new Float64Array(pairCount * dimension);
  for (let p = 0; p < pairCount; p++) {
    const chosen = lengthFeatures(chosenLengths[p]);
    const rejected = lengthFeatures(rejectedLengths[p]);
    for (let j = 0; j < dimension; j++) differences[p * dimension + j] = chosen[j] - rejected[j];
  }
  const objective = new BradleyTerryObjective(differences, dimension, ridge);
  let weights = new Float64Array(dimension);
  let loss = objective.loss(weights);
  const lossHistory = new Float64Array(newtonSteps + 1);
  lossHistory[0] = loss;
  for (let step = 1; step <= newtonSteps; step++) {
    const { gradient, hessian } = objective.gradientAndHessian(weights);
    const direction = solveSymmetric(hessian, gradient, dimension);
    let stepSize = 1;
    let candidate = weights;
    let candidateLoss = loss;
    for (let halving = 0; halving < 30; halving++) {
      const trial = new Float64Array(dimension);
      for (let j = 0; j < dimension; j++) trial[j] = weights[j] - stepSize * direction[j];
      const trialLoss = objective.loss(trial);
      if (trialLoss <= loss) {
        candidate = trial;
        candidateLoss = trialLoss;
        break;
      }
      stepSize /= 2;
    }
    weights = candidate;
    loss = candidateLoss;
    lossHistory[step] = loss;
  }
  const coefficients = weights;
  const model: BradleyTerryLengthModel = {
    coefficients,
    featureNames: LENGTH_FEATURE_NAMES,
    score(length: number): number {
      const features = lengthFeatures(length);
      let total = 0;
      for (let j = 0; j < dimension; j++) total += coefficients[j] * features[j];
      return total;
    },
  };
  let correct = 0;
  for (let p = 0; p < pairCount; p++) if (model.score(chosenLengths[p]) > model.score(rejectedLengths[p])) correct++;
  const finalGradient = objective.gradientAndHessian(coefficients).gradient;
  let gradientNormSquared = 0;
  for (let j = 0; j < dimension; j++) gradientNormSquared += finalGradient[j] * finalGradient[j];
  return {
    model,
    diagnostics: {
      pairCount,
      trainingAccuracy: correct / pairCount,
      lossHistory,
      finalGradientNorm: Math.sqrt(gradientNormSquared),
      coefficients: coefficients.slice(),
      ridge,
      newtonSteps,
    },
  };
}

/** The penalised Bradley–Terry loss over feature differences d_p (chosen − rejected). */
class BradleyTerryObjective {
  private readonly pairCount: number;

  constructor(
    private readonly differences: Float64Array,
    private readonly dimension: number,
    private readonly ridge: number,
  ) {
    this.pairCount = differences.length / dimension;
  }

  private margin(weights: Float64Array, pair: number): number {
    let z = 0;
    for (let j = 0; j < this.dimension; j++) z += weights[j] * this.differences[pair * this.dimension + j];
    return z;
  }

  loss(weights: Float64Array): number {
    let total = 0;
    for (let p = 0; p < this.pairCount; p++) total += softplus(-this.margin(weights, p));
    let penalty = 0;
    for (let j = 0; j < this.dimension; j++) penalty += weights[j] * weights[j];
    return total / this.pairCount + 0.5 * this.ridge * penalty;
  }

  gradientAndHessian(weights: Float64Array): { gradient: Float64Array; hessian: Float64Array } {
    const { dimension, differences, pairCount } = this;
    const gradient = new Float64Array(dimension);
    const hessian = new Float64Array(dimension * dimension);
    for (let p = 0; p < pairCount; p++) {
      const z = this.margin(weights, p);
      const wrongProbability = sigmoid(-z); // σ(−z) = 1 − P(chosen ≻ rejected)
      const curvature = wrongProbability * (1 - wrongProbability);
      for (let j = 0; j < dimension; j++) {
        const dj = differences[p * dimension + j];
        gradient[j] -= wrongProbability * dj;
        for (let k = 0; k < dimension; k++) hessian[j * dimension + k] += curvature * dj * differences[p * dimension + k];
      }
    }
    for (let j = 0; j < dimension; j++) {
      gradient[j] = gradient[j] / pairCount + this.ridge * weights[j];
      for (let k = 0; k < dimension; k++) hessian[j * dimension + k] /= pairCount;
      hessian[j * dimension + j] += this.ridge;
    }
    return { gradient, hessian };
  }
}

/** log(1 + e^x), without overflow. */
function softplus(x: number): number {
  return Math.max(x, 0) + log1p(exp(-Math.abs(x)));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x);
  return e / (1 + e);
}

/** Solve H x = b for a small symmetric positive-definite H (Gaussian elimination with partial pivoting). */
function solveSymmetric(matrix: Float64Array, rhs: Float64Array, n: number): Float64Array {
  const a = matrix.slice();
  const x = rhs.slice();
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row * n + col]) > Math.abs(a[pivot * n + col])) pivot = row;
    if (pivot !== col) {
      for (let k = 0; k < n; k++) [a[col * n + k], a[pivot * n + k]] = [a[pivot * n + k], a[col * n + k]];
      [x[col], x[pivot]] = [x[pivot], x[col]];
    }
    for (let row = col + 1; row < n; row++) {
      const factor = a[row * n + col] / a[col * n + col];
      for (let k = col; k < n; k++) a[row * n + k] -= factor * a[col * n + k];
      x[row] -= factor * x[col];
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    let total = x[row];
    for (let k = row + 1; k < n; k++) total -= a[row * n + k] * x[k];
    x[row] = total / a[row * n + row];
  }
  return x;
}

// ───────────────────────────── the tasks ─────────────────────────────

export type LengthTaskId = 'min-length' | 'mode-length' | 'skew-length';

/** A length task: its reward depends on the sequence only through its length. */
export interface LengthTask {
  readonly id: LengthTaskId;
  readonly label: string;
  /** the reward of a sequence of this length (1..9) */
  rewardOfLength(length: number): number;
  /** the reward of the sequence that starts at `offset` in `tokens` */
  reward(tokens: ArrayLike<number>, offset?: number): number;
  /** the shortest length of highest reward, for plots and checks */
  readonly optimalLength: number;
  /** a one-paragraph statement of the definition with its parameters */
  describe(): string;
}

function lengthTask(
  id: LengthTaskId,
  label: string,
  rewardOfLength: (length: number) => number,
  describe: () => string,
): LengthTask {
  let optimalLength = 1;
  for (let length = 2; length <= MAX_GENERATED_TOKENS; length++) {
    if (rewardOfLength(length) > rewardOfLength(optimalLength)) optimalLength = length;
  }
  return {
    id,
    label,
    rewardOfLength,
    reward: (tokens, offset = 0) => rewardOfLength(sequenceLength(tokens, offset)),
    optimalLength,
    describe,
  };
}

/** Min length: r = −length. */
export function minLengthTask(): LengthTask {
  return lengthTask('min-length', 'Min length', (length) => -length, () => 'Min length: r(y) = −length(y), length = generated tokens before the end token (1..9). Optimum: length 1.');
}

/** Mode length: r = −|length − mode|, the mode of the reference length distribution. */
export function modeLengthTask(lengthDistribution: LengthDistribution): LengthTask {
  const mode = lengthDistributionMode(lengthDistribution);
  return lengthTask(
    'mode-length',
    'Mode length',
    (length) => -Math.abs(length - mode),
    () => `Mode length: r(y) = −|length(y) − ${mode}|, where ${mode} is the mode of the reference length distribution (${lengthDistribution.description}).`,
  );
}

/** Skew length: the Bradley–Terry model's score of the length. */
export function skewLengthTask(model: BradleyTerryLengthModel, pairs: Pick<LengthPreferencePairs, 'count' | 'shortLimit'>): LengthTask {
  const [lengthWeight, logWeight] = model.coefficients;
  return lengthTask(
    'skew-length',
    'Skew length',
    (length) => model.score(length),
    () =>
      `Skew length: r(y) = ${lengthWeight.toFixed(3)}·length/9 + ${logWeight.toFixed(3)}·ln(1 + length)/ln 10, a Bradley–Terry model fitted to ${pairs.count} "shorter wins" pairs of reference samples truncated to at most ${pairs.shortLimit} tokens.`,
  );
}

/** Everything the skew task is built from, for display and checks. */
export interface SkewLengthArtefacts {
  task: LengthTask;
  pairs: LengthPreferencePairs;
  model: BradleyTerryLengthModel;
  diagnostics: BradleyTerryFitDiagnostics;
}

/** Build the skew task end to end: pairs from `rng`, then the Bradley–Terry fit. */
export function buildSkewLengthTask(
  reference: LengthReference,
  rng: RandomStream,
  options: SkewPairOptions & BradleyTerryFitOptions = {},
): SkewLengthArtefacts {
  const pairs = buildSkewPreferencePairs(reference, rng, options);
  const { model, diagnostics } = fitBradleyTerryLengthModel(pairs.chosen.lengths, pairs.rejected.lengths, options);
  return { task: skewLengthTask(model, pairs), pairs, model, diagnostics };
}
