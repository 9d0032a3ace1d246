/**
 * One run of the comparison: its state, token heatmap beside π_ref's, length histogram (length tasks),
 * latest samples with their rewards and coefficients, latest metrics and its live knobs (those its objective reads).
 */
import { OBJECTIVES } from '../../lab/objectives/catalog.ts';
import { runColour } from '../colours.ts';
import { LengthHistogram } from './LengthHistogram.tsx';
import { LiveKnobs } from './LiveKnobs.tsx';
import { RunHeatmaps } from './RunHeatmaps.tsx';
import { SampleList } from './SampleList.tsx';
import { useSequences } from './sequences-context.tsx';
import type { SequenceRunState } from './sequences-store.ts';

export function objectiveLabel(objective: string): string {
  return (OBJECTIVES as Record<string, { label: string } | undefined>)[objective]?.label ?? objective;
}

export function runStateText(run: SequenceRunState): string {
  if (run.diverged) return `diverged: ${run.diverged}`;
  if (run.finished) return `finished at step ${run.step}`;
  return `step ${run.step} of ${run.totalSteps}`;
}

const format = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(3));

export function RunCard({ index }: { index: number }) {
  const info = useSequences((s) => s.info);
  const run = useSequences((s) => s.runs[index]);
  const ready = useSequences((s) => s.status === 'ready');
  if (!info || !run) return null;
  const colour = runColour(index);
  const latest = run.rows.at(-1);
  const titleId = `sequence-run-${index}-title`;
  return (
    <article className={`sequence-card${run.diverged ? ' is-diverged' : ''}`} aria-labelledby={titleId} data-run={run.name}>
      <header>
        <span className="swatch" style={{ background: colour }} aria-hidden="true" />
        <h3 id={titleId}>{run.name}</h3>
        <span className="objective-tag">
          {run.sampling} · {objectiveLabel(run.objective)}
        </span>
      </header>
      <p className={`run-state${run.diverged ? ' error' : ''}`} role={run.diverged ? 'alert' : undefined}>
        {runStateText(run)}
      </p>
      <RunHeatmaps info={info} runName={run.name} colour={colour} heatmap={run.heatmap} step={run.step} />
      {info.referenceLengths && <LengthHistogram runName={run.name} colour={colour} lengths={run.lengths} referenceLengths={info.referenceLengths} />}
      <dl className="run-stats">
        <div>
          <dt>reward</dt>
          <dd data-metric="reward">{format(latest?.reward)}</dd>
        </div>
        <div>
          <dt>KL / token</dt>
          <dd data-metric="klPerToken">{format(latest?.klPerToken)}</dd>
        </div>
        {info.referenceLengths && (
          <div>
            <dt>mean length</dt>
            <dd data-metric="meanLength">{format(latest?.meanLength)}</dd>
          </div>
        )}
        <div>
          <dt>loss</dt>
          <dd data-metric="loss">{format(latest?.loss)}</dd>
        </div>
      </dl>
      <details className="samples" open>
        <summary>Latest samples</summary>
        <SampleList runName={run.name} samples={run.samples} endToken={info.endToken} />
      </details>
      <LiveKnobs run={run} disabled={!ready || run.finished} />
    </article>
  );
}
