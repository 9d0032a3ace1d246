// @vitest-environment happy-dom
/** A chart's SVG as a standalone file: computed styles inline, a white background, the title on top. */
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotSvg, svgSize } from '../../src/app/export/svg-export.ts';
import { xmlProblems } from './xml-check.ts';

afterEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
});

/** an SVG like Recharts draws, styled by a page stylesheet */
function chart(): SVGSVGElement {
  const style = document.createElement('style');
  style.textContent = '.recharts-line path { stroke: rgb(31, 119, 180); stroke-width: 1.8px; fill: none } .tick { font-size: 11px }';
  document.head.append(style);
  document.body.innerHTML = `
    <figure><svg class="recharts-surface" width="400" height="190" viewBox="0 0 400 190">
      <g class="recharts-line"><path d="M0 10L100 20L200 5"/></g>
      <text class="tick" x="10" y="180">0 &lt; 1</text>
    </svg></figure>`;
  return document.querySelector('svg')!;
}

describe('snapshotSvg', () => {
  it('inlines the computed presentation of every element (the page CSS does not travel with the file)', () => {
    const { text } = snapshotSvg(chart());
    expect(xmlProblems(text)).toEqual([]);
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const path = doc.querySelector('path')!;
    expect(path.getAttribute('style')).toMatch(/stroke: rgb\(31, 119, 180\)/);
    expect(path.getAttribute('style')).toMatch(/stroke-width: 1\.8px/);
    expect(doc.querySelector('text')!.getAttribute('style')).toMatch(/font-size: 11px/);
    expect(doc.querySelector('text')!.textContent).toBe('0 < 1');
  });

  it('puts a white background under the picture and the title above it, and sizes the file', () => {
    const snapshot = snapshotSvg(chart(), { title: 'Entropy H(π) & more' });
    expect(xmlProblems(snapshot.text)).toEqual([]);
    expect([snapshot.width, snapshot.height]).toEqual([400, 190 + 24]);
    const doc = new DOMParser().parseFromString(snapshot.text, 'image/svg+xml');
    const root = doc.documentElement;
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect([root.getAttribute('width'), root.getAttribute('height'), root.getAttribute('viewBox')]).toEqual(['400', '214', '0 0 400 214']);
    const elements = Array.from(root.children).map((c) => c.nodeName.toLowerCase());
    expect(elements).toEqual(['title', 'rect', 'text', 'g']);
    expect(root.children[0].textContent).toBe('Entropy H(π) & more');
    expect([root.children[1].getAttribute('width'), root.children[1].getAttribute('fill')]).toEqual(['100%', '#ffffff']);
    expect(root.children[3].getAttribute('transform')).toBe('translate(0 24)');
    expect(root.children[3].querySelector('path')).not.toBeNull();
  });

  it('leaves the page\'s own SVG untouched', () => {
    const svg = chart();
    const before = svg.outerHTML;
    snapshotSvg(svg, { title: 'x' });
    expect(svg.outerHTML).toBe(before);
  });

  it('refuses a chart that has no size yet', () => {
    const svg = chart();
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.removeAttribute('viewBox');
    expect(svgSize(svg)).toEqual({ width: 0, height: 0 });
    expect(() => snapshotSvg(svg)).toThrow('the chart has not been drawn yet (it has no size)');
  });
});
