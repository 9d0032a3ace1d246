/** Playback: play / pause, one gradient step, one epoch, reset, and the speed. */
import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../lab-context.tsx';
import { useHidden } from '../url/use-hidden.ts';
import { defaultEpochRun } from '../store/lab-store.ts';
import type { Speed } from '../../worker/protocol.ts';

export const SPEEDS: Speed[] = [1, 2, 4, 8, 16, 32, 64, 'auto'];

export function Transport() {
  const playing = useLab((s) => s.playing);
  const ready = useLab((s) => s.status === 'ready');
  const speed = useLab((s) => s.speed);
  const runs = useLab((s) => s.info?.runs) ?? [];
  const config = useLab((s) => s.config);
  const epochRun = useLab((s) => s.epochRun);
  const status = useLab((s) => s.status);
  const actions = useLab(
    useShallow((s) => ({ togglePlay: s.togglePlay, stepOnce: s.stepOnce, stepEpoch: s.stepEpoch, reset: s.reset, setSpeed: s.setSpeed, setEpochRun: s.setEpochRun, setHelpOpen: s.setHelpOpen })),
  );
  const allFinished = useLab((s) => s.runs.length > 0 && s.runs.every((r) => r.finished));
  const epochOf = epochRun ?? (config.runs.length ? defaultEpochRun(config) : '');
  const epochInfo = runs.find((r) => r.name === epochOf);
  const hideStep = useHidden('step');
  const hideReset = useHidden('reset');
  const hideSpeed = useHidden('speed');

  return (
    <div className="transport" role="toolbar" aria-label="Playback">
      <button type="button" className="primary" onClick={actions.togglePlay} disabled={!ready || (allFinished && !playing)} aria-keyshortcuts="Space" title={allFinished ? 'Every run has finished: reset to train again' : undefined}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" hidden={hideStep} onClick={actions.stepOnce} disabled={!ready || allFinished} aria-keyshortcuts="ArrowRight" title="One gradient step (→)">
        Step
      </button>
      <span className="epoch-step" hidden={hideStep}>
        <button type="button" onClick={actions.stepEpoch} disabled={!ready || allFinished} aria-keyshortcuts="E" title="Train until the chosen run starts its next epoch (E)">
          Epoch
        </button>
        <label className="visually-hidden" htmlFor="epoch-run">
          Epoch of which run
        </label>
        <select id="epoch-run" value={epochOf} onChange={(e) => actions.setEpochRun(e.target.value)} title={epochInfo ? `one epoch of ${epochInfo.name} is ${epochInfo.stepsPerEpoch} steps` : undefined}>
          {runs.map((r) => (
            <option key={r.name} value={r.name}>
              of {r.name} ({r.stepsPerEpoch} {r.stepsPerEpoch === 1 ? 'step' : 'steps'})
            </option>
          ))}
        </select>
      </span>
      <button type="button" hidden={hideReset} onClick={actions.reset} disabled={!ready && status !== 'failed'} aria-keyshortcuts="R" title="Back to step 0, same initialisation (R)">
        Reset
      </button>
      <label className="speed" hidden={hideSpeed}>
        Speed{' '}
        <select value={String(speed)} onChange={(e) => actions.setSpeed(e.target.value === 'auto' ? 'auto' : Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={String(s)} value={String(s)}>
              {s === 'auto' ? 'as fast as possible' : `${s} step${s === 1 ? '' : 's'} / frame`}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="help-button" onClick={() => actions.setHelpOpen(true)} aria-keyshortcuts="?" aria-label="Keyboard shortcuts">
        ?
      </button>
    </div>
  );
}
