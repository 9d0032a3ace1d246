/**
 * Demo B: the bandit-scale picture (spec E.6). From π_ref towards π*_β for R1 or R2, exact logit gradient
 * descent under both objectives: the peak-window mass against the step, where the mass is, the next step's
 * logit velocities as diverging bars, and spec E.4's three properties annotated from their exact conditions.
 */
import { useMemo, useReducer } from 'react';
import { reverseKlRegimes } from '../../lab/theory.ts';
import { BanditDistributions } from './BanditDistributions.tsx';
import {
  BANDIT_REWARDS,
  canStepDemoB,
  currentVelocities,
  DEMO_B_BETA_RANGE,
  DEMO_B_ETA_RANGE,
  DEMO_B_MAX_STEPS,
  demoBReducer,
  initialDemoB,
  peakWindow,
  referencePolicy,
  targetWindowMass,
  windowMassRows,
  type BanditRewardLabel,
} from './demo-b-model.ts';
import { FlowControls } from './FlowControls.tsx';
import { currentDistribution } from './flow-track.ts';
import { drivenBins } from './formula-terms.ts';
import { useHighlight } from './highlight-context.tsx';
import { NumberSlider } from './NumberSlider.tsx';
import { OBJECTIVE_FORMULA, OBJECTIVES } from './objective-labels.ts';
import { regimeNotes } from './regime-notes.ts';
import { RegimeNotes } from './RegimeNotes.tsx';
import { usePlayer } from './use-player.ts';
import { VelocityBars } from './VelocityBars.tsx';
import { WindowMassChart } from './WindowMassChart.tsx';

/** about 25 steps a second: the 200 steps of spec E.6 in 8 seconds */
const PLAY_INTERVAL_MS = 40;

export function DemoB({ onOpenPreset }: { onOpenPreset(presetName: string): void }) {
  const [state, dispatch] = useReducer(demoBReducer, undefined, initialDemoB);
  const { active } = useHighlight();
  const canStep = canStepDemoB(state);
  const player = usePlayer(() => dispatch({ type: 'step' }), canStep, PLAY_INTERVAL_MS);
  const peak = peakWindow(state.reward);
  const rows = useMemo(() => windowMassRows(state), [state]);
  const target = targetWindowMass(state);
  const velocities = useMemo(() => currentVelocities(state), [state]);
  const forwardP = currentDistribution(state.forward);
  const reverseP = currentDistribution(state.reverse);
  const regimes = useMemo(() => ({ forward: reverseKlRegimes(forwardP, state.q), reverse: reverseKlRegimes(reverseP, state.q) }), [forwardP, reverseP, state.q]);
  const notes = useMemo(() => regimeNotes(reverseP, state.q, state.eta), [reverseP, state.q, state.eta]);
  let scale = 1e-9;
  for (const objective of OBJECTIVES) for (const v of velocities[objective]) scale = Math.max(scale, Math.abs(v));
  const reward = BANDIT_REWARDS[state.reward];
  const now = rows[rows.length - 1];

  return (
    <section className="theory-demo demo-b" aria-labelledby="demo-b-title">
      <h2 id="demo-b-title">Demo B — the bandit at full scale</h2>
      <p className="lede">
        p₀ = π<sub>ref</sub> over 100 bins; the target is the KL-regularised optimum q = π*<sub>β</sub> ∝ π<sub>ref</sub>·exp(r/β). Exact gradients, no
        samples. Where π<sub>ref</sub> already covers the peak (R2) the reverse KL concentrates at once; where it barely does (R1) it starts slowly, then
        overtakes maximum likelihood.
      </p>
      <div className="demo-controls">
        <FlowControls label="Demo B playback" step={state.step} maxSteps={DEMO_B_MAX_STEPS} canStep={canStep} player={player} onStep={() => dispatch({ type: 'step' })} onReset={() => dispatch({ type: 'reset' })} />
        <fieldset className="reward-choice">
          <legend>Reward</legend>
          {(Object.keys(BANDIT_REWARDS) as BanditRewardLabel[]).map((label) => (
            <label key={label} title={BANDIT_REWARDS[label].note}>
              <input type="radio" name="demo-b-reward" value={label} checked={state.reward === label} onChange={() => dispatch({ type: 'set-reward', reward: label })} /> {label}{' '}
              <span className="note">(peak {BANDIT_REWARDS[label].centre})</span>
            </label>
          ))}
        </fieldset>
        <NumberSlider label="β" value={state.beta} min={DEMO_B_BETA_RANGE.min} max={DEMO_B_BETA_RANGE.max} step={0.01} onChange={(beta) => dispatch({ type: 'set-beta', beta })} />
        <NumberSlider label="Step size η" value={state.eta} min={DEMO_B_ETA_RANGE.min} max={DEMO_B_ETA_RANGE.max} step={0.05} onChange={(eta) => dispatch({ type: 'set-eta', eta })} />
        <button type="button" className="link-button samples-link" onClick={() => onOpenPreset(reward.preset)}>
          The same picture with samples → lab preset {reward.preset.toUpperCase()}
        </button>
      </div>
      <p className="window-readout" data-step={state.step} data-forward={now.forward} data-reverse={now.reverse} data-target={target}>
        Step {state.step}, peak-window mass: <strong style={{ color: 'var(--forward)' }}>{OBJECTIVE_FORMULA.forward} {now.forward.toFixed(3)}</strong> ·{' '}
        <strong style={{ color: 'var(--reverse-text)' }}>
          {OBJECTIVE_FORMULA.reverse} {now.reverse.toFixed(3)}
        </strong>{' '}
        · q {target.toFixed(3)}
      </p>
      <div className="demo-b-charts">
        <WindowMassChart rows={rows} target={target} peak={peak} />
        <BanditDistributions step={state.step} reference={referencePolicy()} q={state.q} forward={forwardP} reverse={reverseP} peak={peak} />
      </div>
      <div className="velocity-pair">
        {OBJECTIVES.map((objective) => (
          <VelocityBars
            key={objective}
            objective={objective}
            velocity={velocities[objective]}
            regimes={regimes[objective]}
            scale={scale}
            peak={peak}
            driven={active ? drivenBins(active, objective, regimes[objective]) : null}
          />
        ))}
      </div>
      <p className="chart-key velocity-key">
        <span>
          <span className="swatch key-falling" aria-hidden="true" /> falls (under KL(p‖q): zero-forcing)
        </span>
        <span>
          <span className="swatch key-rising" aria-hidden="true" /> rises (under KL(p‖q): concentration)
        </span>
        <span>
          <span className="swatch key-slow" aria-hidden="true" /> slow discovery
        </span>
      </p>
      <RegimeNotes notes={notes} step={state.step} />
    </section>
  );
}
