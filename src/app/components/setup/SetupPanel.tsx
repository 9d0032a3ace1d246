/** The set-up of the comparison: the bandit (reward, reference, seed), the shared settings and the runs. */
import { useEffect, useId, useState } from 'react';
import type { ConfigError } from '../../../lab/config/experiment.ts';
import { useLab, useLabStore } from '../../lab-context.tsx';
import { EnvironmentEditor, type EnvironmentSetup } from './EnvironmentEditor.tsx';
import { KnobBadge } from './KnobBadge.tsx';
import { RunSetup } from './RunSetup.tsx';
import { SharedSettings } from './SharedSettings.tsx';

function SeedControl() {
  const seed = useLab((s) => s.config.seed);
  const pending = useLab((s) => s.pending);
  const config = useLab((s) => s.config);
  const propose = useLab((s) => s.propose);
  const store = useLabStore();
  const [draft, setDraft] = useState(String(seed));
  const [errors, setErrors] = useState<ConfigError[]>([]);
  const id = useId();
  useEffect(() => {
    if (pending === null) setDraft(String(seed));
  }, [seed, pending]);
  const submit = () => {
    // the restart dialog takes the focus: that blur must not submit again
    if (store.getState().pending) return;
    if (draft === String(seed)) return setErrors([]);
    const value = draft.trim() === '' ? Number.NaN : Number(draft);
    if (!Number.isInteger(value)) return setErrors([{ path: 'seed', message: `The seed must be a whole number (got "${draft.slice(0, 24)}")` }]);
    setErrors(propose({ ...config, seed: value }, `Use seed ${value}: new datasets and samples for every run.`));
  };
  return (
    <div className="knob">
      <div className="knob-head">
        <label htmlFor={id}>Seed</label>
        <KnobBadge live={false} />
      </div>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        value={draft}
        aria-invalid={errors.length > 0}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={submit}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          // without this, the same Enter would press the button the restart dialog focuses
          e.preventDefault();
          submit();
        }}
      />
      {errors.length > 0 && (
        <p className="knob-error" role="alert">
          {errors.map((e) => e.message).join(' ')}
        </p>
      )}
      <p className="knob-help">Every random draw (datasets, on-policy samples, labels) comes from named streams of this seed; runs share the same draws, so differences come from the objective alone.</p>
    </div>
  );
}

export function SetupPanel() {
  const config = useLab((s) => s.config);
  const propose = useLab((s) => s.propose);
  const [errors, setErrors] = useState<ConfigError[]>([]);
  const environment: EnvironmentSetup = { reference: config.reference, reward: config.reward, peakHalfWidth: config.peakHalfWidth };
  const apply = (next: EnvironmentSetup) => setErrors(propose({ ...config, ...next }, 'Change the reward, the reference policy or the peak window.'));
  return (
    <div className="setup-panel">
      <h2 id="setup-title">Set-up</h2>
      <details className="setup-section">
        <summary>
          <h3>Reward, reference &amp; seed</h3>
        </summary>
        <EnvironmentEditor value={environment} seed={config.seed} onApply={apply} />
        {errors.length > 0 && (
          <p className="knob-error" role="alert">
            {errors.map((e) => `${e.path}: ${e.message}`).join(' ')}
          </p>
        )}
        <SeedControl />
      </details>
      <details className="setup-section" open>
        <summary>
          <h3>Shared settings</h3>
        </summary>
        <p className="note">Every run uses these unless it overrides them below. Live knobs change from the next step; the others restart every run.</p>
        <SharedSettings />
      </details>
      <details className="setup-section" open>
        <summary>
          <h3>Runs ({config.runs.length})</h3>
        </summary>
        <RunSetup />
      </details>
    </div>
  );
}
