/**
 * Demo B of the theory bench (spec E.6): the bandit-scale picture. p_0 = the analytic π_ref over 100 bins,
 * target q = π*_β ∝ π_ref·exp(r/β) for reward R1 (peak at bin 70, where π_ref has almost no mass) or R2
 * (peak at bin 20, on π_ref's mode), and exact logit gradient descent on KL(q‖p) and KL(p‖q) with step η.
 * Plain data driven by `demoBReducer`; changing β, η or the reward recomputes both flows up to the current
 * step.
 */
import { cauchyTanhReference } from '../../lab/reference.ts';
import { gaussianReward, OFFICIAL_REWARDS } from '../../lab/rewards.ts';
import { logitVelocity, optimalPolicy, windowMass } from '../../lab/theory.ts';
import { advanceTrack, currentDistribution, trackAt, type FlowTrack } from './flow-track.ts';

export const DEMO_B_BINS = 100;
/** The peak window is the reward's centre ± this many bins (spec D, "mass in the peak window"). */
export const PEAK_HALF_WIDTH = 5;
export const DEMO_B_DEFAULT_BETA = 0.1;
export const DEMO_B_DEFAULT_ETA = 1;
export const DEMO_B_MAX_STEPS = 400;
export const DEMO_B_BETA_RANGE = { min: 0.02, max: 1 } as const;
export const DEMO_B_ETA_RANGE = { min: 0.05, max: 5 } as const;

export type BanditRewardLabel = 'R1' | 'R2';

export interface BanditReward {
  label: BanditRewardLabel;
  centre: number;
  width: number;
  /** the lab preset that shows the same comparison with sampled data */
  preset: string;
  note: string;
}

export const BANDIT_REWARDS: Record<BanditRewardLabel, BanditReward> = {
  R1: { ...OFFICIAL_REWARDS[4], label: 'R1', preset: 'f1-r1' },
  R2: { ...OFFICIAL_REWARDS[5], label: 'R2', preset: 'f1-r2' },
};

let reference: Float64Array | null = null;

/** The analytic π_ref over 100 bins (computed once). */
export function referencePolicy(): Float64Array {
  reference ??= cauchyTanhReference(DEMO_B_BINS);
  return reference;
}

export interface DemoBState {
  reward: BanditRewardLabel;
  beta: number;
  eta: number;
  step: number;
  /** the target π*_β */
  q: Float64Array;
  forward: FlowTrack;
  reverse: FlowTrack;
}

export type DemoBAction =
  | { type: 'step' }
  | { type: 'reset' }
  | { type: 'set-beta'; beta: number }
  | { type: 'set-eta'; eta: number }
  | { type: 'set-reward'; reward: BanditRewardLabel };

/** π*_β ∝ π_ref·exp(r/β) for one of the rewards. */
export function banditTarget(reward: BanditRewardLabel, beta: number): Float64Array {
  const { centre, width } = BANDIT_REWARDS[reward];
  return optimalPolicy(referencePolicy(), gaussianReward(DEMO_B_BINS, centre, width), beta);
}

/** The state with both flows recomputed for these settings at `step`. */
export function demoBState(reward: BanditRewardLabel, beta: number, eta: number, step: number): DemoBState {
  const p0 = referencePolicy();
  const q = banditTarget(reward, beta);
  return { reward, beta, eta, step, q, forward: trackAt(p0, q, 'forward', eta, step), reverse: trackAt(p0, q, 'reverse', eta, step) };
}

export function initialDemoB(): DemoBState {
  return demoBState('R1', DEMO_B_DEFAULT_BETA, DEMO_B_DEFAULT_ETA, 0);
}

export function canStepDemoB(state: DemoBState): boolean {
  return state.step < DEMO_B_MAX_STEPS;
}

export function demoBReducer(state: DemoBState, action: DemoBAction): DemoBState {
  switch (action.type) {
    case 'step':
      if (!canStepDemoB(state)) return state;
      return { ...state, step: state.step + 1, forward: advanceTrack(state.forward, state.q, state.eta), reverse: advanceTrack(state.reverse, state.q, state.eta) };
    case 'reset':
      return demoBState(state.reward, state.beta, state.eta, 0);
    case 'set-beta':
      return demoBState(state.reward, action.beta, state.eta, state.step);
    case 'set-eta':
      return demoBState(state.reward, state.beta, action.eta, state.step);
    case 'set-reward':
      return demoBState(action.reward, state.beta, state.eta, state.step);
  }
}

/** The inclusive peak window [centre − 5, centre + 5]. */
export function peakWindow(reward: BanditRewardLabel): { lo: number; hi: number } {
  const { centre } = BANDIT_REWARDS[reward];
  return { lo: Math.max(0, centre - PEAK_HALF_WIDTH), hi: Math.min(DEMO_B_BINS - 1, centre + PEAK_HALF_WIDTH) };
}

export interface WindowMassRow {
  step: number;
  forward: number;
  reverse: number;
}

/** Mass in the peak window at every step so far, under both objectives. */
export function windowMassRows(state: DemoBState): WindowMassRow[] {
  const { lo, hi } = peakWindow(state.reward);
  return state.forward.history.map((p, step) => ({ step, forward: windowMass(p, lo, hi), reverse: windowMass(state.reverse.history[step], lo, hi) }));
}

/** The target's own peak-window mass (where both flows head). */
export function targetWindowMass(state: DemoBState): number {
  const { lo, hi } = peakWindow(state.reward);
  return windowMass(state.q, lo, hi);
}

/** The logit velocities Δz of the next step under each objective, at the current step. */
export function currentVelocities(state: DemoBState): { forward: Float64Array; reverse: Float64Array } {
  return {
    forward: logitVelocity(currentDistribution(state.forward), state.q, 'forward', state.eta),
    reverse: logitVelocity(currentDistribution(state.reverse), state.q, 'reverse', state.eta),
  };
}
