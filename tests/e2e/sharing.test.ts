/**
 * Sharing in headless Chromium against the production build: a link (copied from the Share dialog, at a
 * step, after a live change mid-way) opens in a fresh browser context to the same experiment and view with
 * bit-identical metrics, which also equal `npm run experiment -- --config <the link>`; hostile links are
 * named key by key and never injected; classroom links hide what they say; "My experiments" survives a
 * reload.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { main as runCli } from '../../src/cli/experiment.ts';
import { safeFileName } from '../../src/cli/report.ts';
import type { ExportedRun } from '../../src/worker/protocol.ts';
import { usePreviewAndBrowser } from './browser.ts';
import { ACTION_TIMEOUT, DEFAULT_RUNS, DESKTOP, LabPage, PHONE } from './lab-page.ts';

let browser: Browser;
let url: string;
usePreviewAndBrowser((b, u) => {
  browser = b;
  url = u;
});

async function withLab(body: (lab: LabPage) => Promise<void>, at: string = url, runs = DEFAULT_RUNS.length, viewport: { width: number; height: number } = DESKTOP): Promise<void> {
  const lab = await LabPage.open(browser, at, viewport, runs);
  try {
    await body(lab);
    lab.expectNoErrors();
  } catch (error) {
    if (error instanceof Error && lab.errors.length && !error.message.includes(lab.errors[0])) {
      error.message += `\n\nconsole or page errors during the test:\n${lab.errors.join('\n')}`;
    }
    throw error;
  } finally {
    await lab.close();
  }
}

/** every run's full metric series, from the worker (the export path) */
function exportedRuns(lab: LabPage): Promise<ExportedRun[]> {
  return lab.page.evaluate(() => (window as unknown as { modeLab: { getState(): { requestExport(): Promise<ExportedRun[]> } } }).modeLab.getState().requestExport());
}

/** opens the Share dialog, clicks one of its copy buttons and reads back the link it shows */
async function copyLink(lab: LabPage, button: string | RegExp): Promise<string> {
  await lab.page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = lab.page.getByRole('dialog', { name: 'Share this experiment' });
  await dialog.getByRole('button', { name: button }).click();
  await expect.poll(() => dialog.getByRole('status').textContent(), { timeout: ACTION_TIMEOUT }).toMatch(/^(Copied|This browser did not allow copying)/);
  const link = await dialog.getByLabel('Link', { exact: true }).inputValue();
  await dialog.getByRole('button', { name: 'Close' }).click();
  return link;
}

/** the CLI's CSV of one run (seed 1) as numbers, in the exported columns' order */
function cliRows(dir: string, run: string, columns: readonly string[]): number[][] {
  const [header, ...lines] = readFileSync(join(dir, `${safeFileName(run)}__seed1.csv`), 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return columns.map((c) => {
      const cell = cells[names.indexOf(c)];
      return cell === '' ? Number.NaN : Number(cell);
    });
  });
}

describe('shared links', () => {
  it('a link at a step, with a live change mid-way, reproduces every metric bit for bit in a fresh context and in the CLI', async () => {
    let link = '';
    let original: ExportedRun[] = [];
    await withLab(async (lab) => {
      await lab.stepTimes(6);
      // a live change of the shared learning rate while training: logged at step 6 for every run
      await lab.commitKnob(lab.sharedKnob('lr'), '0.2');
      await expect.poll(() => lab.page.evaluate(() => (window as unknown as { modeLab: { getState(): { config: { edits: unknown[] } } } }).modeLab.getState().config.edits.length), { timeout: ACTION_TIMEOUT }).toBe(DEFAULT_RUNS.length);
      await lab.stepTimes(5);
      link = await copyLink(lab, /^Copy link at step 11$/);
      original = await exportedRuns(lab);
    });
    expect(link).toContain('at=11');
    expect(link).toMatch(/[?&]e=/);
    expect(original.map((r) => r.rows.length)).toEqual(DEFAULT_RUNS.map(() => 12));

    // a fresh context (no storage, no state) opening the link replays to step 11
    await withLab(async (copy) => {
      await copy.waitForStep((s) => s === 11, '11 after opening the link');
      const replayed = await exportedRuns(copy);
      expect(replayed.map((r) => r.name)).toEqual(original.map((r) => r.name));
      for (let i = 0; i < original.length; i++) expect(replayed[i].rows, original[i].name).toEqual(original[i].rows);
      expect(replayed.map((r) => r.finalProbs)).toEqual(original.map((r) => r.finalProbs));
      // the edit log came along and shows in the set-up
      const run = await copy.openRunSetup('REINFORCE');
      expect(await run.locator('ol.edit-log li span').allTextContents()).toEqual(['from step 7: learning rate = 0.2']);
    }, link);

    // the CLI given the same link trains the same runs: its first 12 rows are the browser's, bit for bit
    const dir = mkdtempSync(join(tmpdir(), 'mode-lab-link-'));
    try {
      const log: string[] = [];
      expect(runCli(['--config', link, '--out', dir, '--quiet'], (line) => log.push(line)), log.join('\n')).toBe(0);
      for (const run of original) expect(cliRows(dir, run.name, run.columns).slice(0, 12), run.name).toEqual(run.rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a hostile link names each rejected key, applies the rest, injects nothing and keeps working', async () => {
    const hostile =
      `${url}?v=1&preset=f1-r2&seed=-3&lr=1e999&r9=nonsense&%3Cscript%3E=1&speed=fast` +
      `&name=${encodeURIComponent('<img src=x onerror="window.__pwned=1">')}&r1.name=%E0%A4%A`;
    await withLab(async (lab) => {
      const banner = lab.page.getByRole('alert').filter({ hasText: 'could not be used' });
      await banner.waitFor({ timeout: ACTION_TIMEOUT });
      const keys = await banner.locator('li code').allTextContents();
      for (const key of ['seed', 'lr', 'r9', '<script>', 'speed']) expect(keys, `the banner should name ${key}`).toContain(key);
      // the rest of the link applies: R2 (reward peak at bin 20) from the preset
      const reward = await lab.page.evaluate(() => (window as unknown as { modeLab: { getState(): { config: { reward: unknown } } } }).modeLab.getState().config.reward);
      expect(reward).toEqual({ kind: 'gaussian', centre: 20, width: 10 });
      // nothing from the link became markup
      expect(await lab.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await lab.page.locator('img[src="x"]').count()).toBe(0);
      expect(await lab.page.locator('script:not([src])').count()).toBe(0);
      // and the lab works: it trains
      await lab.stepTimes(2);
      await banner.getByRole('button', { name: /Dismiss/ }).click();
      await expect.poll(() => banner.count()).toBe(0);
    }, hostile);
  });

  it('a truncated, oversized or garbled link applies what it can and says so', async () => {
    const truncated = `${url}?v=1&r1=reinforce&r1.name=only&r1.lr=0.`;
    await withLab(async (lab) => {
      const banner = lab.page.getByRole('alert').filter({ hasText: 'could not be used' });
      await banner.waitFor({ timeout: ACTION_TIMEOUT });
      expect(await banner.locator('li code').allTextContents()).toContain('r1.lr');
      expect(await lab.cards.count()).toBe(1);
    }, truncated, 1);
    // a table longer than the lab allows (servers refuse links over ~16 kB, so this is the largest kind that arrives)
    const oversized = `${url}?v=1&preset=f1-r1&reward=custom:${Array.from({ length: 5000 }, () => '0').join(',')}`;
    await withLab(async (lab) => {
      const banner = lab.page.getByRole('alert').filter({ hasText: 'could not be used' });
      await banner.waitFor({ timeout: ACTION_TIMEOUT });
      expect(await banner.locator('li code').allTextContents()).toContain('reward');
      expect(await banner.textContent()).toMatch(/4096/);
    }, oversized);
    // a compact form cut short: the default comparison, with the reason
    await withLab(async (lab) => {
      const banner = lab.page.getByRole('alert').filter({ hasText: 'could not be used' });
      await banner.waitFor({ timeout: ACTION_TIMEOUT });
      expect(await banner.locator('li code').allTextContents()).toContain('z');
    }, `${url}?v=1&z=N4IgLgpgtg`);
  });

  it('a classroom link hides the chosen controls and panels, and presentation mode enlarges the type', async () => {
    await withLab(async (lab) => {
      expect(await lab.page.locator('aside.setup').count()).toBe(0);
      expect(await lab.toolbar.getByLabel('Speed').isVisible()).toBe(false);
      expect(await lab.resetButton.isVisible()).toBe(false);
      expect(await lab.playButton.isVisible()).toBe(true);
      expect(await lab.page.locator('div.lab.present').count()).toBe(1);
      const size = await lab.page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.lab')!).fontSize));
      expect(size).toBeGreaterThanOrEqual(19);
      // the hidden reset is not reachable from the keyboard either
      await lab.stepTimes(2);
      await lab.page.keyboard.press('r');
      await lab.settled(() => lab.step(), 'the step after pressing r');
      expect(await lab.step()).toBe(2);
      await lab.page.screenshot({ path: 'test-artifacts/classroom-present.png' });
      await lab.page.getByRole('button', { name: 'Leave presentation mode' }).click();
      await lab.page.locator('aside.setup').waitFor({ timeout: ACTION_TIMEOUT });
    }, `${url}?v=1&preset=f1-r1&hide=setup,speed,reset&present=1`);
  });

  it('My experiments: save, survive a reload, rename, open and delete', async () => {
    const lab = await LabPage.open(browser, `${url}?v=1&preset=f4-r1`, DESKTOP, 4);
    try {
      const openDialog = async () => {
        await lab.page.getByRole('button', { name: 'My experiments' }).click();
        return lab.page.getByRole('dialog', { name: 'My experiments' });
      };
      let dialog = await openDialog();
      await dialog.getByLabel('Name').fill('negative gradient, offline');
      await dialog.getByRole('button', { name: 'Save current' }).click();
      await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Saved “negative gradient, offline” in this browser.');
      await dialog.getByRole('button', { name: 'Close' }).click();

      // open something else, then reload: the saved entry is still there and opens F4 again
      await lab.page.goto(`${url}?v=1&preset=f1-r2`);
      await lab.waitReady();
      dialog = await openDialog();
      await dialog.getByRole('button', { name: 'Rename “negative gradient, offline”' }).click();
      await dialog.getByLabel(/^New name for/).fill('F4 saved');
      await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
      await expect.poll(() => dialog.locator('.saved-name').allTextContents()).toEqual(['F4 saved']);
      await dialog.getByRole('button', { name: 'Open “F4 saved”' }).click();
      await lab.waitReady(4);
      expect(await lab.page.getByRole('heading', { level: 2, name: 'F4 saved' }).count()).toBe(1);
      await expect.poll(() => lab.page.evaluate(() => window.location.search), { timeout: ACTION_TIMEOUT }).toContain('preset=f4-r1');

      dialog = await openDialog();
      await dialog.getByRole('button', { name: 'Delete “F4 saved”' }).click();
      await dialog.getByRole('button', { name: 'Really delete “F4 saved”' }).click();
      await expect.poll(() => dialog.getByText('Nothing saved yet.').count()).toBe(1);
      lab.expectNoErrors();
    } finally {
      await lab.close();
    }
  });

  it('opening a preset adds a history entry: Back returns to the previous experiment, Forward to the preset', async () => {
    await withLab(async (lab) => {
      await lab.stepTimes(3);
      await expect.poll(() => lab.page.evaluate(() => window.location.search), { timeout: ACTION_TIMEOUT }).toContain('at=3');
      await lab.page.getByRole('button', { name: 'Presets', exact: true }).click();
      const gallery = lab.page.getByRole('dialog', { name: /^Presets/ });
      await gallery.locator('li').filter({ hasText: 'f4-r1' }).getByRole('button', { name: /^Open/ }).click();
      await lab.waitReady(4);
      await expect.poll(() => lab.page.evaluate(() => window.location.search), { timeout: ACTION_TIMEOUT }).toContain('preset=f4-r1');
      await lab.page.goBack();
      await lab.waitForStep((s) => s === 3, '3 after Back (the F1 comparison replayed to where it was)');
      expect(await lab.cards.count()).toBe(DEFAULT_RUNS.length);
      await lab.page.goForward();
      await lab.waitReady(4);
    });
  });

  it('the header with every menu fits a phone', async () => {
    await withLab(async (lab) => {
      await lab.page.screenshot({ path: 'test-artifacts/sharing-phone.png' });
      const overflow = await lab.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }, url, DEFAULT_RUNS.length, PHONE);
  });
});
