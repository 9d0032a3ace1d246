/**
 * Demo A's bar chart for one objective: p_t (solid, in the objective's colour) next to the target q (grey,
 * hatched), with the published figure's bar as a dashed marker when the overlay is on, and a table of the
 * numbers (p_t, q and the next step's logit velocity). Bars carry `data-bin` and `data-value` so tests can
 * read them; bars driven by the highlighted formula term get `is-driven`, the others are dimmed.
 */
import { useRef } from 'react';
import type { KlObjective } from '../../lab/theory.ts';
import { OBJECTIVE_FORMULA } from './objective-labels.ts';
import { OBJECTIVE_COLOUR, TARGET_COLOUR } from './theory-colours.ts';
import { FigureImageMenu } from '../export/FigureImageMenu.tsx';

export interface PublishedBars {
  figureLabel: string;
  values: readonly number[];
}

interface ToyBarsProps {
  objective: KlObjective;
  step: number;
  p: ArrayLike<number>;
  q: readonly number[];
  /** the next step's Δz per bin */
  velocity: ArrayLike<number>;
  published: PublishedBars | null;
  /** per bin: lit by the active formula term; null when no term is active */
  driven: boolean[] | null;
}

const W = 320;
const H = 180;
const LEFT = 30;
const BOTTOM = 20;
const TOP = 14;

const fixed3 = (v: number) => v.toFixed(3);
const signed3 = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

function barClass(driven: boolean[] | null, bin: number): string {
  if (!driven) return '';
  return driven[bin] ? ' is-driven' : ' is-dimmed';
}

export function ToyBars({ objective, step, p, q, velocity, published, driven }: ToyBarsProps) {
  const figureRef = useRef<HTMLElement>(null);
  const K = q.length;
  let top = 0.5;
  for (let i = 0; i < K; i++) top = Math.max(top, p[i], q[i], published?.values[i] ?? 0);
  const yMax = Math.ceil((top + 0.05) * 10) / 10;
  const plotH = H - TOP - BOTTOM;
  const y = (v: number) => TOP + plotH * (1 - v / yMax);
  const slot = (W - LEFT - 4) / K;
  const barW = Math.min(30, slot * 0.36);
  const ticks = Array.from({ length: Math.round(yMax / 0.1) + 1 }, (_, i) => i * 0.1).filter((_, i) => i % 2 === 0);
  const formula = OBJECTIVE_FORMULA[objective];
  const label = `p at step ${step} under ${formula}, next to q: ${Array.from({ length: K }, (_, i) => `bin ${i} ${fixed3(p[i])} (q ${fixed3(q[i])})`).join(', ')}`;
  const hatchId = `toy-hatch-${objective}`;

  return (
    <figure ref={figureRef} className="toy-bars" data-objective={objective}>
      <FigureImageMenu figure={figureRef} subject={`Demo A: p under ${OBJECTIVE_FORMULA[objective]}`} fileSubject={`theory-demo-a-bars-${objective}`} />
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <defs>
          <pattern id={hatchId} width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="5" height="5" fill="#f1f1f1" />
            <line x1="0" y1="0" x2="0" y2="5" stroke={TARGET_COLOUR} strokeWidth="1.6" />
          </pattern>
        </defs>
        {ticks.map((t) => (
          <g key={t} className="toy-tick">
            <line x1={LEFT} x2={W} y1={y(t)} y2={y(t)} />
            <text x={LEFT - 4} y={y(t) + 3} textAnchor="end">
              {t.toFixed(1)}
            </text>
          </g>
        ))}
        {Array.from({ length: K }, (_, bin) => {
          const x = LEFT + slot * bin + slot / 2;
          return (
            <g key={bin} className={`toy-bin${barClass(driven, bin)}`}>
              <rect
                className="toy-bar-p"
                data-bin={bin}
                data-value={p[bin]}
                x={x - barW - 1}
                y={y(p[bin])}
                width={barW}
                height={y(0) - y(p[bin])}
                fill={OBJECTIVE_COLOUR[objective]}
              />
              {/* above the bar, and above the published marker when it is higher */}
              <text className="toy-bar-value" x={x - barW / 2 - 1} y={Math.min(y(p[bin]), published ? y(published.values[bin]) - 2 : Infinity) - 3} textAnchor="middle">
                {p[bin].toFixed(2)}
              </text>
              <rect className="toy-bar-q" x={x + 1} y={y(q[bin])} width={barW} height={y(0) - y(q[bin])} fill={`url(#${hatchId})`} stroke={TARGET_COLOUR} />
              {published && (
                <line className="toy-published" x1={x - barW - 5} x2={x + 3} y1={y(published.values[bin])} y2={y(published.values[bin])} />
              )}
              <text className="toy-bin-label" x={x} y={H - 5} textAnchor="middle">
                bin {bin}
              </text>
            </g>
          );
        })}
        <line className="toy-axis" x1={LEFT} x2={W} y1={y(0)} y2={y(0)} />
      </svg>
      <figcaption className="toy-key">
        <span>
          <span className="swatch" style={{ background: OBJECTIVE_COLOUR[objective] }} aria-hidden="true" /> p<sub>t</sub>
        </span>
        <span>
          <span className="swatch swatch-hatched" aria-hidden="true" /> target q
        </span>
        {published && (
          <span>
            <span className="swatch-dash" aria-hidden="true" /> figure’s “{published.figureLabel}”
          </span>
        )}
      </figcaption>
      <table className="toy-table" aria-label={`Values under ${formula} at step ${step}`}>
        <thead>
          <tr>
            <th scope="col">bin</th>
            <th scope="col">
              p<sub>t</sub>
            </th>
            <th scope="col">q</th>
            <th scope="col" title="the logit change the next step makes">
              next Δz
            </th>
            {published && <th scope="col">figure</th>}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: K }, (_, bin) => (
            <tr key={bin} className={barClass(driven, bin).trim() || undefined}>
              <th scope="row">{bin}</th>
              <td data-bin={bin} data-value={p[bin]}>
                {fixed3(p[bin])}
              </td>
              <td>{fixed3(q[bin])}</td>
              <td>{Number.isFinite(velocity[bin]) ? signed3(velocity[bin]) : '—'}</td>
              {published && <td>{published.values[bin].toFixed(3)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
