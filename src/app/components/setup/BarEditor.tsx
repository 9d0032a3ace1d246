/**
 * BarEditor: edits an array of numbers drawn as one bar per bin (SVG). Drag with the pointer to paint
 * values (every bin crossed between two pointer events is set, so a fast drag leaves no gaps), or use the
 * keyboard: ← → pick a bin, ↑ ↓ change it by 5% of the range (Shift: 1%), Home/End jump to the ends.
 */
import { useId, useRef, useState, type JSX, type KeyboardEvent, type PointerEvent } from 'react';

export interface BarEditorProps {
  values: number[];
  onChange(values: number[]): void;
  label: string;
  /** minimum allowed value (drawn and stepped values are clamped to it) */
  floor?: number;
  /** y range; default min(0, 1.2·min(values)) .. 1.2·max(values) */
  min?: number;
  max?: number;
}

interface Range {
  lo: number;
  hi: number;
}

interface Point {
  bin: number;
  value: number;
}

const W = 600;
const H = 200;

/**
 * Sets every bin between `fromBin` and `toBin` (inclusive) on the straight line from `fromValue` to
 * `toValue`, clamped to [lower, upper]; other bins are kept. Returns a new array.
 */
export function paintBins(
  values: readonly number[],
  fromBin: number,
  fromValue: number,
  toBin: number,
  toValue: number,
  lower = -Infinity,
  upper = Infinity,
): number[] {
  const next = values.slice();
  const start = Math.max(0, Math.min(fromBin, toBin));
  const end = Math.min(values.length - 1, Math.max(fromBin, toBin));
  for (let a = start; a <= end; a++) {
    const t = toBin === fromBin ? 1 : (a - fromBin) / (toBin - fromBin);
    next[a] = Math.min(upper, Math.max(lower, fromValue + t * (toValue - fromValue)));
  }
  return next;
}

/** Three significant digits, without trailing zeros. */
export function formatValue(value: number): string {
  return String(Number(value.toPrecision(3)));
}

function defaultRange(values: readonly number[], min?: number, max?: number): Range {
  let smallest = 0;
  let largest = 0;
  for (const v of values) {
    smallest = Math.min(smallest, v);
    largest = Math.max(largest, v);
  }
  const lo = min ?? smallest * 1.2;
  const hi = max ?? largest * 1.2;
  return { lo, hi: hi > lo ? hi : lo + 1 };
}

export function BarEditor({ values, onChange, label, floor, min, max }: BarEditorProps): JSX.Element {
  const helpId = useId();
  const [selected, setSelected] = useState(0);
  // the y range is frozen while dragging, so the chart does not rescale under the pointer
  const [dragRange, setDragRange] = useState<Range | null>(null);
  const drag = useRef<{ range: Range; last: Point; values: number[] } | null>(null);

  const K = values.length;
  const range = dragRange ?? defaultRange(values, min, max);
  const lower = Math.max(range.lo, floor ?? -Infinity);
  const bin = Math.max(0, Math.min(selected, K - 1));
  const y = (v: number) => H - ((Math.min(range.hi, Math.max(range.lo, v)) - range.lo) / (range.hi - range.lo)) * H;
  const baseline = y(0);
  const barWidth = W / K;

  function setBin(index: number, value: number) {
    onChange(paintBins(values, index, value, index, value, lower, range.hi));
  }

  function onKeyDown(event: KeyboardEvent<SVGSVGElement>) {
    const step = (event.shiftKey ? 0.01 : 0.05) * (range.hi - range.lo);
    switch (event.key) {
      case 'ArrowLeft':
        setSelected(Math.max(0, bin - 1));
        break;
      case 'ArrowRight':
        setSelected(Math.min(K - 1, bin + 1));
        break;
      case 'Home':
        setSelected(0);
        break;
      case 'End':
        setSelected(K - 1);
        break;
      case 'ArrowUp':
        setBin(bin, values[bin] + step);
        break;
      case 'ArrowDown':
        setBin(bin, values[bin] - step);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  function pointAt(event: PointerEvent<SVGSVGElement>, r: Range): Point {
    const box = event.currentTarget.getBoundingClientRect();
    const fx = box.width > 0 ? (event.clientX - box.left) / box.width : 0;
    const fy = box.height > 0 ? (event.clientY - box.top) / box.height : 0;
    return { bin: Math.max(0, Math.min(K - 1, Math.floor(fx * K))), value: r.hi - fy * (r.hi - r.lo) };
  }

  function onPointerDown(event: PointerEvent<SVGSVGElement>) {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    const point = pointAt(event, range);
    const next = paintBins(values, point.bin, point.value, point.bin, point.value, lower, range.hi);
    drag.current = { range, last: point, values: next };
    setDragRange(range);
    setSelected(point.bin);
    onChange(next);
  }

  function onPointerMove(event: PointerEvent<SVGSVGElement>) {
    const current = drag.current;
    if (!current) return;
    const point = pointAt(event, current.range);
    const floorNow = Math.max(current.range.lo, floor ?? -Infinity);
    const next = paintBins(current.values, current.last.bin, current.last.value, point.bin, point.value, floorNow, current.range.hi);
    drag.current = { ...current, last: point, values: next };
    setSelected(point.bin);
    onChange(next);
  }

  function endDrag(event: PointerEvent<SVGSVGElement>) {
    if (!drag.current) return;
    drag.current = null;
    setDragRange(null);
    if (event.currentTarget.hasPointerCapture?.(event.pointerId)) event.currentTarget.releasePointerCapture(event.pointerId);
  }

  const valueText = `bin ${bin}: ${formatValue(values[bin] ?? 0)}`;
  return (
    <div className="bar-editor">
      <svg
        className="bar-editor-chart"
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        tabIndex={0}
        role="slider"
        aria-label={label}
        aria-valuemin={lower}
        aria-valuemax={range.hi}
        aria-valuenow={values[bin] ?? 0}
        aria-valuetext={valueText}
        aria-describedby={helpId}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
      >
        {values.map((v, a) => (
          <rect
            key={a}
            className={a === bin ? 'bar-editor-bar bar-editor-bar-selected' : 'bar-editor-bar'}
            x={a * barWidth}
            y={Math.min(y(v), baseline)}
            width={Math.max(0.3, barWidth * 0.85)}
            height={Math.abs(baseline - y(v))}
          />
        ))}
        {/* the selected bin is also marked by a dashed frame, not by colour alone */}
        <rect className="bar-editor-cursor" x={bin * barWidth} y={0} width={barWidth} height={H} />
        <line className="bar-editor-baseline" x1={0} x2={W} y1={baseline} y2={baseline} />
      </svg>
      <p className="bar-editor-readout">
        Selected {valueText}
        <span id={helpId} className="bar-editor-help">
          {' '}
          — drag to draw; keys: ← → choose a bin, ↑ ↓ change it (Shift: finer), Home/End first/last bin.
        </span>
      </p>
    </div>
  );
}
