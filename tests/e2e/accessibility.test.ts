/**
 * axe-core on the lab (production build, headless Chromium) in the states a user sees: loaded at step 0,
 * after some training (charts drawn), with the keyboard help open and with the "Restart every run?"
 * question open, at 1280×800 and 390×844. No violation of impact "serious" or "critical" is allowed;
 * the failure message names each one with its rule, help text and first offending nodes.
 */
import axe from 'axe-core';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { usePreviewAndBrowser } from './browser.ts';
import { ACTION_TIMEOUT, DESKTOP, LabPage, PHONE } from './lab-page.ts';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const BLOCKING = ['serious', 'critical'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: string; html: string; summary: string }>;
  count: number;
}

let browser: Browser;
let url: string;
usePreviewAndBrowser((b, u) => {
  browser = b;
  url = u;
});

/** Runs axe on the whole page (injected once per page) and returns its violations, trimmed for a message. */
async function audit(lab: LabPage): Promise<Violation[]> {
  const { page } = lab;
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  return page.evaluate(async (tags) => {
    // the injected global, not the Node import (this function runs in the page)
    const injected = (window as unknown as { axe: typeof axe }).axe;
    const results = await injected.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      count: v.nodes.length,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target.map(String).join(' '), html: n.html.replace(/\s+/g, ' ').slice(0, 200), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300) })),
    }));
  }, TAGS);
}

function describeViolations(state: string, violations: Violation[]): string {
  return violations
    .map((v) => `[${state}] ${v.id} (${v.impact}): ${v.help} — ${v.count} node${v.count === 1 ? '' : 's'} <${v.helpUrl}>\n${v.nodes.map((n) => `    at ${n.target}: ${n.html}\n      ${n.summary}`).join('\n')}`)
    .join('\n');
}

/** Collects the blocking violations of every state, so one run reports all of them. */
class Findings {
  readonly blocking: string[] = [];
  readonly minor: string[] = [];

  async check(lab: LabPage, state: string): Promise<void> {
    const violations = await audit(lab);
    const blocking = violations.filter((v) => BLOCKING.includes(v.impact ?? ''));
    const minor = violations.filter((v) => !BLOCKING.includes(v.impact ?? ''));
    if (blocking.length) this.blocking.push(describeViolations(state, blocking));
    if (minor.length) this.minor.push(describeViolations(state, minor));
  }

  expectNone(): void {
    // moderate and minor findings are printed, not failed
    if (this.minor.length) console.warn(`axe: moderate/minor findings (not failing):\n${this.minor.join('\n')}`);
    // soft, so that the test still reports console errors after it
    expect.soft(this.blocking.length, `axe found serious or critical violations:\n${this.blocking.join('\n')}\n`).toBe(0);
  }
}

describe('accessibility (axe-core: WCAG 2.1 A/AA and best practice)', () => {
  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`has no serious or critical violation at ${viewport.width}×${viewport.height}: loaded, trained, help open, restart question open`, async () => {
      const lab = await LabPage.open(browser, url, viewport);
      try {
        const findings = new Findings();
        await findings.check(lab, `${name}, loaded at step 0`);

        await lab.playFor(1000);
        await lab.settled(() => lab.allChartPaths(), 'the charts after training');
        expect((await lab.chartPaths('expected_reward')).length, 'the charts are drawn').toBeGreaterThan(0);
        await findings.check(lab, `${name}, after training (charts drawn)`);

        await lab.toolbar.getByRole('button', { name: 'Keyboard shortcuts' }).click();
        await lab.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ timeout: ACTION_TIMEOUT });
        await findings.check(lab, `${name}, help dialog open`);
        await lab.page.keyboard.press('Escape');
        await expect.poll(() => lab.openDialog.count(), { timeout: ACTION_TIMEOUT }).toBe(0);

        await lab.commitKnob(lab.sharedKnob('N'), '4');
        const restart = lab.page.getByRole('alertdialog', { name: 'Restart every run?' });
        await restart.waitFor({ timeout: ACTION_TIMEOUT });
        await findings.check(lab, `${name}, restart dialog open`);
        await restart.getByRole('button', { name: 'Keep training' }).click();
        await expect.poll(() => lab.openDialog.count(), { timeout: ACTION_TIMEOUT }).toBe(0);

        findings.expectNone();
        lab.expectNoErrors();
      } finally {
        await lab.close();
      }
    });
  }

  it('has no serious or critical violation in the sharing, saving, export, preset and tour panels, and a link with problems', async () => {
    const lab = await LabPage.open(browser, `${url}?v=1&preset=f1-r1&seed=abc`, DESKTOP);
    try {
      const findings = new Findings();
      await lab.page.getByRole('alert').filter({ hasText: 'could not be used' }).waitFor({ timeout: ACTION_TIMEOUT });
      await findings.check(lab, 'a link with a rejected key (banner)');
      for (const [button, dialog] of [
        ['Share', 'Share this experiment'],
        ['My experiments', 'My experiments'],
        ['Export', 'Export and import'],
        ['Presets', /^Presets/],
      ] as const) {
        await lab.page.getByRole('button', { name: button, exact: true }).click();
        await lab.page.getByRole('dialog', { name: dialog }).waitFor({ timeout: ACTION_TIMEOUT });
        await findings.check(lab, `${button} dialog open`);
        await lab.page.keyboard.press('Escape');
        await expect.poll(() => lab.openDialog.count(), { timeout: ACTION_TIMEOUT }).toBe(0);
      }
      await lab.page.getByRole('button', { name: 'Tour', exact: true }).click();
      await lab.page.getByRole('button', { name: 'Next' }).waitFor({ timeout: ACTION_TIMEOUT });
      await findings.check(lab, 'tour open');
      findings.expectNone();
      lab.expectNoErrors();
    } finally {
      await lab.close();
    }
  });
});
