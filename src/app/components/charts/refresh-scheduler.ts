/**
 * Keeps the metric charts inside the frame budget. A Recharts update costs about 10 ms here, and more
 * when the garbage collector joins in (platform-notes §6.14), so when the streamed data change:
 *   - charts are redrawn one per animation frame, in turn, each at most every `MIN_INTERVAL_MS`;
 *   - while data stream in, a chart scrolled out of view waits until it comes back into view; once the
 *     stream has been quiet for `QUIET_MS` (paused, finished), every chart catches up.
 * The policy canvases are the smooth, every-frame view; the charts follow a few times a second.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { LiveView } from '../../store/live-view.ts';

const MIN_INTERVAL_MS = 300;
const QUIET_MS = 500;

/** per chart: how many redraws and how long they took (ms); the benchmark reads and resets it */
export const chartTimings: Record<string, { count: number; totalMs: number; maxMs: number }> = {};

function recordTiming(name: string, ms: number): void {
  const t = (chartTimings[name] ??= { count: 0, totalMs: 0, maxMs: 0 });
  t.count++;
  t.totalMs += ms;
  t.maxMs = Math.max(t.maxMs, ms);
}

interface Entry {
  name: string;
  drawnVersion: number;
  drawnAt: number;
  visible: boolean;
  redraw: () => void;
}

export class RefreshScheduler {
  private readonly entries: Entry[] = [];
  private cursor = 0;
  private frame = 0;
  private unsubscribe: (() => void) | null = null;
  private lastChange = -Infinity;

  constructor(private readonly view: LiveView) {}

  register(name: string, redraw: () => void): { setVisible(visible: boolean): void; unregister(): void } {
    const entry: Entry = { name, drawnVersion: -1, drawnAt: -Infinity, visible: true, redraw };
    this.entries.push(entry);
    if (!this.unsubscribe) {
      this.unsubscribe = this.view.subscribe(() => {
        this.lastChange = performance.now();
        this.request();
      });
    }
    this.request();
    return {
      setVisible: (visible) => {
        entry.visible = visible;
        if (visible) this.request();
      },
      unregister: () => {
        this.entries.splice(this.entries.indexOf(entry), 1);
        if (this.entries.length === 0) {
          this.unsubscribe?.();
          this.unsubscribe = null;
          if (this.frame) cancelAnimationFrame(this.frame);
          this.frame = 0;
        }
      },
    };
  }

  private request(): void {
    if (!this.frame) this.frame = requestAnimationFrame((now) => this.onFrame(now));
  }

  private onFrame(now: number): void {
    this.frame = 0;
    const { entries, view } = this;
    const streaming = now - this.lastChange < QUIET_MS;
    let again = false;
    for (let tried = 0; tried < entries.length; tried++) {
      const entry = entries[(this.cursor + tried) % entries.length];
      if (entry.drawnVersion === view.version) continue;
      again = true;
      if (!entry.visible && streaming) continue;
      if (now - entry.drawnAt < MIN_INTERVAL_MS) continue;
      entry.drawnVersion = view.version;
      entry.drawnAt = now;
      // render now, inside this frame, and keep count of what it cost
      const start = performance.now();
      flushSync(entry.redraw);
      recordTiming(entry.name, performance.now() - start);
      this.cursor = (entries.indexOf(entry) + 1) % entries.length;
      break;
    }
    if (again) this.request();
  }
}

/**
 * A number that changes whenever the scheduler lets this chart redraw, and a ref for the chart's
 * element (its visibility decides whether it is redrawn).
 */
export function useRefreshTick(scheduler: RefreshScheduler, name: string): [number, (element: HTMLElement | null) => void] {
  const [tick, setTick] = useState(0);
  const registration = useRef<ReturnType<RefreshScheduler['register']> | null>(null);
  const observer = useRef<IntersectionObserver | null>(null);
  useEffect(() => {
    const r = scheduler.register(name, () => setTick((t) => t + 1));
    registration.current = r;
    return () => {
      r.unregister();
      registration.current = null;
    };
  }, [scheduler, name]);
  const ref = useCallback((element: HTMLElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    observer.current = new IntersectionObserver(([entry]) => registration.current?.setVisible(entry.isIntersecting), { rootMargin: '100px' });
    observer.current.observe(element);
  }, []);
  return [tick, ref];
}
