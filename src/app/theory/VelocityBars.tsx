/**
 * Demo B's diverging bars: the logit velocity Δz_i of the next step, one bar per bin, up or down from zero,
 * for one objective. Both objectives' charts share one scale so their sizes compare. KL(p‖q) bars are
 * coloured by regime (zero-forcing, concentration, slow discovery); KL(q‖p) bars by sign.
 */
import { useRef } from 'react';
import type { KlObjective, ReverseKlRegime } from '../../lab/theory.ts';
import { OBJECTIVE_FORMULA } from './objective-labels.ts';
import { FALLING, RISING, RISING_SLOWLY } from './theory-colours.ts';
import { formatBinRanges } from './bin-ranges.ts';
import { FigureImageMenu } from '../export/FigureImageMenu.tsx';

interface VelocityBarsProps {
  objective: KlObjective;
  velocity: ArrayLike<number>;
  /** the reverse regimes of this chart's distribution (colours the KL(p‖q) bars) */
  regimes: readonly ReverseKlRegime[];
  /** the symmetric scale: bars reach the edge at ±scale */
  scale: number;
  peak: { lo: number; hi: number };
  driven: boolean[] | null;
}

const W = 600;
const H = 140;

function colourOf(objective: KlObjective, regime: ReverseKlRegime, v: number): string {
  if (objective === 'forward') return v < 0 ? FALLING : RISING;
  if (regime === 'zero-forcing') return FALLING;
  if (regime === 'slow-discovery') return RISING_SLOWLY;
  return RISING;
}

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toPrecision(2)}`;

export function VelocityBars({ objective, velocity, regimes, scale, peak, driven }: VelocityBarsProps) {
  const figureRef = useRef<HTMLElement>(null);
  const K = velocity.length;
  const slot = W / K;
  const mid = H / 2;
  const half = H / 2 - 2;
  let up = 0;
  let down = 0;
  let maxUp = 0;
  let maxDown = 0;
  const rising: number[] = [];
  for (let i = 0; i < K; i++) {
    if (velocity[i] > 0) {
      up++;
      rising.push(i);
      if (velocity[i] > velocity[maxUp]) maxUp = i;
    } else if (velocity[i] < 0) {
      down++;
      if (velocity[i] < velocity[maxDown]) maxDown = i;
    }
  }
  const formula = OBJECTIVE_FORMULA[objective];
  const label = `Logit velocity under ${formula}: ${up} bins rise (${formatBinRanges(rising)}), largest bin ${maxUp} at ${signed(velocity[maxUp])}; ${down} bins fall, fastest bin ${maxDown} at ${signed(velocity[maxDown])}.`;
  return (
    <figure ref={figureRef} className="velocity-bars" data-objective={objective}>
      <FigureImageMenu figure={figureRef} subject={`Demo B: logit velocity under ${OBJECTIVE_FORMULA[objective]}`} fileSubject={`theory-demo-b-velocity-${objective}`} />
      <figcaption>
        Δz<sub>i</sub> under {formula}
        <span className="note"> (next step; scale ±{scale.toPrecision(2)})</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label} className={driven ? 'has-highlight' : undefined}>
        <rect className="peak-window" x={peak.lo * slot} y={0} width={(peak.hi - peak.lo + 1) * slot} height={H} />
        {Array.from({ length: K }, (_, i) => {
          const v = velocity[i];
          const h = Math.min(half, (Math.abs(v) / scale) * half);
          return (
            <rect
              key={i}
              className={driven ? (driven[i] ? 'velocity-bar is-driven' : 'velocity-bar is-dimmed') : 'velocity-bar'}
              data-bin={i}
              data-value={v}
              x={i * slot + 0.1 * slot}
              y={v >= 0 ? mid - h : mid}
              width={slot * 0.8}
              height={Math.max(h, 0.5)}
              fill={colourOf(objective, regimes[i], v)}
            />
          );
        })}
        <line className="velocity-zero" x1={0} x2={W} y1={mid} y2={mid} />
      </svg>
      <div className="bin-axis" aria-hidden="true">
        {[0, 20, 40, 60, 80, 99].map((b) => (
          <span key={b}>{b}</span>
        ))}
      </div>
    </figure>
  );
}
