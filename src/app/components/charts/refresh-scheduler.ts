/**
 * Keeps the metric charts inside the frame budget: when the streamed data change, charts are redrawn
 * one per animation frame, in turn, and each at most every `MIN_INTERVAL_MS` — a Recharts update costs
 * 15–50 ms on a slow machine (platform-notes §6.14), so redrawing all of them in one frame would block it.
 */
import { useEffect, useState } from 'react';
import type { LiveView } from '../../store/live-view.ts';

const MIN_INTERVAL_MS = 150;

interface Entry {
  drawnVersion: number;
  drawnAt: number;
  redraw: () => void;
}

export class RefreshScheduler {
  private readonly entries: Entry[] = [];
  private cursor = 0;
  private frame = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly view: LiveView) {}

  register(redraw: () => void): () => void {
    const entry: Entry = { drawnVersion: -1, drawnAt: -Infinity, redraw };
    this.entries.push(entry);
    if (!this.unsubscribe) this.unsubscribe = this.view.subscribe(() => this.request());
    this.request();
    return () => {
      this.entries.splice(this.entries.indexOf(entry), 1);
      if (this.entries.length === 0) {
        this.unsubscribe?.();
        this.unsubscribe = null;
        if (this.frame) cancelAnimationFrame(this.frame);
        this.frame = 0;
      }
    };
  }

  private request(): void {
    if (!this.frame) this.frame = requestAnimationFrame((now) => this.onFrame(now));
  }

  private onFrame(now: number): void {
    this.frame = 0;
    const { entries, view } = this;
    let waiting = false;
    for (let tried = 0; tried < entries.length; tried++) {
      const entry = entries[(this.cursor + tried) % entries.length];
      if (entry.drawnVersion === view.version) continue;
      if (now - entry.drawnAt < MIN_INTERVAL_MS) {
        waiting = true;
        continue;
      }
      entry.drawnVersion = view.version;
      entry.drawnAt = now;
      entry.redraw();
      this.cursor = (entries.indexOf(entry) + 1) % entries.length;
      waiting = true;
      break;
    }
    if (waiting || entries.some((e) => e.drawnVersion !== view.version)) this.request();
  }
}

/** A number that changes whenever the scheduler lets this chart redraw. */
export function useRefreshTick(scheduler: RefreshScheduler): number {
  const [tick, setTick] = useState(0);
  useEffect(() => scheduler.register(() => setTick((t) => t + 1)), [scheduler]);
  return tick;
}
