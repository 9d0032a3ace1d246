/**
 * Algorithm 1 on the paper's own 1-D bandit agent, the categorical MLP (spec C.1), for one run of a lab
 * config: the same `RunSettings`, the same data (`EpochData`: samples, best/worst, pairs, advantages), the
 * same seeded streams and the same objective code as the tabular engine (`train.ts`); only the policy
 * differs. What differs, and why:
 *   - the policy is π(·|s) of a context s ∈ [0,1)^100: S train contexts (one per prompt) and a fixed set of
 *     evaluation contexts, both from `stream(seed, 'bandit-contexts')`;
 *   - it starts from the official SFT (spec B.1: 100 full-batch Adam steps at lr 0.01 on the reverse KL to
 *     π_ref over the train contexts), whatever `init` says: an MLP cannot start at π_ref exactly;
 *   - it always trains with Adam (torch defaults), as the official code does (`optimizer` is ignored);
 *   - the objectives see a per-sample view (sample i is "action i", logProbs[i] = log π(a_i | s_i)), so every
 *     sample coefficient comes from the shared objective code unchanged; the exact KL terms (the `sft`
 *     objective, REINFORCE/PPO's klCoef) are the shared `kl.ts` term applied per context and averaged over
 *     the minibatch's contexts;
 *   - metrics are of the policy averaged over the evaluation contexts (see `mlp-metrics.ts`).
 * Epoch 0 draws the offline dataset from π_ref with `STREAMS.offlineDataset`, exactly as the tabular engine
 * does, so a tabular run and its MLP twin start from the very same samples, rewards and pairs.
 */
import type { ResolvedRun } from '../config/experiment.ts';
import type { LiveKnobKey, RunSettings } from '../config/settings.ts';
import { computeAdvantages, EpochData, RunningMoments, type Minibatch } from '../data.ts';
import type { Environment } from '../environment.ts';
import { exp } from '../math.ts';
import { inverseCdf } from '../inverse-cdf.ts';
import { meanMargin } from '../objectives/contrastive.ts';
import { OBJECTIVE_IMPLEMENTATIONS, OBJECTIVES, type Coefficients, type Objective, type PolicyView } from '../objectives/index.ts';
import { addKlToReference } from '../objectives/kl.ts';
import { SampleView } from '../objectives/sample-view.ts';
import { stream, STREAMS, type RandomStream } from '../random.ts';
import { evaluatePolicy, MlpMetricSeries, type MlpStepInfo } from './mlp-metrics.ts';
import type { ContextualBanditModel } from './model.ts';
import { OFFICIAL_SFT_LR, OFFICIAL_SFT_STEPS } from '../policies/initialisation.ts';

/** spec A.2: the official scripts always evaluate on 100 contexts */
export const MLP_EVAL_CONTEXTS = 100;

/** π(·|s) of one context as a PolicyView over the K bins (for the exact KL terms). */
class ContextView implements PolicyView {
  readonly probs: Float64Array;
  readonly logProbs: Float64Array;

  constructor(
    readonly K: number,
    readonly logRef: Float64Array,
  ) {
    this.probs = new Float64Array(K);
    this.logProbs = new Float64Array(K);
  }

  load(rows: Float32Array, row: number): void {
    const { K, probs, logProbs } = this;
    for (let a = 0; a < K; a++) {
      const lp = rows[row * K + a];
      logProbs[a] = lp;
      probs[a] = exp(lp);
    }
  }
}

export interface MlpDivergence {
  step: number;
  reason: string;
}

export class MlpBanditRun {
  readonly settings: RunSettings;
  readonly data: EpochData;
  readonly coefficients: Coefficients;
  readonly metrics: MlpMetricSeries;
  readonly minibatchesPerEpoch: number;
  /** π averaged over the evaluation contexts, after the latest step (or the SFT) */
  readonly distribution: Float64Array;
  /** the real bins of the epoch's samples (`data.actions` is the identity for the per-sample view) */
  readonly bins: Int32Array;
  step = 0;
  epoch = -1;
  queries = 0;
  diverged: MlpDivergence | null = null;
  sftDone = false;

  private readonly objective: Objective;
  private readonly usesSamples: boolean;
  private readonly pairwise: boolean;
  private readonly needsAdvantages: boolean;
  private readonly running = new RunningMoments();
  private readonly view: SampleView;
  private readonly context: ContextView;
  private readonly klScratch: Coefficients;
  private readonly batch: Minibatch;
  private pass = 0;
  private minibatch = 0;

  constructor(
    readonly spec: ResolvedRun,
    readonly env: Environment,
    readonly seed: number,
    readonly model: ContextualBanditModel,
  ) {
    const { name: _name, objective: _objective, ...settings } = spec;
    this.settings = { ...settings };
    if (model.K !== env.K) throw new Error(`the model has ${model.K} bins, the bandit ${env.K}`);
    if (model.trainCount !== spec.S) throw new Error(`the model has ${model.trainCount} train contexts, the run S = ${spec.S}`);
    const info = OBJECTIVES[spec.objective];
    this.objective = OBJECTIVE_IMPLEMENTATIONS[spec.objective];
    this.usesSamples = info.usesSamples;
    this.pairwise = info.pairwise;
    this.needsAdvantages = spec.objective === 'reinforce' || spec.objective === 'ppo';
    this.data = new EpochData(this.usesSamples ? spec.S : 1, this.usesSamples ? spec.N : 1, this.pairwise);
    this.bins = new Int32Array(this.data.size);
    this.coefficients = { coef: new Float64Array(this.data.size), dense: new Float64Array(env.K), denseActive: false };
    this.klScratch = { coef: new Float64Array(0), dense: new Float64Array(env.K), denseActive: false };
    this.view = new SampleView(this.data.size);
    this.context = new ContextView(env.K, env.logRef);
    this.minibatchesPerEpoch = this.usesSamples ? Math.ceil(spec.S / spec.M) : 1;
    this.batch = { data: this.data, p0: 0, p1: 0 };
    this.metrics = new MlpMetricSeries();
    this.distribution = new Float64Array(env.K);
  }

  get name(): string {
    return this.spec.name;
  }

  get finished(): boolean {
    return this.diverged !== null || this.step >= this.spec.steps;
  }

  setLive(key: LiveKnobKey, value: number): void {
    (this.settings as unknown as Record<string, number>)[key] = value;
  }

  /**
   * The official SFT, step by step (`onStep(t)` after each; return false from `keepGoing` to stop early —
   * the run is then unusable), then the first metric row (step 0).
   */
  async sft(options: { steps?: number; lr?: number; onStep?: (done: number) => void | Promise<void>; keepGoing?: () => boolean } = {}): Promise<boolean> {
    const steps = options.steps ?? OFFICIAL_SFT_STEPS;
    const lr = options.lr ?? OFFICIAL_SFT_LR;
    for (let t = 0; t < steps; t++) {
      if (options.keepGoing && !options.keepGoing()) return false;
      await this.model.sftStep(this.env.refProbs, lr);
      await options.onStep?.(t + 1);
    }
    return this.afterSft();
  }

  /** the SFT was done elsewhere (weights copied in): start training from here */
  async afterSft(): Promise<boolean> {
    this.model.endSft();
    this.sftDone = true;
    await this.record({ step: 0, epoch: 0, loss: Number.NaN, queries: 0, gradNorm: Number.NaN, fracNegative: Number.NaN, margin: Number.NaN });
    return true;
  }

  /** One gradient step. Returns false if the run had already finished or has just diverged. */
  async advance(): Promise<boolean> {
    if (!this.sftDone) throw new Error('MlpBanditRun: run the SFT first');
    if (this.finished) return false;
    if (this.minibatch === 0 && this.pass === 0) await this.beginEpoch();
    const { data, settings, coefficients, batch, view, model, env } = this;
    const K = env.K;
    const N = data.N;
    batch.p0 = this.usesSamples ? this.minibatch * settings.M : 0;
    batch.p1 = this.usesSamples ? Math.min(settings.S, batch.p0 + settings.M) : 0;
    // contexts of the step: the minibatch's prompts, or every train context for the sample-free SFT objective
    const c0 = this.usesSamples ? batch.p0 : 0;
    const c1 = this.usesSamples ? batch.p1 : model.trainCount;
    const contexts = c1 - c0;
    const logProbs = await model.trainLogProbs(c0, c1);

    let loss: number;
    let dense: Float64Array | null = null;
    if (this.usesSamples) {
      for (let i = batch.p0 * N; i < batch.p1 * N; i++) {
        const s = Math.floor(i / N);
        const bin = this.bins[i];
        view.logProbs[i] = logProbs[(s - c0) * K + bin];
        view.logRef[i] = env.logRef[bin];
      }
      // sample terms from the shared objective; its exact KL term is added per context below
      loss = this.objective.compute(batch, view, { ...settings, klCoef: 0 }, coefficients);
      if (this.needsAdvantages && settings.klCoef !== 0) {
        dense = new Float64Array(contexts * K);
        loss += this.perContextKl(logProbs, contexts, 1, dense, (ctx, out) => addKlToReference(ctx, settings.klCoef / contexts, out));
      }
    } else {
      // SFT to π_ref: the shared objective per context, averaged over the contexts
      dense = new Float64Array(contexts * K);
      loss = this.perContextKl(logProbs, contexts, 1 / contexts, dense, (ctx, out) => this.objective.compute(batch, ctx, settings, out) / contexts);
    }

    const actions = new Int32Array(contexts * (this.usesSamples ? N : 1));
    const perSample = new Float64Array(actions.length);
    if (this.usesSamples) {
      actions.set(this.bins.subarray(batch.p0 * N, batch.p1 * N));
      perSample.set(coefficients.coef.subarray(batch.p0 * N, batch.p1 * N));
    }
    let result: { loss: number; gradNorm: number };
    try {
      result = await model.step(c0, c1, actions, this.usesSamples ? N : 1, perSample, dense, settings.lr);
    } catch (error) {
      this.step += 1;
      this.diverged = { step: this.step, reason: `the step failed: ${error instanceof Error ? error.message : String(error)}` };
      return false;
    }
    this.step += 1;
    if (++this.minibatch === this.minibatchesPerEpoch) {
      this.minibatch = 0;
      if (++this.pass === settings.T) this.pass = 0;
    }
    if (!Number.isFinite(loss) || !Number.isFinite(result.gradNorm)) {
      this.diverged = { step: this.step, reason: Number.isFinite(loss) ? `the gradient norm became ${result.gradNorm}` : `the loss became ${loss}` };
      return false;
    }
    let negative = 0;
    const from = batch.p0 * N;
    const to = batch.p1 * N;
    for (let i = from; i < to; i++) if (coefficients.coef[i] < 0) negative++;
    const ok = await this.record({
      step: this.step,
      epoch: this.epoch,
      loss,
      queries: this.queries,
      gradNorm: result.gradNorm,
      fracNegative: to > from ? negative / (to - from) : Number.NaN,
      margin: this.pairwise ? meanMargin(batch, view) : Number.NaN,
    });
    if (!ok) this.diverged = { step: this.step, reason: 'the policy became NaN' };
    return ok;
  }

  /**
   * The dense rows [contexts·K] of a per-context exact term (`term` writes one context's dense coefficients
   * into its `out` and returns its loss), each scaled by `denseScale`; returns the summed loss.
   */
  private perContextKl(
    logProbs: Float32Array,
    contexts: number,
    denseScale: number,
    dense: Float64Array,
    term: (ctx: PolicyView, out: Coefficients) => number,
  ): number {
    const { context, klScratch, env } = this;
    const K = env.K;
    let loss = 0;
    for (let c = 0; c < contexts; c++) {
      context.load(logProbs, c);
      klScratch.denseActive = false;
      klScratch.dense.fill(0);
      loss += term(context, klScratch);
      if (klScratch.denseActive) for (let a = 0; a < K; a++) dense[c * K + a] = klScratch.dense[a] * denseScale;
    }
    return loss;
  }

  private async record(info: MlpStepInfo): Promise<boolean> {
    const probs = await this.model.evalProbs();
    return evaluatePolicy(this.metrics, this.distribution, probs, this.model.evalCount, this.env, info);
  }

  /** Collect (and label) the epoch's data, as `Run.beginEpoch` in train.ts does. */
  private async beginEpoch(): Promise<void> {
    this.epoch += 1;
    if (!this.usesSamples) return;
    const { data, settings, env, seed, epoch } = this;
    const fresh = epoch === 0 || settings.sampling === 'on-policy';
    if (fresh) {
      if (epoch === 0) {
        data.sample(env.refCdf, stream(seed, STREAMS.offlineDataset), env.reward);
      } else {
        const logProbs = await this.model.trainLogProbs(0, settings.S);
        sampleContexts(logProbs, env.K, data.N, stream(seed, STREAMS.onPolicySampling, epoch), this.bins);
        data.setSamples(this.bins, env.reward);
      }
      this.bins.set(data.actions);
      // the per-sample view: "action" i is sample i
      for (let i = 0; i < data.size; i++) data.actions[i] = i;
      this.queries += data.size;
      if (this.pairwise) {
        const labelStream = settings.labels === 'bradley-terry' ? stream(seed, STREAMS.preferenceLabels, epoch) : null;
        data.buildPairs(settings.rewardThreshold, settings.labels, settings.labelTemperature, labelStream);
      }
      if (this.needsAdvantages) computeAdvantages(data, settings.advantage, this.running);
    }
    if (this.spec.objective === 'ppo') {
      const logProbs = await this.model.trainLogProbs(0, settings.S);
      const K = env.K;
      for (let i = 0; i < data.size; i++) data.logOld[i] = logProbs[Math.floor(i / data.N) * K + this.bins[i]];
    }
  }
}

/**
 * N samples per context by inverse CDF of π(·|s) (from log-probabilities [contexts·K]), one uniform per
 * sample in sample order, exactly as `EpochData.sample` draws from one distribution.
 */
export function sampleContexts(logProbs: Float32Array, K: number, N: number, rng: RandomStream, out: Int32Array): void {
  const contexts = logProbs.length / K;
  const cdf = new Float64Array(K);
  for (let s = 0; s < contexts; s++) {
    let cumulative = 0;
    for (let a = 0; a < K; a++) cdf[a] = cumulative += exp(logProbs[s * K + a]);
    for (let j = 0; j < N; j++) out[s * N + j] = inverseCdf(cdf, rng.uniform());
  }
}
