/**
 * `npm run bench`: speed of the tabular engine (not a test; numbers go into the README).
 *   1. on-policy REINFORCE, S = 10 prompts × N = 10, 100 bins, metrics every step, through the engine,
 *      against a minimal hand-written loop doing only the same step; target ratio ≥ 0.5;
 *   2. both F1 presets, all runs × 5 seeds at the preset step counts, through the CLI code path;
 *      target < 2 s;
 *   3. steps/s of every objective in the engine, for reference.
 * Results are printed and written to bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseExperimentConfigOrThrow, resolveRuns } from '../src/lab/config/experiment.ts';
import { findPreset } from '../src/lab/config/presets.ts';
import { buildEnvironment } from '../src/lab/environment.ts';
import { runExperiment } from '../src/lab/run-experiment.ts';
import { Run } from '../src/lab/train.ts';
import { OBJECTIVE_IDS } from '../src/lab/objectives/catalog.ts';
import { MinimalReinforce } from './minimal-reinforce.ts';

const REPEATS = 5;
const STEPS = 100_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** steps per second of `make().step()` over `steps` steps, median of REPEATS fresh instances after a warm-up */
function stepsPerSecond(make: () => { step(): void }, steps: number): number {
  const warm = make();
  for (let i = 0; i < Math.min(steps, 20_000); i++) warm.step();
  const rates: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const runner = make();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) runner.step();
    rates.push(steps / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

function engineRun(objective: string, steps: number, extra: Record<string, unknown> = {}): { step(): void } {
  const config = parseExperimentConfigOrThrow({
    runs: [{ name: objective, objective, sampling: 'on-policy', S: 10, N: 10, T: 1, steps, ...extra }],
  });
  const env = buildEnvironment(config);
  const run = new Run(resolveRuns(config)[0], env, 1);
  return { step: () => run.advance() };
}

const env = buildEnvironment(parseExperimentConfigOrThrow({ runs: [{ name: 'x', objective: 'reinforce' }] }));
const minimal = stepsPerSecond(() => new MinimalReinforce(env.logRef, env.reward, 100, 0.05, 1), STEPS);
const engine = stepsPerSecond(() => engineRun('reinforce', STEPS), STEPS);

const presetTimes: Record<string, number> = {};
for (const name of ['f1-r1', 'f1-r2']) {
  const preset = findPreset(name)!;
  const config = parseExperimentConfigOrThrow(preset.config);
  runExperiment(config, [1]); // warm-up
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    runExperiment(config, preset.seeds);
    times.push((performance.now() - t0) / 1000);
  }
  presetTimes[name] = median(times);
}
const f1Total = presetTimes['f1-r1'] + presetTimes['f1-r2'];

const perObjective: Record<string, number> = {};
for (const id of OBJECTIVE_IDS) perObjective[id] = Math.round(stepsPerSecond(() => engineRun(id, 50_000), 50_000));

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
};
const results = {
  machine,
  reinforceS10N10K100: {
    minimalLoopStepsPerSecond: Math.round(minimal),
    engineWithMetricsStepsPerSecond: Math.round(engine),
    ratio: Number((engine / minimal).toFixed(3)),
    target: 'ratio ≥ 0.5',
  },
  f1PresetsFiveSeedsSeconds: { ...Object.fromEntries(Object.entries(presetTimes).map(([k, v]) => [k, Number(v.toFixed(3))])), total: Number(f1Total.toFixed(3)), target: '< 2 s' },
  engineStepsPerSecondByObjective: perObjective,
};

console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`);
console.log(`\nREINFORCE, S = 10 × N = 10, 100 bins (median of ${REPEATS} × ${STEPS} steps):`);
console.log(`  minimal hand-written loop      ${Math.round(minimal).toLocaleString('en')} steps/s`);
console.log(`  engine with metrics every step ${Math.round(engine).toLocaleString('en')} steps/s`);
console.log(`  ratio engine / minimal         ${(engine / minimal).toFixed(2)}  (target ≥ 0.5) ${engine / minimal >= 0.5 ? 'OK' : 'BELOW TARGET'}`);
console.log(`\nF1 presets, all runs × 5 seeds (median of ${REPEATS}):`);
for (const [k, v] of Object.entries(presetTimes)) console.log(`  ${k}  ${v.toFixed(2)} s`);
console.log(`  total  ${f1Total.toFixed(2)} s  (target < 2 s) ${f1Total < 2 ? 'OK' : 'ABOVE TARGET'}`);
console.log('\nengine steps/s by objective (on-policy, S = 10 × N = 10, T = 1, 100 bins):');
for (const [k, v] of Object.entries(perObjective)) console.log(`  ${k.padEnd(10)} ${v.toLocaleString('en')}`);

const path = new URL('./results.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path.pathname}`);
