/**
 * The preset gallery's content: every preset parses and carries its explanation, a verbatim quote and a
 * "predict, then run" question, and every question's stated answer is what the preset's runs show (its
 * seeds, through `runExperiment`, the CLI's code path). Plus F6, paper-claims style: each loss at its own
 * tuned learning rate, and what the runs show about the claim.
 */
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig, parseExperimentConfigOrThrow } from '../src/lab/config/experiment.ts';
import { answerFromRuns, F6_LR_GRID, findPreset, PRESETS, runsReadBy, type AnswerCheck } from '../src/lab/config/presets.ts';
import { runExperiment } from '../src/lab/run-experiment.ts';
import type { SweepBest } from '../src/lab/sweep.ts';
import { meanOf, runCli } from './helpers/cli.ts';

/**
 * The paper's words as spec F quotes them (verbatim; `…` is the quoting author's). A preset's quote must be
 * one of these, or a run of whole words inside one.
 */
const SPEC_F_QUOTES = [
  'On-policy sampling generally improves performance and efficiency, especially in cases when the peak of reward appears farther from the reference policy, even when the reward model is learned from the same preference dataset that methods use without on-policy learning also use. In some cases, sample reuse can reduce the dependency on on-policy sampling of data, but it presents a tradeoff by reducing exploration of the response space.',
  '[We] observe strong and clear trends supporting that on-policy sampling with a smaller but frequently sampled batch results in better performance… The performance degradation with more off-policy updates is substantially milder for R2, indicating that when the peak in the reward function lies in the likely regions of the reference policy, a higher degree of off-policy updates is tolerable.',
  'A negative gradient improves over offline supervised methods when the peak in the reward appears in less likely regions of the reference policy. It can increase the likelihood of the preferred response, when the dispreferred response is sufficiently different from the prefered response, model capacity is large, and the reference initialization is chosen appropriately. If not, the margin between log likelihoods of preferred and dispreferred will still be larger when a negative gradient is used, but the recovered probability mass will go into increasing likelihoods of other responses, not the preferred response necessarily.',
  'On-policy sampling and offline negative gradients present complementary benefits, in that the best offline loss function with negative gradients can be used to train on on-policy data, improving over on-policy RL or supervised learning. Conceptually, while sampling responses on-policy provides coverage of the response space, an effective negative gradient loss provides a stronger learning signal given a set of samples.',
  'Online DPO performs the best where optimal policy and reference policy lies far from each other (min length and skew length), and all algorithms perform similarly when these two policies are close (mode length).',
];

const PAPER_FIGURES = ['f1-r1', 'f1-r2', 'f2-r1', 'f2-r2', 'f3-r1', 'f4-r1', 'f4-r2', 'f5-r1', 'f6-r1'];

describe('preset content', () => {
  it('covers the paper\'s figures F1–F6 and the official scripts, with unique names', () => {
    const names = PRESETS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(PAPER_FIGURES));
    expect(names.filter((n) => n.startsWith('script-'))).toHaveLength(5);
  });

  for (const preset of PRESETS) {
    describe(preset.name, () => {
      it('parses, and every run a question reads exists', () => {
        const parsed = parseExperimentConfig(preset.config);
        expect(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.errors)).toBe(true);
        if (!parsed.ok) return;
        const runNames = parsed.config.runs.map((r) => r.name);
        for (const name of runsReadBy(preset.question.check)) expect(runNames).toContain(name);
        expect(preset.seeds.length).toBeGreaterThan(0);
      });

      it('has a title, a description, what to look for and a one-paragraph explanation', () => {
        for (const text of [preset.title, preset.description, preset.lookFor, preset.explanation]) {
          expect(text.trim().length).toBeGreaterThan(20);
          expect(text).not.toMatch(/\n/);
        }
      });

      it('quotes the paper verbatim (spec F), with its source', () => {
        expect(preset.quote.source).toMatch(/^paper/);
        expect(SPEC_F_QUOTES.some((quote) => quote.includes(preset.quote.text))).toBe(true);
        // whole sentences, not a fragment cut mid-word
        expect(preset.quote.text).toMatch(/^[A-Z[]/);
      });

      it('asks a well-formed question', () => {
        const { question } = preset;
        expect(question.prompt.trim()).toMatch(/\?$/);
        expect(question.options.length).toBeGreaterThanOrEqual(2);
        expect(new Set(question.options).size).toBe(question.options.length);
        expect(Number.isInteger(question.answer)).toBe(true);
        expect(question.answer).toBeGreaterThanOrEqual(0);
        expect(question.answer).toBeLessThan(question.options.length);
        expect(question.reveal.trim().length).toBeGreaterThan(20);
        const { check } = question;
        if (check.kind === 'pick-run') {
          expect(check.runs).toHaveLength(question.options.length);
        } else {
          expect(check.bounds).toHaveLength(question.options.length - 1);
          expect([...check.bounds].sort((a, b) => a - b)).toEqual(check.bounds);
          expect(check.of.length).toBeGreaterThan(0);
        }
      });

      it('states the answer its runs give', () => {
        const results = runExperiment(parseExperimentConfigOrThrow(preset.config), preset.seeds);
        const fromRuns = answerFromRuns(preset.question.check, results);
        expect(fromRuns.values.every((v) => !Number.isNaN(v))).toBe(true);
        expect(
          fromRuns.answer,
          `${preset.name}: the runs give option ${fromRuns.answer} ("${preset.question.options[fromRuns.answer]}", values ${fromRuns.values.join(', ')})`,
        ).toBe(preset.question.answer);
      });
    });
  }
});

describe('answerFromRuns', () => {
  const config = parseExperimentConfigOrThrow({
    reward: { kind: 'gaussian', centre: 20, width: 10 },
    defaults: { lr: 0.05, steps: 60 },
    runs: [
      { name: 'fast', objective: 'reinforce', lr: 0.5 },
      { name: 'slow', objective: 'reinforce', lr: 0.001 },
    ],
  });
  const results = runExperiment(config, [1, 2]);
  const finalReward = { metric: 'expected_reward', at: 'final' } as const;
  const mean = (run: number) => results.reduce((a, r) => a + r.summaries[run].finalExpectedReward, 0) / results.length;

  it('pick-run: the option of the run with the highest (lowest) mean over seeds', () => {
    const highest: AnswerCheck = { kind: 'pick-run', measure: finalReward, rule: 'highest', runs: ['slow', 'fast'] };
    expect(answerFromRuns(highest, results)).toEqual({ answer: 1, values: [mean(1), mean(0)] });
    expect(answerFromRuns({ ...highest, rule: 'lowest' }, results).answer).toBe(0);
  });

  it('interval: which of the intervals cut by the bounds holds the difference', () => {
    const difference = mean(0) - mean(1);
    expect(difference).toBeGreaterThan(0.1);
    const check = (bounds: number[]): AnswerCheck => ({ kind: 'interval', measure: finalReward, of: ['fast'], minus: ['slow'], bounds });
    expect(answerFromRuns(check([0.05]), results)).toEqual({ answer: 1, values: [difference] });
    expect(answerFromRuns(check([difference + 0.01]), results).answer).toBe(0);
    // a bound equal to the value belongs to the interval above it
    expect(answerFromRuns(check([difference - 0.5, difference]), results).answer).toBe(2);
    // a group counts with its best run
    expect(answerFromRuns({ kind: 'interval', measure: finalReward, of: ['slow', 'fast'], bounds: [mean(0)] }, results).answer).toBe(1);
  });

  it('reads a metric at a given step, the area under the reward curve, and the first step at 0.8 (never = +∞)', () => {
    const at = (step: number) => results.reduce((a, r) => a + r.comparison.runs[0].metrics.at('expected_reward', step), 0) / results.length;
    const atStep = answerFromRuns({ kind: 'interval', measure: { metric: 'expected_reward', at: 30 }, of: ['fast'], bounds: [0] }, results);
    expect(atStep.values[0]).toBeCloseTo(at(30), 12);
    const area = answerFromRuns({ kind: 'pick-run', measure: { metric: 'reward_area' }, rule: 'highest', runs: ['fast', 'slow'] }, results);
    expect(area.values[0]).toBeCloseTo(results.reduce((a, r) => a + r.summaries[0].meanExpectedReward, 0) / results.length, 12);
    const first = answerFromRuns({ kind: 'pick-run', measure: { metric: 'first_step_at_reward_0.8' }, rule: 'lowest', runs: ['slow', 'fast'] }, results);
    expect(first.values[0]).toBe(Number.POSITIVE_INFINITY);
    expect(first.answer).toBe(1);
  });

  it('names a missing run or step', () => {
    expect(() => answerFromRuns({ kind: 'interval', measure: finalReward, of: ['nope'], bounds: [0] }, results)).toThrow(/no run is named "nope"/);
    expect(() => answerFromRuns({ kind: 'interval', measure: { metric: 'peak_mass', at: 999 }, of: ['fast'], bounds: [0] }, results)).toThrow(/no step 999/);
  });
});

describe('F6 — on-policy data plus a contrastive loss, each loss at its own tuned learning rate', () => {
  const preset = findPreset('f6-r1')!;
  const lrOf = (run: string) => preset.config.runs.find((r) => r.name === run)!.lr;

  it('every run uses the learning rate the core\'s sweep ranks best by the area under the reward curve', () => {
    const out = runCli(['--preset', 'f6-r1', '--sweep', `lr=${F6_LR_GRID.join(',')}`, '--rank-by', 'area']);
    const best = (out.summary as unknown as { sweep: { best: SweepBest[] } }).sweep.best;
    expect(best.map((b) => b.run)).toEqual(preset.config.runs.map((r) => r.name));
    for (const b of best) expect(b.bestValue, b.run).toBe(lrOf(b.run));
  });

  it('gives every loss the same fresh on-policy data: no sample reuse, the same prompts, samples and steps', () => {
    const config = parseExperimentConfigOrThrow(preset.config);
    expect(config.defaults).toMatchObject({ S: 10, N: 10, T: 1, steps: 300, sampling: 'on-policy' });
    for (const run of config.runs) {
      for (const key of ['S', 'N', 'T', 'M', 'steps', 'sampling', 'optimizer'] as const) expect(run[key], `${run.name}.${key}`).toBeUndefined();
    }
  });

  it('on R1 (seeds 1–5): every loss reaches the peak, and the contrastive losses are not ahead — the claim does not appear on the tabular engine', () => {
    const out = runCli(['--preset', 'f6-r1', '--seeds', '1,2,3,4,5']);
    expect(out.summary.runs.every((r) => !r.diverged)).toBe(true);
    const area = (run: string) => meanOf(out, run, (s) => s.meanExpectedReward);
    const final = (run: string) => meanOf(out, run, (s) => s.finalExpectedReward);
    for (const run of ['on-policy IPO', 'on-policy DPO', 'REINFORCE', 'on-policy best-of-N']) expect(final(run), run).toBeGreaterThanOrEqual(0.95);
    const contrastive = Math.max(area('on-policy IPO'), area('on-policy DPO'));
    const others = Math.max(area('REINFORCE'), area('on-policy best-of-N'));
    // what the runs show: within 0.02, with REINFORCE (on-policy, and itself a negative gradient) on top
    expect(Math.abs(contrastive - others)).toBeLessThan(0.02);
    expect(area('REINFORCE')).toBeGreaterThan(contrastive);
  });
});
