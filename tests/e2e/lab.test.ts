/**
 * The interactive lab in headless Chromium against the production build: it loads cleanly, plays, pauses,
 * steps and resets deterministically, takes live and restart-type knob changes, works from the keyboard,
 * edits the reward and the runs, and fits a phone screen. Every test opens a fresh page and ends by
 * asserting that no console error and no page error happened.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { usePreviewAndBrowser } from './browser.ts';
import { ACTION_TIMEOUT, CHARTS, DEFAULT_RUNS, DESKTOP, LabPage, PHONE } from './lab-page.ts';

let browser: Browser;
let url: string;
usePreviewAndBrowser((b, u) => {
  browser = b;
  url = u;
});

/** Opens a fresh lab, runs `body`, then asserts that no console or page error happened. */
async function withLab(body: (lab: LabPage) => Promise<void>, viewport: { width: number; height: number } = DESKTOP): Promise<void> {
  const lab = await LabPage.open(browser, url, viewport);
  try {
    await body(lab);
    lab.expectNoErrors();
  } catch (error) {
    // a failure may come from an error the page logged: name them in the message
    if (error instanceof Error && lab.errors.length && !error.message.includes(lab.errors[0])) {
      error.message += `\n\nconsole or page errors during the test:\n${lab.errors.join('\n')}`;
    }
    throw error;
  } finally {
    await lab.close();
  }
}

describe('the lab', () => {
  it('loads with no console error: five policy cards at step 0 and the eight charts', () =>
    withLab(async (lab) => {
      const { page } = lab;
      expect(await lab.step()).toBe(0);
      expect(await lab.cards.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-run')))).toEqual(DEFAULT_RUNS);
      const cards = await lab.cardReadings();
      for (const run of DEFAULT_RUNS) {
        expect(cards[run].state, run).toMatch(/^step 0 of \d+ · epoch 1$/);
        expect(cards[run].label, run).toContain(`${run}: `);
        expect(Number(cards[run].numbers.expected_reward), run).toBeGreaterThan(0);
        expect(cards[run].numbers.kl_pi_ref, run).toBe('0.000');
      }
      expect(cards['offline IPO'].state).toBe('step 0 of 300 · epoch 1');
      // the same policy π_ref everywhere at step 0
      expect(new Set(DEFAULT_RUNS.map((r) => cards[r].numbers.expected_reward)).size).toBe(1);

      expect(await page.locator('figure.metric-chart').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-chart')))).toEqual([...CHARTS]);
      for (const id of CHARTS) await expect.poll(() => lab.chart(id).locator('svg.recharts-surface').count(), { message: `chart ${id} has no drawing` }).toBeGreaterThan(0);
      for (const id of CHARTS.filter((c) => c !== 'implicit')) expect(await lab.chartLineCount(id), id).toBe(DEFAULT_RUNS.length);
      expect(await lab.playLabel()).toBe('Play');
      expect(await lab.toolbar.getByLabel('Speed').inputValue()).toBe('4');
      expect((await page.getByTestId('steps-per-second').textContent())?.trim()).toBe('paused');
      expect(await page.locator('[role=alert]').count()).toBe(0);
    }));

  it('Play trains: the step rises, the expected-reward lines change and REINFORCE gains reward', () =>
    withLab(async (lab) => {
      const rewardAtZero = await lab.cardNumber('REINFORCE', 'expected_reward');
      // watch the chart as a user would: while training, charts scrolled out of view wait (they catch
      // up when they come into view or the stream pauses), so the frame budget goes to what is seen
      await lab.chart('expected_reward').scrollIntoViewIfNeeded();
      // at step 0 each line is a single point (no curve yet): one step draws them
      await lab.stepTimes(1);
      const before = await lab.settled(() => lab.chartPaths('expected_reward'), 'the expected-reward chart at step 1');
      expect(before).toHaveLength(DEFAULT_RUNS.length);
      for (const d of before) expect(d).toMatch(/^M[^L]+L[^L]+$/);
      await lab.play();
      await lab.page.waitForTimeout(1500);
      expect(await lab.step()).toBeGreaterThan(10);
      const after = await lab.chartPaths('expected_reward');
      expect(after).toHaveLength(DEFAULT_RUNS.length);
      for (let i = 0; i < after.length; i++) {
        expect(after[i], `line ${i} did not change while playing`).not.toBe(before[i]);
        // more points, not just a redraw of the same two
        expect(after[i].split('L').length, `line ${i}`).toBeGreaterThan(10);
      }
      // and the lines keep moving while it plays
      await expect.poll(() => lab.chartPaths('expected_reward'), { timeout: ACTION_TIMEOUT, message: 'the expected-reward lines stopped changing while playing' }).not.toEqual(after);
      await expect.poll(() => lab.cardNumber('REINFORCE', 'expected_reward'), { timeout: ACTION_TIMEOUT }).toBeGreaterThan(rewardAtZero);
      expect((await lab.page.getByTestId('steps-per-second').textContent())?.trim()).toMatch(/^[\d,]+ steps\/s$/);
    }));

  it('Pause stops training: the step, the charts and the canvases stay the same', () =>
    withLab(async (lab) => {
      const paused = await lab.playFor(1000);
      expect(paused).toBeGreaterThan(0);
      const read = async () => ({ step: await lab.step(), charts: await lab.allChartPaths(), pixels: await lab.canvasDigests(), cards: await lab.cardReadings() });
      // the charts redraw one per animation frame: let them catch up with the last frame first
      const first = await lab.settled(read, 'the page after Pause', 600);
      expect(first.step).toBe(paused);
      await lab.page.waitForTimeout(1000);
      expect(await read()).toEqual(first);
      expect(await lab.playLabel()).toBe('Play');
    }));

  it('a live knob (REINFORCE’s own learning rate) changes from the next step, is logged, and keeps the step', () =>
    withLab(async (lab) => {
      const step = await lab.playFor(600);
      expect(step).toBeGreaterThan(0);
      const run = await lab.openRunSetup('REINFORCE');
      await expect.poll(() => run.locator('summary', { hasText: /^Edit log/ }).textContent()).toBe('Edit log (0)');

      await run.getByLabel('Override a shared setting').selectOption({ label: 'Learning rate' });
      const knob = run.locator('div.knob[data-knob="lr"]');
      await knob.waitFor({ timeout: ACTION_TIMEOUT });
      await expect.poll(() => knob.locator('input[type=text]').inputValue()).toBe('0.05');
      expect((await knob.locator('.badge').textContent())?.trim()).toBe('live');
      // adding the override replays to where the runs were: nothing is lost
      await lab.waitForStep((s) => s === step, `${step} after adding the override`);

      const runStep = Number(/^step (\d+) of/.exec((await lab.cardReadings())['REINFORCE'].state)?.[1]);
      expect(runStep).toBe(step);
      await lab.commitKnob(knob, '0.2');
      await expect
        .poll(() => run.locator('ol.edit-log li span').allTextContents(), { timeout: ACTION_TIMEOUT, message: 'the edit log did not show the change' })
        .toEqual([`from step ${runStep + 1}: learning rate = 0.2`]);
      expect(await run.locator('summary', { hasText: /^Edit log/ }).textContent()).toBe('Edit log (1)');
      expect(await knob.locator('input[type=text]').inputValue()).toBe('0.2');
      expect(await lab.openDialog.count()).toBe(0);
      await lab.settled(() => lab.step(), 'the step after the live change');
      expect(await lab.step()).toBe(step);
      // the shared value and the other runs are untouched
      expect(await lab.sharedKnob('lr').locator('input[type=text]').inputValue()).toBe('0.05');
      for (const other of DEFAULT_RUNS.filter((r) => r !== 'REINFORCE')) {
        expect(await lab.runSetup(other).locator('summary', { hasText: /^Edit log/ }).textContent(), other).toBe('Edit log (0)');
      }
      // training goes on from there with the change kept
      await lab.stepTimes(1);
      expect(await run.locator('ol.edit-log li span').allTextContents()).toEqual([`from step ${runStep + 1}: learning rate = 0.2`]);
    }));

  it('a restart-type knob (shared N) asks first: Keep training keeps the step, Restart goes back to step 0 with N = 4', () =>
    withLab(async (lab) => {
      const step = await lab.playFor(600);
      expect(step).toBeGreaterThan(0);
      const knob = lab.sharedKnob('N');
      const input = knob.locator('input[type=text]');
      expect(await knob.locator('label').textContent()).toBe('Samples per prompt (N)');
      expect((await knob.locator('.badge').textContent())?.trim()).toBe('restarts');
      expect(await input.inputValue()).toBe('10');

      const dialog = lab.page.getByRole('alertdialog', { name: 'Restart every run?' });
      await lab.commitKnob(knob, '4');
      await dialog.waitFor({ timeout: ACTION_TIMEOUT });
      expect(await dialog.textContent()).toContain('Samples per prompt (N) = 4');
      await dialog.getByRole('button', { name: 'Keep training' }).click();
      await expect.poll(() => lab.openDialog.count(), { timeout: ACTION_TIMEOUT }).toBe(0);
      expect(await lab.step()).toBe(step);
      // the change was not applied, so the field shows the value in effect again
      await expect.poll(() => input.inputValue(), { timeout: ACTION_TIMEOUT, message: 'after "Keep training" the N field should show the value in effect (10)' }).toBe('10');
      await lab.settled(() => lab.step(), 'the step after Keep training');
      expect(await lab.step()).toBe(step);

      await lab.commitKnob(knob, '4');
      await dialog.waitFor({ timeout: ACTION_TIMEOUT });
      await dialog.getByRole('button', { name: 'Restart with this change' }).click();
      await lab.waitForStep((s) => s === 0, '0 after "Restart with this change"');
      await expect.poll(() => lab.openDialog.count()).toBe(0);
      await lab.waitReady();
      expect(await input.inputValue()).toBe('4');
      const cards = await lab.cardReadings();
      for (const run of DEFAULT_RUNS) expect(cards[run].state, run).toMatch(/^step 0 of \d+ · epoch 1$/);
    }));

  it('a live knob’s slider, moved with the keyboard, changes the value from the next step and logs it once per move', () =>
    withLab(async (lab) => {
      const step = await lab.stepTimes(5);
      const slider = lab.sharedKnob('lr').getByRole('slider', { name: 'Learning rate slider' });
      await slider.focus();
      await slider.press('ArrowRight');
      const field = lab.sharedKnob('lr').locator('input[type=text]');
      await expect.poll(() => field.inputValue(), { timeout: ACTION_TIMEOUT }).not.toBe('0.05');
      const value = await field.inputValue();
      // one press: one entry per run, at the step the runs were on, and no restart
      for (const run of DEFAULT_RUNS) {
        const entry = lab.runSetup(run).locator('ol.edit-log li');
        await expect.poll(() => entry.count(), { timeout: ACTION_TIMEOUT, message: run }).toBe(1);
        expect((await entry.textContent())?.startsWith(`from step ${step + 1}: learning rate = ${value}`), run).toBe(true);
      }
      expect(await lab.step()).toBe(step);
      expect(await lab.openDialog.count()).toBe(0);
    }));

  it('an invalid value (Learning rate −1) shows the schema’s message beside the field and changes nothing', () =>
    withLab(async (lab) => {
      const step = await lab.stepTimes(3);
      const before = await lab.settledPicture();
      const knob = lab.sharedKnob('lr');
      const input = knob.locator('input[type=text]');
      await lab.commitKnob(knob, '-1');
      const error = knob.locator('p.knob-error[role=alert]');
      await error.waitFor({ timeout: ACTION_TIMEOUT });
      expect(await error.textContent()).toBe('Learning rate must be a number greater than 0 and at most 100 (got -1)');
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      expect(await input.inputValue()).toBe('-1');
      expect(await lab.openDialog.count()).toBe(0);
      await lab.page.waitForTimeout(300);
      expect(await lab.step()).toBe(step);
      expect(await lab.settledPicture()).toEqual(before);
      for (const run of DEFAULT_RUNS) expect(await lab.runSetup(run).locator('summary', { hasText: /^Edit log/ }).textContent(), run).toBe('Edit log (0)');
      // Escape gives the field back its value
      await input.press('Escape');
      await expect.poll(() => input.inputValue()).toBe('0.05');
      expect(await error.count()).toBe(0);
      expect(await lab.step()).toBe(step);
    }));

  it('Reset returns to the same first frame, and 25 steps give the same numbers twice', () =>
    withLab(async (lab) => {
      const first = await lab.settledPicture();
      const firstCharts = await lab.settled(() => lab.allChartPaths(), 'the charts at step 0');
      await lab.playFor(800);
      const trained = await lab.settledPicture();
      expect(trained.pixels, 'training did not change the canvases').not.toEqual(first.pixels);
      expect(trained.cards).not.toEqual(first.cards);

      await lab.reset();
      await expect.poll(() => lab.settledPicture(), { timeout: ACTION_TIMEOUT, message: 'after Reset the cards differ from the first frame' }).toEqual(first);
      await expect.poll(() => lab.allChartPaths(), { timeout: ACTION_TIMEOUT, message: 'after Reset the charts differ from the first frame' }).toEqual(firstCharts);

      expect(await lab.stepTimes(25)).toBe(25);
      const once = await lab.settledPicture();
      const onceCharts = await lab.settled(() => lab.allChartPaths(), 'the charts at step 25');
      for (const run of DEFAULT_RUNS) expect(once.cards[run].state, run).toMatch(/^step 25 of /);
      await lab.reset();
      expect(await lab.stepTimes(25)).toBe(25);
      await expect.poll(() => lab.settledPicture(), { timeout: ACTION_TIMEOUT, message: 'step 25 differs between two replays' }).toEqual(once);
      await expect.poll(() => lab.allChartPaths(), { timeout: ACTION_TIMEOUT, message: 'the charts at step 25 differ between two replays' }).toEqual(onceCharts);
    }));

  it('works from the keyboard alone: Tab to Play, Enter, Space, →, ., k, r, ? and Escape', () =>
    withLab(async (lab) => {
      const { page } = lab;
      const playFocused = () => page.evaluate(() => document.activeElement?.closest('[role=toolbar]') !== null && /^(Play|Pause)$/.test(document.activeElement?.textContent?.trim() ?? ''));
      let tabs = 0;
      while (!(await playFocused())) {
        expect(tabs, 'Play did not receive focus within 8 presses of Tab').toBeLessThan(8);
        await page.keyboard.press('Tab');
        tabs++;
      }
      // Enter and Space on the focused button
      await page.keyboard.press('Enter');
      await expect.poll(() => lab.playLabel(), { timeout: ACTION_TIMEOUT }).toBe('Pause');
      await lab.waitForStep((s) => s > 0, 'above 0 after Enter on Play');
      await page.keyboard.press('Space');
      await lab.waitPaused();
      expect(await playFocused()).toBe(true);

      // shortcuts with the focus on the page itself
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
      const step = await lab.step();
      await page.keyboard.press('ArrowRight');
      await lab.waitForStep((s) => s === step + 1, `${step + 1} after →`);
      await page.keyboard.press('.');
      await lab.waitForStep((s) => s === step + 2, `${step + 2} after .`);
      await page.keyboard.press('Space');
      await expect.poll(() => lab.playLabel(), { timeout: ACTION_TIMEOUT, message: 'Space on the page did not play' }).toBe('Pause');
      await lab.waitForStep((s) => s > step + 2, 'moving after Space');
      await page.keyboard.press('k');
      await lab.waitPaused();
      await page.keyboard.press('r');
      await lab.waitForStep((s) => s === 0, '0 after r');

      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await help.waitFor({ timeout: ACTION_TIMEOUT });
      const keys = await help.locator('kbd').allTextContents();
      for (const key of ['Space or K', '→ or .', 'E', 'R', '+ / −', 'A', '?', 'Esc']) expect(keys, key).toContain(key);
      expect(await help.locator('tr', { hasText: 'Space or K' }).textContent()).toContain('Play / pause');
      await page.keyboard.press('Escape');
      await expect.poll(() => lab.openDialog.count(), { timeout: ACTION_TIMEOUT, message: 'Escape did not close the help' }).toBe(0);
      // and it opens again (the store knows it was closed)
      await page.keyboard.press('?');
      await help.waitFor({ timeout: ACTION_TIMEOUT });
      await page.keyboard.press('Escape');
      await expect.poll(() => lab.openDialog.count(), { timeout: ACTION_TIMEOUT }).toBe(0);
      expect(await lab.step()).toBe(0);
    }));

  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`screenshots after about 2 s of training at ${viewport.width}×${viewport.height}${name === 'phone' ? ', with no horizontal overflow' : ''}`, () =>
      withLab(async (lab) => {
        const { page } = lab;
        const overflow = () => page.evaluate(() => document.documentElement.scrollWidth);
        if (name === 'phone') expect(await overflow(), 'horizontal overflow at step 0').toBeLessThanOrEqual(viewport.width);
        await lab.playFor(2000);
        await lab.settled(() => lab.allChartPaths(), 'the charts after training');
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `test-artifacts/lab-${name}.png`, fullPage: false });
        await page.screenshot({ path: `test-artifacts/lab-${name}-full.png`, fullPage: true });
        if (name === 'phone') expect(await overflow(), 'horizontal overflow after training').toBeLessThanOrEqual(viewport.width);
      }, viewport));
  }

  it('the reward editor: R2 applied at step 0 retrains on reward R2 at once', () =>
    withLab(async (lab) => {
      const { page } = lab;
      const bandit = page.locator('.readout div', { has: page.locator('dt', { hasText: 'bandit' }) }).locator('dd');
      expect(await bandit.textContent()).toBe('100 bins · reward R1');
      const rewardR1 = await lab.cardNumber('REINFORCE', 'expected_reward');
      const section = lab.setupSection('Reward, reference & seed');
      expect(await section.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      await section.locator('summary').first().click();
      const r2 = section.getByRole('radio', { name: /^R2 —/ });
      await r2.check();
      const apply = section.getByRole('button', { name: 'Apply (resets all runs)' });
      await apply.click();
      await expect.poll(() => bandit.textContent(), { timeout: ACTION_TIMEOUT }).toBe('100 bins · reward R2');
      expect(await lab.openDialog.count(), 'at step 0 the change applies without asking').toBe(0);
      await lab.waitReady();
      expect(await lab.step()).toBe(0);
      await expect.poll(() => lab.cardNumber('REINFORCE', 'expected_reward'), { timeout: ACTION_TIMEOUT }).not.toBe(rewardR1);
      expect(await r2.isChecked()).toBe(true);
      expect(await apply.isDisabled(), 'nothing left to apply').toBe(true);
    }));

  it('the reward editor: a table drawn by dragging across the bars is the reward the runs train on', () =>
    withLab(async (lab) => {
      const { page } = lab;
      const section = lab.setupSection('Reward, reference & seed');
      await section.locator('summary').first().click();
      await section.getByRole('radio', { name: /^Custom table/ }).check();
      const chart = section.getByRole('slider', { name: 'Reward per bin' });
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.boundingBox())!;
      // a fast stroke near the top, from bin ~10 to bin ~30: every bin in between is painted
      const x = (bin: number) => box.x + ((bin + 0.5) / 100) * box.width;
      await page.mouse.move(x(10), box.y + 8);
      await page.mouse.down();
      await page.mouse.move(x(30), box.y + 8, { steps: 2 });
      await page.mouse.up();
      await section.getByRole('button', { name: 'Apply (resets all runs)' }).click();
      const bandit = page.locator('.readout div', { has: page.locator('dt', { hasText: 'bandit' }) }).locator('dd');
      await expect.poll(() => bandit.textContent(), { timeout: ACTION_TIMEOUT }).toBe('100 bins · reward custom');
      const reward = (await page.evaluate(() => (window as any).modeLab.getState().config.reward)) as { kind: string; values: number[] };
      expect(reward.kind).toBe('custom');
      expect(reward.values).toHaveLength(100);
      // the painted stroke is the new maximum, flat across bins 10..30, and R1's peak (bin 70) is untouched
      const painted = reward.values.slice(10, 31);
      for (const v of painted) expect(v).toBeCloseTo(painted[0], 1);
      expect(painted[0]).toBeGreaterThan(1);
      expect(reward.values[70]).toBeCloseTo(1, 6);
      // and the lab trains on it: the peak window moved to the painted plateau
      const info = (await page.evaluate(() => (window as any).modeLab.getState().info)) as { peakLo: number; peakHi: number };
      expect(info.peakLo).toBeGreaterThanOrEqual(5);
      expect(info.peakHi).toBeLessThanOrEqual(35);
    }));

  it('adds a DPO run (six cards) and removes it again (five)', () =>
    withLab(async (lab) => {
      const { page } = lab;
      await page.getByLabel('New run with').selectOption({ label: 'DPO' });
      await page.getByRole('button', { name: 'Add run', exact: true }).click();
      await lab.waitReady(6);
      expect(await lab.cards.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-run')))).toEqual([...DEFAULT_RUNS, 'DPO']);
      expect(await page.getByRole('list', { name: 'Runs shown in the charts' }).getByRole('checkbox').count()).toBe(6);
      expect(await lab.setupSection(/^Runs \(\d+\)$/).locator('summary h3').first().textContent()).toBe('Runs (6)');
      expect(await lab.openDialog.count()).toBe(0);

      const run = await lab.openRunSetup('DPO');
      await run.getByRole('button', { name: 'Remove', exact: true }).click();
      await lab.waitReady(5);
      expect(await lab.cards.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-run')))).toEqual(DEFAULT_RUNS);
      expect(await lab.setupSection(/^Runs \(\d+\)$/).locator('summary h3').first().textContent()).toBe('Runs (5)');
    }));
});
