/**
 * The theory bench's own state modules (src/app/theory/*-model.ts, flow-track.ts) reproduce spec E.5's toy
 * trajectories and spec E.6's Demo B table to 1e-3, stepping the way the page does (the reducers), and keep
 * agreeing with `gradientFlow` when a setting changes mid-way.
 */
import { describe, expect, it } from 'vitest';
import { cauchyTanhReference } from '../../src/lab/reference.ts';
import { gaussianReward } from '../../src/lab/rewards.ts';
import { gradientFlow, optimalPolicy, TOY_ETA, TOY_P0, TOY_Q } from '../../src/lab/theory.ts';
import { canStepDemoA, DEMO_A_MAX_STEPS, demoAReducer, initialDemoA, PUBLISHED_FIGURE, type DemoAAction, type DemoAState } from '../../src/app/theory/demo-a-model.ts';
import {
  BANDIT_REWARDS,
  currentVelocities,
  demoBReducer,
  initialDemoB,
  peakWindow,
  targetWindowMass,
  windowMassRows,
  type DemoBState,
} from '../../src/app/theory/demo-b-model.ts';
import { currentDistribution, trackAt } from '../../src/app/theory/flow-track.ts';
import { formatBinRanges } from '../../src/app/theory/bin-ranges.ts';
import { regimeNotes } from '../../src/app/theory/regime-notes.ts';
import { E5_FORWARD, E5_REVERSE } from '../fixtures/theory-e5.ts';

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${what}, index ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
  }
}

function run<S, A>(reducer: (state: S, action: A) => S, state: S, actions: A[]): S {
  return actions.reduce(reducer, state);
}

const steps = (n: number): DemoAAction[] => Array.from({ length: n }, () => ({ type: 'step' }) as const);

describe('Demo A model: the E.5 trajectories at η = 0.93', () => {

  it('starts at the paper toy, step 0', () => {
    const state = initialDemoA();
    expect(state.p0).toEqual(TOY_P0);
    expect(state.q).toEqual(TOY_Q);
    expect(state.eta).toBe(TOY_ETA);
    expect(state.step).toBe(0);
    expectClose(currentDistribution(state.forward!), TOY_P0, 1e-15, 'p_0');
  });

  it('steps through the table, one Step at a time', () => {
    let state: DemoAState = initialDemoA();
    for (let step = 1; step <= 8; step++) {
      state = demoAReducer(state, { type: 'step' });
      expect(state.step).toBe(step);
      expect(state.forward!.history).toHaveLength(step + 1);
      if (E5_FORWARD[step]) {
        expectClose(currentDistribution(state.forward!), E5_FORWARD[step], 1e-3, `KL(q‖p), step ${step}`);
        expectClose(currentDistribution(state.reverse!), E5_REVERSE[step], 1e-3, `KL(p‖q), step ${step}`);
      }
    }
  });

  it('is gradientFlow, bit for bit, and stays so when η changes mid-way (recomputed to the same step)', () => {
    let state = run(demoAReducer, initialDemoA(), steps(5));
    for (const objective of ['forward', 'reverse'] as const) {
      const reference = gradientFlow(TOY_P0, TOY_Q, objective, TOY_ETA, 5);
      state[objective]!.history.forEach((p, t) => expect(Array.from(p)).toEqual(Array.from(reference[t])));
    }
    state = demoAReducer(state, { type: 'set-eta', eta: 0.5 });
    expect(state.step).toBe(5);
    expectClose(currentDistribution(state.reverse!), Array.from(gradientFlow(TOY_P0, TOY_Q, 'reverse', 0.5, 5)[5]), 1e-15, 'η = 0.5');
    state = demoAReducer(state, { type: 'reset' });
    expect(state.step).toBe(0);
    expect(state.eta).toBe(0.5);
  });

  it('the published overlay sits on the objective it matches at step 3 (labels swapped), within the ±0.01 reading error', () => {
    const state = run(demoAReducer, initialDemoA(), steps(3));
    expect(PUBLISHED_FIGURE.forward.figureLabel).toBe('p_reverse');
    expect(PUBLISHED_FIGURE.reverse.figureLabel).toBe('p_forward');
    expectClose(currentDistribution(state.forward!), PUBLISHED_FIGURE.forward.values, 0.007, 'figure p_reverse vs KL(q‖p)');
    expectClose(currentDistribution(state.reverse!), PUBLISHED_FIGURE.reverse.values, 0.007, 'figure p_forward vs KL(p‖q)');
  });

  it('a zero in q stops only the reverse flow; a zero in p₀ stops both; fixing them resumes at the same step', () => {
    let state = run(demoAReducer, initialDemoA(), steps(2));
    state = demoAReducer(state, { type: 'set-q', q: [0.4, 0, 0.6, 0] });
    expect(state.reverse).toBeNull();
    expect(state.forward).not.toBeNull();
    expect(canStepDemoA(state)).toBe(true);
    state = demoAReducer(state, { type: 'step' });
    expect(state.step).toBe(3);
    for (const v of currentDistribution(state.forward!)) expect(Number.isFinite(v)).toBe(true);
    state = demoAReducer(state, { type: 'set-p0', p0: [0.5, 0.5, 0, 0] });
    expect(state.forward).toBeNull();
    expect(canStepDemoA(state)).toBe(false);
    expect(demoAReducer(state, { type: 'step' })).toBe(state);
    state = demoAReducer(state, { type: 'restore-paper' });
    expect(state.step).toBe(3);
    expectClose(currentDistribution(state.reverse!), E5_REVERSE[3], 1e-3, 'restored, step 3');
  });

  it('stops at the last step', () => {
    const state = run(demoAReducer, initialDemoA(), steps(DEMO_A_MAX_STEPS + 3));
    expect(state.step).toBe(DEMO_A_MAX_STEPS);
    expect(canStepDemoA(state)).toBe(false);
  });
});

describe('Demo B model: the E.6 table (β = 0.1, η = 1)', () => {
  const TABLE_STEPS = [0, 1, 5, 10, 20, 50, 100, 200];
  const TABLE = {
    R1: { forward: [0.023, 0.026, 0.041, 0.072, 0.212, 0.653, 0.828, 0.909], reverse: [0.023, 0.024, 0.027, 0.031, 0.044, 0.357, 0.925, 0.96], target: 0.966 },
    R2: { forward: [0.259, 0.276, 0.353, 0.453, 0.615, 0.804, 0.886, 0.931], reverse: [0.259, 0.292, 0.445, 0.647, 0.851, 0.938, 0.961, 0.973], target: 0.974 },
  } as const;

  for (const reward of ['R1', 'R2'] as const) {
    it(`${reward}: the peak-window mass rows, stepping the reducer 200 times`, () => {
      let state: DemoBState = initialDemoB();
      expect(state.beta).toBe(0.1);
      expect(state.eta).toBe(1);
      if (reward === 'R2') state = demoBReducer(state, { type: 'set-reward', reward });
      for (let i = 0; i < 200; i++) state = demoBReducer(state, { type: 'step' });
      expect(state.step).toBe(200);
      const rows = windowMassRows(state);
      expect(rows).toHaveLength(201);
      expectClose(
        TABLE_STEPS.map((s) => rows[s].forward),
        TABLE[reward].forward,
        1e-3,
        `${reward} KL(q‖p)`,
      );
      expectClose(
        TABLE_STEPS.map((s) => rows[s].reverse),
        TABLE[reward].reverse,
        1e-3,
        `${reward} KL(p‖q)`,
      );
      expect(Math.abs(targetWindowMass(state) - TABLE[reward].target)).toBeLessThanOrEqual(1e-3);
      const centre = BANDIT_REWARDS[reward].centre;
      expect(peakWindow(reward)).toEqual({ lo: centre - 5, hi: centre + 5 });
    });
  }

  it('the target is π*_β for the chosen reward, and changing β recomputes the flows at the same step', () => {
    let state = initialDemoB();
    for (let i = 0; i < 10; i++) state = demoBReducer(state, { type: 'step' });
    state = demoBReducer(state, { type: 'set-beta', beta: 0.3 });
    expect(state.step).toBe(10);
    const ref = cauchyTanhReference(100);
    const q = optimalPolicy(ref, gaussianReward(100, 70, 10), 0.3);
    expect(Array.from(state.q)).toEqual(Array.from(q));
    expect(Array.from(currentDistribution(state.reverse))).toEqual(Array.from(trackAt(ref, q, 'reverse', 1, 10).history[10]));
    expect(Array.from(currentDistribution(state.reverse))).toEqual(Array.from(gradientFlow(ref, q, 'reverse', 1, 10)[10]));
  });

  it('the velocity bars show the next step: p_{t+1} = softmax(z_t + Δz)', () => {
    let state = initialDemoB();
    for (let i = 0; i < 3; i++) state = demoBReducer(state, { type: 'step' });
    const { reverse } = currentVelocities(state);
    const next = demoBReducer(state, { type: 'step' });
    for (let i = 0; i < 100; i++) expect(next.reverse.logits[i]).toBe(state.reverse.logits[i] + reverse[i]);
  });
});

describe('annotation text', () => {
  it('formats bin lists as ranges', () => {
    expect(formatBinRanges([0, 1, 2, 5, 7, 8])).toBe('0–2, 5, 7–8');
    expect(formatBinRanges([99, 3])).toBe('3, 99');
    expect(formatBinRanges([])).toBe('');
  });

  it('names the toy’s regimes at step 0 with the current KL', () => {
    const [zeroForcing, concentration, slow] = regimeNotes(TOY_P0, TOY_Q, TOY_ETA);
    expect(zeroForcing.bins).toEqual([1, 3]);
    expect(zeroForcing.condition).toContain('KL(p‖q) = 0.60');
    expect(concentration.bins).toEqual([0]);
    expect(slow.bins).toEqual([2]);
    expect(slow.detail).toContain('bin 2');
  });

  it('R1 at step 0: the reward peak is discovered slowly, the rest of the mass is zero-forced', () => {
    const state = initialDemoB();
    const [zeroForcing, , slow] = regimeNotes(currentDistribution(state.reverse), state.q, state.eta);
    expect(slow.bins).toContain(70);
    expect(zeroForcing.bins).toContain(0);
    expect(zeroForcing.bins).toContain(99);
  });
});
