/**
 * The metric charts (Recharts), one line per visible run: the exact functionals of π against the
 * gradient step, the implicit rewards of the pairwise runs, and two trade-off paths (reward against KL,
 * reward against reward-model queries). Redraws are paced by the `RefreshScheduler`.
 */
import { memo, useCallback, useMemo, useRef, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricKey } from '../../../lab/metrics.ts';
import { runColour } from '../../colours.ts';
import { svgToPng } from '../../export/png-export.ts';
import { SaveImageMenu, type ImageFormat } from '../../export/SaveImageMenu.tsx';
import { snapshotSvg, svgBlob } from '../../export/svg-export.ts';
import { useLab, useLabStore } from '../../lab-context.tsx';
import { pathPoints, stepRows, type LineSpec } from './chart-data.ts';
import { mlpLineKey, mlpLines, MLP_DASH } from '../../mlp-companion/chart-lines.ts';
import { companionFor } from '../../mlp-companion/companion.ts';
import { useMlpCompanion } from '../../mlp-companion/MlpCompanion.tsx';
import { RefreshScheduler, useRefreshTick } from './refresh-scheduler.ts';

const HEIGHT = 190;
const MARGIN = { top: 6, right: 12, bottom: 18, left: 0 };
const formatTick = (v: number) => (Math.abs(v) >= 1000 ? `${Math.round(v / 100) / 10}k` : Number(v.toPrecision(3)).toString());
const TOOLTIP_STYLE = { fontSize: 12, padding: '4px 8px', lineHeight: 1.3 };
const formatValue = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v));

interface StepChartSpec {
  metric: MetricKey;
  title: string;
  note: string;
  domain?: [number, number];
}

const STEP_CHARTS: StepChartSpec[] = [
  { metric: 'expected_reward', title: 'Expected reward E_π[r]', note: 'exact, over every bin' },
  { metric: 'peak_mass', title: 'Mass in the reward-peak window', note: 'the shaded bins', domain: [0, 1] },
  { metric: 'kl_pi_ref', title: 'KL(π‖π_ref)', note: 'reverse KL: large when π puts mass where π_ref has little' },
  { metric: 'kl_ref_pi', title: 'KL(π_ref‖π)', note: 'forward KL: large when π drops mass π_ref has' },
  { metric: 'entropy', title: 'Entropy H(π)', note: 'nats; falls as π concentrates' },
];

function useVisibleRuns(): Array<{ index: number; name: string; pairwise: boolean }> {
  const info = useLab((s) => s.info);
  const hidden = useLab((s) => s.hidden);
  return useMemo(
    () => (info?.runs ?? []).map((r, index) => ({ index, name: r.name, pairwise: r.pairwise })).filter((r) => !hidden.includes(r.name)),
    [info, hidden],
  );
}

function ChartFigure({ id, title, note, children, figureRef }: { id: string; title: string; note: string; children: ReactNode; figureRef: (element: HTMLElement | null) => void }) {
  const figure = useRef<HTMLElement | null>(null);
  const setFigure = useCallback(
    (element: HTMLElement | null) => {
      figure.current = element;
      figureRef(element);
    },
    [figureRef],
  );
  const makeImage = useCallback(
    async (format: ImageFormat): Promise<Blob> => {
      const svg = figure.current?.querySelector<SVGSVGElement>('svg.recharts-surface');
      if (!svg) throw new Error('the chart has nothing drawn yet');
      const snapshot = snapshotSvg(svg, { title });
      return format === 'svg' ? svgBlob(snapshot.text) : svgToPng(snapshot.text, snapshot.width, snapshot.height);
    },
    [title],
  );
  return (
    <figure ref={setFigure} className="metric-chart" aria-labelledby={`${id}-title`} data-chart={id}>
      <figcaption id={`${id}-title`}>
        <span className="chart-title">{title}</span> <span className="chart-note">{note}</span>
      </figcaption>
      <SaveImageMenu subject={`the chart ${title}`} fileSubject={`chart-${id}`} makeImage={makeImage} />
      {children}
    </figure>
  );
}

const StepChart = memo(function StepChart({ spec, scheduler }: { spec: StepChartSpec; scheduler: RefreshScheduler }) {
  const store = useLabStore();
  const runs = useVisibleRuns();
  const [tick, figureRef] = useRefreshTick(scheduler, spec.metric);
  const mlpOn = useMlpCompanion((s) => s.enabled);
  const mlp = mlpLines(companionFor(store), mlpOn, runs, spec.metric);
  const mlpKeys = mlp.map((l) => l.key).join();
  const data = useMemo(
    () => stepRows([...runs.map((r): LineSpec => ({ key: `r${r.index}`, series: store.view.series[r.index], metric: spec.metric })).filter((l) => l.series), ...mlpLines(companionFor(store), mlpOn, runs, spec.metric)]),
    [tick, runs, store, spec.metric, mlpOn, mlpKeys],
  );
  return (
    <ChartFigure id={spec.metric} title={spec.title} note={mlp.length ? `${spec.note} · dashed: MLP` : spec.note} figureRef={figureRef}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} margin={MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke="#ececec" />
          <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} tickFormatter={formatTick} fontSize={11} label={{ value: 'gradient step', position: 'insideBottom', offset: -6, fontSize: 11 }} />
          <YAxis domain={spec.domain ?? ['auto', 'auto']} tickFormatter={formatTick} fontSize={11} width={44} />
          <Tooltip formatter={formatValue} labelFormatter={(v) => `step ${v}`} isAnimationActive={false} contentStyle={TOOLTIP_STYLE} />
          {runs.map((r) => (
            <Line key={r.index} dataKey={`r${r.index}`} name={r.name} stroke={runColour(r.index)} dot={false} isAnimationActive={false} strokeWidth={1.8} connectNulls />
          ))}
          {runs
            .filter((r) => mlp.some((l) => l.key === mlpLineKey(r.index)))
            .map((r) => (
              <Line key={mlpLineKey(r.index)} dataKey={mlpLineKey(r.index)} name={`${r.name} · MLP`} stroke={runColour(r.index)} strokeDasharray={MLP_DASH} dot={false} isAnimationActive={false} strokeWidth={1.6} connectNulls />
            ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
});

const ImplicitRewardChart = memo(function ImplicitRewardChart({ scheduler }: { scheduler: RefreshScheduler }) {
  const store = useLabStore();
  const runs = useVisibleRuns().filter((r) => r.pairwise);
  const [tick, figureRef] = useRefreshTick(scheduler, 'implicit');
  const data = useMemo(
    () =>
      stepRows(
        runs.flatMap((r): LineSpec[] => [
          { key: `w${r.index}`, series: store.view.series[r.index], metric: 'implicit_chosen' },
          { key: `l${r.index}`, series: store.view.series[r.index], metric: 'implicit_rejected' },
        ]).filter((l) => l.series),
      ),
    [tick, runs.map((r) => r.index).join(), store],
  );
  return (
    <ChartFigure figureRef={figureRef} id="implicit" title="Implicit rewards log π/π_ref of y_w (solid) and y_l (dashed)" note="pairwise runs only">
      {runs.length === 0 ? (
        <p className="chart-empty">No visible run is pairwise (DPO, IPO or Pref-FT), so there are no implicit rewards to show.</p>
      ) : (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={data} margin={MARGIN} accessibilityLayer={false}>
            <CartesianGrid stroke="#ececec" />
            <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} tickFormatter={formatTick} fontSize={11} label={{ value: 'gradient step', position: 'insideBottom', offset: -6, fontSize: 11 }} />
            <YAxis domain={['auto', 'auto']} tickFormatter={formatTick} fontSize={11} width={44} />
            <Tooltip formatter={formatValue} labelFormatter={(v) => `step ${v}`} isAnimationActive={false} contentStyle={TOOLTIP_STYLE} />
            {runs.flatMap((r) => [
              <Line key={`w${r.index}`} dataKey={`w${r.index}`} name={`${r.name}: y_w`} stroke={runColour(r.index)} dot={false} isAnimationActive={false} strokeWidth={1.8} connectNulls />,
              <Line key={`l${r.index}`} dataKey={`l${r.index}`} name={`${r.name}: y_l`} stroke={runColour(r.index)} strokeDasharray="5 3" dot={false} isAnimationActive={false} strokeWidth={1.5} connectNulls />,
            ])}
          </LineChart>
        </ResponsiveContainer>
      )}
    </ChartFigure>
  );
});

interface PathChartSpec {
  id: string;
  x: MetricKey;
  xLabel: string;
  title: string;
  note: string;
}

const PATH_CHARTS: PathChartSpec[] = [
  { id: 'reward-vs-kl', x: 'kl_pi_ref', xLabel: 'KL(π‖π_ref)', title: 'Reward against KL(π‖π_ref)', note: 'up and to the left is efficient' },
  { id: 'reward-vs-queries', x: 'queries', xLabel: 'reward-model queries', title: 'Reward against reward-model queries', note: 'samples labelled so far' },
];

const PathChart = memo(function PathChart({ spec, scheduler }: { spec: PathChartSpec; scheduler: RefreshScheduler }) {
  const store = useLabStore();
  const runs = useVisibleRuns();
  const [tick, figureRef] = useRefreshTick(scheduler, spec.id);
  const paths = useMemo(
    () => runs.filter((r) => store.view.series[r.index]).map((r) => ({ ...r, points: pathPoints(store.view.series[r.index], spec.x, 'expected_reward') })),
    [tick, runs, store, spec.x],
  );
  return (
    <ChartFigure id={spec.id} title={spec.title} note={spec.note} figureRef={figureRef}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart margin={MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke="#ececec" />
          <XAxis dataKey="x" type="number" domain={[0, 'auto']} tickFormatter={formatTick} fontSize={11} label={{ value: spec.xLabel, position: 'insideBottom', offset: -6, fontSize: 11 }} allowDuplicatedCategory={false} />
          <YAxis dataKey="y" domain={['auto', 'auto']} tickFormatter={formatTick} fontSize={11} width={44} />
          <Tooltip formatter={formatValue} labelFormatter={(v) => `${spec.xLabel} ${formatValue(v)}`} isAnimationActive={false} contentStyle={TOOLTIP_STYLE} />
          {paths.map((p) => (
            <Line key={p.index} data={p.points} dataKey="y" name={p.name} stroke={runColour(p.index)} dot={false} isAnimationActive={false} strokeWidth={1.8} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
});

export function MetricCharts() {
  const store = useLabStore();
  const scheduler = useMemo(() => new RefreshScheduler(store.view), [store]);
  return (
    <div className="chart-grid">
      {STEP_CHARTS.map((spec) => (
        <StepChart key={spec.metric} spec={spec} scheduler={scheduler} />
      ))}
      <ImplicitRewardChart scheduler={scheduler} />
      {PATH_CHARTS.map((spec) => (
        <PathChart key={spec.id} spec={spec} scheduler={scheduler} />
      ))}
    </div>
  );
}
