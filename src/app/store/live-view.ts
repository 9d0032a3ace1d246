/**
 * What the worker has streamed, kept outside React: every run's metric rows (growable typed columns),
 * its current policy and last minibatch. Views that redraw often (the policy canvases, the charts)
 * read it directly and subscribe to its version, instead of pushing big arrays through React state.
 */
import { METRIC_KEYS, type MetricKey } from '../../lab/metrics.ts';
import type { ComparisonInfo, Frame } from '../../worker/protocol.ts';

export class RunSeries {
  columns: Record<MetricKey, Float64Array>;
  length = 0;

  constructor(capacity = 1024) {
    this.columns = Object.fromEntries(METRIC_KEYS.map((k) => [k, new Float64Array(capacity)])) as Record<MetricKey, Float64Array>;
  }

  /** write `rows` (column-wise) starting at row `first` */
  write(first: number, rows: Record<MetricKey, Float64Array>): void {
    const count = rows.step.length;
    const end = first + count;
    if (end > this.columns.step.length) this.grow(end);
    for (const key of METRIC_KEYS) this.columns[key].set(rows[key], first);
    this.length = Math.max(this.length, end);
  }

  at(key: MetricKey, row: number): number {
    return this.columns[key][row];
  }

  last(key: MetricKey): number {
    return this.length ? this.columns[key][this.length - 1] : Number.NaN;
  }

  private grow(needed: number): void {
    let capacity = this.columns.step.length;
    while (capacity < needed) capacity *= 2;
    for (const key of METRIC_KEYS) {
      const next = new Float64Array(capacity);
      next.set(this.columns[key].subarray(0, this.length));
      this.columns[key] = next;
    }
  }
}

export interface RunPicture {
  probs: Float64Array;
  sampleBins: Int32Array;
  sampleCoefficients: Float64Array;
}

export class LiveView {
  info: ComparisonInfo | null = null;
  series: RunSeries[] = [];
  pictures: RunPicture[] = [];
  /** bumped on every change; views compare it with the version they drew */
  version = 0;
  private readonly listeners = new Set<() => void>();

  load(info: ComparisonInfo): void {
    this.info = info;
    // room for every step the run will make (as the worker has): growing while streaming would copy
    this.series = info.runs.map((run) => new RunSeries(run.steps + 1));
    this.pictures = info.runs.map(() => ({
      probs: Float64Array.from(info.refProbs),
      sampleBins: new Int32Array(0),
      sampleCoefficients: new Float64Array(0),
    }));
  }

  apply(frame: Frame): void {
    frame.runs.forEach((run, i) => {
      const series = this.series[i];
      if (!series) return;
      series.write(run.firstRow, run.rows);
      if (run.probs) this.pictures[i] = { probs: run.probs, sampleBins: run.sampleBins, sampleCoefficients: run.sampleCoefficients };
    });
    this.changed();
  }

  /** the number of metric rows of the longest run */
  get rows(): number {
    let rows = 0;
    for (const s of this.series) rows = Math.max(rows, s.length);
    return rows;
  }

  changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
