/**
 * The Sequences page's pure view helpers: tokens as text (∎ once, padding dropped), the most likely
 * token per position, the heatmap's layout, shade and SVG image, the length histogram's summary, and the
 * charts' rows merged by step.
 */
import { describe, expect, it } from 'vitest';
import { mergeRunRows } from '../../src/app/sequences/chart-rows.ts';
import { heatmapLayout, heatmapShade, heatmapTop, shadeColour } from '../../src/app/sequences/draw-heatmap.ts';
import { heatmapSvg } from '../../src/app/sequences/heatmap-image.ts';
import { lengthHistogramSummary, meanLength } from '../../src/app/sequences/LengthHistogram.tsx';
import { SEQUENCE_PRESET_CHOICES } from '../../src/app/sequences/preset-choices.ts';
import { likeliestTokens, likeliestTokensText, sampleTokens } from '../../src/app/sequences/token-text.ts';
import { LENGTH_TASK_PRESETS, OFFICIAL_SEQUENCE_PRESETS } from '../../src/lab/sequence/sequence-presets.ts';
import { metricRow, peakedHeatmap, REFERENCE_LENGTHS, sample } from './fake-neural-worker.ts';

describe('tokens as text', () => {
  it('writes the end token once as ∎ and drops the padding after it', () => {
    expect(sampleTokens(sample([4, 1, 2, 100, 100, 100, 100, 100, 100, 100], 0, 0), 100)).toEqual({ prompt: '4', generated: ['1', '2', '∎'] });
  });

  it('keeps all nine tokens of the bandit (no end token)', () => {
    expect(sampleTokens(sample([3, 20, 21, 22, 23, 24, 25, 26, 27, 28], 0, 0), null).generated).toHaveLength(9);
  });

  it('finds the most likely token per position and says it in words', () => {
    const heatmap = peakedHeatmap(101, 100, 0.9);
    expect(likeliestTokens(heatmap, 9, 101).map((t) => t.token)).toEqual(Array(9).fill(100));
    expect(likeliestTokensText(heatmap, 9, 101, 100)).toMatch(/^position 1: end token \(p 0\.90\); position 2/);
    expect(likeliestTokensText([], 9, 101, 100)).toBe('nothing sampled yet');
  });
});

describe('the heatmap', () => {
  it('lays the tokens across and the end token in its own column at the right', () => {
    const layout = heatmapLayout(205, 108, { positions: 9, vocab: 101, endToken: 100 });
    const end = layout.cell(3, 100);
    expect(end.x + end.width).toBeCloseTo(205);
    expect(end.y).toBeCloseTo(36);
    const last = layout.cell(0, 99);
    expect(last.x + last.width).toBeLessThan(end.x);
    const bandit = heatmapLayout(200, 108, { positions: 9, vocab: 100, endToken: null });
    expect(bandit.cell(0, 99).x + bandit.cell(0, 99).width).toBeCloseTo(200);
  });

  it('shades by √(p / top) on a scale shared by the run and the reference', () => {
    expect(heatmapTop([0.02, 0.3], [0.05])).toBe(0.5);
    expect(heatmapShade(0.125, 0.5)).toBeCloseTo(0.5);
    expect(heatmapShade(2, 0.5)).toBe(1);
    expect(heatmapShade(0, 0.5)).toBe(0);
    expect(shadeColour('#0072B2', 0)).toBe('rgb(255, 255, 255)');
    expect(shadeColour('#0072B2', 1)).toBe('rgb(0, 114, 178)');
  });

  it('saves the run’s and the reference’s heatmaps side by side as one SVG', () => {
    const picture = { values: peakedHeatmap(100, 20, 1), positions: 9, vocab: 100, endToken: null, colour: '#0072B2', top: 1 };
    const svg = heatmapSvg(
      [
        { title: 'run <1> · step 3', picture },
        { title: 'π_ref', picture: { ...picture, colour: '#333333' } },
      ],
      { width: 300, height: 160, title: 'Token heatmaps' },
    );
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain('run &lt;1&gt; · step 3');
    // one shaded cell per position per panel (the rest are p = 0)
    expect(svg.match(/<rect x=/g)).toHaveLength(18);
  });
});

describe('the length histogram', () => {
  it('summarises the run’s and the reference’s lengths, and their means', () => {
    expect(meanLength(REFERENCE_LENGTHS)).toBeCloseTo(5.96, 1);
    const text = lengthHistogramSummary('PPO', [1, 0, 0, 0, 0, 0, 0, 0, 0], REFERENCE_LENGTHS);
    expect(text).toMatch(/^PPO's latest samples by length 1: 100%, 2: 0%/);
    expect(text).toMatch(/Reference: 1: 0%, .* 6: 27%/);
    expect(lengthHistogramSummary('PPO', null, REFERENCE_LENGTHS)).toMatch(/sampled nothing yet/);
  });
});

describe('the charts’ rows', () => {
  it('merge every run’s rows by step, one key per run, skipping missing values', () => {
    const a = { rows: [metricRow(0, 0.1), metricRow(1, 0.2)] };
    const b = { rows: [metricRow(1, 0.5), metricRow(2, 0.6)] };
    expect(mergeRunRows([a, b], 'reward')).toEqual([
      { step: 0, r0: 0.1 },
      { step: 1, r0: 0.2, r1: 0.5 },
      { step: 2, r1: 0.6 },
    ]);
    expect(mergeRunRows([a], 'meanLength')).toEqual([]);
  });
});

describe('the preset choices', () => {
  it('are the four official scripts and the three length comparisons, each with a line on what it shows', () => {
    expect(SEQUENCE_PRESET_CHOICES.map((c) => c.id)).toEqual([...OFFICIAL_SEQUENCE_PRESETS.map((p) => p.id), ...LENGTH_TASK_PRESETS.map((p) => p.id)]);
    for (const choice of SEQUENCE_PRESET_CHOICES) expect(choice.shows.length).toBeGreaterThan(20);
  });
});
