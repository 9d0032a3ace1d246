/**
 * The MLP companion in headless Chromium against the production build: off by default with its worker not
 * loaded; switched on for a small preset it names its backend, runs the SFT, and once the lab plays its
 * dashed lines and the small MLP plots appear and its step advances; switched off, they all go.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { usePreviewAndBrowser } from './browser.ts';
import { DESKTOP, LabPage, PHONE } from './lab-page.ts';

let browser: Browser;
let url: string;
usePreviewAndBrowser((b, u) => {
  browser = b;
  url = u;
});

const MLP_TIMEOUT = 90_000;

describe('the MLP companion', () => {
  it('trains the runs on the MLP beside the tabular ones, and goes away when switched off', async () => {
    const lab = await LabPage.open(browser, `${url}?v=1&preset=script-best-of-n`, DESKTOP, 1);
    const { page } = lab;
    try {
      const toggle = page.getByRole('checkbox', { name: 'Compare with the paper’s MLP' });
      await expect.poll(() => toggle.isChecked()).toBe(false);
      // lazy: no MLP worker (and no tfjs) before it is switched on
      const mlpScripts = () => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /mlp-worker/.test(e.name)).length);
      expect(await mlpScripts()).toBe(0);

      await toggle.check();
      const status = page.locator('.mlp-status');
      await expect.poll(() => status.textContent(), { timeout: MLP_TIMEOUT }).toMatch(/on (webgpu|webgl|wasm|cpu) · SFT done \(100 steps\) · MLP step 0/);
      expect(await mlpScripts()).toBeGreaterThan(0);

      await lab.playButton.click();
      const mlpStep = async () => Number((/MLP step (\d+)/.exec((await status.textContent()) ?? '') ?? [])[1] ?? -1);
      await expect.poll(mlpStep, { timeout: MLP_TIMEOUT }).toBeGreaterThanOrEqual(20);
      const dashed = (chart: 'expected_reward' | 'kl_pi_ref') => lab.chart(chart).locator('path.recharts-line-curve[stroke-dasharray="6 3"]').count();
      await expect.poll(() => dashed('expected_reward'), { timeout: MLP_TIMEOUT }).toBe(1);
      await expect.poll(() => dashed('kl_pi_ref'), { timeout: MLP_TIMEOUT }).toBe(1);
      await expect.poll(() => lab.chart('expected_reward').locator('figcaption').textContent()).toContain('dashed: MLP');
      const strip = lab.card('offline best-of-N').locator('.mlp-strip');
      await expect.poll(() => strip.locator('[data-mlp-metric="summary"]').textContent(), { timeout: MLP_TIMEOUT }).toMatch(/^step \d+ · E\[r\] \d\.\d{3} · KL \d\.\d{3}$/);
      await page.screenshot({ path: 'test-artifacts/mlp-companion-desktop.png', fullPage: true });
      // the MLP never runs ahead of the lab's step
      expect(await mlpStep()).toBeLessThanOrEqual(await lab.step());

      await toggle.uncheck();
      await expect.poll(() => status.count()).toBe(0);
      await expect.poll(() => strip.count()).toBe(0);
      await expect.poll(() => dashed('expected_reward')).toBe(0);
      lab.expectNoErrors();
    } finally {
      await lab.close();
    }
  }, 180_000);

  it('fits a phone screen when on', async () => {
    const lab = await LabPage.open(browser, `${url}?v=1&preset=script-best-of-n`, PHONE, 1);
    const { page } = lab;
    try {
      await page.getByRole('checkbox', { name: 'Compare with the paper’s MLP' }).check();
      await expect.poll(() => page.locator('.mlp-status').textContent(), { timeout: MLP_TIMEOUT }).toMatch(/SFT done/);
      await lab.playButton.click();
      await expect.poll(() => page.locator('.mlp-strip [data-mlp-metric="summary"]').textContent(), { timeout: MLP_TIMEOUT }).toMatch(/^step [1-9]/);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.locator('.mlp-companion').scrollIntoViewIfNeeded();
      await page.screenshot({ path: 'test-artifacts/mlp-companion-phone.png', fullPage: false });
      lab.expectNoErrors();
    } finally {
      await lab.close();
    }
  }, 180_000);
});
