/**
 * A small page object for the lab's end-to-end tests: open the page and wait until the worker has loaded
 * the default comparison, collect console and page errors, drive the playback, and read what the page
 * shows (step readout, chart paths, the policy cards' numbers and canvas pixels).
 *
 * Everything the page draws is paced by animation frames (headless Chromium may run them well under
 * 60 fps on a slow machine), so reads that follow an action poll with a timeout instead of sleeping.
 */
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** The default experiment: preset F1 on R1. */
export const DEFAULT_RUNS = ['offline best-of-N', 'offline IPO', 'on-policy best-of-N', 'on-policy IPO', 'REINFORCE'];
export const CARD_METRICS = ['expected_reward', 'peak_mass', 'kl_pi_ref', 'pushed_down'] as const;
export const CHARTS = ['expected_reward', 'peak_mass', 'kl_pi_ref', 'kl_ref_pi', 'entropy', 'implicit', 'reward-vs-kl', 'reward-vs-queries'] as const;
export type ChartId = (typeof CHARTS)[number];

/** How long the page may take to start the worker and draw the first frame. */
export const LOAD_TIMEOUT = 30_000;
/** How long a single action (a step, a pause, a reset) may take to show. */
export const ACTION_TIMEOUT = 10_000;

export interface CardReading {
  /** `.run-state`, e.g. "step 12 of 1500 · epoch 2" */
  state: string;
  /** the canvas's aria-label (peak mass, expected reward, step) */
  label: string;
  /** the `dd[data-metric]` numbers as shown */
  numbers: Record<string, string>;
}

export class LabPage {
  /** console errors and uncaught page errors, in order */
  readonly errors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location();
      this.errors.push(`console.error: ${message.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ''}`);
    });
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.stack ?? error.message}`));
    page.on('crash', () => this.errors.push('the page crashed'));
  }

  /** A fresh context (no shared state between tests) with the lab loaded and ready at step 0. */
  static async open(browser: Browser, url: string, viewport: { width: number; height: number } = DESKTOP, runs = DEFAULT_RUNS.length): Promise<LabPage> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const lab = new LabPage(context, page);
    await page.goto(url);
    await lab.waitReady(runs);
    return lab;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** Fails with every console/page error collected so far. */
  expectNoErrors(): void {
    expect(this.errors, `console or page errors:\n${this.errors.join('\n')}`).toEqual([]);
  }

  // ---- locators -------------------------------------------------------------------------------------

  get toolbar(): Locator {
    return this.page.getByRole('toolbar', { name: 'Playback' });
  }

  /** The Play / Pause button (its label toggles). */
  get playButton(): Locator {
    return this.toolbar.getByRole('button', { name: /^(Play|Pause)$/ });
  }

  get stepButton(): Locator {
    return this.toolbar.getByRole('button', { name: 'Step', exact: true });
  }

  get resetButton(): Locator {
    return this.toolbar.getByRole('button', { name: 'Reset', exact: true });
  }

  get cards(): Locator {
    return this.page.locator('article.policy-card');
  }

  card(run: string): Locator {
    return this.page.locator(`article.policy-card[data-run="${run}"]`);
  }

  chart(id: ChartId): Locator {
    return this.page.locator(`figure.metric-chart[data-chart="${id}"]`);
  }

  /** A set-up `<details>` section by its summary's heading ("Shared settings", "Runs (5)", …). */
  setupSection(title: string | RegExp): Locator {
    return this.page.locator('details.setup-section').filter({ has: this.page.locator('summary h3', { hasText: title }) });
  }

  /** A knob in the "Shared settings" section. */
  sharedKnob(key: string): Locator {
    return this.setupSection('Shared settings').locator(`div.knob[data-knob="${key}"]`);
  }

  /** A run's entry in the "Runs" section (an `<li>` holding its `<details>`). */
  runSetup(run: string): Locator {
    return this.page.locator('li.run-setup').filter({ has: this.page.getByRole('heading', { level: 4, name: run, exact: true }) });
  }

  /** Opens a run's `<details>` in the "Runs" section (a click on its summary) unless it is open. */
  async openRunSetup(run: string): Promise<Locator> {
    const entry = this.runSetup(run);
    const details = entry.locator(':scope > details');
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await entry.locator('summary').first().click();
    await expect.poll(() => details.evaluate((d) => (d as HTMLDetailsElement).open), { timeout: ACTION_TIMEOUT }).toBe(true);
    return entry;
  }

  /** The open modal dialog, if any (the help or the restart question). */
  get openDialog(): Locator {
    return this.page.locator('dialog[open]');
  }

  // ---- readings -------------------------------------------------------------------------------------

  /** The header's step readout (max step over runs). */
  async step(): Promise<number> {
    const text = (await this.page.getByTestId('step').textContent()) ?? '';
    const step = Number(text.trim());
    if (!Number.isInteger(step)) throw new Error(`the step readout is not a whole number: "${text}"`);
    return step;
  }

  async playLabel(): Promise<string> {
    return ((await this.playButton.textContent()) ?? '').trim();
  }

  /** The `d` of every line of a chart, in document order. */
  async chartPaths(id: ChartId): Promise<string[]> {
    return this.chart(id)
      .locator('path.recharts-line-curve')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''));
  }

  /** How many lines (one per visible run) a chart has, drawn or not yet. */
  async chartLineCount(id: ChartId): Promise<number> {
    return this.chart(id).locator('g.recharts-line').count();
  }

  /** Every chart's line paths, by chart. */
  async allChartPaths(): Promise<Record<string, string[]>> {
    return this.page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('figure.metric-chart')].map((f) => [
          f.getAttribute('data-chart') ?? '?',
          [...f.querySelectorAll('path.recharts-line-curve')].map((p) => p.getAttribute('d') ?? ''),
        ]),
      ),
    );
  }

  /** Every card's state text, canvas label and numbers, by run name. */
  async cardReadings(): Promise<Record<string, CardReading>> {
    return this.page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('article.policy-card')].map((card) => [
          card.getAttribute('data-run') ?? '?',
          {
            state: card.querySelector('.run-state')?.textContent?.trim() ?? '',
            label: card.querySelector('canvas')?.getAttribute('aria-label') ?? '',
            numbers: Object.fromEntries([...card.querySelectorAll('dd[data-metric]')].map((dd) => [dd.getAttribute('data-metric') ?? '?', dd.textContent?.trim() ?? ''])),
          },
        ]),
      ),
    );
  }

  /** One card's metric as a number (e.g. its expected reward). */
  async cardNumber(run: string, metric: (typeof CARD_METRICS)[number]): Promise<number> {
    const text = (await this.card(run).locator(`dd[data-metric="${metric}"]`).textContent()) ?? '';
    return Number(text.trim());
  }

  /** Every card's canvas as a PNG data URL, by run name. */
  async canvasPixels(): Promise<Record<string, string>> {
    return this.page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('article.policy-card')].map((card) => {
          const canvas = card.querySelector('canvas');
          return [card.getAttribute('data-run') ?? '?', canvas && canvas.width > 0 ? canvas.toDataURL() : ''];
        }),
      ),
    );
  }

  /** Every card's canvas pixels as a short digest (SHA-256 of the PNG data URL), by run name. */
  async canvasDigests(): Promise<Record<string, string>> {
    const pixels = await this.canvasPixels();
    return Object.fromEntries(Object.entries(pixels).map(([run, url]) => [run, url ? createHash('sha256').update(url).digest('hex').slice(0, 16) : 'not drawn']));
  }

  // ---- waiting --------------------------------------------------------------------------------------

  /** Waits for the lab: the heading, `runs` cards, Play enabled, the eight charts with a line per run, every canvas drawn. */
  async waitReady(runs = DEFAULT_RUNS.length): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Mode Lab' }).waitFor({ timeout: LOAD_TIMEOUT });
    await expect
      .poll(
        () =>
          this.page.evaluate(() => ({
            cards: document.querySelectorAll('article.policy-card').length,
            charts: document.querySelectorAll('figure.metric-chart').length,
            // one line per run (at step 0 a line has a single point, so Recharts draws its group but no curve yet)
            rewardLines: document.querySelectorAll('figure.metric-chart[data-chart="expected_reward"] g.recharts-line').length,
            playEnabled: [...document.querySelectorAll('[role=toolbar] button')].some((b) => /^(Play|Pause)$/.test(b.textContent?.trim() ?? '') && !(b as HTMLButtonElement).disabled),
            canvasesDrawn: [...document.querySelectorAll('article.policy-card canvas')].every((c) => (c as HTMLCanvasElement).width > 0),
          })),
        { timeout: LOAD_TIMEOUT, interval: 100, message: 'the lab did not become ready (cards, charts, Play enabled, canvases drawn)' },
      )
      .toEqual({ cards: runs, charts: CHARTS.length, rewardLines: runs, playEnabled: true, canvasesDrawn: true });
  }

  /** Polls the step readout until `predicate` holds; returns the step. */
  async waitForStep(predicate: (step: number) => boolean, description: string, timeout = ACTION_TIMEOUT): Promise<number> {
    let last = Number.NaN;
    await expect
      .poll(
        async () => {
          last = await this.step();
          return predicate(last);
        },
        { timeout, interval: 50, message: `the step readout never became ${description}` },
      )
      .toBe(true);
    return last;
  }

  /**
   * Polls `read` until it returns the same value (as JSON) for `quietMs`, and returns it: used to let the
   * charts and canvases catch up after the last frame (charts redraw one per animation frame).
   */
  async settled<T>(read: () => Promise<T>, what: string, quietMs = 400, timeout = ACTION_TIMEOUT): Promise<T> {
    const start = Date.now();
    let value = await read();
    let json = JSON.stringify(value);
    let since = Date.now();
    while (Date.now() - since < quietMs) {
      if (Date.now() - start > timeout) throw new Error(`${what} kept changing for ${timeout} ms`);
      await this.page.waitForTimeout(Math.min(100, quietMs / 4));
      const next = await read();
      const nextJson = JSON.stringify(next);
      if (nextJson !== json) {
        value = next;
        json = nextJson;
        since = Date.now();
      }
    }
    return value;
  }

  // ---- actions --------------------------------------------------------------------------------------

  /** Clicks Play and waits until the page shows it playing and the step moving. */
  async play(): Promise<void> {
    expect(await this.playLabel()).toBe('Play');
    const from = await this.step();
    await this.playButton.click();
    await expect.poll(() => this.playLabel(), { timeout: ACTION_TIMEOUT, message: 'Play did not turn into Pause' }).toBe('Pause');
    await this.waitForStep((s) => s > from, `greater than ${from} after Play`);
  }

  /** Clicks Pause and waits until the worker has stopped (label Play, speed "paused", the step steady). */
  async pause(): Promise<number> {
    await this.playButton.click();
    await this.waitPaused();
    return this.step();
  }

  async waitPaused(): Promise<void> {
    await expect.poll(() => this.playLabel(), { timeout: ACTION_TIMEOUT, message: 'Pause did not turn into Play' }).toBe('Play');
    await expect
      .poll(async () => ((await this.page.getByTestId('steps-per-second').textContent()) ?? '').trim(), { timeout: ACTION_TIMEOUT, message: 'the speed readout never said "paused"' })
      .toBe('paused');
    await this.settled(() => this.step(), 'the step readout after Pause', 300);
  }

  /** Plays for about `ms` of wall time (at least until the step has moved), then pauses; returns the step. */
  async playFor(ms: number): Promise<number> {
    await this.play();
    await this.page.waitForTimeout(ms);
    return this.pause();
  }

  /** Clicks Reset and waits for step 0. */
  async reset(): Promise<void> {
    await this.resetButton.click();
    await this.waitForStep((s) => s === 0, '0 after Reset');
  }

  /**
   * Clicks Step `times` times and waits for the step readout to have moved by exactly that much
   * (`waitEach`: after every click, else once at the end; the worker takes the steps in order).
   */
  async stepTimes(times: number, waitEach = false): Promise<number> {
    const from = await this.step();
    for (let i = 1; i <= times; i++) {
      // a real mouse click on the button; `force` only skips Playwright's wait for two steady animation
      // frames before each click, which costs ~150 ms a click while the charts redraw
      await this.stepButton.click({ force: !waitEach && i > 1 });
      if (waitEach) await this.waitForStep((s) => s === from + i, `${from + i} after a click on Step`);
    }
    const step = await this.waitForStep((s) => s === from + times, `${from + times} after ${times} clicks on Step`);
    // no step more than asked for
    await this.settled(() => this.step(), 'the step readout after Step');
    expect(await this.step()).toBe(from + times);
    return step;
  }

  /** Types `text` into a knob's field and commits it with Enter. */
  async commitKnob(knob: Locator, text: string): Promise<void> {
    const input = knob.locator('input[type="text"]');
    await input.fill(text);
    await input.press('Enter');
  }

  /** The card readings and canvas pixels once they have stopped changing. */
  async settledPicture(): Promise<{ cards: Record<string, CardReading>; pixels: Record<string, string> }> {
    return this.settled(async () => ({ cards: await this.cardReadings(), pixels: await this.canvasDigests() }), 'the policy cards');
  }
}
