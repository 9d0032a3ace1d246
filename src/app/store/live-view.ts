/**
 * What the worker has streamed, kept outside React: every run's chart rows and latest metrics, its
 * current policy and last minibatch. Views that redraw often (the policy canvases, the charts)
 * read it directly and subscribe to its version, instead of pushing big arrays through React state.
 */
import { METRIC_KEYS, type MetricKey } from '../../lab/metrics.ts';
import type { ComparisonInfo, Frame, RunFrame } from '../../worker/protocol.ts';

/**
 * One run's metrics as the app keeps them: the rows the charts can draw (multiples of a growing
 * power-of-two stride, see `chartStride`) and the latest row. A few hundred rows however long the run.
 */
export class RunSeries {
  /** row indices of the kept rows, increasing */
  readonly rowIndex: number[] = [];
  readonly columns = Object.fromEntries(METRIC_KEYS.map((k) => [k, [] as number[]])) as Record<MetricKey, number[]>;
  latest: Record<MetricKey, number> | null = null;
  /** rows the run has recorded (its latest row is length − 1) */
  length = 0;

  write(frame: Pick<RunFrame, 'length' | 'rowIndex' | 'rows' | 'latest'>): void {
    for (let k = 0; k < frame.rowIndex.length; k++) {
      this.rowIndex.push(frame.rowIndex[k]);
      for (const key of METRIC_KEYS) this.columns[key].push(frame.rows[key][k]);
    }
    this.latest = frame.latest;
    this.length = frame.length;
  }

  last(key: MetricKey): number {
    return this.latest ? this.latest[key] : Number.NaN;
  }

  /** the value at `row`, if that row is kept (or is the latest); NaN otherwise */
  at(key: MetricKey, row: number): number {
    if (row === this.length - 1 && this.latest) return this.latest[key];
    const k = this.find(row);
    return k >= 0 ? this.columns[key][k] : Number.NaN;
  }

  /** the kept rows that are multiples of `stride`, and the latest row */
  rowsAt(stride: number): number[] {
    const rows = this.rowIndex.filter((r) => r % stride === 0);
    if (this.length > 0 && rows[rows.length - 1] !== this.length - 1) rows.push(this.length - 1);
    return rows;
  }

  private find(row: number): number {
    let lo = 0;
    let hi = this.rowIndex.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.rowIndex[mid];
      if (r === row) return mid;
      if (r < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
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
    this.series = info.runs.map(() => new RunSeries());
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
      series.write(run);
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
