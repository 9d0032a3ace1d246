/** Demo B's line chart: the mass in the peak window against the step, under both objectives, with q's own as a level. */
import { useRef } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WindowMassRow } from './demo-b-model.ts';
import { OBJECTIVE_FORMULA } from './objective-labels.ts';
import { OBJECTIVE_COLOUR, TARGET_COLOUR } from './theory-colours.ts';
import { FigureImageMenu } from '../export/FigureImageMenu.tsx';

const MARGIN = { top: 8, right: 12, bottom: 16, left: 0 };
const TOOLTIP_STYLE = { fontSize: 12, padding: '4px 8px', lineHeight: 1.3 };
const formatValue = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v));

export function WindowMassChart({ rows, target, peak }: { rows: WindowMassRow[]; target: number; peak: { lo: number; hi: number } }) {
  const figureRef = useRef<HTMLElement>(null);
  const last = rows[rows.length - 1];
  return (
    <figure ref={figureRef} className="theory-chart window-mass">
      <FigureImageMenu figure={figureRef} subject="Demo B: mass in the peak window over the steps" fileSubject="theory-demo-b-window-mass" />
      <figcaption>
        Mass in the peak window (bins {peak.lo}–{peak.hi}) against the step
      </figcaption>
      <div
        className="chart-box"
        role="img"
        aria-label={`Peak-window mass from step 0 to ${last.step}: ${OBJECTIVE_FORMULA.forward} reaches ${last.forward.toFixed(3)}, ${OBJECTIVE_FORMULA.reverse} ${last.reverse.toFixed(3)}; q holds ${target.toFixed(3)}`}
      >
        <ResponsiveContainer width="100%" height={190}>
          <LineChart data={rows} margin={MARGIN} accessibilityLayer={false}>
            <CartesianGrid stroke="#ececec" />
            <XAxis dataKey="step" type="number" domain={[0, Math.max(20, last.step)]} allowDecimals={false} fontSize={11} label={{ value: 'step', position: 'insideBottom', offset: -4, fontSize: 11 }} />
            <YAxis domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} fontSize={11} width={38} />
            <Tooltip formatter={formatValue} labelFormatter={(v) => `step ${v}`} isAnimationActive={false} contentStyle={TOOLTIP_STYLE} />
            <ReferenceLine y={target} stroke={TARGET_COLOUR} strokeDasharray="4 4" label={{ value: 'q', position: 'insideTopLeft', fontSize: 11, fill: TARGET_COLOUR }} />
            <Line dataKey="forward" name={OBJECTIVE_FORMULA.forward} stroke={OBJECTIVE_COLOUR.forward} strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line dataKey="reverse" name={OBJECTIVE_FORMULA.reverse} stroke={OBJECTIVE_COLOUR.reverse} strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <p className="chart-key">
        <span>
          <span className="legend-line" style={{ borderColor: OBJECTIVE_COLOUR.forward }} aria-hidden="true" /> {OBJECTIVE_FORMULA.forward}, maximum likelihood
        </span>
        <span>
          <span className="legend-line" style={{ borderColor: OBJECTIVE_COLOUR.reverse }} aria-hidden="true" /> {OBJECTIVE_FORMULA.reverse}, reverse
        </span>
        <span>
          <span className="legend-line legend-dashed" style={{ borderColor: TARGET_COLOUR }} aria-hidden="true" /> q’s own
        </span>
      </p>
    </figure>
  );
}
