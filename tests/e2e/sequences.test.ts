/**
 * The Sequences page in headless Chromium against the production build: gpt-nano trains in the neural
 * worker. With no override the worker measures the backends (wasm wins on a machine without a GPU; the
 * software WebGPU adapter is excluded as a fallback adapter); with `backend=webgpu` it runs on that software
 * adapter. Both use a tiny "quick look" (a few SFT steps, a few gradient steps) so that the test is about
 * the plumbing, not the learning (the learning is tested in Node: tests/sequence-engine.test.ts). A link with
 * the Sequences keys restores the page's choice (bad keys named in the banner) and Reset replays the same
 * numbers; on the software WebGPU adapter a device destroyed mid-run is survived on the fallback backend.
 */
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { usePreviewAndBrowser } from './browser.ts';
import { DESKTOP } from './lab-page.ts';

let browser: Browser;
let url: string;
usePreviewAndBrowser((b, u) => {
  browser = b;
  url = u;
});

interface SequencesProbe {
  status: string;
  backend: string | null;
  /** the fallback after a device loss, else null */
  fallback: string | null;
  playing: boolean;
  preset: string;
  seed: number;
  quick: boolean;
  hidden: string[];
  runs: Array<{ name: string; step: number; rows: number }>;
}

interface SequencesStoreState {
  status: string;
  playing: boolean;
  preset: string;
  seed: number;
  quick: boolean;
  hidden: string[];
  backendReport: { backend: string } | null;
  deviceLost: { fallback: string } | null;
  runs: Array<{ name: string; step: number; rows: Array<{ step: number; reward: number; loss: number }> }>;
  simulateDeviceLoss(): void;
}

async function probe(page: Page): Promise<SequencesProbe> {
  return page.evaluate(() => {
    const s = (window as unknown as { modeLabSequences: { getState(): SequencesStoreState } }).modeLabSequences.getState();
    return {
      status: s.status,
      backend: s.backendReport?.backend ?? null,
      fallback: s.deviceLost?.fallback ?? null,
      playing: s.playing,
      preset: s.preset,
      seed: s.seed,
      quick: s.quick,
      hidden: s.hidden,
      runs: s.runs.map((r) => ({ name: r.name, step: r.step, rows: r.rows.length })),
    };
  });
}

/** every run's metric rows (step, reward, loss) as the page holds them */
async function rowsOf(page: Page): Promise<Array<Array<{ step: number; reward: number; loss: number }>>> {
  return page.evaluate(() => (window as unknown as { modeLabSequences: { getState(): SequencesStoreState } }).modeLabSequences.getState().runs.map((r) => r.rows.map(({ step, reward, loss }) => ({ step, reward, loss }))));
}

/** opens a tiny version of a preset through the page's store (the UI's Quick look is 40 SFT steps) */
async function openTiny(page: Page, preset: string): Promise<void> {
  await page.waitForFunction(() => 'modeLabSequences' in window, undefined, { timeout: 30_000 });
  await page.evaluate((id) => {
    const store = (window as unknown as { modeLabSequences: { getState(): { open(p: string, o: object): void } } }).modeLabSequences;
    store.getState().open(id, { quick: true, shrink: { stepFactor: 0.004, sftSteps: 2 } });
  }, preset);
}

describe('the Sequences page', () => {
  it('picks a backend, fine-tunes the reference and trains a length comparison step by step', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await page.goto(`${url}?v=1&page=sequences`);
      await openTiny(page, 'min-length-comparison');
      await expect.poll(() => probe(page), { timeout: 90_000, interval: 500 }).toMatchObject({ status: 'ready' });
      const ready = await probe(page);
      // no GPU here: the software WebGPU adapter is a fallback adapter, so wasm (or cpu) is chosen
      expect(['wasm', 'cpu']).toContain(ready.backend);
      expect(ready.runs).toHaveLength(4);
      await page.getByRole('toolbar', { name: 'Playback' }).getByRole('button', { name: 'Step', exact: true }).click();
      await expect.poll(async () => (await probe(page)).runs.map((r) => r.step), { timeout: 60_000 }).toEqual([1, 1, 1, 1]);
      // every run shows its heatmaps and the length histogram of a length task
      expect(await page.locator('article.sequence-card canvas.heatmap-canvas').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('article.sequence-card').first().getByText(/length/i).count()).toBeGreaterThan(0);
      await page.screenshot({ path: 'test-artifacts/sequences-desktop.png' });
      // accessibility: no serious or critical axe violation (WCAG 2.1 A/AA and best practice)
      await page.addScriptTag({ content: axe.source });
      const blocking = await page.evaluate(async () => {
        const injected = (window as unknown as { axe: typeof axe }).axe;
        const results = await injected.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
        return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(blocking).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  // SwiftShader compiles every WebGPU shader on the CPU: the backend choice, 2 SFT steps, the reference heatmap
  // and one step take ~2 minutes on 2 cores. This checks that gpt-nano runs there, not how fast (that is the bench's).
  it('backend=webgpu runs gpt-nano on the software WebGPU adapter', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      // the comparison comes with the link, so the page prepares it once (no default comparison first)
      await page.goto(`${url}?v=1&page=sequences&backend=webgpu&seq=official-onpolicy-transformer-best-of-n&seq.quick=0.004:2`);
      const hasAdapter = await page.evaluate(async () => Boolean(await navigator.gpu?.requestAdapter()));
      if (!hasAdapter) {
        console.warn('skipped: this Chromium exposes no WebGPU adapter, even a software one');
        return;
      }
      await page.waitForFunction(() => 'modeLabSequences' in window, undefined, { timeout: 30_000 });
      await expect.poll(() => probe(page), { timeout: 200_000, interval: 1000 }).toMatchObject({ status: 'ready', backend: 'webgpu', preset: 'official-onpolicy-transformer-best-of-n' });
      await page.getByRole('toolbar', { name: 'Playback' }).getByRole('button', { name: 'Step', exact: true }).click();
      await expect.poll(async () => (await probe(page)).runs[0]?.rows ?? 0, { timeout: 150_000 }).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 400_000);

  it('a link restores the page’s choice (a bad key named in the banner), and Reset replays the same numbers', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${url}?v=1&page=sequences&backend=wasm&seq=min-length-comparison&seq.seed=4&seq.quick=0.004:2&seq.hidden=2,9`);
      await page.waitForFunction(() => 'modeLabSequences' in window, undefined, { timeout: 30_000 });
      // the link's choice is opened at once, as choosing it in the chooser does
      await expect.poll(() => probe(page), { timeout: 90_000, interval: 500 }).toMatchObject({ status: 'ready', backend: 'wasm', preset: 'min-length-comparison', seed: 4, quick: true, hidden: ['Offline DPO'] });
      // the bad part of the link is named in the banner; the rest applied
      const banner = page.getByRole('alert').filter({ hasText: 'could not be used' });
      await expect.poll(() => banner.textContent()).toMatch(/seq\.hidden.*9: no such run in min-length-comparison/);
      expect(await page.getByRole('checkbox', { name: 'Offline DPO' }).isChecked()).toBe(false);
      expect(await page.getByRole('radio', { name: /Min length/ }).isChecked()).toBe(true);
      // the address bar carries the choice (the bad index dropped)
      await expect.poll(() => page.evaluate(() => window.location.search), { timeout: 5_000 }).toMatch(/seq=min-length-comparison&seq\.seed=4&seq\.quick=0\.004:2&seq\.hidden=2$/);
      // hiding another run goes into the address bar too
      await page.getByRole('checkbox', { name: 'PPO' }).uncheck();
      await expect.poll(() => page.evaluate(() => window.location.search), { timeout: 5_000 }).toMatch(/seq\.hidden=2,3$/);

      const toolbar = page.getByRole('toolbar', { name: 'Playback' });
      const stepButton = toolbar.getByRole('button', { name: 'Step', exact: true });
      await stepButton.click();
      await expect.poll(async () => (await probe(page)).runs.map((r) => r.step), { timeout: 60_000 }).toEqual([1, 1, 1, 1]);
      const firstPass = await rowsOf(page);
      expect(firstPass.every((rows) => rows.length === 1)).toBe(true);
      await toolbar.getByRole('button', { name: 'Reset' }).click();
      await expect.poll(async () => (await probe(page)).runs.map((r) => [r.step, r.rows]), { timeout: 30_000 }).toEqual([
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ]);
      await expect.poll(() => page.locator('article.sequence-card .run-state').first().textContent()).toMatch(/^step 0 of \d+$/);
      await stepButton.click();
      await expect.poll(async () => (await probe(page)).runs.map((r) => r.step), { timeout: 60_000 }).toEqual([1, 1, 1, 1]);
      expect(await rowsOf(page)).toEqual(firstPass);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a WebGPU device destroyed mid-run: a notice names the fallback backend, the badge changes, and the steps go on', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      // the bandit script at 2% of its steps (20) with a 1-step SFT, forced onto the software WebGPU adapter
      // (SwiftShader: a gpt-nano step takes seconds, so the device is destroyed while the first step is in flight)
      await page.goto(`${url}?v=1&page=sequences&backend=webgpu&seq=official-onpolicy-transformer-best-of-n&seq.quick=0.02:1`);
      const hasAdapter = await page.evaluate(async () => Boolean(await navigator.gpu?.requestAdapter()));
      if (!hasAdapter) {
        console.warn('skipped: this Chromium exposes no WebGPU adapter, even a software one');
        return;
      }
      await page.waitForFunction(() => 'modeLabSequences' in window, undefined, { timeout: 30_000 });
      await expect.poll(() => probe(page), { timeout: 300_000, interval: 1000 }).toMatchObject({ status: 'ready', backend: 'webgpu' });
      const badge = page.locator('details.backend-badge summary');
      expect(await badge.textContent()).toMatch(/webgpu/);
      await page.getByRole('toolbar', { name: 'Playback' }).getByRole('button', { name: 'Play' }).click();
      await expect.poll(async () => (await probe(page)).playing).toBe(true);
      // what a driver reset does: the worker destroys the GPUDevice tfjs trains on, mid-step
      await page.evaluate(() => (window as unknown as { modeLabSequences: { getState(): SequencesStoreState } }).modeLabSequences.getState().simulateDeviceLoss());
      const atLoss = (await probe(page)).runs[0].step;
      // a visible notice: the device was lost, and the backend that took over
      await expect.poll(async () => (await probe(page)).fallback, { timeout: 120_000 }).not.toBeNull();
      const { fallback } = await probe(page);
      expect(fallback).not.toBe('webgpu');
      const notice = page.getByRole('alert').filter({ hasText: 'The GPU device was lost' }).filter({ hasText: 'Training goes on' });
      await expect.poll(() => notice.isVisible()).toBe(true);
      expect(await notice.textContent()).toContain(`Training goes on on ${fallback}`);
      expect(await notice.textContent()).toMatch(/WebGPU device lost \(destroyed\)/);
      // the badge says so
      expect(await badge.textContent()).toMatch(new RegExp(`${fallback}`));
      expect(await badge.getAttribute('aria-label')).toBe(`Backend: ${fallback} (after a GPU device loss). Show how it was chosen`);
      // and training goes on: the card's step counter keeps increasing
      const shownStep = async () => Number((await page.locator('article.sequence-card .run-state').first().textContent())?.match(/step (\d+)/)?.[1] ?? -1);
      await expect.poll(shownStep, { timeout: 120_000 }).toBeGreaterThan(atLoss + 1);
      const rows = (await rowsOf(page))[0];
      expect(rows.map((r) => r.step)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
      // the page never took the long backend choice for a dead worker
      expect((await probe(page)).status).toBe('ready');
      await page.screenshot({ path: 'test-artifacts/sequences-device-lost.png' });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 480_000);
});
