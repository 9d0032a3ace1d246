/**
 * Picks the tfjs backend the training worker uses (design principle 5). For each candidate, in order
 * (webgpu → webgl → wasm → cpu), or only the forced one (`backend=` in the URL):
 *   1. detect it (a WebGPU fallback adapter is excluded unless webgpu is forced);
 *   2. register it and confirm it by the boolean `tf.setBackend` returns (it does not throw when the backend
 *      fails to initialise; tfjs would otherwise go on silently on another backend), after `tf.ready()`;
 *   3. the op smoke test against a plain-JavaScript reference (smoke-test.ts), which must not leak tensors;
 *   4. a warm-up, then a few timed steps of the caller's workload.
 * The fastest working candidate wins and is left active. Every candidate's outcome is reported, with a reason
 * when it was rejected, so that the badge and the logs can say why.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CANDIDATES, type BackendCandidate, type BackendName, type GpuAdapterSummary } from './candidates.ts';
import { runSmokeTest, SMOKE_TEST_TOLERANCE } from './smoke-test.ts';

/** One step of the real workload (e.g. a training step, reading its loss back as training does). */
export type WorkloadStep = () => Promise<void> | void;

/** A workload built afresh on each candidate (its tensors then live on that backend and are never copied across
 * backends), and disposed after it was timed there. */
export interface DisposableWorkload {
  step: WorkloadStep;
  dispose(): void;
}

export interface BackendOutcome {
  backend: string;
  ok: boolean;
  /** why the candidate was rejected (absent when ok) */
  reason?: string;
  /** the median wall time of the timed workload steps (absent when rejected before timing) */
  msPerStep?: number;
  /** what the candidate runs on: the adapter, the WebGL renderer, … */
  detail?: string;
}

export type BackendSelection =
  | { ok: true; backend: string; adapterInfo?: GpuAdapterSummary; timings: BackendOutcome[] }
  | { ok: false; error: string; timings: BackendOutcome[] };

export interface SelectBackendOptions {
  /** try only this backend (the `backend=` URL override); a WebGPU fallback adapter is then allowed */
  forced?: BackendName | null;
  /** one step of the workload to time. Tensors it made before selection live on another backend and tfjs copies
   * them over on first use; prefer `createWorkload` for a workload that owns tensors. Without either, every
   * working candidate counts as equally fast (0 ms) and the first one in order wins. */
  workload?: WorkloadStep;
  /** builds the workload on each candidate after it was set, and disposes it after timing (wins over `workload`) */
  createWorkload?: () => DisposableWorkload;
  log?: (line: string) => void;
  /** candidates in order of preference; defaults to webgpu, webgl, wasm, cpu */
  candidates?: readonly BackendCandidate[];
  /** names never to try, e.g. webgpu after its device was lost */
  exclude?: readonly string[];
  /** untimed steps first (shader compilation, JIT warm-up, lazy optimizer slots); default 2 */
  warmUpSteps?: number;
  /** timed steps, of which the median counts; default 5, fewer when `timeBudgetMs` runs out (at least one is
   * always timed) */
  timedSteps?: number;
  /** stop timing a candidate once its timed steps have taken this long; default 2000 ms */
  timeBudgetMs?: number;
  /** relative tolerance of the smoke test (see smoke-test.ts) */
  smokeTolerance?: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Waits until the backend has finished the work queued so far: a fresh op read back is ordered after it. */
async function waitForQueuedWork(): Promise<void> {
  const fence = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
  try {
    await fence.data();
  } finally {
    fence.dispose();
  }
}

/**
 * The median of the timed steps' wall times (a step that shared the cores with another process does not decide
 * the choice). Each step is timed until the backend has finished its queued work, even if it reads nothing back.
 */
async function timeWorkload(workload: WorkloadStep, warmUpSteps: number, timedSteps: number, timeBudgetMs: number): Promise<number> {
  for (let step = 0; step < warmUpSteps; step++) await workload();
  await waitForQueuedWork();
  const stepTimes: number[] = [];
  const start = performance.now();
  do {
    const stepStart = performance.now();
    await workload();
    await waitForQueuedWork();
    stepTimes.push(performance.now() - stepStart);
  } while (stepTimes.length < timedSteps && performance.now() - start < timeBudgetMs);
  stepTimes.sort((a, b) => a - b);
  const middle = Math.floor(stepTimes.length / 2);
  return stepTimes.length % 2 === 1 ? stepTimes[middle] : (stepTimes[middle - 1] + stepTimes[middle]) / 2;
}

interface Trial {
  outcome: BackendOutcome;
  adapterInfo?: GpuAdapterSummary;
}

async function tryCandidate(candidate: BackendCandidate, forced: boolean, options: SelectBackendOptions): Promise<Trial> {
  const name = candidate.name;
  const rejected = (reason: string, adapterInfo?: GpuAdapterSummary): Trial => ({ outcome: { backend: name, ok: false, reason }, adapterInfo });
  let stage = 'detecting it';
  try {
    const availability = await candidate.detect({ forced });
    if (!availability.available) return rejected(availability.reason, availability.adapterInfo);
    const detail = availability.detail;
    stage = 'registering it';
    await candidate.prepare();
    stage = 'tf.setBackend';
    const confirmed = await tf.setBackend(name);
    await tf.ready();
    if (!confirmed) return rejected(`tf.setBackend('${name}') returned false (the backend failed to initialise)`, availability.adapterInfo);
    if (tf.getBackend() !== name) return rejected(`tf.setBackend('${name}') returned true but tfjs runs on '${tf.getBackend()}'`, availability.adapterInfo);
    stage = 'the smoke test';
    const tensorsBefore = tf.memory().numTensors;
    const smoke = await runSmokeTest(options.smokeTolerance ?? SMOKE_TEST_TOLERANCE);
    if (!smoke.ok) return rejected(`smoke test mismatch: ${smoke.mismatch}`, availability.adapterInfo);
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) return rejected(`smoke test changed the tensor count by ${leaked}`, availability.adapterInfo);
    let msPerStep = 0;
    stage = 'the workload';
    const built = options.createWorkload?.();
    try {
      const step = built?.step ?? options.workload;
      // a forced backend has nothing to be compared with: one step shows it runs the workload (its time, compile
      // included, is only shown); on a software adapter each extra step costs many seconds
      if (step && forced) msPerStep = await timeWorkload(step, 0, 1, 0);
      else if (step) msPerStep = await timeWorkload(step, Math.max(0, options.warmUpSteps ?? 2), Math.max(1, options.timedSteps ?? 5), options.timeBudgetMs ?? 2000);
    } finally {
      built?.dispose();
    }
    return { outcome: { backend: name, ok: true, msPerStep, ...(detail === undefined ? {} : { detail }) }, adapterInfo: availability.adapterInfo };
  } catch (error) {
    return rejected(`threw while ${stage}: ${messageOf(error)}`);
  }
}

function describeOutcome(outcome: BackendOutcome): string {
  if (!outcome.ok) return `${outcome.backend}: rejected, ${outcome.reason}`;
  const speed = outcome.msPerStep === undefined ? '' : `, ${outcome.msPerStep.toFixed(2)} ms/step`;
  return `${outcome.backend}: ok${speed}${outcome.detail ? ` (${outcome.detail})` : ''}`;
}

async function restoreBackend(name: string | null | undefined): Promise<void> {
  if (!name || tf.engine().registry[name] === undefined) return;
  try {
    await tf.setBackend(name);
  } catch {
    // nothing to restore to; the caller selects again
  }
}

export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const log = options.log ?? (() => {});
  const candidates = options.candidates ?? DEFAULT_CANDIDATES;
  const forced = options.forced ?? null;
  const excluded = new Set(options.exclude ?? []);
  const previousBackend = tf.getBackend() as string | null | undefined;
  const timings: BackendOutcome[] = [];

  const toTry = forced === null ? candidates : candidates.filter((candidate) => candidate.name === forced);
  if (forced !== null && toTry.length === 0) {
    const error = `backend=${forced} is not one of the candidates (${candidates.map((candidate) => candidate.name).join(', ')})`;
    log(error);
    return { ok: false, error, timings };
  }

  const adapterInfoByBackend = new Map<string, GpuAdapterSummary>();
  for (const candidate of toTry) {
    if (excluded.has(candidate.name)) {
      timings.push({ backend: candidate.name, ok: false, reason: 'excluded by the caller (e.g. after its device was lost)' });
    } else {
      const trial = await tryCandidate(candidate, forced !== null, options);
      timings.push(trial.outcome);
      if (trial.adapterInfo) adapterInfoByBackend.set(candidate.name, trial.adapterInfo);
    }
    log(describeOutcome(timings[timings.length - 1]));
  }

  let fastest: BackendOutcome | null = null;
  for (const outcome of timings) {
    if (outcome.ok && (fastest === null || (outcome.msPerStep ?? 0) < (fastest.msPerStep ?? 0))) fastest = outcome;
  }
  if (fastest === null) {
    const why = timings.map((outcome) => `${outcome.backend}: ${outcome.reason ?? 'rejected'}`).join('; ');
    const error = forced !== null ? `the forced backend ${forced} cannot be used: ${why}` : `no tfjs backend works here: ${why}`;
    log(error);
    await restoreBackend(previousBackend);
    return { ok: false, error, timings };
  }
  // the last candidate tried is active now; the winner was initialised when it was tried
  if (!(await tf.setBackend(fastest.backend))) {
    const error = `tf.setBackend('${fastest.backend}') returned false when switching back to the fastest backend`;
    log(error);
    return { ok: false, error, timings };
  }
  const working = timings.filter((outcome) => outcome.ok).map((outcome) => `${outcome.backend} ${(outcome.msPerStep ?? 0).toFixed(2)}`);
  log(`chose ${fastest.backend} (ms/step: ${working.join(', ')})`);
  const adapterInfo = adapterInfoByBackend.get(fastest.backend);
  return { ok: true, backend: fastest.backend, ...(adapterInfo ? { adapterInfo } : {}), timings };
}
