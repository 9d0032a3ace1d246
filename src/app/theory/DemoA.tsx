/**
 * Demo A: the paper's four-bin toy (spec E.5). Both objectives side by side from the same p₀ towards the same
 * q, stepped together; p₀ and q are editable, and the published figure's bars can be laid over the charts.
 */
import { useReducer, useState } from 'react';
import { logitVelocity, reverseKlRegimes, type KlObjective, type ReverseKlRegime } from '../../lab/theory.ts';
import { canStepDemoA, DEMO_A_ETA_RANGE, DEMO_A_MAX_STEPS, demoAReducer, initialDemoA, PUBLISHED_FIGURE, type DemoAState } from './demo-a-model.ts';
import { DistributionEditor } from './DistributionEditor.tsx';
import { FlowControls } from './FlowControls.tsx';
import { currentDistribution } from './flow-track.ts';
import { drivenBins } from './formula-terms.ts';
import { useHighlight } from './highlight-context.tsx';
import { NumberSlider } from './NumberSlider.tsx';
import { OBJECTIVE_FORMULA, OBJECTIVE_NAME, OBJECTIVES } from './objective-labels.ts';
import { regimeNotes } from './regime-notes.ts';
import { RegimeNotes } from './RegimeNotes.tsx';
import { OBJECTIVE_COLOUR, TARGET_COLOUR } from './theory-colours.ts';
import { ToyBars } from './ToyBars.tsx';
import { ToyMassChart } from './ToyMassChart.tsx';
import { usePlayer } from './use-player.ts';

/** Demo A plays slowly: the interesting part is the first handful of steps. */
const PLAY_INTERVAL_MS = 600;

function ObjectivePanel({ state, objective, showPublished }: { state: DemoAState; objective: KlObjective; showPublished: boolean }) {
  const { active } = useHighlight();
  const track = state[objective];
  const formula = OBJECTIVE_FORMULA[objective];
  const titleId = `demo-a-${objective}-title`;
  const heading = (
    <h3 id={titleId}>
      <span className="objective-swatch" style={{ background: OBJECTIVE_COLOUR[objective] }} aria-hidden="true" />
      GD on {formula} <span className="objective-name">{OBJECTIVE_NAME[objective]}</span>
    </h3>
  );
  if (!track) {
    return (
      <section className="objective-panel is-blocked" data-objective={objective} aria-labelledby={titleId}>
        {heading}
        <p className="blocked-message">
          Not running: {objective === 'reverse' && state.forward ? 'q has a zero, so KL(p‖q) is infinite (see the message under q).' : 'p₀ has a zero (see the message under p₀).'}
        </p>
      </section>
    );
  }
  const p = currentDistribution(track);
  const velocity = logitVelocity(p, state.q, objective, state.eta);
  const regimes: ReverseKlRegime[] = state.reverse ? reverseKlRegimes(p, state.q) : state.q.map(() => 'balanced');
  return (
    <section className="objective-panel" data-objective={objective} aria-labelledby={titleId}>
      {heading}
      <ToyBars
        objective={objective}
        step={state.step}
        p={p}
        q={state.q}
        velocity={velocity}
        published={showPublished ? PUBLISHED_FIGURE[objective] : null}
        driven={active ? drivenBins(active, objective, regimes) : null}
      />
      <ToyMassChart objective={objective} history={track.history} q={state.q} />
    </section>
  );
}

export function DemoA() {
  const [state, dispatch] = useReducer(demoAReducer, undefined, initialDemoA);
  const [showPublished, setShowPublished] = useState(false);
  const canStep = canStepDemoA(state);
  const player = usePlayer(() => dispatch({ type: 'step' }), canStep, PLAY_INTERVAL_MS);
  const reverseP = state.reverse && currentDistribution(state.reverse);

  return (
    <section className="theory-demo demo-a" aria-labelledby="demo-a-title">
      <h2 id="demo-a-title">Demo A — the paper’s four-bin toy</h2>
      <p className="lede">
        Gradient descent on the logits from p₀ towards q, with the exact gradients. Maximum likelihood lowers bin 0 (above its target) from the first
        step; the reverse KL first <em>raises</em> it (log(p₀/q₀) &lt; KL), empties bins 1 and 3, and fills bin 2, the target’s mode, more slowly: the
        factor pᵢ holds it back until it has mass.
      </p>
      <div className="demo-controls">
        <FlowControls label="Demo A playback" step={state.step} maxSteps={DEMO_A_MAX_STEPS} canStep={canStep} player={player} onStep={() => dispatch({ type: 'step' })} onReset={() => dispatch({ type: 'reset' })} />
        <NumberSlider label="Step size η" value={state.eta} min={DEMO_A_ETA_RANGE.min} max={DEMO_A_ETA_RANGE.max} step={0.01} onChange={(eta) => dispatch({ type: 'set-eta', eta })} />
        <label className="overlay-toggle">
          <input type="checkbox" checked={showPublished} onChange={(event) => setShowPublished(event.target.checked)} /> Overlay the published figure’s bars
        </label>
      </div>
      {showPublished && (
        <p className="overlay-note" role="note">
          The paper’s figure (values read off the image, ±0.01) matches 3 steps at η ≈ 0.93 only with its labels swapped: its “p_forward” bars ≈ [0.33,
          0.225, 0.22, 0.225] are gradient descent on KL(p‖q), and its “p_reverse” bars ≈ [0.25, 0.20, 0.35, 0.20] are maximum likelihood, KL(q‖p). Each
          is drawn (dashed) on the objective it matches; compare at step 3.
        </p>
      )}
      <div className="objective-columns">
        {OBJECTIVES.map((objective) => (
          <ObjectivePanel key={objective} state={state} objective={objective} showPublished={showPublished} />
        ))}
      </div>
      {reverseP && <RegimeNotes notes={regimeNotes(reverseP, state.q, state.eta)} step={state.step} />}
      <div className="distribution-editors">
        <DistributionEditor symbol="p₀" title="the starting model" role="start" values={state.p0} colour="#555555" onChange={(p0) => dispatch({ type: 'set-p0', p0 })} />
        <DistributionEditor symbol="q" title="the target" role="target" values={state.q} colour={TARGET_COLOUR} onChange={(q) => dispatch({ type: 'set-q', q })} />
        <button type="button" className="restore-paper" onClick={() => dispatch({ type: 'restore-paper' })}>
          Restore the paper’s p₀ and q
        </button>
      </div>
    </section>
  );
}
