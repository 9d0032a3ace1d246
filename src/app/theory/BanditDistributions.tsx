/**
 * Demo B's picture of where the mass is at the current step: the target q = π*_β (grey bars), π_ref (dotted
 * outline) and p_t under each objective (lines), with the peak window shaded.
 */
import { useRef } from 'react';
import { OBJECTIVE_COLOUR, TARGET_COLOUR } from './theory-colours.ts';
import { FigureImageMenu } from '../export/FigureImageMenu.tsx';

interface BanditDistributionsProps {
  step: number;
  reference: ArrayLike<number>;
  q: ArrayLike<number>;
  forward: ArrayLike<number>;
  reverse: ArrayLike<number>;
  peak: { lo: number; hi: number };
}

const W = 600;
const H = 150;

function pathOf(values: ArrayLike<number>, x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  for (let i = 0; i < values.length; i++) d += `${i === 0 ? 'M' : 'L'}${x(i).toFixed(2)},${y(values[i]).toFixed(2)}`;
  return d;
}

export function BanditDistributions({ step, reference, q, forward, reverse, peak }: BanditDistributionsProps) {
  const figureRef = useRef<HTMLElement>(null);
  const K = q.length;
  let top = 0;
  for (let i = 0; i < K; i++) top = Math.max(top, q[i], forward[i], reverse[i], reference[i]);
  const slot = W / K;
  const y = (v: number) => H - (v / (top * 1.05)) * (H - 4);
  const x = (i: number) => i * slot + slot / 2;
  return (
    <figure ref={figureRef} className="bandit-distributions">
      <FigureImageMenu figure={figureRef} subject={'Demo B: where the mass is'} fileSubject={'theory-demo-b-distributions'} />
      <figcaption>
        Where the mass is at step {step}
        <span className="note"> (100 bins; shaded: peak window {peak.lo}–{peak.hi})</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`Distributions at step ${step}: the target q, π_ref and p under both objectives over 100 bins`}>
        <rect className="peak-window" x={peak.lo * slot} y={0} width={(peak.hi - peak.lo + 1) * slot} height={H} />
        {Array.from({ length: K }, (_, i) => (
          <rect key={i} x={i * slot + 0.1 * slot} y={y(q[i])} width={slot * 0.8} height={H - y(q[i])} fill={TARGET_COLOUR} fillOpacity={0.35} />
        ))}
        <path className="reference-line" d={pathOf(reference, x, y)} />
        <path className="mass-line" d={pathOf(forward, x, y)} stroke={OBJECTIVE_COLOUR.forward} />
        <path className="mass-line" d={pathOf(reverse, x, y)} stroke={OBJECTIVE_COLOUR.reverse} />
      </svg>
      <div className="bin-axis" aria-hidden="true">
        {[0, 20, 40, 60, 80, 99].map((b) => (
          <span key={b}>{b}</span>
        ))}
      </div>
      <p className="chart-key">
        <span>
          <span className="swatch" style={{ background: TARGET_COLOUR, opacity: 0.5 }} aria-hidden="true" /> q = π*<sub>β</sub>
        </span>
        <span>
          <span className="legend-line legend-dotted" aria-hidden="true" /> π<sub>ref</sub> = p<sub>0</sub>
        </span>
        <span>
          <span className="legend-line" style={{ borderColor: OBJECTIVE_COLOUR.forward }} aria-hidden="true" /> p<sub>t</sub>, KL(q‖p)
        </span>
        <span>
          <span className="legend-line" style={{ borderColor: OBJECTIVE_COLOUR.reverse }} aria-hidden="true" /> p<sub>t</sub>, KL(p‖q)
        </span>
      </p>
    </figure>
  );
}
