/**
 * The runs of the comparison: each with its name, objective, the settings it overrides and its edit log;
 * add, duplicate and remove runs.
 */
import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ConfigError, LiveEdit, RunConfig } from '../../../lab/config/experiment.ts';
import { MAX_RUNS } from '../../../lab/config/experiment.ts';
import { knobAppliesTo } from '../../../lab/config/relevance.ts';
import { RUN_KNOB_KEYS, RUN_KNOBS, type LiveKnobKey, type RunKnobKey } from '../../../lab/config/settings.ts';
import { OBJECTIVE_IDS, OBJECTIVES, type ObjectiveId } from '../../../lab/objectives/catalog.ts';
import { runColour } from '../../colours.ts';
import { useLab } from '../../lab-context.tsx';
import { useHidden } from '../../url/use-hidden.ts';
import { KnobBadge } from './KnobBadge.tsx';
import { KnobControl } from './KnobControl.tsx';

const NO_LIVE_VALUES: Partial<Record<LiveKnobKey, number>> = {};

function overridesOf(run: RunConfig): RunKnobKey[] {
  return RUN_KNOB_KEYS.filter((k) => (run as Record<string, unknown>)[k] !== undefined);
}

function Problems({ errors }: { errors: ConfigError[] }) {
  if (errors.length === 0) return null;
  return (
    <p className="knob-error" role="alert">
      {errors.map((e) => e.message).join(' ')}
    </p>
  );
}

function RunName({ name }: { name: string }) {
  const renameRun = useLab((s) => s.renameRun);
  const [draft, setDraft] = useState(name);
  const [errors, setErrors] = useState<ConfigError[]>([]);
  const id = useId();
  useEffect(() => setDraft(name), [name]);
  const submit = () => {
    if (draft === name) return setErrors([]);
    setErrors(renameRun(name, draft));
  };
  return (
    <div className="knob">
      <label htmlFor={id}>Name</label>
      <input id={id} type="text" value={draft} maxLength={60} aria-invalid={errors.length > 0} onChange={(e) => setDraft(e.target.value)} onBlur={submit} onKeyDown={(e) => e.key === 'Enter' && submit()} />
      <Problems errors={errors} />
    </div>
  );
}

function EditLog({ run, edits }: { run: string; edits: LiveEdit[] }) {
  const removeEdit = useLab((s) => s.removeEdit);
  const [errors, setErrors] = useState<ConfigError[]>([]);
  if (edits.length === 0) return <p className="note">No live changes yet. Change a live knob while this run trains and it is logged here with its step.</p>;
  return (
    <>
      <ol className="edit-log" aria-label={`Live changes of ${run}`}>
        {edits.map((edit, i) => (
          <li key={`${edit.step}-${edit.key}-${i}`}>
            <span>
              from step {edit.step + 1}: {RUN_KNOBS[edit.key].label.toLowerCase()} = {edit.value}
            </span>
            <button type="button" className="link-button" onClick={() => setErrors(removeEdit(edit))} aria-label={`Remove the change of ${RUN_KNOBS[edit.key].label.toLowerCase()} at step ${edit.step}`}>
              remove
            </button>
          </li>
        ))}
      </ol>
      <Problems errors={errors} />
    </>
  );
}

function RunCard({ run, index, openByDefault }: { run: RunConfig; index: number; openByDefault: boolean }) {
  const config = useLab((s) => s.config);
  const lockRuns = useHidden('runs');
  const { changeKnob, clearOverride, propose, duplicateRun, removeRun, addOverride: overrideKnob } = useLab(
    useShallow((s) => ({ changeKnob: s.changeKnob, clearOverride: s.clearOverride, propose: s.propose, duplicateRun: s.duplicateRun, removeRun: s.removeRun, addOverride: s.addOverride })),
  );
  // the run's live knob values change only when edited, though a frame arrives every animation frame
  const live = useLab(useShallow((s) => s.runs.find((r) => r.name === run.name)?.live ?? NO_LIVE_VALUES));
  const [errors, setErrors] = useState<ConfigError[]>([]);
  const objectiveId = useId();
  const addId = useId();
  const overrides = overridesOf(run);
  const addable = RUN_KNOB_KEYS.filter((k) => !overrides.includes(k) && knobAppliesTo(k, run.objective));
  const edits = config.edits.filter((e) => e.run === run.name).sort((a, b) => a.step - b.step);

  const setObjective = (objective: ObjectiveId) =>
    setErrors(
      propose(
        { ...config, runs: config.runs.map((r) => (r.name === run.name ? { ...r, objective } : r)) },
        `Train “${run.name}” with ${OBJECTIVES[objective].label} instead of ${OBJECTIVES[run.objective].label}.`,
      ),
    );
  const addOverride = (key: RunKnobKey) => setErrors(overrideKnob(run.name, key));

  return (
    <li className="run-setup" style={{ borderLeftColor: runColour(index) }}>
      <details open={openByDefault}>
        <summary>
          <h4>
            <span className="swatch" style={{ background: runColour(index) }} aria-hidden="true" /> {run.name}
          </h4>
          <span className="run-summary">
            {OBJECTIVES[run.objective].label}
            {overrides.length ? ` · ${overrides.map((k) => `${k} ${String((run as Record<string, unknown>)[k])}`).join(', ')}` : ''}
            {edits.length ? ` · ${edits.length} live change${edits.length > 1 ? 's' : ''}` : ''}
          </span>
        </summary>
        <RunName name={run.name} />
        <div className="knob">
          <div className="knob-head">
            <label htmlFor={objectiveId}>Objective</label>
            <KnobBadge live={false} />
          </div>
          <select id={objectiveId} value={run.objective} onChange={(e) => setObjective(e.target.value as ObjectiveId)}>
            {OBJECTIVE_IDS.map((o) => (
              <option key={o} value={o}>
                {OBJECTIVES[o].label}
              </option>
            ))}
          </select>
          <p className="knob-help">{OBJECTIVES[run.objective].summary}</p>
        </div>
        {overrides.map((key) => (
          <KnobControl
            key={key}
            knobKey={key}
            value={RUN_KNOBS[key].live && key in live ? live[key as keyof typeof live] : (run as Record<string, unknown>)[key]}
            onCommit={(v) => changeKnob({ kind: 'run', run: run.name }, key, v)}
            onRemove={() => setErrors(clearOverride(run.name, key))}
            removeLabel="use shared"
            context={knobAppliesTo(key, run.objective) ? undefined : `not used by ${OBJECTIVES[run.objective].label}`}
          />
        ))}
        {addable.length > 0 && (
          <div className="knob">
            <label htmlFor={addId}>Override a shared setting</label>
            <select
              id={addId}
              value=""
              onChange={(e) => {
                if (e.target.value) addOverride(e.target.value as RunKnobKey);
              }}
            >
              <option value="">choose a setting…</option>
              {addable.map((k) => (
                <option key={k} value={k}>
                  {RUN_KNOBS[k].label}
                </option>
              ))}
            </select>
          </div>
        )}
        <Problems errors={errors} />
        <details className="edit-log-wrap" open={edits.length > 0}>
          <summary>Edit log ({edits.length})</summary>
          <EditLog run={run.name} edits={edits} />
        </details>
        <div className="run-actions" hidden={lockRuns}>
          <button type="button" onClick={() => setErrors(duplicateRun(run.name))} disabled={config.runs.length >= MAX_RUNS}>
            Duplicate
          </button>
          <button type="button" onClick={() => setErrors(removeRun(run.name))} disabled={config.runs.length <= 1} title={config.runs.length <= 1 ? 'A comparison needs at least one run' : undefined}>
            Remove
          </button>
        </div>
      </details>
    </li>
  );
}

export function RunSetup() {
  const runs = useLab((s) => s.config.runs);
  const addRun = useLab((s) => s.addRun);
  const lockRuns = useHidden('runs');
  const [objective, setObjective] = useState<ObjectiveId>('reinforce');
  const [errors, setErrors] = useState<ConfigError[]>([]);
  const id = useId();
  return (
    <div className="run-setups">
      <ol className="run-setup-list">
        {runs.map((run, i) => (
          <RunCard key={`${i}-${run.name}`} run={run} index={i} openByDefault={runs.length <= 2} />
        ))}
      </ol>
      <div className="add-run" hidden={lockRuns}>
        <label htmlFor={id}>New run with</label>
        <select id={id} value={objective} onChange={(e) => setObjective(e.target.value as ObjectiveId)}>
          {OBJECTIVE_IDS.map((o) => (
            <option key={o} value={o}>
              {OBJECTIVES[o].label}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => setErrors(addRun(objective))} disabled={runs.length >= MAX_RUNS} title={runs.length >= MAX_RUNS ? `At most ${MAX_RUNS} runs` : undefined}>
          Add run
        </button>
      </div>
      <Problems errors={errors} />
    </div>
  );
}
