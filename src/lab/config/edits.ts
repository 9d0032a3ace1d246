/**
 * The rule for recording a live knob change in a run's edit log. A change made at step s applies from
 * step s + 1 on, and it rewrites that knob's future: later edits of the same run and knob (left over from
 * an earlier pass, before a reset) are dropped, so the value the user just chose is the one that trains.
 * The training worker and the app's store both use this rule, so their logs never disagree.
 */
import type { LiveEdit } from './experiment.ts';

export function recordEdit(edits: readonly LiveEdit[], edit: LiveEdit): LiveEdit[] {
  const kept = edits.filter((e) => !(e.run === edit.run && e.key === edit.key && e.step >= edit.step));
  // keep the log ordered by step (stable for equal steps), as a reader expects
  let at = kept.length;
  while (at > 0 && kept[at - 1].step > edit.step) at--;
  return [...kept.slice(0, at), edit, ...kept.slice(at)];
}

/** The edits of one run, in the order they apply. */
export function editsOfRun(edits: readonly LiveEdit[], run: string): LiveEdit[] {
  return edits.filter((e) => e.run === run).sort((a, b) => a.step - b.step);
}

/** Rename a run in the log (the edits follow the run). */
export function renameInEdits(edits: readonly LiveEdit[], from: string, to: string): LiveEdit[] {
  return edits.map((e) => (e.run === from ? { ...e, run: to } : e));
}
