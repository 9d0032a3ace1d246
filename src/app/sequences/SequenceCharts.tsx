/**
 * The metric charts (Recharts), one line per run against the gradient step: the mean reward, KL per token and
 * mean length (length tasks) of the policy's own latest samples (an offline run's batch is its fixed dataset, so
 * it draws fresh samples every 10 steps: SequenceRun.policySamples) and the loss; runs hidden in the legend are left out (each keeps its
 * colour). Redrawn at most twice a second while training.
 * Loaded lazily by the page (Recharts is most of a bundle).
 */
import { memo, useMemo, useRef } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { runColour } from '../colours.ts';
import { FigureImageMenu } from '../export/FigureImageMenu.tsx';
import { mergeRunRows, runKey, type SequenceMetric } from './chart-rows.ts';
import { useSequences } from './sequences-context.tsx';
import type { SequenceRunState } from './sequences-store.ts';
import { useThrottled } from './use-throttled.ts';

const HEIGHT = 180;
const REFRESH_MS = 500;
const MARGIN = { top: 6, right: 12, bottom: 18, left: 0 };
const TOOLTIP_STYLE = { fontSize: 12, padding: '4px 8px', lineHeight: 1.3 };
const formatTick = (v: number) => (Math.abs(v) >= 1000 ? `${Math.round(v / 100) / 10}k` : Number(v.toPrecision(3)).toString());
const formatValue = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v));

interface ChartSpec {
  metric: SequenceMetric;
  title: string;
  note: string;
  lengthTasksOnly?: boolean;
}

export const SEQUENCE_CHARTS: readonly ChartSpec[] = [
  { metric: 'reward', title: 'Reward', note: 'mean over the policy’s latest samples (offline runs: 100 fresh ones every 10 steps)' },
  { metric: 'klPerToken', title: 'KL(π‖π_ref) per token', note: 'estimated from the policy’s samples' },
  { metric: 'meanLength', title: 'Mean length', note: 'of the policy’s latest samples, tokens before ∎', lengthTasksOnly: true },
  { metric: 'loss', title: 'Loss', note: 'the objective’s surrogate loss' },
];

const NO_ROWS: SequenceRunState['rows'] = [];

const MetricChart = memo(function MetricChart({ spec, runs, hidden }: { spec: ChartSpec; runs: readonly SequenceRunState[]; hidden: readonly string[] }) {
  const figure = useRef<HTMLElement>(null);
  // a hidden run keeps its index (its key and colour) but brings no rows, so the axes fit the runs shown
  const data = useMemo(() => mergeRunRows(runs.map((run) => (hidden.includes(run.name) ? { rows: NO_ROWS } : run)), spec.metric), [runs, hidden, spec.metric]);
  const id = `sequence-chart-${spec.metric}`;
  const shown = runs.filter((run) => !hidden.includes(run.name));
  const latest = shown.length ? shown.map((run) => `${run.name} ${formatValue(run.rows.at(-1)?.[spec.metric] ?? Number.NaN)}`).join(', ') : 'every run is hidden';
  return (
    <figure ref={figure} className="metric-chart" aria-labelledby={`${id}-title`} data-chart={spec.metric}>
      <figcaption id={`${id}-title`}>
        <span className="chart-title">{spec.title}</span> <span className="chart-note">{spec.note}</span>
      </figcaption>
      <FigureImageMenu figure={figure} subject={`the chart ${spec.title}`} fileSubject={`chart-${spec.metric}`} />
      <p className="visually-hidden">Latest: {latest}.</p>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} margin={MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke="#ececec" />
          <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} tickFormatter={formatTick} fontSize={11} label={{ value: 'gradient step', position: 'insideBottom', offset: -6, fontSize: 11 }} />
          <YAxis domain={['auto', 'auto']} tickFormatter={formatTick} fontSize={11} width={44} />
          <Tooltip formatter={formatValue} labelFormatter={(v) => `step ${v}`} isAnimationActive={false} contentStyle={TOOLTIP_STYLE} />
          {runs.map((run, index) =>
            hidden.includes(run.name) ? null : (
              <Line key={run.name} dataKey={runKey(index)} name={run.name} stroke={runColour(index)} dot={false} isAnimationActive={false} strokeWidth={1.8} connectNulls />
            ),
          )}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
});

export function SequenceCharts() {
  const runs = useThrottled(
    useSequences((s) => s.runs),
    REFRESH_MS,
  );
  const lengthTask = useSequences((s) => s.info?.referenceLengths != null);
  const hidden = useSequences((s) => s.hidden);
  const allHidden = runs.length > 0 && runs.every((run) => hidden.includes(run.name));
  return (
    <>
      {allHidden && <p className="note">Every run is hidden from the charts: tick one in the legend above to show it.</p>}
      <div className="chart-grid">
        {SEQUENCE_CHARTS.filter((spec) => lengthTask || !spec.lengthTasksOnly).map((spec) => (
          <MetricChart key={spec.metric} spec={spec} runs={runs} hidden={hidden} />
        ))}
      </div>
    </>
  );
}
