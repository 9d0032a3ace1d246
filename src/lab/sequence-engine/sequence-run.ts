/**
 * The paper's Algorithm 1 on sequences with gpt-nano, one gradient step at a time, as the tabular `Run`:
 *   each epoch collects S prompts × N samples — from the frozen π_ref in epoch 0 (and forever, offline), from
 *   the current policy afterwards (on-policy; epoch 0's sampler, the SFT'd agent, is π_ref itself, as in the
 *   official code) — scores them with the task's reward, builds best/worst, the preference pairs (threshold,
 *   ties) and the advantages with the bandit's `EpochData`, then makes T passes over minibatches of M prompts,
 *   one surrogate step of gpt-nano per minibatch with the objective's per-token coefficients.
 *
 * The train prompts are drawn once per run (`num_train_states`), from `stream(seed, 'sequence-train-prompts')`.
 * Coefficients and metrics come from the policy's log-probabilities with dropout off (the policy itself);
 * the gradient step's own forward pass has dropout on (spec C.2: `agent.train()` during steps).
 */
import { computeAdvantages, EpochData, RunningMoments, type Minibatch } from '../data.ts';
import { OBJECTIVES, type Coefficients } from '../objectives/index.ts';
import { GptNano, type GptConfig, type GptNanoSnapshot } from '../policies/gpt-nano.ts';
import { perTokenSurrogateStep } from '../policies/gpt-training.ts';
import type { AdamSnapshot, TfAdam } from '../policies/tf-adam.ts';
import { stream, STREAMS } from '../random.ts';
import { SEQUENCE_SLOTS, sequenceLength, MAX_GENERATED_TOKENS } from '../sequence/tokens.ts';
import { stepMetrics, type SequenceEvaluation, type SequenceStepMetrics } from './sequence-metrics.ts';
import { SampleView } from '../objectives/sample-view.ts';
import { computeSequenceCoefficients, type TokenScores } from './sequence-objectives.ts';
import { drawPrompts, maskedSequenceSums, sampleTaskSequences, scoredTokenMask, scoreTaskSequences } from './sequence-sampling.ts';
import type { SequenceRunSettings } from './sequence-settings.ts';
import { forbiddenFirstToken, type SequenceTaskDefinition } from './sequence-task.ts';

/** Stream names of the sequence engine (beside STREAMS.offlineDataset / onPolicySampling / preferenceLabels). */
export const SEQUENCE_STREAMS = {
  trainPrompts: 'sequence-train-prompts',
  evalPrompts: 'sequence-eval-prompts',
  evalSampling: 'sequence-eval-sampling',
  /** offline runs: the policy's own samples every MONITOR_INTERVAL steps, one sub-stream per such step */
  monitorSampling: 'sequence-monitor-sampling',
} as const;

/**
 * An offline run trains on one fixed dataset, whose reward and lengths say nothing about the policy; so every
 * MONITOR_INTERVAL steps it also draws MONITOR_SAMPLES fresh sequences from the current policy (the train
 * prompts, cycled) for the views and the reward/length metrics. On-policy runs need none: their latest
 * collection is the policy's own (as of the epoch's start). [ours]
 */
export const MONITOR_INTERVAL = 10;
export const MONITOR_SAMPLES = 100;

/** Recent sequences of the policy itself, with the step of the policy that drew them. */
export interface PolicySamples {
  readonly tokens: Int32Array;
  readonly count: number;
  /** the policy after this many gradient steps drew them */
  readonly atStep: number;
  readonly meanReward: number;
  /** mean generated length (9 in the sequence bandit) */
  readonly meanLength: number;
  /** offline monitor samples only: the on-policy estimate of KL(π‖π_ref) per token (on-policy runs: NaN) */
  readonly klPerToken: number;
}

/** Settings a user may change while a run trains (they apply from the next gradient step). */
export type SequenceLiveKey = 'lr' | 'dpoBeta' | 'ipoMargin' | 'rwrTemperature' | 'negGradWeight' | 'klCoef' | 'entropyBonus' | 'ppoClip';

export interface SequenceDivergence {
  step: number;
  reason: string;
}

/**
 * A run's state at the end of a completed gradient step, on the host: the counters, the recorded metrics'
 * count, the running reward moments, and the policy's weights and Adam state. With it the run can be rebuilt
 * on another backend (`restore`) after the device its tensors lived on was lost. The epoch's data (samples,
 * pairs, reference scores) stays in the run's host arrays: a step in flight does not change them before its
 * first await, and a collection in flight is redone from its start.
 */
export interface SequenceRunSnapshot {
  step: number;
  epoch: number;
  queries: number;
  pass: number;
  minibatch: number;
  metricsLength: number;
  diverged: SequenceDivergence | null;
  lastBatch: { p0: number; p1: number } | null;
  running: RunningMoments;
  policy: GptNanoSnapshot;
  optimizer: AdamSnapshot;
}

export class SequenceRun {
  readonly settings: SequenceRunSettings;
  readonly metrics: SequenceStepMetrics[] = [];
  /** the epoch's samples as "actions" 0..S·N−1 (identity), with their rewards, best/worst, pairs and advantages */
  readonly data: EpochData;
  /** the epoch's sequences, row-major, 10 slots each */
  readonly tokens: Int32Array;
  readonly trainPrompts: Int32Array;
  readonly coefficients: Coefficients;
  /** per-token coefficients of the last step, row-major [S·N·10] */
  readonly perTokenCoefficients: Float64Array;
  readonly minibatchesPerEpoch: number;
  step = 0;
  epoch = -1;
  queries = 0;
  diverged: SequenceDivergence | null = null;
  lastBatch: Minibatch | null = null;

  private readonly view: SampleView;
  /** the latest collection (on-policy) or monitor samples (offline) of the policy */
  private latestPolicySamples: PolicySamples | null = null;
  private readonly scores: TokenScores;
  /** log-probability of each sample under the policy that drew it (importance weights of the metrics) */
  private readonly behaviourLogProbs: Float64Array;
  private readonly running = new RunningMoments();
  private readonly pairwise: boolean;
  private readonly batch: Minibatch;
  private pass = 0;
  private minibatch = 0;
  private disposed = false;
  private currentPolicy: GptNano;
  private currentReference: GptNano;
  private optimizer: TfAdam;
  /** bumped by `restore`: a step still in flight from before it stops at its next await */
  private generation = 0;

  constructor(
    readonly task: SequenceTaskDefinition,
    /** the frozen SFT'd reference; shared, never stepped, not disposed by the run */
    reference: GptNano,
    settings: SequenceRunSettings,
    readonly seed: number,
  ) {
    this.currentReference = reference;
    if (reference.config.vocab !== task.vocabulary) throw new Error(`the reference has vocabulary ${reference.config.vocab}, the task needs ${task.vocabulary}`);
    if (settings.objective === 'sft') throw new Error('SFT to π_ref is trainSequenceReference, not a run objective');
    const info = OBJECTIVES[settings.objective];
    this.settings = { ...settings };
    if (this.usesTaskPairs) {
      const pairs = task.offlinePairs;
      if (!pairs) throw new Error(`offline data from the task's preference pairs, but the task "${task.label}" has none`);
      if (pairs.count === 0) throw new Error(`the task "${task.label}" has no preference pairs (every candidate pair was a tie)`);
      // the dataset decides the shape: one "prompt" per pair, its chosen and rejected sequence, all pairs every step
      this.settings.S = pairs.count;
      this.settings.N = 2;
      this.settings.M = pairs.count;
    }
    settings = this.settings;
    if (info.pairwise && settings.N < 2) throw new Error(`${info.label} needs N ≥ 2 samples per prompt`);
    this.pairwise = info.pairwise;
    const size = settings.S * settings.N;
    this.data = new EpochData(settings.S, settings.N, this.pairwise);
    this.tokens = new Int32Array(size * SEQUENCE_SLOTS);
    this.trainPrompts = drawPrompts(settings.S, stream(seed, SEQUENCE_STREAMS.trainPrompts));
    this.coefficients = { coef: new Float64Array(size), dense: new Float64Array(0), denseActive: false };
    this.perTokenCoefficients = new Float64Array(size * SEQUENCE_SLOTS);
    this.minibatchesPerEpoch = Math.ceil(settings.S / settings.M);
    this.view = new SampleView(size);
    this.scores = {
      mask: new Float64Array(size * SEQUENCE_SLOTS),
      current: new Float64Array(size * SEQUENCE_SLOTS),
      reference: new Float64Array(size * SEQUENCE_SLOTS),
      old: new Float64Array(size * SEQUENCE_SLOTS),
    };
    this.behaviourLogProbs = new Float64Array(size);
    this.batch = { data: this.data, p0: 0, p1: 0 };
    this.currentPolicy = reference.clone();
    this.optimizer = this.currentPolicy.createAdam();
  }

  /** the trained policy: a clone of the reference at the start (a new model after `restore`) */
  get policy(): GptNano {
    return this.currentPolicy;
  }

  /** the frozen SFT'd reference; shared, never stepped, not disposed by the run */
  get reference(): GptNano {
    return this.currentReference;
  }

  /** offline, with the task's own preference pairs as its one dataset */
  get usesTaskPairs(): boolean {
    return this.settings.sampling === 'offline' && this.settings.offlineSource === 'task-pairs';
  }

  /**
   * The policy's own recent sequences, for views of what the policy does: on-policy, the latest collection;
   * offline, the latest monitor samples (the dataset is not the policy's). Null before the first step.
   */
  get policySamples(): PolicySamples | null {
    return this.latestPolicySamples;
  }

  /** The state after the last completed step, on the host (see SequenceRunSnapshot). Call it between steps. */
  async snapshot(): Promise<SequenceRunSnapshot> {
    if (this.disposed) throw new Error('SequenceRun: used after dispose()');
    const host = {
      step: this.step,
      epoch: this.epoch,
      queries: this.queries,
      pass: this.pass,
      minibatch: this.minibatch,
      metricsLength: this.metrics.length,
      diverged: this.diverged ? { ...this.diverged } : null,
      lastBatch: this.lastBatch ? { p0: this.lastBatch.p0, p1: this.lastBatch.p1 } : null,
      running: Object.assign(new RunningMoments(), this.running),
    };
    const [policy, optimizer] = await Promise.all([this.currentPolicy.snapshot(), this.optimizer.snapshot()]);
    return { ...host, policy, optimizer };
  }

  /**
   * Go back to a snapshot of this run: the policy and its Adam state are rebuilt from host arrays on the
   * current backend (the old ones are disposed if they still can be), the counters and metrics go back to the
   * snapshot's step. `reference` replaces the shared reference (rebuilt by the caller on the new backend).
   * A step still in flight from before fails at its next await instead of touching the restored run. On the
   * same backend the run then continues bit-identically.
   */
  restore(snapshot: SequenceRunSnapshot, options: { reference?: GptNano; modelOverrides?: Partial<Pick<GptConfig, 'transposeFreeMatMul'>> } = {}): void {
    if (this.disposed) throw new Error('SequenceRun: used after dispose()');
    const reference = options.reference ?? this.currentReference;
    if (reference.config.vocab !== this.task.vocabulary) throw new Error(`the reference has vocabulary ${reference.config.vocab}, the task needs ${this.task.vocabulary}`);
    const policy = GptNano.fromSnapshot(snapshot.policy, options.modelOverrides);
    let optimizer: TfAdam;
    try {
      optimizer = policy.createAdam();
      optimizer.restore(snapshot.optimizer);
    } catch (error) {
      policy.dispose();
      throw error;
    }
    try {
      this.optimizer.dispose();
      this.currentPolicy.dispose();
    } catch {
      // the tensors of a lost device may refuse to be disposed; they are gone either way
    }
    this.generation += 1;
    this.currentPolicy = policy;
    this.optimizer = optimizer;
    this.currentReference = reference;
    this.step = snapshot.step;
    this.epoch = snapshot.epoch;
    this.queries = snapshot.queries;
    this.pass = snapshot.pass;
    this.minibatch = snapshot.minibatch;
    this.metrics.length = snapshot.metricsLength;
    this.diverged = snapshot.diverged ? { ...snapshot.diverged } : null;
    if (snapshot.lastBatch) {
      this.batch.p0 = snapshot.lastBatch.p0;
      this.batch.p1 = snapshot.lastBatch.p1;
      this.lastBatch = this.batch;
    } else {
      this.lastBatch = null;
    }
    Object.assign(this.running, snapshot.running);
    // offline: monitor samples drawn after the snapshot's step are redrawn (identically, on the same backend)
    if (this.settings.sampling === 'offline' && this.latestPolicySamples && this.latestPolicySamples.atStep > snapshot.step) this.latestPolicySamples = null;
  }

  get finished(): boolean {
    return this.diverged !== null || this.step >= this.settings.steps;
  }

  setLive(key: SequenceLiveKey, value: number): void {
    this.settings[key] = value;
  }

  /** One gradient step. Returns false if the run had already finished or has just diverged. */
  async advance(): Promise<boolean> {
    if (this.disposed) throw new Error('SequenceRun: used after dispose()');
    if (this.finished) return false;
    const generation = this.generation;
    if (this.minibatch === 0 && this.pass === 0) await this.beginEpoch(generation);
    if (this.settings.sampling === 'offline' && this.step % MONITOR_INTERVAL === 0 && this.latestPolicySamples?.atStep !== this.step) {
      await this.drawMonitorSamples(generation);
    }
    const { data, settings, batch, scores, view } = this;
    const N = data.N;
    batch.p0 = this.minibatch * settings.M;
    batch.p1 = Math.min(settings.S, batch.p0 + settings.M);
    const from = batch.p0 * N;
    const to = batch.p1 * N;
    const rows = this.tokens.subarray(from * SEQUENCE_SLOTS, to * SEQUENCE_SLOTS);

    const current = await scoreTaskSequences(this.policy, this.task, rows, to - from, scores.mask.subarray(from * SEQUENCE_SLOTS, to * SEQUENCE_SLOTS), settings.scoring);
    this.checkGeneration(generation);
    scores.current.set(current, from * SEQUENCE_SLOTS);
    maskedSequenceSums(current, new Float64Array(current.length).fill(1), to - from, view.logProbs.subarray(from, to));

    const loss = computeSequenceCoefficients(settings.objective, batch, view, scores, settings, this.coefficients, this.perTokenCoefficients);
    const step = await perTokenSurrogateStep(
      this.policy,
      { count: to - from, length: SEQUENCE_SLOTS, tokens: rows },
      this.perTokenCoefficients.subarray(from * SEQUENCE_SLOTS, to * SEQUENCE_SLOTS),
      this.optimizer,
      { scoring: settings.scoring, forbiddenFirstToken: settings.scoring === 'shifted' ? forbiddenFirstToken(this.task) : undefined, learningRate: settings.lr },
    );
    this.checkGeneration(generation);
    this.step += 1;
    this.lastBatch = batch;
    if (++this.minibatch === this.minibatchesPerEpoch) {
      this.minibatch = 0;
      if (++this.pass === settings.T) this.pass = 0;
    }
    this.metrics.push(
      stepMetrics(
        { step: this.step, epoch: this.epoch, queries: this.queries, loss, surrogateLoss: step.loss, gradNorm: step.gradientNorm, pairwise: this.pairwise },
        batch,
        view,
        this.behaviourLogProbs,
        scores,
        this.tokens,
        this.coefficients,
        this.latestPolicySamples,
      ),
    );
    if (!Number.isFinite(loss) || !Number.isFinite(step.gradientNorm)) {
      this.diverged = { step: this.step, reason: Number.isFinite(loss) ? `the gradient norm became ${step.gradientNorm}` : `the loss became ${loss}` };
      return false;
    }
    return true;
  }

  /** Run to the end (or to divergence). */
  async runToEnd(): Promise<void> {
    while (await this.advance()) {
      /* one gradient step at a time */
    }
  }

  /**
   * One fresh sample from the current policy for each of `promptCount` evaluation prompts (the same prompts at
   * every call; the sampling uniforms depend on the step): mean reward, mean length, the length histogram and
   * the on-policy estimate of KL(π‖π_ref) per token.
   */
  async evaluate(promptCount = 100): Promise<SequenceEvaluation> {
    const prompts = drawPrompts(promptCount, stream(this.seed, SEQUENCE_STREAMS.evalPrompts));
    const tokens = await sampleTaskSequences(this.policy, this.task, prompts, stream(this.seed, SEQUENCE_STREAMS.evalSampling, this.step));
    const klPerToken = await this.onPolicyKlPerToken(tokens, promptCount);
    const { meanReward, meanLength } = summarisePolicySamples(this.task, tokens, promptCount, this.step);
    const lengthHistogram = new Float64Array(MAX_GENERATED_TOKENS + 1);
    for (let i = 0; i < promptCount; i++) lengthHistogram[sequenceLength(tokens, i * SEQUENCE_SLOTS)] += 1 / promptCount;
    return { step: this.step, meanReward, meanLength, klPerToken, lengthHistogram };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.optimizer.dispose();
    this.policy.dispose();
  }

  /** Offline runs: fresh sequences of the current policy for the views and metrics (MONITOR_INTERVAL). */
  private async drawMonitorSamples(generation: number): Promise<void> {
    const prompts = new Int32Array(MONITOR_SAMPLES);
    for (let i = 0; i < MONITOR_SAMPLES; i++) prompts[i] = this.trainPrompts[i % this.trainPrompts.length];
    const tokens = await sampleTaskSequences(this.policy, this.task, prompts, stream(this.seed, SEQUENCE_STREAMS.monitorSampling, this.step));
    this.checkGeneration(generation);
    const kl = await this.onPolicyKlPerToken(tokens, MONITOR_SAMPLES);
    this.checkGeneration(generation);
    this.latestPolicySamples = { ...summarisePolicySamples(this.task, tokens, MONITOR_SAMPLES, this.step), klPerToken: kl };
  }

  /** Σ (log π − log π_ref) / Σ scored tokens over sequences the policy drew: the on-policy KL estimate. */
  private async onPolicyKlPerToken(tokens: Int32Array, count: number): Promise<number> {
    const mask = scoredTokenMask(tokens, count, this.task.hasEndToken, this.settings.scoring);
    const ones = new Float64Array(mask.length).fill(1);
    const policy = maskedSequenceSums(await scoreTaskSequences(this.policy, this.task, tokens, count, mask, this.settings.scoring), ones, count);
    const reference = maskedSequenceSums(await scoreTaskSequences(this.reference, this.task, tokens, count, mask, this.settings.scoring), ones, count);
    let logRatio = 0;
    let counted = 0;
    for (let i = 0; i < count; i++) logRatio += policy[i] - reference[i];
    for (const m of mask) counted += m;
    return logRatio / counted;
  }

  private checkGeneration(generation: number): void {
    if (generation !== this.generation) throw new Error('SequenceRun: restored while a step was in flight; that step is abandoned');
  }

  /** Collect (fresh data: epoch 0, or every epoch on-policy), label, and score the epoch's samples. */
  private async beginEpoch(generation: number): Promise<void> {
    this.epoch += 1;
    const { data, settings, seed, epoch, scores, view } = this;
    const size = data.size;
    const fresh = epoch === 0 || settings.sampling === 'on-policy';
    const ones = new Float64Array(size * SEQUENCE_SLOTS).fill(1);
    if (fresh) {
      const prompts = new Int32Array(size);
      for (let i = 0; i < size; i++) prompts[i] = this.trainPrompts[Math.floor(i / data.N)];
      const fromReference = epoch === 0;
      if (this.usesTaskPairs) {
        this.tokens.set(taskPairTokens(this.task));
      } else {
        const sampler = fromReference ? this.reference : this.policy;
        const rng = fromReference ? stream(seed, STREAMS.offlineDataset) : stream(seed, STREAMS.onPolicySampling, epoch);
        const sampled = await sampleTaskSequences(sampler, this.task, prompts, rng);
        this.checkGeneration(generation);
        this.tokens.set(sampled);
      }
      const rewards = new Float64Array(size);
      const identity = new Int32Array(size);
      for (let i = 0; i < size; i++) {
        rewards[i] = this.task.reward(this.tokens, i * SEQUENCE_SLOTS);
        identity[i] = i;
      }
      data.setSamples(identity, rewards);
      this.queries += size;
      if (settings.sampling === 'on-policy') this.latestPolicySamples = summarisePolicySamples(this.task, this.tokens, size, this.step);
      if (this.pairwise) {
        const labelStream = settings.labels === 'bradley-terry' ? stream(seed, STREAMS.preferenceLabels, epoch) : null;
        data.buildPairs(settings.rewardThreshold, settings.labels, settings.labelTemperature, labelStream);
      }
      if (settings.objective === 'reinforce' || settings.objective === 'ppo') computeAdvantages(data, settings.advantage, this.running);
      scores.mask.set(scoredTokenMask(this.tokens, size, this.task.hasEndToken, settings.scoring));
      const referenceScores = await scoreTaskSequences(this.reference, this.task, this.tokens, size, scores.mask, settings.scoring);
      this.checkGeneration(generation);
      scores.reference.set(referenceScores);
      maskedSequenceSums(scores.reference, ones, size, view.logRef);
      if (fromReference) this.behaviourLogProbs.set(view.logRef);
    }
    const needsOld = settings.objective === 'ppo' || (fresh && epoch > 0);
    if (needsOld) {
      const oldScores = await scoreTaskSequences(this.policy, this.task, this.tokens, size, scores.mask, settings.scoring);
      this.checkGeneration(generation);
      scores.old.set(oldScores);
      if (fresh && epoch > 0) maskedSequenceSums(scores.old, ones, size, this.behaviourLogProbs);
    }
  }
}

/** The task's preference pairs as an epoch of S = pairs × N = 2 sequences: pair p's chosen, then its rejected. */
function taskPairTokens(task: SequenceTaskDefinition): Int32Array {
  const pairs = task.offlinePairs;
  if (!pairs) throw new Error(`the task "${task.label}" has no preference pairs`);
  const tokens = new Int32Array(pairs.count * 2 * SEQUENCE_SLOTS);
  for (let p = 0; p < pairs.count; p++) {
    const from = p * SEQUENCE_SLOTS;
    tokens.set(pairs.chosen.tokens.subarray(from, from + SEQUENCE_SLOTS), 2 * p * SEQUENCE_SLOTS);
    tokens.set(pairs.rejected.tokens.subarray(from, from + SEQUENCE_SLOTS), (2 * p + 1) * SEQUENCE_SLOTS);
  }
  return tokens;
}

function summarisePolicySamples(task: SequenceTaskDefinition, tokens: Int32Array, count: number, atStep: number): PolicySamples {
  let reward = 0;
  let length = 0;
  for (let i = 0; i < count; i++) {
    reward += task.reward(tokens, i * SEQUENCE_SLOTS);
    length += sequenceLength(tokens, i * SEQUENCE_SLOTS);
  }
  return { tokens: tokens.slice(0, count * SEQUENCE_SLOTS), count, atStep, meanReward: reward / count, meanLength: length / count, klPerToken: Number.NaN };
}
