/**
 * The settings every run inherits unless it overrides them, generated from the knob table and grouped
 * as the paper groups them. A knob no current run uses is tucked away, not hidden.
 */
import { useMemo } from 'react';
import { resolveRuns } from '../../../lab/config/experiment.ts';
import { objectivesUsing } from '../../../lab/config/relevance.ts';
import { RUN_KNOB_KEYS, RUN_KNOBS, type KnobGroup, type RunKnobKey } from '../../../lab/config/settings.ts';
import { OBJECTIVES } from '../../../lab/objectives/catalog.ts';
import { useLab } from '../../lab-context.tsx';
import type { LabState, RunStatus } from '../../store/lab-store.ts';
import { KnobControl } from './KnobControl.tsx';

const GROUPS: Array<{ group: KnobGroup; title: string }> = [
  { group: 'data', title: 'Data: offline or on-policy, S, N, M, T' },
  { group: 'objective', title: 'Objective hyperparameters' },
  { group: 'optimisation', title: 'Optimisation' },
];

/** What a shared knob shows: the runs' current value when they agree (live knobs move during training). */
type LiveValues = Array<Pick<RunStatus, 'name' | 'live'>>;

export function sharedValue(state: { config: LabState['config']; runs: LiveValues }, key: RunKnobKey): { value: unknown; mixed: boolean } {
  const base = (state.config.defaults as Record<string, unknown>)[key] ?? RUN_KNOBS[key].default;
  if (!RUN_KNOBS[key].live) return { value: base, mixed: false };
  const inheriting = state.config.runs.filter((r) => (r as Record<string, unknown>)[key] === undefined).map((r) => r.name);
  const values = new Set(state.runs.filter((r) => inheriting.includes(r.name) && r.live).map((r) => r.live![key as keyof typeof r.live]));
  if (values.size === 0) return { value: base, mixed: false };
  if (values.size === 1) return { value: [...values][0], mixed: false };
  return { value: undefined, mixed: true };
}

export function SharedSettings() {
  const config = useLab((s) => s.config);
  // only the runs' live values matter here: compared as text, so the streamed frames do not re-render this
  const liveText = useLab((s) => JSON.stringify(s.runs.map((r) => ({ name: r.name, live: r.live }))));
  const runs = useMemo(() => JSON.parse(liveText) as LiveValues, [liveText]);
  const changeKnob = useLab((s) => s.changeKnob);
  const objectives = [...new Set(config.runs.map((r) => r.objective))];
  const resolved = resolveRuns(config);
  const S = resolved.length ? resolved[0].S : 0;
  const inheritsS = config.runs.every((r) => r.S === undefined);
  const inheritsN = config.runs.every((r) => r.N === undefined);

  const control = (key: RunKnobKey) => {
    const { value, mixed } = sharedValue({ config, runs }, key);
    const overriding = config.runs.filter((r) => (r as Record<string, unknown>)[key] !== undefined).length;
    const users = objectivesUsing(key, objectives);
    const parts = [];
    if (RUN_KNOBS[key].group === 'objective') parts.push(`used by ${users.map((o) => OBJECTIVES[o].label).join(', ')}`);
    if (overriding) parts.push(`${overriding} run${overriding > 1 ? 's' : ''} override${overriding > 1 ? '' : 's'} it`);
    return (
      <KnobControl
        key={key}
        knobKey={key}
        value={value}
        placeholder={mixed ? 'differs between runs' : key === 'M' ? '= S (full batch)' : undefined}
        context={parts.join('; ') || undefined}
        onCommit={(v) => changeKnob({ kind: 'shared' }, key, v)}
      />
    );
  };

  return (
    <div className="shared-settings">
      {GROUPS.map(({ group, title }) => {
        const keys = RUN_KNOB_KEYS.filter((k) => RUN_KNOBS[k].group === group);
        const used = keys.filter((k) => objectivesUsing(k, objectives).length > 0);
        const unused = keys.filter((k) => !used.includes(k));
        return (
          <fieldset key={group} className="knob-group">
            <legend>{title}</legend>
            {group === 'data' && inheritsS && inheritsN && (
              <p className="derived">
                Collection batch B = S·N = {S * (resolved[0]?.N ?? 0)} samples per epoch.
              </p>
            )}
            {used.map(control)}
            {unused.length > 0 && (
              <details className="unused">
                <summary>Not used by the current runs ({unused.length})</summary>
                {unused.map(control)}
              </details>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}
