/**
 * A policy card's picture as a standalone SVG: the same picture the card's canvas shows (`drawPolicy`),
 * from the same data and the same layout — the peak window, one bar per bin, π_ref as an outline, the
 * reward as a dashed curve on its own scale, and the last minibatch's samples as ticks — with a title
 * and a white background. Pure string building, so it needs no DOM.
 */
import { PEAK_WINDOW, REFERENCE_OUTLINE, REWARD_CURVE } from '../colours.ts';
import { AXIS_LINE, policyLayout, tickColour, TICK_SIGNS, type PolicyPicture } from '../components/draw-policy.ts';
import { escapeXml } from './xml.ts';

export interface PolicySvgOptions {
  /** the plot's size in CSS px (the card's canvas: its width, `HEIGHT` tall) */
  width: number;
  height: number;
  /** a heading above the plot, and the SVG's accessible name */
  title: string;
  /** a longer description (the card's summary for screen readers) */
  description?: string;
}

const TITLE_HEIGHT = 22;
const PADDING = 8;

/** a coordinate with at most three decimals (a hundredth of a pixel is plenty, and keeps files small) */
function n(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

export function policySvg(picture: PolicyPicture, { width, height, title, description }: PolicySvgOptions): string {
  const layout = policyLayout(width, height, picture);
  const { K, plotH, binW, x, y, rewardY, barGap, tickSpan, tickWidth } = layout;
  const totalWidth = width + 2 * PADDING;
  const totalHeight = height + TITLE_HEIGHT + PADDING;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(totalWidth)}" height="${n(totalHeight)}" viewBox="0 0 ${n(totalWidth)} ${n(totalHeight)}" role="img" aria-labelledby="policy-title${description ? ' policy-desc' : ''}">`,
    `<title id="policy-title">${escapeXml(title)}</title>`,
  );
  if (description) parts.push(`<desc id="policy-desc">${escapeXml(description)}</desc>`);
  parts.push(
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${PADDING}" y="15" font-family="system-ui, sans-serif" font-size="13" font-weight="600" fill="#1a1a1a">${escapeXml(title)}</text>`,
    `<g transform="translate(${PADDING} ${TITLE_HEIGHT})">`,
    `<rect class="peak-window" x="${n(x(picture.peakLo))}" y="0" width="${n((picture.peakHi - picture.peakLo + 1) * binW)}" height="${n(plotH)}" fill="${PEAK_WINDOW}"/>`,
  );

  // one bar per bin (an empty bin gets a bar of height 0, so that bins and bars correspond one to one)
  parts.push(`<g class="bars" fill="${escapeXml(picture.colour)}">`);
  for (let a = 0; a < K; a++) {
    const top = Math.min(y(picture.probs[a]), plotH);
    const barHeight = plotH - top;
    parts.push(`<rect class="bar" data-bin="${a}" x="${n(x(a) + barGap / 2)}" y="${n(top)}" width="${n(Math.max(0.5, binW - barGap))}" height="${n(barHeight > 0.1 ? barHeight : 0)}"/>`);
  }
  parts.push('</g>');

  let outline = '';
  for (let a = 0; a < K; a++) {
    const ya = n(y(picture.refProbs[a]));
    outline += a === 0 ? `M${n(x(0))} ${ya}` : `L${n(x(a))} ${ya}`;
    outline += `L${n(x(a + 1))} ${ya}`;
  }
  parts.push(`<path class="reference" d="${outline}" fill="none" stroke="${REFERENCE_OUTLINE}" stroke-width="1"/>`);

  let reward = '';
  for (let a = 0; a < K; a++) reward += `${a === 0 ? 'M' : 'L'}${n(x(a + 0.5))} ${n(rewardY(a))}`;
  parts.push(`<path class="reward" d="${reward}" fill="none" stroke="${REWARD_CURVE}" stroke-width="1" stroke-dasharray="4 3"/>`);

  parts.push(`<line class="axis" x1="0" y1="${n(plotH + 0.5)}" x2="${n(width)}" y2="${n(plotH + 0.5)}" stroke="${AXIS_LINE}" stroke-width="1"/>`);

  for (const sign of TICK_SIGNS) {
    const [top, bottom] = tickSpan(sign);
    let ticks = '';
    for (let i = 0; i < picture.sampleBins.length; i++) {
      if (Math.sign(picture.sampleCoefficients[i]) !== sign) continue;
      ticks += `M${n(x(picture.sampleBins[i] + 0.5))} ${n(top)}V${n(bottom)}`;
    }
    const name = sign > 0 ? 'pushed-up' : sign < 0 ? 'pushed-down' : 'neutral';
    if (ticks) parts.push(`<path class="ticks ${name}" d="${ticks}" stroke="${tickColour(sign)}" stroke-width="${n(tickWidth)}"/>`);
  }
  parts.push('</g>', '</svg>');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${parts.join('\n')}\n`;
}
