/**
 * A token heatmap: generated positions 1..9 down, tokens across (the end token, in length tasks, in its
 * own column at the right, after a gap), each cell shaded by its probability. The shade is
 * √(p / top), so that the reference's spread-out marginals (p ≈ 0.02) and a trained run's peaked ones
 * (p ≈ 1) are both visible; `top` is shared by the two heatmaps of a card, so they compare.
 * One layout serves the canvas (`drawHeatmap`) and the image exports (`heatmap-image.ts`).
 */
import { niceCeiling } from '../components/draw-policy.ts';

export interface HeatmapPicture {
  /** row-major positions × vocab */
  values: readonly number[];
  positions: number;
  vocab: number;
  endToken: number | null;
  /** the colour of a cell of probability ≥ top */
  colour: string;
  top: number;
}

export interface HeatmapCell {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** the gap (CSS px) between the ordinary tokens and the end token's column */
export const END_COLUMN_GAP = 3;

export interface HeatmapLayout {
  rowHeight: number;
  /** the box of token `token` at 0-based row `row` */
  cell(row: number, token: number): HeatmapCell;
}

export function heatmapLayout(width: number, height: number, picture: Pick<HeatmapPicture, 'positions' | 'vocab' | 'endToken'>): HeatmapLayout {
  const hasEnd = picture.endToken !== null && picture.endToken < picture.vocab;
  const ordinary = hasEnd ? picture.vocab - 1 : picture.vocab;
  const rowHeight = height / Math.max(1, picture.positions);
  const endWidth = hasEnd ? Math.max(4, (width - END_COLUMN_GAP) / picture.vocab) : 0;
  const tokenWidth = (width - (hasEnd ? endWidth + END_COLUMN_GAP : 0)) / Math.max(1, ordinary);
  return {
    rowHeight,
    cell: (row, token) =>
      hasEnd && token === picture.endToken
        ? { x: width - endWidth, y: row * rowHeight, width: endWidth, height: rowHeight }
        : { x: token * tokenWidth, y: row * rowHeight, width: tokenWidth, height: rowHeight },
  };
}

/** the shared top of two heatmaps' scale: a round number at or above their largest probability */
export function heatmapTop(...heatmaps: ReadonlyArray<readonly number[]>): number {
  let largest = 0;
  for (const values of heatmaps) for (const p of values) if (p > largest) largest = p;
  return niceCeiling(largest);
}

/** 0..1: how dark a cell of probability `p` is drawn */
export function heatmapShade(p: number, top: number): number {
  if (!(p > 0) || !(top > 0)) return 0;
  return Math.sqrt(Math.min(1, p / top));
}

function parseHex(colour: string): [number, number, number] {
  const hex = colour.replace('#', '');
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16) || 0) as [number, number, number];
}

/** white blended toward `colour` by `shade` */
export function shadeColour(colour: string, shade: number): string {
  const rgb = parseHex(colour).map((channel) => Math.round(255 + (channel - 255) * shade));
  return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
}

export const GRID_LINE = '#e4e2dc';

export function drawHeatmap(ctx: CanvasRenderingContext2D, width: number, height: number, picture: HeatmapPicture): void {
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const layout = heatmapLayout(width, height, picture);
  const { values, positions, vocab, colour, top } = picture;
  for (let row = 0; row < positions; row++) {
    for (let token = 0; token < vocab; token++) {
      const shade = heatmapShade(values[row * vocab + token] ?? 0, top);
      if (shade < 0.01) continue;
      const box = layout.cell(row, token);
      ctx.fillStyle = shadeColour(colour, shade);
      // a hair wider than the cell, so neighbouring cells leave no seams
      ctx.fillRect(box.x, box.y, box.width + 0.5, box.height);
    }
  }
  ctx.strokeStyle = GRID_LINE;
  ctx.lineWidth = 1;
  for (let row = 1; row < positions; row++) {
    const y = Math.round(row * layout.rowHeight) + 0.5;
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
    ctx.stroke();
  }
  if (picture.endToken !== null && picture.endToken < vocab) {
    const end = layout.cell(0, picture.endToken);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(end.x - END_COLUMN_GAP, 0, END_COLUMN_GAP, height);
  }
}
