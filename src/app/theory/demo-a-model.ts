/**
 * Demo A of the theory bench (spec E.5–E.6): the paper's four-bin toy. Two exact logit gradient descents
 * from the same p_0 towards the same q, one on KL(q‖p) (maximum likelihood), one on KL(p‖q) (reverse), with
 * step size η. The state is plain data driven by `demoAReducer`; the page holds it in React state.
 *
 * Changing η, p_0 or q recomputes both flows up to the current step, so what is shown is always
 * "t steps of gradient descent with the current settings".
 */
import { TOY_ETA, TOY_P0, TOY_Q } from '../../lab/theory.ts';
import { distributionProblem } from './distribution-edit.ts';
import { trackAt, advanceTrack, type FlowTrack } from './flow-track.ts';

/** Play stops here: the toy is close to q long before. */
export const DEMO_A_MAX_STEPS = 60;
export const DEMO_A_ETA_RANGE = { min: 0.05, max: 3 } as const;

/**
 * The published figure's bars (spec E.5, read off the image, ±0.01) and the objective each one matches:
 * the figure's "p_forward" bars are 3 steps of GD on KL(p‖q), its "p_reverse" bars 3 steps on KL(q‖p), so
 * its labels fit the two objectives only when swapped.
 */
export const PUBLISHED_FIGURE = {
  forward: { figureLabel: 'p_reverse', values: [0.25, 0.2, 0.35, 0.2] },
  reverse: { figureLabel: 'p_forward', values: [0.33, 0.225, 0.22, 0.225] },
} as const;

export interface DemoAState {
  p0: number[];
  q: number[];
  eta: number;
  step: number;
  /** null while p_0 has a zero */
  forward: FlowTrack | null;
  /** null while p_0 or q has a zero */
  reverse: FlowTrack | null;
}

export type DemoAAction =
  | { type: 'step' }
  | { type: 'reset' }
  | { type: 'set-eta'; eta: number }
  | { type: 'set-p0'; p0: number[] }
  | { type: 'set-q'; q: number[] }
  | { type: 'restore-paper' };

/** The state with every flow recomputed for these settings at `step`. */
export function demoAState(p0: readonly number[], q: readonly number[], eta: number, step: number): DemoAState {
  const startOk = distributionProblem(p0, 'start') === null;
  const targetOk = distributionProblem(q, 'target') === null;
  return {
    p0: [...p0],
    q: [...q],
    eta,
    step,
    forward: startOk ? trackAt(p0, q, 'forward', eta, step) : null,
    reverse: startOk && targetOk ? trackAt(p0, q, 'reverse', eta, step) : null,
  };
}

/** The paper's toy at step 0 with η = 0.93. */
export function initialDemoA(): DemoAState {
  return demoAState(TOY_P0, TOY_Q, TOY_ETA, 0);
}

/** Whether Step (and Play) can go on. */
export function canStepDemoA(state: DemoAState): boolean {
  return state.forward !== null && state.step < DEMO_A_MAX_STEPS;
}

export function demoAReducer(state: DemoAState, action: DemoAAction): DemoAState {
  switch (action.type) {
    case 'step': {
      if (!canStepDemoA(state)) return state;
      return {
        ...state,
        step: state.step + 1,
        forward: state.forward && advanceTrack(state.forward, state.q, state.eta),
        reverse: state.reverse && advanceTrack(state.reverse, state.q, state.eta),
      };
    }
    case 'reset':
      return demoAState(state.p0, state.q, state.eta, 0);
    case 'set-eta':
      return demoAState(state.p0, state.q, action.eta, state.step);
    case 'set-p0':
      return demoAState(action.p0, state.q, state.eta, state.step);
    case 'set-q':
      return demoAState(state.p0, action.q, state.eta, state.step);
    case 'restore-paper':
      return demoAState(TOY_P0, TOY_Q, state.eta, state.step);
  }
}
