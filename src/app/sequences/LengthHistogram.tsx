/**
 * A length task's histogram: the lengths of the run's latest samples (bars, 1..9) against the reference
 * length distribution (outlined), as one SVG, so "Save image" gives both SVG and PNG.
 */
import { useId, useRef } from 'react';
import { niceCeiling } from '../components/draw-policy.ts';
import { FigureImageMenu } from '../export/FigureImageMenu.tsx';
import { REFERENCE_COLOUR } from './RunHeatmaps.tsx';

const WIDTH = 260;
const HEIGHT = 112;
const AXIS = 16;
const TOP_GAP = 6;

export interface LengthHistogramProps {
  runName: string;
  colour: string;
  /** the latest collection's lengths 1..9 as fractions; null before the first */
  lengths: readonly number[] | null;
  referenceLengths: readonly number[];
}

function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

export function lengthHistogramSummary(runName: string, lengths: readonly number[] | null, referenceLengths: readonly number[]): string {
  const describe = (fractions: readonly number[]) => fractions.map((p, i) => `${i + 1}: ${percent(p)}`).join(', ');
  const run = lengths ? `${runName}'s latest samples by length ${describe(lengths)}` : `${runName} has sampled nothing yet`;
  return `${run}. Reference: ${describe(referenceLengths)}.`;
}

export function meanLength(fractions: readonly number[]): number {
  const total = fractions.reduce((sum, p) => sum + p, 0);
  return total > 0 ? fractions.reduce((sum, p, i) => sum + p * (i + 1), 0) / total : Number.NaN;
}

export function LengthHistogram({ runName, colour, lengths, referenceLengths }: LengthHistogramProps) {
  const figure = useRef<HTMLElement>(null);
  const titleId = useId();
  const count = referenceLengths.length;
  const top = niceCeiling(Math.max(...referenceLengths, ...(lengths ?? [0])) * 1.05);
  const plotHeight = HEIGHT - AXIS - TOP_GAP;
  const slot = WIDTH / count;
  const y = (p: number) => TOP_GAP + plotHeight - (Math.min(p, top) / top) * plotHeight;
  const mean = lengths ? meanLength(lengths) : Number.NaN;
  return (
    <figure className="length-histogram" ref={figure} aria-labelledby={titleId}>
      <figcaption id={titleId}>
        <span className="panel-title">Lengths</span>{' '}
        <span className="chart-note">
          {lengths ? `mean ${mean.toFixed(2)}` : 'no samples yet'} · reference mean {meanLength(referenceLengths).toFixed(2)}
        </span>
      </figcaption>
      <FigureImageMenu figure={figure} subject={`the lengths of ${runName}`} fileSubject={`lengths-${runName}`} />
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="length-svg" role="img" aria-label={lengthHistogramSummary(runName, lengths, referenceLengths)}>
        <line x1={0} x2={WIDTH} y1={y(0)} y2={y(0)} stroke="#b9b6ad" />
        <text x={WIDTH - 2} y={TOP_GAP + 8} fontSize={9} textAnchor="end" fill="#5b5b5b">
          {percent(top)}
        </text>
        {referenceLengths.map((p, i) => {
          const share = lengths?.[i] ?? 0;
          const x = i * slot;
          return (
            <g key={i} data-length={i + 1}>
              <rect x={x + slot * 0.18} width={slot * 0.64} y={y(share)} height={y(0) - y(share)} fill={colour} opacity={0.85} />
              <rect x={x + slot * 0.1} width={slot * 0.8} y={y(p)} height={y(0) - y(p)} fill="none" stroke={REFERENCE_COLOUR} strokeWidth={1.2} strokeDasharray="3 2" />
              <text x={x + slot / 2} y={HEIGHT - 4} fontSize={10} textAnchor="middle" fill="#5b5b5b">
                {i + 1}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="length-key" aria-hidden="true">
        <span className="key-swatch" style={{ background: colour }} /> latest samples <span className="key-dashed" /> π_ref lengths
      </p>
    </figure>
  );
}
