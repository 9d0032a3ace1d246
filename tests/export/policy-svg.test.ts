// @vitest-environment happy-dom
/** A policy card as SVG: valid SVG, one bar per bin, and the same picture the card's canvas draws. */
import { describe, expect, it } from 'vitest';
import { policySvg } from '../../src/app/export/policy-svg.ts';
import { drawPolicy, policyLayout, type PolicyPicture } from '../../src/app/components/draw-policy.ts';
import { xmlProblems } from './xml-check.ts';

function picture(K: number): PolicyPicture {
  const probs = new Float64Array(K).map((_, a) => (a + 1) / ((K * (K + 1)) / 2));
  const refProbs = new Float64Array(K).fill(1 / K);
  const reward = new Float64Array(K).map((_, a) => Math.exp(-(((a - K / 2) / 3) ** 2)));
  return {
    probs,
    refProbs,
    reward,
    peakLo: 2,
    peakHi: 4,
    sampleBins: Int32Array.from([1, 1, 3, 5, 6]),
    sampleCoefficients: Float64Array.from([0.5, -0.2, 0, 1, -3]),
    colour: '#1f77b4',
    yMax: 0.5,
  };
}

function parse(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc;
}

const OPTIONS = { width: 300, height: 132, title: 'REINFORCE · step 12' };

describe('policySvg', () => {
  it('is well-formed SVG in the SVG namespace, with a title, a description and a white background', () => {
    const text = policySvg(picture(10), { ...OPTIONS, description: 'REINFORCE: 40% of the mass <in> the window & more' });
    expect(xmlProblems(text)).toEqual([]);
    const doc = parse(text);
    const root = doc.documentElement;
    expect(root.nodeName).toBe('svg');
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(root.getElementsByTagName('title')[0].textContent).toBe('REINFORCE · step 12');
    expect(root.getElementsByTagName('desc')[0].textContent).toBe('REINFORCE: 40% of the mass <in> the window & more');
    const background = root.getElementsByTagName('rect')[0];
    expect([background.getAttribute('width'), background.getAttribute('fill')]).toEqual(['100%', '#ffffff']);
  });

  for (const K of [2, 7, 100, 1000]) {
    it(`draws one bar per bin (K = ${K}), in bin order`, () => {
      const text = policySvg(picture(K), OPTIONS);
      expect(xmlProblems(text)).toEqual([]);
      const bars = Array.from(parse(text).querySelectorAll('rect.bar'));
      expect(bars).toHaveLength(K);
      expect(bars.map((b) => Number(b.getAttribute('data-bin')))).toEqual(Array.from({ length: K }, (_, a) => a));
    });
  }

  it('draws what the canvas draws: the same bars, window, π_ref outline, dashed reward and ticks', () => {
    const p = picture(10);
    const calls: Array<[string, number[]]> = [];
    const ctx = new Proxy({} as Record<string, unknown>, {
      get: (target, key) => (key in target ? target[key as string] : (...args: number[]) => calls.push([String(key), args])),
      set: (target, key, value) => ((target[key as string] = value), true),
    }) as unknown as CanvasRenderingContext2D;
    drawPolicy(ctx, 300, 132, p);
    const canvasRects = calls.filter(([name]) => name === 'fillRect').map(([, args]) => args.map((v) => Math.round(v * 1000) / 1000));
    const doc = parse(policySvg(p, OPTIONS));
    const rect = (el: Element) => ['x', 'y', 'width', 'height'].map((k) => Number(el.getAttribute(k)));
    // the canvas fills the window first, then every bar taller than 0.1 px
    expect(rect(doc.querySelector('rect.peak-window')!)).toEqual(canvasRects[0]);
    expect(Array.from(doc.querySelectorAll('rect.bar')).map(rect)).toEqual(canvasRects.slice(1));
    const { plotH, x, y } = policyLayout(300, 132, p);
    // the tallest bar is π's largest bin, scaled to yMax
    expect(Number(doc.querySelector('rect.bar[data-bin="9"]')!.getAttribute('height'))).toBeCloseTo(plotH - y(p.probs[9]), 2);
    const outline = doc.querySelector('path.reference')!.getAttribute('d')!;
    expect(outline.match(/[ML]/g)).toHaveLength(20);
    expect(outline.startsWith(`M0 ${Math.round(y(0.1) * 1000) / 1000}`)).toBe(true);
    const reward = doc.querySelector('path.reward')!;
    expect(reward.getAttribute('stroke-dasharray')).toBe('4 3');
    expect(reward.getAttribute('d')!.match(/[ML]/g)).toHaveLength(10);
    // ticks: 2 pushed up (bins 1 and 5), 2 pushed down (bins 1 and 6), 1 neutral (bin 3), each at its bin's centre
    const ticks = (name: string) => doc.querySelector(`path.ticks.${name}`)!.getAttribute('d')!.match(/M[\d.]+/g)!.map((m) => Number(m.slice(1)));
    expect(ticks('pushed-up')).toEqual([x(1.5), x(5.5)]);
    expect(ticks('pushed-down')).toEqual([x(1.5), x(6.5)]);
    expect(ticks('neutral')).toEqual([x(3.5)]);
  });

  it('escapes a hostile title', () => {
    const text = policySvg(picture(5), { ...OPTIONS, title: '</title><script>alert("x")</script>&' });
    expect(xmlProblems(text)).toEqual([]);
    expect(text).not.toContain('<script>');
    const doc = parse(text);
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    expect(doc.getElementsByTagName('title')[0].textContent).toBe('</title><script>alert("x")</script>&');
  });

  it('the checker itself rejects broken SVG', () => {
    expect(xmlProblems('<svg><rect></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><rect x="NaN"/></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg>a & b</svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><g a="1" a="2"/></svg>')).not.toEqual([]);
  });
});
