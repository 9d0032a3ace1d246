/**
 * The theory bench in headless Chromium against the production build: opened from the lab's "Theory" page
 * button, Demo A stepped and its bars read back against spec E.5 (η = 0.93), Demo B against spec E.6, the
 * formula terms lighting up bars on hover and on keyboard focus, the "with samples" link opening the lab
 * preset, axe-core finding nothing serious, and screenshots at 1280×800 and 390×844. Every test ends by
 * asserting that no console error and no page error happened.
 */
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { usePreviewAndBrowser } from './browser.ts';
import { ACTION_TIMEOUT, DESKTOP, LabPage, LOAD_TIMEOUT, PHONE } from './lab-page.ts';

let browser: Browser;
let url: string;
usePreviewAndBrowser((b, u) => {
  browser = b;
  url = u;
});

/** Spec E.5, η = 0.93: p_t under each objective. */
const TOY_TABLE: Record<number, { forward: number[]; reverse: number[] }> = {
  1: { forward: [0.294, 0.268, 0.171, 0.268], reverse: [0.329, 0.271, 0.13, 0.271] },
  2: { forward: [0.274, 0.233, 0.26, 0.233], reverse: [0.338, 0.246, 0.17, 0.246] },
  3: { forward: [0.25, 0.201, 0.348, 0.201], reverse: [0.33, 0.223, 0.224, 0.223] },
  4: { forward: [0.228, 0.175, 0.421, 0.175], reverse: [0.309, 0.2, 0.292, 0.2] },
  5: { forward: [0.213, 0.156, 0.475, 0.156], reverse: [0.281, 0.177, 0.365, 0.177] },
};

/** Opens the lab, clicks the "Theory" page button, runs `body`, then asserts that no console or page error happened. */
async function withTheory(body: (lab: LabPage, page: Page) => Promise<void>, viewport: { width: number; height: number } = DESKTOP): Promise<void> {
  const lab = await LabPage.open(browser, url, viewport);
  try {
    const { page } = lab;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Theory', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: /Theory bench/ }).waitFor({ timeout: LOAD_TIMEOUT });
    await page.locator('.katex').first().waitFor({ timeout: LOAD_TIMEOUT });
    await body(lab, page);
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

function demoAToolbar(page: Page) {
  return page.getByRole('toolbar', { name: 'Demo A playback' });
}

/** Demo A's p_t for one objective, read from the table cells' data-value (and the text they show). */
async function toyBars(page: Page, objective: 'forward' | 'reverse'): Promise<{ values: number[]; shown: string[] }> {
  return page.locator(`section.objective-panel[data-objective="${objective}"] table td[data-value]`).evaluateAll((cells) => ({
    values: cells.map((c) => Number(c.getAttribute('data-value'))),
    shown: cells.map((c) => c.textContent?.trim() ?? ''),
  }));
}

async function demoAStep(page: Page): Promise<number> {
  return Number(await demoAToolbar(page).locator('output').textContent());
}

function expectClose(actual: number[], expected: number[], tol: number, what: string): void {
  expect(actual, what).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]), `${what}, bin ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(tol));
}

/** The lit/dimmed state of one Demo A panel's bars. */
async function litBars(page: Page, objective: 'forward' | 'reverse'): Promise<string[]> {
  return page.locator(`section.objective-panel[data-objective="${objective}"] g.toy-bin`).evaluateAll((groups) =>
    groups.map((g) => (g.classList.contains('is-driven') ? 'lit' : g.classList.contains('is-dimmed') ? 'dim' : 'plain')),
  );
}

async function axeBlocking(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const injected = (window as unknown as { axe: typeof axe }).axe;
    const results = await injected.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

describe('the theory bench', () => {
  it('Demo A: Step reproduces the E.5 trajectories at η = 0.93 under both objectives, and Reset returns to p₀', () =>
    withTheory(async (_lab, page) => {
      expect(await demoAStep(page)).toBe(0);
      expectClose((await toyBars(page, 'reverse')).values, [0.3, 0.3, 0.1, 0.3], 1e-9, 'p₀');
      expect(await page.getByRole('textbox', { name: 'Step size η' }).first().inputValue()).toBe('0.93');
      const step = demoAToolbar(page).getByRole('button', { name: 'Step', exact: true });
      for (let t = 1; t <= 5; t++) {
        await step.click();
        await expect.poll(() => demoAStep(page), { timeout: ACTION_TIMEOUT }).toBe(t);
        for (const objective of ['forward', 'reverse'] as const) {
          const bars = await toyBars(page, objective);
          expectClose(bars.values, TOY_TABLE[t][objective], 1e-3, `step ${t}, ${objective}`);
          // what is shown, to three decimals, agrees with the table too (both rounded: 1e-3)
          expectClose(bars.shown.map(Number), TOY_TABLE[t][objective], 1.001e-3, `step ${t}, ${objective}, shown`);
        }
      }
      // the SVG bars carry the same values
      const svgValues = await page.locator('section.objective-panel[data-objective="reverse"] rect.toy-bar-p').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-value'))));
      expectClose(svgValues, TOY_TABLE[5].reverse, 1e-3, 'svg bars, step 5');
      await demoAToolbar(page).getByRole('button', { name: 'Reset', exact: true }).click();
      await expect.poll(() => demoAStep(page), { timeout: ACTION_TIMEOUT }).toBe(0);
      expectClose((await toyBars(page, 'forward')).values, [0.3, 0.3, 0.1, 0.3], 1e-9, 'after Reset');
    }));

  it('Demo A: Play runs and Pause stops; a zero typed into q shows the message and no NaN', () =>
    withTheory(async (_lab, page) => {
      const toolbar = demoAToolbar(page);
      await toolbar.getByRole('button', { name: 'Play', exact: true }).click();
      await expect.poll(() => demoAStep(page), { timeout: ACTION_TIMEOUT }).toBeGreaterThanOrEqual(2);
      await toolbar.getByRole('button', { name: 'Pause', exact: true }).click();
      const stopped = await demoAStep(page);
      await page.waitForTimeout(1300);
      expect(await demoAStep(page)).toBe(stopped);

      const q1 = page.getByLabel('q1', { exact: true });
      await q1.fill('0');
      await q1.press('Enter');
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent(), { timeout: ACTION_TIMEOUT }).toContain('q: bin 1 is 0');
      expect(await page.locator('section.objective-panel[data-objective="reverse"]').textContent()).toContain('Not running');
      expect(await page.locator('main#theory').textContent()).not.toMatch(/NaN/);
      const q = await page.locator('fieldset[data-distribution="target"] input[data-bin]').evaluateAll((inputs) => inputs.map((i) => Number((i as HTMLInputElement).value)));
      for (const v of q) expect(v).toBeGreaterThanOrEqual(0);
      expect(Math.abs(q.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(0.002);
    }));

  it('Demo B steps through the E.6 table for R1 and R2', () =>
    withTheory(async (_lab, page) => {
      const readout = page.locator('.window-readout');
      const read = () => readout.evaluate((p) => ({ step: Number(p.getAttribute('data-step')), forward: Number(p.getAttribute('data-forward')), reverse: Number(p.getAttribute('data-reverse')) }));
      const step = page.getByRole('toolbar', { name: 'Demo B playback' }).getByRole('button', { name: 'Step', exact: true });
      for (let t = 1; t <= 5; t++) await step.click();
      await expect.poll(async () => (await read()).step, { timeout: ACTION_TIMEOUT }).toBe(5);
      let now = await read();
      expectClose([now.forward, now.reverse], [0.041, 0.027], 1e-3, 'R1, step 5');
      await page.getByRole('radio', { name: /R2/ }).check();
      await expect.poll(async () => (await read()).forward, { timeout: ACTION_TIMEOUT }).toBeGreaterThan(0.3);
      now = await read();
      expect(now.step).toBe(5);
      expectClose([now.forward, now.reverse], [0.353, 0.445], 1e-3, 'R2, step 5');
      expect(await page.locator('.demo-b li[data-regime="zero-forcing"]').textContent()).toMatch(/log\(pᵢ\/qᵢ\) > KL\(p‖q\) = /);
      expect(await page.locator('figure.velocity-bars rect.velocity-bar').count()).toBe(200);
    }));

  it('formula terms light up the bars they drive, on hover and on keyboard focus', () =>
    withTheory(async (_lab, page) => {
      const logRatio = page.locator('button.formula-term[data-term="reverse-log-ratio"]').first();
      await logRatio.hover();
      // zero-forcing at step 0 of the toy: bins 1 and 3
      await expect.poll(() => litBars(page, 'reverse'), { timeout: ACTION_TIMEOUT }).toEqual(['dim', 'lit', 'dim', 'lit']);
      expect(await litBars(page, 'forward')).toEqual(['dim', 'dim', 'dim', 'dim']);
      await page.mouse.move(5, 700);
      await expect.poll(() => litBars(page, 'reverse'), { timeout: ACTION_TIMEOUT }).toEqual(['plain', 'plain', 'plain', 'plain']);

      // keyboard only: Tab until a formula term has focus
      await page.locator('main#theory h2').first().click();
      let term = '';
      for (let i = 0; i < 40 && !term; i++) {
        await page.keyboard.press('Tab');
        term = await page.evaluate(() => document.activeElement?.getAttribute('data-term') ?? '');
      }
      expect(term, 'a formula term is reachable with Tab').toBe('forward-gap');
      await expect.poll(() => litBars(page, 'forward'), { timeout: ACTION_TIMEOUT }).toEqual(['lit', 'lit', 'lit', 'lit']);
      expect(await page.locator('.highlight-announcement').textContent()).toContain('every bar of KL(q‖p)');
    }));

  it('"the same picture with samples" opens the matching lab preset', () =>
    withTheory(async (lab, page) => {
      await page.getByRole('radio', { name: /R2/ }).check();
      await page.getByRole('button', { name: /same picture with samples/ }).click();
      await lab.waitReady();
      expect(await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Lab', exact: true }).getAttribute('aria-current')).toBe('page');
      expect(await page.locator('#caption-title').textContent()).toContain('R2');
    }));

  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`has no serious axe violation, fits, and is captured at ${viewport.width}×${viewport.height}`, () =>
      withTheory(async (_lab, page) => {
        const step = demoAToolbar(page).getByRole('button', { name: 'Step', exact: true });
        for (let t = 1; t <= 3; t++) await step.click();
        await page.getByRole('checkbox', { name: /published figure/ }).check();
        const demoB = page.getByRole('toolbar', { name: 'Demo B playback' }).getByRole('button', { name: 'Step', exact: true });
        for (let t = 1; t <= 20; t++) await demoB.click();
        await expect.poll(() => page.locator('.window-readout').getAttribute('data-step'), { timeout: ACTION_TIMEOUT }).toBe('20');
        expect(await axeBlocking(page), 'axe: serious or critical violations').toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no horizontal overflow').toBeLessThanOrEqual(viewport.width);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `test-artifacts/theory-${name}.png`, fullPage: false });
        await page.screenshot({ path: `test-artifacts/theory-${name}-full.png`, fullPage: true });
      }, viewport));
  }
});
