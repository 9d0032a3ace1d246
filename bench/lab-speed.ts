/**
 * `npm run bench` (second part): the lab in headless Chromium while the default comparison trains.
 * Measured over WINDOW_S seconds after a WARM_UP_S warm-up:
 *   - main-thread long tasks (PerformanceObserver 'longtask'): target none over 50 ms;
 *   - requestAnimationFrame callbacks per second on the main thread: target ≥ 30;
 *   - gradient steps per second in the worker (summed over runs), against the same config trained by
 *     the CLI's code path in Node: target within a factor 2.
 * Two speeds: the default (4 steps per frame, what a user first sees) and "as fast as possible".
 * The default comparison (F1 on R1) is lengthened ×100 so that it trains through the whole window.
 * Needs a production build (`vite build`) and Chromium. Results go to bench/lab-speed-results.json.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseExperimentConfigOrThrow, type ExperimentConfig } from '../src/lab/config/experiment.ts';
import { findPreset } from '../src/lab/config/presets.ts';
import { Comparison } from '../src/lab/train.ts';
import { launchBrowser, startPreview } from '../tests/e2e/browser.ts';

const WARM_UP_S = 2;
const WINDOW_S = 10;

const preset = findPreset('f1-r1')!;
const base = parseExperimentConfigOrThrow(preset.config);
const config: ExperimentConfig = parseExperimentConfigOrThrow({
  ...base,
  runs: base.runs.map((r) => ({
    ...r,
    steps: Math.min(100_000, Number(r.steps ?? 1500) * 100),
    // an offline run passes over its one dataset for the whole run
    T: r.sampling === 'offline' ? Math.min(100_000, Number(r.T ?? 1) * 100) : r.T,
  })),
});

/** the CLI's code path: lock-step advances of the whole comparison, steps summed over runs (median of 5 s) */
function cliStepsPerSecond(): number {
  const comparison = new Comparison(config);
  for (let i = 0; i < 20_000; i++) comparison.advance();
  const rates: number[] = [];
  for (let window = 0; window < 5; window++) {
    const t0 = performance.now();
    let steps = 0;
    while (performance.now() - t0 < 1000) {
      for (let i = 0; i < 200; i++) comparison.advance();
      steps += 200 * comparison.runs.filter((r) => !r.finished).length;
    }
    rates.push(steps / ((performance.now() - t0) / 1000));
  }
  return rates.sort((a, b) => a - b)[2];
}

interface Measurement {
  view: string;
  chartRedrawMs: Record<string, { mean: number; max: number }>;
  longestScriptInSlowFrames: Record<string, number>;
  workerMessageMs: { count: number; mean: number; max: number };
  speed: string;
  framesPerSecond: number;
  longTasks: number;
  longestTaskMs: number;
  workerStepsPerSecond: number;
  finishedEarly: boolean;
}

let chromiumVersion = '';

async function measure(speed: number | 'auto', view: 'top' | 'charts'): Promise<Measurement> {
  const { server, url } = await startPreview();
  const browser = await launchBrowser();
  chromiumVersion = browser.version();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.waitForSelector('.policy-card canvas');
    // a string, not a function: tsx would wrap named functions in a helper the page does not have
    await page.evaluate(`(() => {
      window.perf = { longTasks: [], frames: [] };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.perf.longTasks.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
      const count = (t) => { window.perf.frames.push(t); requestAnimationFrame(count); };
      window.perf.frameScripts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.perf.frameScripts.push([e.startTime, e.duration, (e.scripts || []).map((s) => [s.invoker, Math.round(s.duration)])]);
      }).observe({ type: 'long-animation-frame', buffered: true });
      requestAnimationFrame(count);
      window.modeLab.getState().load(${JSON.stringify(config)}, { title: 'benchmark', lookFor: '' });
      window.modeLab.getState().setSpeed(${JSON.stringify(speed)});
    })()`);
    await page.waitForFunction(() => (window as any).modeLab.getState().status === 'ready' && (window as any).modeLab.getState().runs.length === 5);
    const stepsNow = () => page.evaluate(() => (window as any).modeLab.getState().runs.reduce((s: number, r: { step: number }) => s + r.step, 0) as number);
    if (view === 'charts') await page.locator('#charts-title').scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(WARM_UP_S * 1000);
    await page.evaluate(() => {
      const lab = (window as any).modeLab;
      for (const key of Object.keys(lab.chartTimings)) delete lab.chartTimings[key];
      Object.assign(lab.messageTimings, { count: 0, totalMs: 0, maxMs: 0 });
    });
    // sample progress every half second; the rate counts only the time before every run finished
    const samples: Array<{ t: number; steps: number; finished: boolean }> = [];
    const sample = async () =>
      samples.push({
        t: await page.evaluate(() => performance.now()),
        steps: await stepsNow(),
        finished: await page.evaluate(() => (window as any).modeLab.getState().runs.every((r: { finished: boolean }) => r.finished)),
      });
    await sample();
    const t0 = samples[0].t;
    while (samples[samples.length - 1].t - t0 < WINDOW_S * 1000) {
      await page.waitForTimeout(500);
      await sample();
    }
    const t1 = samples[samples.length - 1].t;
    const active = samples.filter((_, i) => i === 0 || !samples[i - 1].finished);
    const lastActive = active[active.length - 1];
    const finished = lastActive.finished;
    const perf = await page.evaluate(() => (window as any).perf as { longTasks: Array<[number, number]>; frames: number[]; frameScripts: Array<[number, number, Array<[string, number]>]> });
    const charts = await page.evaluate(() => (window as any).modeLab.chartTimings as Record<string, { count: number; totalMs: number; maxMs: number }>);
    const messages = await page.evaluate(() => (window as any).modeLab.messageTimings as { count: number; totalMs: number; maxMs: number });
    // where the time of the long animation frames (> 50 ms) in the window went, by the script that ran
    const slowFrames = perf.frameScripts.filter(([start]) => start >= t0 && start <= t1);
    const byInvoker: Record<string, number> = {};
    for (const [, , scripts] of slowFrames) for (const [invoker, ms] of scripts) byInvoker[invoker] = Math.max(byInvoker[invoker] ?? 0, ms);
    const tasks = perf.longTasks.filter(([start]) => start >= t0 && start <= t1);
    const frames = perf.frames.filter((t) => t >= t0 && t <= t1).length;
    return {
      speed: speed === 'auto' ? 'as fast as possible' : `${speed} steps per frame`,
      view: view === 'top' ? 'top of the page (policies)' : 'scrolled to the charts',
      framesPerSecond: (frames * 1000) / (t1 - t0),
      longTasks: tasks.filter(([, d]) => d > 50).length,
      longestTaskMs: Math.max(0, ...tasks.map(([, d]) => d)),
      workerStepsPerSecond: ((lastActive.steps - samples[0].steps) * 1000) / (lastActive.t - t0),
      finishedEarly: finished,
      chartRedrawMs: Object.fromEntries(Object.entries(charts).map(([name, t]) => [name, { mean: Math.round((t.totalMs / t.count) * 10) / 10, max: Math.round(t.maxMs) }])),
      longestScriptInSlowFrames: byInvoker,
      workerMessageMs: { count: messages.count, mean: Math.round((messages.totalMs / messages.count) * 10) / 10, max: Math.round(messages.maxMs) },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

const cli = cliStepsPerSecond();
const results = [await measure(4, 'top'), await measure(4, 'charts'), await measure('auto', 'top'), await measure('auto', 'charts')];
const report = {
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, headless Chromium ${chromiumVersion}`,
  date: new Date().toISOString().slice(0, 10),
  config: 'F1 on R1 (5 runs), every run lengthened ×100',
  window: `${WINDOW_S} s after a ${WARM_UP_S} s warm-up`,
  cliStepsPerSecond: Math.round(cli),
  runs: results.map((r) => ({
    ...r,
    framesPerSecond: Math.round(r.framesPerSecond * 10) / 10,
    longestTaskMs: Math.round(r.longestTaskMs),
    workerStepsPerSecond: Math.round(r.workerStepsPerSecond),
    // only meaningful as fast as possible: at a fixed steps per frame the worker is paced on purpose
    workerVsCli: Math.round((r.workerStepsPerSecond / cli) * 100) / 100,
  })),
};
console.log(JSON.stringify(report, null, 2));
writeFileSync('bench/lab-speed-results.json', `${JSON.stringify(report, null, 2)}\n`);
