/**
 * Demo A's line chart for one objective: the mass of each bin against the step (one line per bin, the
 * target's values as dashed levels in the same colours).
 */
import { useMemo, useRef } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { KlObjective } from '../../lab/theory.ts';
import { OBJECTIVE_FORMULA } from './objective-labels.ts';
import { binColour } from './theory-colours.ts';
import { FigureImageMenu } from '../export/FigureImageMenu.tsx';

interface ToyMassChartProps {
  objective: KlObjective;
  history: readonly ArrayLike<number>[];
  q: readonly number[];
}

const MARGIN = { top: 6, right: 10, bottom: 16, left: 0 };
const TOOLTIP_STYLE = { fontSize: 12, padding: '4px 8px', lineHeight: 1.3 };
const formatValue = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v));

export function ToyMassChart({ objective, history, q }: ToyMassChartProps) {
  const figureRef = useRef<HTMLElement>(null);
  const K = q.length;
  const rows = useMemo(
    () =>
      history.map((p, step) => {
        const row: Record<string, number> = { step };
        for (let bin = 0; bin < K; bin++) row[`bin${bin}`] = p[bin];
        return row;
      }),
    [history, K],
  );
  const lastStep = history.length - 1;
  const yMax = useMemo(() => {
    let top = Math.max(...q);
    for (const p of history) for (let bin = 0; bin < K; bin++) top = Math.max(top, p[bin]);
    return Math.max(0.8, Math.ceil(top * 5) / 5);
  }, [history, q, K]);
  const yTicks = Array.from({ length: Math.round(yMax / 0.2) + 1 }, (_, i) => Math.round(i * 2) / 10);
  return (
    <figure ref={figureRef} className="theory-chart toy-mass" data-objective={objective}>
      <FigureImageMenu figure={figureRef} subject={`Demo A: mass per bin over the steps under ${OBJECTIVE_FORMULA[objective]}`} fileSubject={`theory-demo-a-mass-${objective}`} />
      <figcaption>
        Mass of each bin over the steps, {OBJECTIVE_FORMULA[objective]} <span className="note">(dashed: q)</span>
      </figcaption>
      <div className="chart-box" role="img" aria-label={`Mass of each bin from step 0 to ${lastStep} under ${OBJECTIVE_FORMULA[objective]}; the table above gives the current values`}>
        <ResponsiveContainer width="100%" height={150}>
          <LineChart data={rows} margin={MARGIN} accessibilityLayer={false}>
            <CartesianGrid stroke="#ececec" />
            <XAxis dataKey="step" type="number" domain={[0, Math.max(8, lastStep)]} allowDecimals={false} fontSize={11} label={{ value: 'step', position: 'insideBottom', offset: -4, fontSize: 11 }} />
            <YAxis domain={[0, yMax]} ticks={yTicks} fontSize={11} width={34} />
            <Tooltip formatter={formatValue} labelFormatter={(v) => `step ${v}`} isAnimationActive={false} contentStyle={TOOLTIP_STYLE} />
            {q.map((value, bin) => (
              <ReferenceLine key={`q${bin}`} y={value} stroke={binColour(bin)} strokeDasharray="3 4" strokeOpacity={0.7} ifOverflow="hidden" />
            ))}
            {q.map((_, bin) => (
              <Line
                key={bin}
                dataKey={`bin${bin}`}
                name={`bin ${bin}`}
                stroke={binColour(bin)}
                strokeWidth={bin === 2 ? 2.4 : 1.6}
                strokeDasharray={bin === 3 ? '6 3' : undefined}
                dot={lastStep <= 20 ? { r: 2 } : false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ul className="bin-legend" aria-label="Bins">
        {q.map((_, bin) => (
          <li key={bin}>
            <span className="legend-line" style={{ borderColor: binColour(bin), borderStyle: bin === 3 ? 'dashed' : 'solid' }} aria-hidden="true" />
            bin {bin}
          </li>
        ))}
      </ul>
    </figure>
  );
}
