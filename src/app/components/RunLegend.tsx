/** The legend shared by every chart: show or hide a run, or show it alone. */
import { runColour } from '../colours.ts';
import { useLab } from '../lab-context.tsx';

export function RunLegend() {
  const runs = useLab((s) => s.info?.runs) ?? [];
  const hidden = useLab((s) => s.hidden);
  const toggleHidden = useLab((s) => s.toggleHidden);
  const solo = useLab((s) => s.solo);
  return (
    <ul className="run-legend" aria-label="Runs shown in the charts">
      {runs.map((run, i) => {
        const shown = !hidden.includes(run.name);
        return (
          <li key={run.name} className={shown ? '' : 'is-hidden'}>
            <label>
              <input type="checkbox" checked={shown} onChange={() => toggleHidden(run.name)} />
              <span className="swatch" style={{ background: runColour(i) }} aria-hidden="true" />
              {run.name}
            </label>
            <button type="button" className="link-button" onClick={() => solo(run.name)} aria-label={`solo ${run.name}`} title={`Show only ${run.name} in the charts (press again to show every run)`}>
              solo
            </button>
          </li>
        );
      })}
    </ul>
  );
}
