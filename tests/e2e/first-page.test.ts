/** The first page in headless Chromium against the production build: it loads cleanly and the worker trains. */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startPreview } from './browser.ts';

let browser: Browser;
let server: PreviewServer;
let url: string;

beforeAll(async () => {
  ({ server, url } = await startPreview());
  browser = await launchBrowser();
  mkdirSync('test-artifacts', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('first page', () => {
  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`loads with no console error, trains the default comparison in a worker and draws it (${label})`, async () => {
      const page = await browser.newPage({ viewport });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(url);
      await page.getByRole('heading', { level: 1, name: 'Mode Lab' }).waitFor();
      await page.getByRole('table').waitFor({ timeout: 30_000 });
      const rows = await page.locator('tbody tr').count();
      expect(rows).toBe(5);
      const lines = await page.locator('.recharts-line-curve').evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''));
      expect(lines).toHaveLength(5);
      for (const d of lines) expect(d.length).toBeGreaterThan(100);
      // REINFORCE reaches the peak on R1; offline best-of-N does not
      const finals = await page.locator('tbody tr').evaluateAll((trs) =>
        Object.fromEntries(trs.map((tr) => [tr.querySelector('th')!.textContent, Number(tr.querySelectorAll('td')[1].textContent)])),
      );
      expect(finals['REINFORCE']).toBeGreaterThan(0.9);
      expect(finals['offline best-of-N']).toBeLessThan(0.5);
      expect(await page.locator('.multiple svg').count()).toBe(5);
      await page.screenshot({ path: `test-artifacts/first-page-${label}.png`, fullPage: true });
      expect(problems, problems.join('\n')).toEqual([]);
      await page.close();
    });
  }
});
