/** Step / Play / Pause / Reset for one theory demo, with its step counter. */
import type { Player } from './use-player.ts';

interface FlowControlsProps {
  /** names the toolbar, e.g. "Demo A playback" */
  label: string;
  step: number;
  maxSteps: number;
  canStep: boolean;
  player: Player;
  onStep(): void;
  onReset(): void;
}

export function FlowControls({ label, step, maxSteps, canStep, player, onStep, onReset }: FlowControlsProps) {
  return (
    <div className="flow-controls" role="toolbar" aria-label={label}>
      <button type="button" onClick={onStep} disabled={!canStep || player.playing}>
        Step
      </button>
      <button type="button" className="primary" onClick={player.toggle} disabled={!canStep && !player.playing}>
        {player.playing ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        onClick={() => {
          player.pause();
          onReset();
        }}
      >
        Reset
      </button>
      <span className="step-counter">
        step{' '}
        <output aria-live={player.playing ? 'off' : 'polite'}>
          {step}
        </output>
        <span className="note"> of {maxSteps}</span>
      </span>
    </div>
  );
}
