/**
 * A run's live knobs: one compact field per knob its objective reads (lr for every run; DPO β, IPO margin, RWR τ,
 * PPO's clip and KL coefficient, …), then the run's live changes with their steps and knobs (Reset replays them).
 */
import { LiveKnobField } from './LiveKnobField.tsx';
import { liveEditsText } from './live-edit-text.ts';
import type { SequenceRunState } from './sequences-store.ts';

export function LiveKnobs({ run, disabled }: { run: SequenceRunState; disabled: boolean }) {
  return (
    <section className="live-knobs" aria-label={`Live knobs of ${run.name}`}>
      <h4>
        Change while training <span className="badge badge-live">live</span>
      </h4>
      {run.liveKeys.map((key) => (
        <LiveKnobField key={key} runName={run.name} knob={key} value={run.live[key]} disabled={disabled} />
      ))}
      {run.liveEdits.length > 0 && <p className="note live-edits">{liveEditsText(run.liveEdits)}</p>}
    </section>
  );
}
