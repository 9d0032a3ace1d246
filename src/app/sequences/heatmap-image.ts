/**
 * Images of a run card's heatmaps for "Save image": the run's and the reference's side by side, with
 * position labels and titles, as SVG (rectangles) or as PNG (drawn with the card's canvas code at twice
 * the size).
 */
import { pngOf, whiteCanvas } from '../export/png-export.ts';
import { escapeXml } from '../export/xml.ts';
import { drawHeatmap, GRID_LINE, heatmapLayout, heatmapShade, shadeColour, type HeatmapPicture } from './draw-heatmap.ts';

export interface HeatmapPanel {
  title: string;
  picture: HeatmapPicture;
}

const PANEL_GAP = 16;
const TITLE_HEIGHT = 22;
const LABEL_WIDTH = 22;

/** Several heatmaps side by side (the run's and the reference's) as a standalone SVG file. */
export function heatmapSvg(panels: readonly HeatmapPanel[], { width, height, title }: { width: number; height: number; title: string }): string {
  const totalWidth = panels.length * (width + LABEL_WIDTH) + (panels.length - 1) * PANEL_GAP + 16;
  const totalHeight = height + 2 * TITLE_HEIGHT + 8;
  const parts: string[] = [];
  panels.forEach((panel, index) => {
    const left = 8 + index * (width + LABEL_WIDTH + PANEL_GAP);
    const top = 2 * TITLE_HEIGHT;
    const layout = heatmapLayout(width, height, panel.picture);
    const { values, positions, vocab, colour } = panel.picture;
    parts.push(`<text x="${left}" y="${TITLE_HEIGHT + 14}" font-size="12" font-family="system-ui, sans-serif">${escapeXml(panel.title)}</text>`);
    parts.push(`<g transform="translate(${left + LABEL_WIDTH} ${top})"><rect width="${width}" height="${height}" fill="#ffffff" stroke="${GRID_LINE}"/>`);
    for (let row = 0; row < positions; row++) {
      parts.push(`<text x="-4" y="${((row + 0.5) * layout.rowHeight + 4).toFixed(1)}" font-size="10" text-anchor="end" font-family="system-ui, sans-serif" fill="#5b5b5b">${row + 1}</text>`);
      for (let token = 0; token < vocab; token++) {
        const shade = heatmapShade(values[row * vocab + token] ?? 0, panel.picture.top);
        if (shade < 0.01) continue;
        const box = layout.cell(row, token);
        parts.push(`<rect x="${box.x.toFixed(2)}" y="${box.y.toFixed(2)}" width="${(box.width + 0.3).toFixed(2)}" height="${box.height.toFixed(2)}" fill="${shadeColour(colour, shade)}"/>`);
      }
    }
    parts.push('</g>');
  });
  const heading = `<text x="8" y="16" font-size="13" font-weight="600" font-family="system-ui, sans-serif" fill="#1a1a1a">${escapeXml(title)}</text>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalWidth}" height="${totalHeight}" viewBox="0 0 ${totalWidth} ${totalHeight}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title><rect width="100%" height="100%" fill="#ffffff"/>`,
    heading,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** The same panels as a PNG, drawn with the canvas code at twice the size. */
export async function heatmapPng(panels: readonly HeatmapPanel[], { width, height, title }: { width: number; height: number; title: string }, scale = 2): Promise<Blob> {
  const totalWidth = panels.length * (width + LABEL_WIDTH) + (panels.length - 1) * PANEL_GAP + 16;
  const totalHeight = height + 2 * TITLE_HEIGHT + 8;
  const { canvas, ctx } = whiteCanvas(totalWidth, totalHeight, scale);
  ctx.fillStyle = '#1a1a1a';
  ctx.font = '600 13px system-ui, sans-serif';
  ctx.fillText(title, 8, 16, totalWidth - 16);
  panels.forEach((panel, index) => {
    const left = 8 + index * (width + LABEL_WIDTH + PANEL_GAP);
    const top = 2 * TITLE_HEIGHT;
    ctx.fillStyle = '#1a1a1a';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText(panel.title, left, TITLE_HEIGHT + 14, width + LABEL_WIDTH);
    ctx.fillStyle = '#5b5b5b';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'right';
    const rowHeight = height / Math.max(1, panel.picture.positions);
    for (let row = 0; row < panel.picture.positions; row++) ctx.fillText(String(row + 1), left + LABEL_WIDTH - 4, top + (row + 0.5) * rowHeight + 4);
    ctx.textAlign = 'left';
    ctx.save();
    ctx.translate(left + LABEL_WIDTH, top);
    drawHeatmap(ctx, width, height, panel.picture);
    ctx.restore();
  });
  return pngOf(canvas);
}
