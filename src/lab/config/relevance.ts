/** Which run knobs matter to which objective (so the UI can show what a change will touch). */
import { OBJECTIVES, type ObjectiveId } from '../objectives/catalog.ts';
import { RUN_KNOBS, type RunKnobKey } from './settings.ts';

/** Data knobs that only matter to objectives that train on samples. */
const SAMPLE_KNOBS: ReadonlySet<RunKnobKey> = new Set(['sampling', 'S', 'N', 'M', 'T']);

export function knobAppliesTo(key: RunKnobKey, objective: ObjectiveId): boolean {
  const info = OBJECTIVES[objective];
  if (RUN_KNOBS[key].group === 'objective') return info.hyperparameters.includes(key);
  if (SAMPLE_KNOBS.has(key)) return info.usesSamples;
  return true;
}

/** The objectives (of those given) that a knob matters to. */
export function objectivesUsing(key: RunKnobKey, objectives: readonly ObjectiveId[]): ObjectiveId[] {
  return objectives.filter((o) => knobAppliesTo(key, o));
}
