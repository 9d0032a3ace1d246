/**
 * An SVG on the page (a Recharts chart) as a standalone SVG file: the page's CSS does not travel with
 * it, so every element's computed presentation (fill, stroke, fonts, …) is written inline; a white
 * background goes underneath, and the panel's title on top.
 */
/** the presentation properties that decide how an SVG element looks */
const PRESENTATION_PROPERTIES = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-opacity',
  'opacity',
  'visibility',
  'display',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
] as const;

const SVG_NS = 'http://www.w3.org/2000/svg';
const TITLE_HEIGHT = 24;

export interface SvgSnapshot {
  /** the SVG file's text */
  text: string;
  /** its size in CSS px */
  width: number;
  height: number;
}

export interface SnapshotOptions {
  /** a heading above the picture, and the file's accessible name */
  title?: string;
  background?: string;
}

/** The size an SVG is drawn at: its width/height attributes, else its box on the page, else its viewBox. */
export function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.getBoundingClientRect?.();
  const viewBox = svg.getAttribute('viewBox')?.split(/[\s,]+/).map(Number);
  const pick = (attribute: string, measured: number | undefined, fromViewBox: number | undefined) => {
    const given = Number.parseFloat(svg.getAttribute(attribute) ?? '');
    if (given > 0) return given;
    if (measured && measured > 0) return measured;
    return fromViewBox && fromViewBox > 0 ? fromViewBox : 0;
  };
  return { width: pick('width', box?.width, viewBox?.[2]), height: pick('height', box?.height, viewBox?.[3]) };
}

export function snapshotSvg(svg: SVGSVGElement, { title, background = '#ffffff' }: SnapshotOptions = {}): SvgSnapshot {
  const { width, height: plotHeight } = svgSize(svg);
  if (!(width > 0 && plotHeight > 0)) throw new Error('the chart has not been drawn yet (it has no size)');
  const doc = svg.ownerDocument;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineComputedStyles(svg, clone);

  const offset = title ? TITLE_HEIGHT : 0;
  const height = plotHeight + offset;
  const content = doc.createElementNS(SVG_NS, 'g');
  if (offset) content.setAttribute('transform', `translate(0 ${offset})`);
  while (clone.firstChild) content.append(clone.firstChild);

  const backdrop = doc.createElementNS(SVG_NS, 'rect');
  backdrop.setAttribute('width', '100%');
  backdrop.setAttribute('height', '100%');
  backdrop.setAttribute('fill', background);
  clone.append(backdrop);
  if (title) {
    const name = doc.createElementNS(SVG_NS, 'title');
    name.textContent = title;
    const heading = doc.createElementNS(SVG_NS, 'text');
    heading.setAttribute('x', '8');
    heading.setAttribute('y', '16');
    heading.setAttribute('style', 'font-family: system-ui, sans-serif; font-size: 13px; font-weight: 600; fill: #1a1a1a');
    heading.textContent = title;
    clone.prepend(name);
    clone.append(heading);
  }
  clone.append(content);

  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.removeAttribute('style');
  clone.removeAttribute('class');
  if (title) clone.setAttribute('aria-label', title);
  clone.setAttribute('role', 'img');

  const text = new XMLSerializer().serializeToString(clone);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${text}\n`, width, height };
}

/** Copy each element's computed presentation into its copy's `style` (the two trees have the same shape). */
function inlineComputedStyles(original: SVGSVGElement, copy: SVGSVGElement): void {
  const view = original.ownerDocument.defaultView;
  if (!view) return;
  const originals = [original, ...Array.from(original.querySelectorAll('*'))];
  const copies = [copy, ...Array.from(copy.querySelectorAll('*'))];
  originals.forEach((element, i) => {
    const target = copies[i];
    if (!target) return;
    const computed = view.getComputedStyle(element);
    const declarations: string[] = [];
    for (const property of PRESENTATION_PROPERTIES) {
      const value = computed.getPropertyValue(property);
      if (value) declarations.push(`${property}: ${value}`);
    }
    if (declarations.length) target.setAttribute('style', declarations.join('; '));
  });
}

/** The standalone SVG as a file. */
export function svgBlob(text: string): Blob {
  return new Blob([text], { type: 'image/svg+xml;charset=utf-8' });
}
