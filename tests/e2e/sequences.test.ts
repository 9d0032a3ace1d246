/**
 * The Sequences page in headless Chromium against the production build: gpt-nano trains in the neural
 * worker. With no override the worker measures the backends (wasm wins on a machine without a GPU; the
 * software WebGPU adapter is excluded as a fallback adapter); with `backend=webgpu` it runs on that software
 * adapter. Both use a tiny "quick look" (a few SFT steps, a few gradient steps) so that the test is about
 * the plumbing, not the learning (the learning is tested in Node: tests/sequence-engine.test.ts).
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
  runs: Array<{ name: string; step: number; rows: number }>;
}

async function probe(page: Page): Promise<SequencesProbe> {
  return page.evaluate(() => {
    const s = (window as unknown as { modeLabSequences: { getState(): { status: string; backendReport: { backend: string } | null; runs: Array<{ name: string; step: number; rows: unknown[] }> } } }).modeLabSequences.getState();
    return { status: s.status, backend: s.backendReport?.backend ?? null, runs: s.runs.map((r) => ({ name: r.name, step: r.step, rows: r.rows.length })) };
  });
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

  it('backend=webgpu runs gpt-nano on the software WebGPU adapter', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${url}?v=1&page=sequences&backend=webgpu`);
      const hasAdapter = await page.evaluate(async () => Boolean(await navigator.gpu?.requestAdapter()));
      if (!hasAdapter) {
        console.warn('skipped: this Chromium exposes no WebGPU adapter, even a software one');
        return;
      }
      await openTiny(page, 'official-onpolicy-transformer-best-of-n');
      await expect.poll(() => probe(page), { timeout: 120_000, interval: 1000 }).toMatchObject({ status: 'ready', backend: 'webgpu' });
      await page.getByRole('toolbar', { name: 'Playback' }).getByRole('button', { name: 'Step', exact: true }).click();
      await expect.poll(async () => (await probe(page)).runs[0]?.rows ?? 0, { timeout: 120_000 }).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
