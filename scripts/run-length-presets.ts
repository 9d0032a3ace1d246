/**
 * Runs the synthetic length-task comparisons (LENGTH_TASK_PRESETS) headless in Node on the tfjs wasm backend,
 * exactly as the neural worker builds them: the task from `buildTask`, one SFT'd reference (`sftOptions`,
 * transpose-free matMul), then each preset's runs in lock step (one gradient step of each run in turn),
 * sharing that reference. Every EVAL_EVERY steps each run is evaluated on fresh samples (`SequenceRun.evaluate`).
 *
 *   npx tsx scripts/run-length-presets.ts [preset-id ...] [--seed N] [--steps N] [--eval-prompts N]
 *
 * Prints a table per preset and merges the numbers into docs/length-presets-results.json (keyed by preset id and
 * seed, `min-length-comparison@seed1`, so processes running different presets or seeds can share the file).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, hostname, platform, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { lengthDistributionMode } from '../src/lab/sequence/length-tasks.ts';
import { LENGTH_TASK_PRESETS } from '../src/lab/sequence/sequence-presets.ts';
import { SequenceRun } from '../src/lab/sequence-engine/sequence-run.ts';
import { trainSequenceReference } from '../src/lab/sequence-engine/sft.ts';
import { buildTask, resolvePreset, runSettings, sftOptions, taskId } from '../src/worker/neural/neural-comparison.ts';
import { useBackend } from '../tests/helpers/tf-backend.ts';

const EVAL_EVERY = 50;
/** the first steps, where the methods separate, are evaluated more often */
const EARLY_EVAL_STEPS = new Set([10, 20, 30, 40]);
const REPORT_STEPS = [0, 50, 100, 200, 300];
const SHORT_LENGTH = 1.5;
const RESULTS_PATH = new URL('../docs/length-presets-results.json', import.meta.url);

interface Options {
  presets: string[];
  seed: number;
  steps: number | null;
  evalPrompts: number;
}

interface EvalPoint {
  step: number;
  meanLength: number;
  meanReward: number;
  /** mode length only: mean |length − mode| of the fresh samples */
  distanceToMode: number | null;
  klPerToken: number;
}

interface RunResult {
  id: string;
  label: string;
  objective: string;
  sampling: string;
  steps: number;
  diverged: string | null;
  /** min / skew length: first evaluated step with mean length ≤ SHORT_LENGTH, or null (never) */
  firstShortStep: number | null;
  /**
   * the run's own view of its policy after every step (SequenceRun.policySamples: the on-policy collection, or
   * the offline monitor samples, both refreshed every 10 steps): [policy step, mean length, mean reward]
   */
  trace: Array<[number, number, number]>;
  evaluations: EvalPoint[];
}

interface PresetResult {
  id: string;
  task: string;
  /** the metric the table reports: mean length, or distance to the mode */
  metric: 'meanLength' | 'distanceToMode';
  mode: number | null;
  seed: number;
  steps: number;
  evalPrompts: number;
  sft: { steps: number; seconds: number; finalNll: number; idealNll: number; tokenKl: number };
  trainingSeconds: number;
  totalSeconds: number;
  tensorsBefore: number;
  tensorsAfter: number;
  runs: RunResult[];
  /** false while the run is in progress (the file is rewritten after every evaluation) */
  complete: boolean;
  finishedAt: string;
}

function parseArgs(argv: readonly string[]): Options {
  const presets: string[] = [];
  let seed = 1;
  let steps: number | null = null;
  let evalPrompts = 100;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${arg} needs a non-negative integer, got ${argv[i]}`);
      return v;
    };
    if (arg === '--seed') seed = value();
    else if (arg === '--steps') steps = Math.max(1, value());
    else if (arg === '--eval-prompts') evalPrompts = Math.max(1, value());
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else presets.push(arg);
  }
  return { presets: presets.length > 0 ? presets : LENGTH_TASK_PRESETS.map((p) => p.id), seed, steps, evalPrompts };
}

function fmt(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

function metricOf(point: EvalPoint, metric: PresetResult['metric']): number | null {
  return metric === 'distanceToMode' ? point.distanceToMode : point.meanLength;
}

async function evaluateRun(run: SequenceRun, prompts: number, mode: number | null): Promise<EvalPoint> {
  const evaluation = await run.evaluate(prompts);
  let distance = 0;
  if (mode !== null) evaluation.lengthHistogram.forEach((fraction, length) => (distance += fraction * Math.abs(length - mode)));
  return {
    step: evaluation.step,
    meanLength: evaluation.meanLength,
    meanReward: evaluation.meanReward,
    distanceToMode: mode === null ? null : distance,
    klPerToken: evaluation.klPerToken,
  };
}

async function runPreset(id: string, options: Options): Promise<PresetResult> {
  const started = performance.now();
  const tensorsBefore = tf.memory().numTensors;
  const preset = resolvePreset(id);
  if (preset.task.kind !== 'length') throw new Error(`${id} is not a length-task comparison`);
  const task = buildTask(preset.task, options.seed);
  const mode = preset.task.taskId === 'mode-length' ? lengthDistributionMode(task.lengthDistribution) : null;
  const metric: PresetResult['metric'] = mode === null ? 'meanLength' : 'distanceToMode';

  const sft = sftOptions(undefined, 'wasm');
  const sftStarted = performance.now();
  const { reference, diagnostics } = await trainSequenceReference(task, options.seed, sft);
  const sftSeconds = (performance.now() - sftStarted) / 1000;
  console.log(`[${id}] SFT ${sft.steps} steps in ${sftSeconds.toFixed(1)} s: NLL ${diagnostics.finalNll.toFixed(3)} (floor ${diagnostics.idealNll.toFixed(3)}), token KL ${diagnostics.tokenKl.toFixed(4)}`);

  const runs: SequenceRun[] = [];
  const results: RunResult[] = [];
  let trainingSeconds = 0;
  let steps = 0;
  const sftSteps = sft.steps ?? 0;
  const snapshot = (complete: boolean): PresetResult => ({
    id,
    task: taskId(preset.task),
    metric,
    mode,
    seed: options.seed,
    steps,
    evalPrompts: options.evalPrompts,
    sft: { steps: sftSteps, seconds: sftSeconds, finalNll: diagnostics.finalNll, idealNll: diagnostics.idealNll, tokenKl: diagnostics.tokenKl },
    trainingSeconds,
    totalSeconds: (performance.now() - started) / 1000,
    tensorsBefore,
    tensorsAfter: tf.memory().numTensors,
    runs: results,
    complete,
    finishedAt: new Date().toISOString(),
  });
  try {
    for (const spec of preset.runs) {
      const settings = runSettings(spec, undefined);
      const run = new SequenceRun(task, reference, options.steps === null ? settings : { ...settings, steps: options.steps }, options.seed);
      runs.push(run);
      results.push({ id: spec.id, label: spec.label, objective: spec.objective, sampling: spec.sampling, steps: run.settings.steps, diverged: null, firstShortStep: null, evaluations: [], trace: [] });
    }
    steps = Math.max(...runs.map((run) => run.settings.steps));
    const record = async (): Promise<void> => {
      for (let r = 0; r < runs.length; r++) {
        const point = await evaluateRun(runs[r], options.evalPrompts, mode);
        const result = results[r];
        result.evaluations.push(point);
        if (mode === null && result.firstShortStep === null && point.meanLength <= SHORT_LENGTH) result.firstShortStep = point.step;
      }
      const step = runs[0].step;
      mergeResults([snapshot(false)], tf.getBackend());
      console.log(`[${id}] step ${step}: ${results.map((r) => `${r.label} ${fmt(metricOf(r.evaluations[r.evaluations.length - 1], metric))}`).join(' | ')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    };
    await record();
    const trainingStarted = performance.now();
    for (let step = 1; step <= steps; step++) {
      // lock step, as the worker: one gradient step of each unfinished run in turn
      for (let r = 0; r < runs.length; r++) {
        const run = runs[r];
        if (run.finished) continue;
        await run.advance();
        const own = run.policySamples;
        const trace = results[r].trace;
        if (own && trace[trace.length - 1]?.[0] !== own.atStep) trace.push([own.atStep, own.meanLength, own.meanReward]);
      }
      trainingSeconds = (performance.now() - trainingStarted) / 1000;
      if (step % EVAL_EVERY === 0 || EARLY_EVAL_STEPS.has(step) || step === steps) await record();
    }
    runs.forEach((run, r) => (results[r].diverged = run.diverged ? `step ${run.diverged.step}: ${run.diverged.reason}` : null));
  } finally {
    for (const run of runs) run.dispose();
    reference.dispose();
  }
  return snapshot(true);
}

function printTable(result: PresetResult): void {
  const columns = REPORT_STEPS.filter((s) => s <= result.steps);
  if (!columns.includes(result.steps)) columns.push(result.steps);
  const name = result.metric === 'distanceToMode' ? `distance to mode ${result.mode}` : 'mean length';
  const header = ['run', ...columns.map((s) => `${name} @${s}`), 'reward @end', ...(result.metric === 'meanLength' ? [`first step ≤ ${SHORT_LENGTH}`] : [])];
  const rows = result.runs.map((run) => {
    const at = (step: number) => run.evaluations.find((e) => e.step === step);
    const last = run.evaluations[run.evaluations.length - 1];
    return [
      run.label,
      ...columns.map((s) => {
        const point = at(s);
        return point ? fmt(metricOf(point, result.metric)) : '—';
      }),
      fmt(last?.meanReward),
      ...(result.metric === 'meanLength' ? [run.firstShortStep === null ? 'never' : String(run.firstShortStep)] : []),
    ];
  });
  console.log(`\n${result.id} (seed ${result.seed}, ${result.steps} steps, ${result.evalPrompts} eval prompts; SFT ${result.sft.seconds.toFixed(0)} s, training ${result.trainingSeconds.toFixed(0)} s; tensors ${result.tensorsBefore} → ${result.tensorsAfter})`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  for (const run of result.runs) if (run.diverged) console.log(`  ${run.label} diverged: ${run.diverged}`);
}

interface ResultsFile {
  machine: { hostname: string; platform: string; release: string; cpus: number; cpuModel: string; memoryGiB: number; node: string; backend: string };
  presets: Record<string, PresetResult>;
}

function mergeResults(results: readonly PresetResult[], backend: string): void {
  const machine: ResultsFile['machine'] = {
    hostname: hostname(),
    platform: platform(),
    release: release(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    backend,
  };
  let presets: Record<string, PresetResult> = {};
  if (existsSync(RESULTS_PATH)) {
    const previous = JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as Partial<ResultsFile>;
    presets = previous.presets ?? {};
  }
  for (const result of results) presets[`${result.id}@seed${result.seed}`] = result;
  const file: ResultsFile = { machine, presets };
  writeFileSync(RESULTS_PATH, `${JSON.stringify(file, null, 2)}\n`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  await useBackend('wasm');
  const results: PresetResult[] = [];
  for (const id of options.presets) {
    const result = await runPreset(id, options);
    results.push(result);
    printTable(result);
    mergeResults([result], tf.getBackend());
    if (result.tensorsAfter !== result.tensorsBefore) console.warn(`[${id}] tensor leak: ${result.tensorsBefore} before, ${result.tensorsAfter} after`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
