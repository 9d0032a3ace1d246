/**
 * The settings of one sequence run: the tabular `RunSettings` (same names, same meaning, so the objectives
 * read them unchanged) minus what does not apply to a network (optimizer: always Adam; init: always the SFT
 * reference), plus the objective and the log-likelihood scoring.
 */
import { defaultRunSettings, type RunSettings } from '../config/settings.ts';
import type { Scoring } from '../policies/gpt-nano.ts';
import type { ObjectiveId } from '../objectives/catalog.ts';
import type { SequenceExperimentSpec } from '../sequence/sequence-presets.ts';

export interface SequenceRunSettings extends Omit<RunSettings, 'optimizer' | 'init'> {
  objective: ObjectiveId;
  /** 'shifted': the true likelihood (default); 'official': spec C.2's off-by-one (sequence bandit only) */
  scoring: Scoring;
  /**
   * Where an offline run's one dataset comes from: S prompts × N samples of π_ref (default), or the task's own
   * preference pairs (`SequenceTaskDefinition.offlinePairs`, the skew task's truncated pairs), which then fix
   * S (the pair count), N = 2 and M = S.
   */
  offlineSource: 'reference-samples' | 'task-pairs';
}

/** The lab defaults, with the sequence bandit's own RWR default: rewards z-scored per prompt (spec B.4). */
export function defaultSequenceRunSettings(objective: ObjectiveId, overrides: Partial<SequenceRunSettings> = {}): SequenceRunSettings {
  const { optimizer: _optimizer, init: _init, M, ...base } = defaultRunSettings();
  const merged: SequenceRunSettings = { ...base, M: M ?? base.S, rwrNormalize: true, objective, scoring: 'shifted', offlineSource: 'reference-samples', ...overrides };
  if (overrides.M === undefined) merged.M = merged.S;
  return merged;
}

/** A preset's numbers as settings: the spec's β goes to the objective's own knob. */
export function sequenceRunSettingsFromSpec(spec: SequenceExperimentSpec, overrides: Partial<SequenceRunSettings> = {}): SequenceRunSettings {
  const fromBeta: Partial<SequenceRunSettings> = {};
  if (spec.beta !== null) {
    if (spec.objective === 'dpo') fromBeta.dpoBeta = spec.beta;
    else if (spec.objective === 'ipo') fromBeta.ipoMargin = spec.beta;
    else if (spec.objective === 'rwr') fromBeta.rwrTemperature = spec.beta;
    else if (spec.objective === 'ppo' || spec.objective === 'reinforce') fromBeta.klCoef = spec.beta;
    else if (spec.objective === 'best-of-n') fromBeta.negGradWeight = spec.beta;
  }
  return defaultSequenceRunSettings(spec.objective, {
    sampling: spec.sampling,
    S: spec.S,
    N: spec.N,
    T: spec.T,
    steps: spec.gradientSteps,
    lr: spec.lr,
    ...(spec.ppoClip !== null ? { ppoClip: spec.ppoClip } : {}),
    // "none" (on-policy scripts) keeps every pair, ties included, as the official code does; so does 0
    rewardThreshold: spec.rewardThreshold ?? 0,
    scoring: spec.logProb === 'official-off-by-one' ? 'official' : 'shifted',
    offlineSource: spec.offlineData === 'skew-truncated-pairs' ? 'task-pairs' : 'reference-samples',
    ...fromBeta,
    ...overrides,
  });
}
