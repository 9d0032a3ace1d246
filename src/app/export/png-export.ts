/**
 * PNG images of the panels, at twice the CSS size (devicePixelRatio 2) on a white background: a chart by
 * drawing its standalone SVG onto a canvas; a policy card by drawing its picture with the card's own
 * canvas code (`drawPolicy`), under its title.
 */
import { drawPolicy, type PolicyPicture } from '../components/draw-policy.ts';
import { svgBlob } from './svg-export.ts';

export const PNG_SCALE = 2;
const TITLE_HEIGHT = 22;
const PADDING = 8;

export async function svgToPng(svgText: string, width: number, height: number, scale = PNG_SCALE): Promise<Blob> {
  // the image is given the PNG's pixel size, so that the browser renders the vector picture at that size
  // instead of enlarging a bitmap of the CSS size
  const url = URL.createObjectURL(svgBlob(resized(svgText, width * scale, height * scale)));
  try {
    const image = new Image();
    image.src = url;
    await loaded(image);
    const { canvas, ctx } = whiteCanvas(width, height, scale);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await pngOf(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** the same SVG drawn at another size (its viewBox keeps the picture's coordinates) */
function resized(svgText: string, width: number, height: number): string {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = doc.documentElement;
  if (doc.getElementsByTagName('parsererror').length > 0 || root.nodeName !== 'svg') throw new Error('the picture is not valid SVG');
  if (!root.hasAttribute('viewBox')) root.setAttribute('viewBox', `0 0 ${root.getAttribute('width')} ${root.getAttribute('height')}`);
  root.setAttribute('width', String(Math.round(width)));
  root.setAttribute('height', String(Math.round(height)));
  return new XMLSerializer().serializeToString(doc);
}

export interface PolicyPngOptions {
  /** the plot's size in CSS px */
  width: number;
  height: number;
  title: string;
}

export async function policyPng(picture: PolicyPicture, { width, height, title }: PolicyPngOptions, scale = PNG_SCALE): Promise<Blob> {
  const totalWidth = width + 2 * PADDING;
  const totalHeight = height + TITLE_HEIGHT + PADDING;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(totalWidth * scale);
  canvas.height = Math.round(totalHeight * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.scale(scale, scale);
  ctx.save();
  ctx.translate(PADDING, TITLE_HEIGHT);
  drawPolicy(ctx, width, height, picture);
  ctx.restore();
  ctx.fillStyle = '#1a1a1a';
  ctx.font = '600 13px system-ui, sans-serif';
  ctx.fillText(title, PADDING, 15, totalWidth - 2 * PADDING);
  // the background goes under what is drawn (drawPolicy clears its box)
  ctx.globalCompositeOperation = 'destination-over';
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, totalWidth, totalHeight);
  return pngOf(canvas);
}

/** A canvas of `width × height` CSS pixels at `scale`, filled white, its context scaled to CSS pixels. */
export function whiteCanvas(width: number, height: number, scale: number): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  return { canvas, ctx };
}

function loaded(image: HTMLImageElement): Promise<void> {
  if (typeof image.decode === 'function') return image.decode().catch(() => Promise.reject(new Error('the browser could not draw the SVG')));
  return new Promise((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('the browser could not draw the SVG'));
  });
}

export function pngOf(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG'))), 'image/png');
  });
}
