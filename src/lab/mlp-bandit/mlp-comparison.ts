/**
 * Every run of a lab config on the MLP, in lock step from one seed (the MLP twin of train.ts's `Comparison`):
 * one model per run (weights from the seed, so every run starts from the same network), the official SFT
 * done once per distinct number of train contexts S and copied into the runs that share it, recorded live
 * edits applied at their steps.
 */
import { resolveRuns, type ExperimentConfig, type LiveEdit } from '../config/experiment.ts';
import { buildEnvironment, type Environment } from '../environment.ts';
import { OFFICIAL_SFT_STEPS } from '../policies/initialisation.ts';
import { MLP_EVAL_CONTEXTS, MlpBanditRun } from './mlp-run.ts';
import type { ModelFactory } from './model.ts';

export interface MlpComparisonOptions {
  seed?: number;
  /** evaluation contexts (default 100, spec A.2) */
  evalContexts?: number;
  /** SFT steps (default 100, spec B.1); fewer only for quick tests */
  sftSteps?: number;
  /** after every SFT step: how many of `total` are done */
  onSftProgress?: (done: number, total: number) => void | Promise<void>;
  /** checked before every SFT step; false stops the set-up (the comparison is then disposed) */
  keepGoing?: () => boolean;
}

export class MlpComparison {
  readonly env: Environment;
  private logs: Array<{ queue: LiveEdit[]; next: number }> = [];

  private constructor(
    readonly config: ExperimentConfig,
    readonly seed: number,
    readonly runs: MlpBanditRun[],
  ) {
    this.env = runs[0]?.env ?? buildEnvironment({ ...config, seed });
    this.setEdits(config.edits);
  }

  /**
   * Builds the runs and runs the SFT. Returns null if `keepGoing` said stop (everything is disposed then).
   */
  static async create(config: ExperimentConfig, factory: ModelFactory, options: MlpComparisonOptions = {}): Promise<MlpComparison | null> {
    const seed = options.seed ?? config.seed;
    const env = buildEnvironment({ ...config, seed });
    const evalCount = options.evalContexts ?? MLP_EVAL_CONTEXTS;
    const sftSteps = options.sftSteps ?? OFFICIAL_SFT_STEPS;
    const specs = resolveRuns(config);
    const runs: MlpBanditRun[] = [];
    const dispose = () => runs.forEach((run) => run.model.dispose());
    try {
      for (const spec of specs) runs.push(new MlpBanditRun(spec, env, seed, factory({ seed, trainCount: spec.S, evalCount, K: env.K })));
      const distinct = [...new Set(specs.map((s) => s.S))];
      const total = distinct.length * sftSteps;
      let done = 0;
      for (const S of distinct) {
        const sharing = runs.filter((run) => run.spec.S === S);
        const first = sharing[0];
        const ok = await first.sft({
          steps: sftSteps,
          keepGoing: options.keepGoing,
          onStep: () => options.onSftProgress?.(++done, total),
        });
        if (!ok) {
          dispose();
          return null;
        }
        for (const run of sharing.slice(1)) {
          run.model.copyWeightsFrom(first.model);
          await run.afterSft();
        }
      }
    } catch (error) {
      dispose();
      throw error;
    }
    return new MlpComparison(config, seed, runs);
  }

  get finished(): boolean {
    return this.runs.every((r) => r.finished);
  }

  /** the step of the least advanced unfinished run (every run's step when all have finished) */
  get step(): number {
    const open = this.runs.filter((r) => !r.finished);
    return open.length ? Math.min(...open.map((r) => r.step)) : Math.max(0, ...this.runs.map((r) => r.step));
  }

  /** Replace the edit log (the lab's config.edits): edits at a step a run has not reached apply when it does. */
  setEdits(edits: readonly LiveEdit[]): void {
    this.logs = this.runs.map((run) => {
      const queue = edits.filter((e) => e.run === run.name).sort((a, b) => a.step - b.step);
      let next = 0;
      while (next < queue.length && queue[next].step < run.step) next++;
      return { queue, next };
    });
  }

  /** Advance every unfinished run by one gradient step; false when all have finished. */
  async advance(): Promise<boolean> {
    let any = false;
    for (let i = 0; i < this.runs.length; i++) {
      const run = this.runs[i];
      if (run.finished) continue;
      const log = this.logs[i];
      while (log.next < log.queue.length && log.queue[log.next].step === run.step) {
        const edit = log.queue[log.next++];
        run.setLive(edit.key, edit.value);
      }
      await run.advance();
      any = true;
    }
    return any;
  }

  dispose(): void {
    for (const run of this.runs) run.model.dispose();
  }
}
