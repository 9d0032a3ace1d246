/** The charts' legend: show or hide each run in the metric charts, or show one alone (as the lab's legend does). */
import { runColour } from '../colours.ts';
import { useSequences } from './sequences-context.tsx';

export function SequenceRunLegend() {
  const runs = useSequences((s) => s.info?.runs);
  const hidden = useSequences((s) => s.hidden);
  const toggleHidden = useSequences((s) => s.toggleHidden);
  const solo = useSequences((s) => s.solo);
  if (!runs?.length) return null;
  return (
    <ul className="run-legend" aria-label="Runs shown in the charts">
      {runs.map((run, index) => {
        const shown = !hidden.includes(run.name);
        return (
          <li key={run.name} className={shown ? '' : 'is-hidden'}>
            <label>
              <input type="checkbox" checked={shown} onChange={() => toggleHidden(run.name)} />
              <span className="swatch" style={{ background: runColour(index) }} aria-hidden="true" />
              {run.name}
            </label>
            {runs.length > 1 && (
              <button type="button" className="link-button" onClick={() => solo(run.name)} aria-label={`solo ${run.name}`} title={`Show only ${run.name} in the charts (press again to show every run)`}>
                solo
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
