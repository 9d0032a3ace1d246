/**
 * The paper's Algorithm 1 on the tabular engine, one gradient step at a time:
 *   each epoch collects S prompts × N samples — from π_ref in epoch 0 (and forever, offline), from the
 *   current policy afterwards (on-policy) — labels them, then makes T passes over minibatches of M
 *   prompts, one gradient step per minibatch.
 * A `Run` owns one policy; a `Comparison` advances several runs in lock step from one seed.
 */
import type { ExperimentConfig, LiveEdit, ResolvedRun } from './config/experiment.ts';
import { resolveRuns } from './config/experiment.ts';
import { recordEdit } from './config/edits.ts';
import { knobSchema, LIVE_KNOB_KEYS, RUN_KNOBS, type LiveKnobKey, type RunSettings } from './config/settings.ts';
import { computeAdvantages, EpochData, RunningMoments, type Minibatch } from './data.ts';
import { buildEnvironment, type Environment } from './environment.ts';
import { MetricSeries, recordPolicyMetrics, type StepInfo } from './metrics.ts';
import { meanMargin } from './objectives/contrastive.ts';
import { OBJECTIVE_IMPLEMENTATIONS, OBJECTIVES } from './objectives/index.ts';
import type { Coefficients, Objective } from './objectives/types.ts';
import { initialLogits } from './policies/initialisation.ts';
import { createOptimizer, type Optimizer } from './policies/optimizers.ts';
import { TabularPolicy } from './policies/tabular.ts';
import { stream, STREAMS } from './random.ts';

export interface Divergence {
  /** the gradient step whose update produced a NaN or infinite logit (or loss) */
  step: number;
  reason: string;
}

export class Run {
  readonly settings: RunSettings;
  readonly policy: TabularPolicy;
  readonly metrics: MetricSeries;
  readonly coefficients: Coefficients;
  /** the current epoch's data (for on-policy runs, replaced each epoch; offline runs keep epoch 0's) */
  readonly data: EpochData;
  readonly minibatchesPerEpoch: number;
  step = 0;
  epoch = -1;
  queries = 0;
  diverged: Divergence | null = null;
  /** the minibatch of the last gradient step (for views of which samples were pushed up or down) */
  lastBatch: Minibatch | null = null;

  private readonly objective: Objective;
  private readonly optimizer: Optimizer;
  private readonly running = new RunningMoments();
  private readonly usesSamples: boolean;
  private readonly pairwise: boolean;
  private readonly needsAdvantages: boolean;
  private pass = 0;
  private minibatch = 0;
  private readonly batch: Minibatch;

  constructor(
    readonly spec: ResolvedRun,
    readonly env: Environment,
    readonly seed: number,
    startLogits?: Float64Array,
  ) {
    const { name: _name, objective: _objective, ...settings } = spec;
    this.settings = { ...settings };
    const info = OBJECTIVES[spec.objective];
    this.objective = OBJECTIVE_IMPLEMENTATIONS[spec.objective];
    this.usesSamples = info.usesSamples;
    this.pairwise = info.pairwise;
    this.needsAdvantages = spec.objective === 'reinforce' || spec.objective === 'ppo';
    this.policy = new TabularPolicy(startLogits ?? initialLogits(spec.init, env.logRef), env.logRef);
    this.optimizer = createOptimizer(spec.optimizer, env.K);
    this.data = new EpochData(this.usesSamples ? spec.S : 1, this.usesSamples ? spec.N : 1, this.pairwise);
    this.coefficients = {
      coef: new Float64Array(this.data.size),
      dense: new Float64Array(env.K),
      denseActive: false,
    };
    this.minibatchesPerEpoch = this.usesSamples ? Math.ceil(spec.S / spec.M) : 1;
    this.batch = { data: this.data, p0: 0, p1: 0 };
    this.metrics = new MetricSeries(spec.steps + 1);
    this.record({ step: 0, epoch: 0, loss: NaN, queries: 0, gradNorm: NaN, fracNegative: NaN, margin: NaN }, null);
  }

  get name(): string {
    return this.spec.name;
  }

  get finished(): boolean {
    return this.diverged !== null || this.step >= this.spec.steps;
  }

  /** Change a live knob; it applies from the next gradient step. */
  setLive(key: LiveKnobKey, value: number): void {
    (this.settings as unknown as Record<string, number>)[key] = value;
  }

  /** The live knobs' current values. */
  liveValues(): Record<LiveKnobKey, number> {
    const out = {} as Record<LiveKnobKey, number>;
    for (const key of LIVE_KNOB_KEYS) out[key] = this.settings[key];
    return out;
  }

  /** Gradient steps until this run collects its next epoch of data (or finishes). */
  get stepsLeftInEpoch(): number {
    const left = (this.settings.T - this.pass) * this.minibatchesPerEpoch - this.minibatch;
    return Math.min(left, this.spec.steps - this.step);
  }

  /** One gradient step. Returns false if the run had already finished or has just diverged. */
  advance(): boolean {
    if (this.finished) return false;
    if (this.minibatch === 0 && this.pass === 0) this.beginEpoch();
    const { data, settings, policy, coefficients, batch } = this;
    // an objective without samples (SFT) gets an empty minibatch
    batch.p0 = this.usesSamples ? this.minibatch * settings.M : 0;
    batch.p1 = this.usesSamples ? Math.min(settings.S, batch.p0 + settings.M) : 0;

    const loss = this.objective.compute(batch, policy, settings, coefficients);
    const gradNorm = policy.gradientFrom(batch, coefficients);
    this.optimizer.step(policy.logits, policy.grad, settings.lr);
    const finite = policy.refresh();
    this.step += 1;
    this.lastBatch = batch;

    if (++this.minibatch === this.minibatchesPerEpoch) {
      this.minibatch = 0;
      if (++this.pass === settings.T) this.pass = 0;
    }
    if (!finite || !Number.isFinite(loss)) {
      this.diverged = {
        step: this.step,
        reason: finite ? `the loss became ${loss}` : 'a logit became NaN or infinite',
      };
      return false;
    }

    let negative = 0;
    const from = batch.p0 * data.N;
    const to = batch.p1 * data.N;
    const coef = coefficients.coef;
    for (let i = from; i < to; i++) if (coef[i] < 0) negative++;
    this.record(
      {
        step: this.step,
        epoch: this.epoch,
        loss,
        queries: this.queries,
        gradNorm,
        fracNegative: to > from ? negative / (to - from) : NaN,
        margin: this.pairwise ? meanMargin(batch, policy) : NaN,
      },
      this.usesSamples ? batch : null,
    );
    return true;
  }

  private record(info: StepInfo, batch: Minibatch | null): void {
    recordPolicyMetrics(this.metrics, this.env, this.policy, info, batch);
  }

  /** Collect (and label) the epoch's data. */
  private beginEpoch(): void {
    this.epoch += 1;
    if (!this.usesSamples) return;
    const { data, settings, env, seed, epoch } = this;
    const fresh = epoch === 0 || settings.sampling === 'on-policy';
    if (fresh) {
      if (epoch === 0) data.sample(env.refCdf, stream(seed, STREAMS.offlineDataset), env.reward);
      else data.sample(this.policy.cdf, stream(seed, STREAMS.onPolicySampling, epoch), env.reward);
      this.queries += data.size;
      if (this.pairwise) {
        const labelStream =
          settings.labels === 'bradley-terry' ? stream(seed, STREAMS.preferenceLabels, epoch) : null;
        data.buildPairs(settings.rewardThreshold, settings.labels, settings.labelTemperature, labelStream);
      }
      if (this.needsAdvantages) computeAdvantages(data, settings.advantage, this.running);
    }
    if (this.spec.objective === 'ppo') {
      const lp = this.policy.logProbs;
      for (let i = 0; i < data.size; i++) data.logOld[i] = lp[data.actions[i]];
    }
  }
}

export class Comparison {
  readonly env: Environment;
  readonly runs: Run[];
  /** each run's live edits, sorted by step, and how many have been applied */
  private readonly logs: Array<{ queue: LiveEdit[]; next: number }>;

  constructor(
    readonly config: ExperimentConfig,
    seed = config.seed,
  ) {
    this.env = buildEnvironment({ ...config, seed });
    const resolved = resolveRuns(config);
    // the official SFT start is the same for every run: compute it once
    let sftStart: Float64Array | undefined;
    this.runs = resolved.map((spec) => {
      if (spec.init === 'sft') sftStart ??= initialLogits('sft', this.env.logRef);
      return new Run(spec, this.env, seed, spec.init === 'sft' ? sftStart : undefined);
    });
    this.logs = this.runs.map((run) => ({
      queue: config.edits.filter((e) => e.run === run.name).sort((a, b) => a.step - b.step),
      next: 0,
    }));
  }

  get finished(): boolean {
    return this.runs.every((r) => r.finished);
  }

  /** Every run's edit log, ordered by run then step (what a config needs to replay this comparison). */
  get edits(): LiveEdit[] {
    return this.logs.flatMap((e) => e.queue);
  }

  /**
   * Change a live knob of a running run now: it applies from the run's next gradient step, and it is
   * recorded (by the rule of `recordEdit`) so that the config's edits replay it exactly.
   */
  applyLiveEdit(runName: string, key: LiveKnobKey, value: number): LiveEdit {
    const index = this.runs.findIndex((r) => r.name === runName);
    if (index < 0) throw new Error(`no run is named "${runName}"`);
    const run = this.runs[index];
    if (!LIVE_KNOB_KEYS.includes(key)) throw new Error(`${String(key)} is not a live knob`);
    const check = knobSchema(RUN_KNOBS[key]).safeParse(value);
    if (!check.success) throw new Error(`${RUN_KNOBS[key].label} ${check.error.issues[0].message}`);
    if (run.finished) throw new Error(`"${runName}" has finished; reset to train it again with another ${RUN_KNOBS[key].label.toLowerCase()}`);
    const edit: LiveEdit = { run: runName, step: run.step, key, value };
    const log = this.logs[index];
    // pending edits (step ≥ run.step) sit at or after `next`, so dropping some of them keeps `next` valid
    log.queue = recordEdit(log.queue, edit);
    run.setLive(key, value);
    return edit;
  }

  /** Advance every unfinished run by one gradient step. Returns false when all have finished. */
  advance(): boolean {
    let any = false;
    this.runs.forEach((run, i) => {
      if (run.finished) return;
      const log = this.logs[i];
      while (log.next < log.queue.length && log.queue[log.next].step === run.step) {
        const edit = log.queue[log.next++];
        run.setLive(edit.key, edit.value);
      }
      run.advance();
      any = true;
    });
    return any;
  }

  runToEnd(): void {
    while (this.advance()) {
      /* lock step until every run has finished */
    }
  }
}
