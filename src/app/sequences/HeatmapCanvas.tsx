/**
 * One token heatmap on a canvas, redrawn when its picture changes or its box is resized. Where the
 * browser gives no 2D context (happy-dom in the tests), nothing is drawn and the text alternative stays.
 */
import { useEffect, useRef } from 'react';
import { drawHeatmap, type HeatmapPicture } from './draw-heatmap.ts';

/** CSS px per generated position */
export const HEATMAP_ROW_HEIGHT = 12;

export function HeatmapCanvas({ picture, label }: { picture: HeatmapPicture; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const latest = useRef(picture);
  const width = useRef(0);
  const frame = useRef(0);
  const height = picture.positions * HEATMAP_ROW_HEIGHT;

  const schedule = useRef(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const element = canvas.current;
      const ctx = element?.getContext('2d');
      if (!element || !ctx || width.current === 0) return;
      const shown = latest.current;
      const rows = shown.positions * HEATMAP_ROW_HEIGHT;
      const dpr = window.devicePixelRatio || 1;
      if (element.width !== Math.round(width.current * dpr) || element.height !== Math.round(rows * dpr)) {
        element.width = Math.round(width.current * dpr);
        element.height = Math.round(rows * dpr);
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawHeatmap(ctx, width.current, rows, shown);
    });
  });

  useEffect(() => {
    const element = canvas.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const draw = schedule.current;
    const observer = new ResizeObserver(([entry]) => {
      width.current = entry.contentRect.width;
      draw();
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      if (frame.current) cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, []);

  useEffect(() => {
    latest.current = picture;
    schedule.current();
  }, [picture]);

  return <canvas ref={canvas} className="heatmap-canvas" role="img" aria-label={label} style={{ height }} />;
}
