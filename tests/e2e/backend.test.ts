/**
 * Backend selection in headless Chromium, in a module worker as the app runs it (design principle 5). The app
 * does not use src/worker/backend/ yet, so a test-only page (tests/e2e/fixtures/backend-harness.*) is served by
 * Vite's dev server (no build into dist/). Chromium runs with `--enable-unsafe-webgpu`, which exposes only the
 * SwiftShader fallback adapter here: forced (`backend=webgpu`) it must pass the smoke test and train; unforced
 * it must be excluded with that reason. The device-loss test destroys the WebGPU device mid-run.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceLossReport, HarnessReport, HarnessRequest, SelectReport } from './fixtures/backend-harness-protocol.ts';
import { launchBrowser } from './browser.ts';

let server: ViteDevServer;
let browser: Browser;
let page: Page;
let webGpuAdapter: { vendor: string; architecture: string; isFallbackAdapter: boolean } | null = null;

async function run(request: HarnessRequest): Promise<HarnessReport> {
  const report = await page.evaluate((sent) => {
    if (!window.backendHarness) throw new Error('the harness page did not start');
    return window.backendHarness.run(sent);
  }, request);
  if (report.kind === 'error') throw new Error(`harness worker: ${report.message}`);
  return report;
}

function printTimings(title: string, report: SelectReport | DeviceLossReport['forced']): void {
  const selection = 'selection' in report ? report.selection : report;
  console.info(`${title}: ${selection.timings.map((outcome) => `${outcome.backend} ${outcome.ok ? `${outcome.msPerStep?.toFixed(1)} ms/step` : `(${outcome.reason})`}`).join('; ')}`);
}

beforeAll(async () => {
  server = await createServer({
    configFile: false,
    root: process.cwd(),
    logLevel: 'error',
    cacheDir: join(tmpdir(), 'mode-lab-backend-e2e-vite'),
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
    // bundle tfjs before the page asks for it, so that no late discovery reloads the page mid-test
    optimizeDeps: {
      entries: ['tests/e2e/fixtures/backend-harness.html'],
      include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu'],
    },
    worker: { format: 'es' },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite dev server did not report a port');
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`http://127.0.0.1:${address.port}/tests/e2e/fixtures/backend-harness.html`);
  await page.waitForFunction(() => window.backendHarness !== undefined, null, { timeout: 30_000 });
  webGpuAdapter = await page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) return null;
    const info = adapter.info;
    return { vendor: info.vendor, architecture: info.architecture, isFallbackAdapter: info.isFallbackAdapter === true };
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('backend selection in headless Chromium (module worker)', () => {
  it('backend=webgpu on the software adapter: the smoke test passes and the probe model trains', async (context) => {
    if (webGpuAdapter === null) context.skip('this Chromium exposes no WebGPU adapter (launched with --enable-unsafe-webgpu): nothing to test');
    const report = (await run({ kind: 'select', forced: 'webgpu', trainingSteps: 4 })) as SelectReport;
    printTimings('forced webgpu', report);
    if (!report.selection.ok) throw new Error(report.selection.error);
    expect(report.selection.backend).toBe('webgpu');
    expect(report.activeBackend).toBe('webgpu');
    expect(report.selection.timings).toHaveLength(1);
    expect(report.selection.timings[0].msPerStep).toBeGreaterThan(0);
    expect(report.selection.adapterInfo).toMatchObject({ isFallbackAdapter: webGpuAdapter?.isFallbackAdapter });
    expect(report.losses).toHaveLength(4);
    expect(report.losses.every(Number.isFinite)).toBe(true);
    expect(report.losses[3]).toBeLessThan(report.losses[0]);
    expect(report.tensorsAfter).toBe(report.tensorsBefore);
  });

  it('no override: every candidate is tried, a fallback adapter is excluded with its reason, the fastest is kept', async () => {
    const report = (await run({ kind: 'select', forced: null, trainingSteps: 3 })) as SelectReport;
    printTimings('no override', report);
    if (!report.selection.ok) throw new Error(report.selection.error);
    const { timings } = report.selection;
    expect(timings.map((outcome) => outcome.backend)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    const webgpu = timings[0];
    if (webGpuAdapter?.isFallbackAdapter) {
      expect(webgpu).toMatchObject({ ok: false, reason: expect.stringMatching(/^fallback adapter excluded: .*swiftshader/) });
    }
    for (const outcome of timings.slice(1)) expect(outcome, `${outcome.backend}: ${outcome.reason}`).toMatchObject({ ok: true });
    const fastest = timings.filter((outcome) => outcome.ok).reduce((best, outcome) => ((outcome.msPerStep ?? 0) < (best.msPerStep ?? 0) ? outcome : best));
    expect(report.selection.backend).toBe(fastest.backend);
    expect(report.activeBackend).toBe(fastest.backend);
    expect(report.log.at(-1)).toMatch(/^chose /);
    expect(report.losses.every(Number.isFinite)).toBe(true);
    expect(report.tensorsAfter).toBe(report.tensorsBefore);
  });

  it('a WebGPU device destroyed mid-run is reported, and training goes on after falling back', async (context) => {
    if (webGpuAdapter === null) context.skip('this Chromium exposes no WebGPU adapter (launched with --enable-unsafe-webgpu): nothing to test');
    const report = (await run({ kind: 'device-loss', stepsBeforeLoss: 2, stepsAfterFallback: 3 })) as DeviceLossReport;
    if (!report.forced.ok) throw new Error(report.forced.error);
    expect(report.watching).toBe(true);
    expect(report.lossesBeforeLoss).toHaveLength(2);
    expect(report.loss).toMatchObject({ backend: 'webgpu', reason: 'destroyed' });
    expect(report.notices[0]).toMatch(/^WebGPU device lost \(destroyed\): /);
    if (!report.fallback?.ok) throw new Error(report.fallback?.error ?? 'no fallback selection');
    expect(report.fallback.timings[0]).toMatchObject({ backend: 'webgpu', ok: false, reason: expect.stringMatching(/^excluded by the caller/) });
    expect(report.fallback.backend).not.toBe('webgpu');
    expect(report.activeBackend).toBe(report.fallback.backend);
    expect(report.notices).toContain(`continuing on ${report.fallback.backend}`);
    expect(report.lossesAfterFallback).toHaveLength(3);
    expect(report.lossesAfterFallback.every(Number.isFinite)).toBe(true);
  });
});
