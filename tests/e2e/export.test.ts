/**
 * Export in headless Chromium against the production build: the CSV and the JSON bundle download, parse and
 * hold every step's metrics; the bundle re-imported into a fresh browser opens the same experiment and, once
 * re-run, gives the same numbers; a policy card and a chart save as valid PNG and SVG.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/app/export/bundle.ts';
import { usePreviewAndBrowser } from './browser.ts';
import { ACTION_TIMEOUT, DEFAULT_RUNS, DESKTOP, LabPage } from './lab-page.ts';

let browser: Browser;
let url: string;
usePreviewAndBrowser((b, u) => {
  browser = b;
  url = u;
});

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: ACTION_TIMEOUT }) as Promise<Download>, click()]);
  const path = await file.path();
  const bytes = readFileSync(path);
  return { name: file.suggestedFilename(), text: bytes.toString('utf8'), bytes };
}

interface CsvTable {
  header: string[];
  rows: string[][];
}

/** a CSV without quoted commas in these files' numbers; run names are quoted by RFC 4180 */
function parseCsv(text: string): CsvTable {
  const lines = text.trim().split(/\r?\n/);
  const split = (line: string) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]).slice(0, -1).map((f) => (f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f));
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}

describe('export and import', () => {
  it('CSV and bundle hold every step; the bundle re-imported in a fresh browser re-runs to the same numbers', async () => {
    const lab = await LabPage.open(browser, url, DESKTOP);
    let bundleText = '';
    try {
      await lab.stepTimes(7);
      await lab.page.getByRole('button', { name: 'Export', exact: true }).click();
      const dialog = lab.page.getByRole('dialog', { name: 'Export and import' });

      const csv = await download(lab.page, () => dialog.getByRole('button', { name: 'Download metrics (CSV)' }).click());
      expect(csv.name).toMatch(/\.csv$/);
      const table = parseCsv(csv.text);
      expect(table.header.slice(0, 3)).toEqual(['run', 'step', 'expected_reward']);
      // 5 runs × (step 0 … step 7)
      expect(table.rows).toHaveLength(DEFAULT_RUNS.length * 8);
      expect([...new Set(table.rows.map((r) => r[0]))]).toEqual(DEFAULT_RUNS);
      const reinforceLast = table.rows.filter((r) => r[0] === 'REINFORCE').at(-1)!;
      expect(reinforceLast[1]).toBe('7');
      expect(Number(reinforceLast[2])).toBe(await lab.page.evaluate(() => (window as unknown as { modeLab: { view: { series: Array<{ latest: { expected_reward: number } }> } } }).modeLab.view.series[4].latest.expected_reward));

      const bundle = await download(lab.page, () => dialog.getByRole('button', { name: 'Download bundle (JSON)' }).click());
      expect(bundle.name).toMatch(/\.json$/);
      bundleText = bundle.text;
      const parsed = parseBundle(bundleText);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.bundle.runs.map((r) => r.rows.length)).toEqual(DEFAULT_RUNS.map(() => 8));
      expect(parsed.bundle.engine).toBe('tabular');
      // the same numbers in both files
      const csvReward = table.rows.filter((r) => r[0] === 'on-policy IPO').map((r) => Number(r[2]));
      const runIndex = parsed.bundle.runs.findIndex((r) => r.name === 'on-policy IPO');
      const column = parsed.bundle.runs[runIndex].columns.indexOf('expected_reward');
      expect(csvReward).toEqual(parsed.bundle.runs[runIndex].rows.map((row) => row[column]));
      lab.expectNoErrors();
    } finally {
      await lab.close();
    }

    // a fresh browser opens F4 (another experiment), then imports the bundle: back to F1 with its numbers
    const fresh = await LabPage.open(browser, `${url}?v=1&preset=f4-r1`, DESKTOP, 4);
    try {
      await fresh.page.getByRole('button', { name: 'Export', exact: true }).click();
      const dialog = fresh.page.getByRole('dialog', { name: 'Export and import' });
      await dialog.getByLabel('Import a bundle…').setInputFiles({ name: 'bundle.json', mimeType: 'application/json', buffer: Buffer.from(bundleText) });
      // the import opens the bundle's experiment and starts re-running it
      await expect
        .poll(() => fresh.cards.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-run'))), { timeout: ACTION_TIMEOUT })
        .toEqual(DEFAULT_RUNS);
      await expect.poll(() => dialog.count(), { timeout: ACTION_TIMEOUT }).toBe(0);
      // pause, go back to step 0 and step to the bundle's step, then compare every row
      if ((await fresh.playLabel()) === 'Pause') await fresh.pause();
      await fresh.reset();
      await fresh.stepTimes(7);
      const rows = await fresh.page.evaluate(async () => (await (window as unknown as { modeLab: { getState(): { requestExport(): Promise<Array<{ rows: number[][] }>> } } }).modeLab.getState().requestExport()).map((r) => r.rows));
      const original = JSON.parse(bundleText) as { runs: Array<{ rows: Array<Array<number | null>> }> };
      expect(rows.map((r) => r.map((row) => row.map((x) => (Number.isNaN(x) ? null : x))))).toEqual(original.runs.map((r) => r.rows));

      // a broken file gets a message naming what is wrong, and the lab keeps its experiment
      await fresh.page.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByLabel('Import a bundle…').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"mode-lab-bundle"') });
      await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: ACTION_TIMEOUT }).toMatch(/JSON/);
      expect(await fresh.cards.count()).toBe(DEFAULT_RUNS.length);
      fresh.expectNoErrors();
    } finally {
      await fresh.close();
    }
  });

  it('a policy card and a chart save as PNG and SVG', async () => {
    const lab = await LabPage.open(browser, url, DESKTOP);
    try {
      await lab.stepTimes(3);
      const card = lab.card('REINFORCE');
      await card.getByLabel('Save image of the policy of REINFORCE').click();
      const png = await download(lab.page, () => card.getByRole('button', { name: 'Save the policy of REINFORCE as PNG' }).click());
      expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      await card.getByLabel('Save image of the policy of REINFORCE').click();
      const svg = await download(lab.page, () => card.getByRole('button', { name: 'Save the policy of REINFORCE as SVG' }).click());
      expect(svg.text).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
      expect(await lab.page.evaluate((text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelector('parsererror') === null, svg.text)).toBe(true);

      const chart = lab.chart('expected_reward');
      await chart.scrollIntoViewIfNeeded();
      const summary = chart.getByLabel(/^Save image of the chart/);
      await summary.click();
      const chartSvg = await download(lab.page, () => chart.getByRole('button', { name: /as SVG$/ }).click());
      expect(chartSvg.text).toContain('recharts');
      expect(await lab.page.evaluate((text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelector('parsererror') === null, chartSvg.text)).toBe(true);
      lab.expectNoErrors();
    } finally {
      await lab.close();
    }
  });

  it('a theory bench panel saves as SVG', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${url}?v=1&page=theory`);
      const bars = page.locator('figure.toy-bars').first();
      await bars.waitFor({ timeout: 30_000 });
      await bars.getByLabel(/^Save image of Demo A: p under/).click();
      const svg = await download(page, () => bars.getByRole('button', { name: /as SVG$/ }).click());
      expect(svg.name).toMatch(/theory-demo-a-bars.*\.svg$/);
      expect(await page.evaluate((text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelectorAll('rect').length, svg.text)).toBeGreaterThanOrEqual(8);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
