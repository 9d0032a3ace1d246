/**
 * `npm run bench` (neural part, browser): the workload of bench/neural.ts (gpt-nano on the official on-policy
 * configuration, sampling timed separately, the [1000 × 48]·[48 × 192] reference matMul on the same backend,
 * the MLP step) in headless Chromium, once per backend: webgpu, webgl, wasm (one fresh page each, main thread).
 * Builds bench/neural-browser/ with Vite into dist-neural-bench/, serves it with `vite preview`, drives the
 * system Chromium through playwright-core with the e2e tests' flags (tests/e2e/browser.ts).
 *
 * Here (no GPU) WebGPU and WebGL run on SwiftShader, software renderers: their figures say the code runs and
 * agrees (correctness only), not how fast a GPU is. Backends that cannot run are listed with the reason.
 * Results: bench/neural-browser-results.json. `npx tsx bench/neural-browser.ts [webgpu|webgl|wasm …]`.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Browser } from 'playwright-core';
import { build, preview } from 'vite';
import { findChromium } from '../scripts/ensure-chromium.mjs';
import { launchBrowser } from '../tests/e2e/browser.ts';
import type { BrowserBackend, BrowserBenchPlan, BrowserBenchResult } from './neural-browser/protocol.ts';
import { NEURAL_BENCH_OUT_DIR } from './neural-browser/vite.config.ts';
import { OFFICIAL_STEP_FLOPS, PASSES, round, TARGET_RATIO } from './neural-workload.ts';

const CONFIG_FILE = new URL('./neural-browser/vite.config.ts', import.meta.url).pathname;
const ALL_BACKENDS: BrowserBackend[] = ['webgpu', 'webgl', 'wasm'];

/** software WebGPU and WebGL are one to two orders of magnitude slower than wasm here: a few steps only */
const PLANS: Record<BrowserBackend, { plan: BrowserBenchPlan; timeoutS: number }> = {
  wasm: {
    plan: { transposeFree: true, gpt: { collections: 2, stepsPerCollection: PASSES, warmUpSteps: 2 }, referenceRepeats: 40, referenceBatches: 3, mlpSteps: 20, mlpWarmUpSteps: 5 },
    timeoutS: 180,
  },
  webgl: {
    plan: { transposeFree: false, gpt: { collections: 1, stepsPerCollection: 3, warmUpSteps: 2 }, referenceRepeats: 10, referenceBatches: 2, mlpSteps: 5, mlpWarmUpSteps: 2 },
    timeoutS: 240,
  },
  webgpu: {
    plan: { transposeFree: false, gpt: { collections: 1, stepsPerCollection: 1, warmUpSteps: 1 }, referenceRepeats: 5, referenceBatches: 2, mlpSteps: 3, mlpWarmUpSteps: 1 },
    timeoutS: 300,
  },
};

const requested = process.argv.slice(2).filter((a): a is BrowserBackend => (ALL_BACKENDS as string[]).includes(a));
const backends = requested.length > 0 ? requested : ALL_BACKENDS;

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  browser: '',
  date: new Date().toISOString().slice(0, 10),
  loadAverageAtStart: loadavg().map((x) => round(x, 2)),
  loadAverageAtEnd: [] as number[],
};

const results: BrowserBenchResult[] = [];
const chromium = findChromium();
if (!chromium) {
  const reason = 'no Chromium found (run `node scripts/ensure-chromium.mjs`, or set CHROMIUM_PATH)';
  for (const backend of backends) results.push({ backend, userAgent: '', adapter: null, available: false, reason });
} else {
  console.log(`building the benchmark page (vite build --config ${CONFIG_FILE}) into ${NEURAL_BENCH_OUT_DIR} …`);
  await build({ configFile: CONFIG_FILE, logLevel: 'warn' });
  const server = await preview({ configFile: CONFIG_FILE, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'error' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  const url = `http://127.0.0.1:${address.port}/`;
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    machine.browser = `Chromium ${browser.version()} (headless, ${chromium})`;
    console.log(`${machine.browser}; load average ${machine.loadAverageAtStart.join(', ')}`);
    for (const backend of backends) {
      const { plan, timeoutS } = PLANS[backend];
      const started = performance.now();
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(url);
        await page.waitForFunction(() => document.title === 'neural bench ready', undefined, { timeout: 30_000 });
        const timeout = new Promise<BrowserBenchResult>((resolve) =>
          setTimeout(() => resolve({ backend, userAgent: '', adapter: null, available: false, reason: `did not finish within ${timeoutS} s` }), timeoutS * 1000),
        );
        const result = await Promise.race([page.evaluate(([b, p]) => window.modeLabNeuralBench(b, p), [backend, plan] as const), timeout]);
        if (errors.length > 0 && !result.available) result.reason = `${result.reason ?? ''} (page errors: ${errors.join('; ')})`;
        results.push(result);
      } catch (error) {
        results.push({ backend, userAgent: '', adapter: null, available: false, reason: `the page failed: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        await page.close().catch(() => {});
      }
      const last = results[results.length - 1];
      console.log(`  [${((performance.now() - started) / 1000).toFixed(0)} s] ${backend}: ${last.available ? `${last.gpt?.msPerStep.toFixed(1)} ms/step` : `unavailable — ${last.reason}`}`);
    }
  } finally {
    await browser?.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}
machine.loadAverageAtEnd = loadavg().map((x) => round(x, 2));

// ---- report
const label = (r: BrowserBenchResult): string => {
  if (r.backend === 'webgpu') {
    const a = r.adapter;
    const software = a?.isFallbackAdapter === true || /swiftshader/i.test(`${a?.architecture} ${a?.description}`);
    return software ? `webgpu (${a?.vendor} ${a?.architecture}, software, correctness only)` : `webgpu (${a?.vendor ?? '?'} ${a?.architecture ?? ''})`;
  }
  if (r.backend === 'webgl') {
    const software = /swiftshader|llvmpipe|software/i.test(r.backendDetail?.renderer ?? '');
    return software ? 'webgl (SwiftShader, software, correctness only)' : `webgl (${r.backendDetail?.renderer ?? '?'})`;
  }
  return `wasm (SIMD ${r.backendDetail?.wasmSimd ? 'on' : 'off'}, 1 thread)`;
};
const wasmLoss = results.find((r) => r.backend === 'wasm' && r.available)?.gpt?.firstLoss;
console.log(`\nheadless Chromium, gpt-nano official on-policy configuration (100 sequences of 1 + 9 tokens), step FLOPs ${(OFFICIAL_STEP_FLOPS.step / 1e6).toFixed(1)} M`);
console.log(`${'backend'.padEnd(58)}${'ms/step'.padStart(9)}${'sampling ms'.padStart(13)}${'ref ms/step'.padStart(13)}${'ratio'.padStart(8)}${'MLP 10×10'.padStart(11)}${'MLP 100×10'.padStart(12)}${'steps'.padStart(7)}`);
const unavailable: string[] = [];
for (const r of results) {
  if (!r.available || !r.gpt || !r.reference || !r.mlp) {
    unavailable.push(`${r.backend}: ${r.reason}`);
    console.log(`${r.backend.padEnd(58)}unavailable`);
    continue;
  }
  console.log(
    `${label(r).padEnd(58)}${r.gpt.msPerStep.toFixed(1).padStart(9)}${r.gpt.msSampling.toFixed(1).padStart(13)}${r.reference.msPerStepAtReference.toFixed(1).padStart(13)}${(r.ratioToReference ?? Number.NaN).toFixed(2).padStart(8)}${r.mlp[0].msPerStep.toFixed(2).padStart(11)}${r.mlp[1].msPerStep.toFixed(2).padStart(12)}${String(r.gpt.stepTimes.length).padStart(7)}`,
  );
}
console.log('\ncross-backend check: the loss of the first step (same seed, same data) against wasm:');
for (const r of results) if (r.available && r.gpt) console.log(`  ${r.backend.padEnd(7)} ${r.gpt.firstLoss.toPrecision(8)}${wasmLoss === undefined ? '' : `  (|Δ| ${Math.abs(r.gpt.firstLoss - wasmLoss).toExponential(1)})`}`);
console.log('\nunavailable backends:' + (unavailable.length === 0 ? ' none' : ''));
for (const line of unavailable) console.log(`  ${line}`);
console.log('not run: cpu (never used for gpt-nano in the browser; its Node figures are in bench/neural-results.json)');
const wasmResult = results.find((r) => r.backend === 'wasm' && r.available);
if (wasmResult?.ratioToReference !== undefined) {
  console.log(`\nbrowser wasm ratio to its reference: ${wasmResult.ratioToReference.toFixed(2)} (the ${TARGET_RATIO}× target is stated for wasm in Node: bench/neural.ts)`);
}
console.log(`load average at end: ${machine.loadAverageAtEnd.join(', ')}`);

const leaks = results.filter((r) => r.available && r.gpt && (r.gpt.tensors.afterTimed !== r.gpt.tensors.afterWarmUp || r.gpt.tensors.afterDispose !== r.gpt.tensors.beforeModel));
const out = {
  machine,
  note: 'headless Chromium on a machine without a GPU: webgpu and webgl run on SwiftShader (software); their figures are for correctness, not GPU speed',
  stepFlops: OFFICIAL_STEP_FLOPS.step,
  results: results.map((r) => ({
    ...r,
    label: r.available ? label(r) : r.backend,
    gpt: r.gpt && { ...r.gpt, msPerStep: round(r.gpt.msPerStep), msFastestStep: round(r.gpt.msFastestStep), msSampling: round(r.gpt.msSampling), msPerCollection: round(r.gpt.msPerCollection), stepTimes: r.gpt.stepTimes.map((x) => round(x)), samplingTimes: r.gpt.samplingTimes.map((x) => round(x)) },
    reference: r.reference && { ...r.reference, msPerMatMul: round(r.reference.msPerMatMul, 3), msPerMatMulRange: r.reference.msPerMatMulRange.map((x) => round(x, 3)), gflopsPerSecond: round(r.reference.gflopsPerSecond, 2), msPerStepAtReference: round(r.reference.msPerStepAtReference) },
    ratioToReference: r.ratioToReference === undefined ? undefined : round(r.ratioToReference, 2),
    mlp: r.mlp?.map((m) => ({ ...m, msPerStep: round(m.msPerStep, 2) })),
    seconds: r.seconds === undefined ? undefined : round(r.seconds),
  })),
  unavailable,
};
const path = new URL('./neural-browser-results.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
if (leaks.length > 0) throw new Error(`bench/neural-browser.ts: tensor counts not flat on ${leaks.map((r) => r.backend).join(', ')}`);
