import { describe, expect, it } from 'vitest';
import { cauchyTanhReference } from '../src/lab/reference.ts';
import { gaussianReward } from '../src/lab/rewards.ts';
import {
  forwardKlGradient,
  gradientFlow,
  klDivergence,
  logitsOf,
  logitVelocity,
  optimalPolicy,
  reverseKlBinFalls,
  reverseKlGradient,
  softmax,
  TOY_ETA,
  TOY_P0,
  TOY_Q,
  windowMass,
  type KlObjective,
} from '../src/lab/theory.ts';
import { randomLogits, testUniforms } from './helpers/random-cases.ts';
import { E5_FORWARD, E5_REVERSE } from './fixtures/theory-e5.ts';

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `index ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
  }
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

describe('basic helpers', () => {
  it('softmax inverts logitsOf and is stable for large logits', () => {
    const p = Float64Array.from(TOY_P0);
    expectClose(softmax(logitsOf(p)), TOY_P0, 1e-15);
    const big = softmax([1000, 1000, 999]);
    expect(sum(big)).toBeCloseTo(1, 14);
    expect(big[0]).toBeCloseTo(1 / (2 + Math.exp(-1)), 14);
  });

  it('klDivergence handles zeros', () => {
    expect(klDivergence([0.5, 0.5, 0], [0.25, 0.25, 0.5])).toBeCloseTo(Math.log(2), 14);
    expect(klDivergence([0.5, 0.5], [1, 0])).toBe(Infinity);
    expect(klDivergence(TOY_Q, TOY_Q)).toBe(0);
  });

  it('windowMass sums an inclusive window', () => {
    expect(windowMass([0.1, 0.2, 0.3, 0.4], 1, 2)).toBeCloseTo(0.5, 15);
    expect(windowMass([0.1, 0.2, 0.3, 0.4], 0, 3)).toBeCloseTo(1, 15);
  });

  it('optimalPolicy does not overflow for tiny beta', () => {
    const pi = optimalPolicy([0.5, 0.25, 0.25], [1, 0, 0.5], 1e-3);
    expect(Number.isFinite(pi[0])).toBe(true);
    expect(pi[0]).toBeCloseTo(1, 12);
  });
});

describe('E.5 toy trajectories (η = 0.93)', () => {

  it('uses the paper constants', () => {
    expect(TOY_P0).toEqual([0.3, 0.3, 0.1, 0.3]);
    expect(TOY_Q).toEqual([0.2, 0.1, 0.6, 0.1]);
    expect(TOY_ETA).toBe(0.93);
  });

  it('GD on KL(q‖p) (maximum likelihood) matches the table', () => {
    const trajectory = gradientFlow(TOY_P0, TOY_Q, 'forward', TOY_ETA, 8);
    expect(trajectory).toHaveLength(9);
    expectClose(trajectory[0], TOY_P0, 1e-12);
    for (const [step, expected] of Object.entries(E5_FORWARD)) expectClose(trajectory[Number(step)], expected, 1e-3);
  });

  it('GD on KL(p‖q) (reverse) matches the table', () => {
    const trajectory = gradientFlow(TOY_P0, TOY_Q, 'reverse', TOY_ETA, 8);
    for (const [step, expected] of Object.entries(E5_REVERSE)) expectClose(trajectory[Number(step)], expected, 1e-3);
  });
});

describe('E.6 Demo B (100 bins, β = 0.1, η = 1)', () => {
  const steps = [0, 1, 5, 10, 20, 50, 100, 200];
  const cases = [
    { label: 'R1', centre: 70, forward: [0.023, 0.026, 0.041, 0.072, 0.212, 0.653, 0.828, 0.909], reverse: [0.023, 0.024, 0.027, 0.031, 0.044, 0.357, 0.925, 0.96], qWindow: 0.966, qReward: 0.941 },
    { label: 'R2', centre: 20, forward: [0.259, 0.276, 0.353, 0.453, 0.615, 0.804, 0.886, 0.931], reverse: [0.259, 0.292, 0.445, 0.647, 0.851, 0.938, 0.961, 0.973], qWindow: 0.974, qReward: 0.947 },
  ];
  const ref = cauchyTanhReference(100);

  for (const c of cases) {
    const reward = gaussianReward(100, c.centre, 10);
    const q = optimalPolicy(ref, reward, 0.1);

    it(`${c.label}: the target's window mass and expected reward`, () => {
      expect(sum(q)).toBeCloseTo(1, 12);
      expect(Math.abs(windowMass(q, c.centre - 5, c.centre + 5) - c.qWindow)).toBeLessThanOrEqual(1e-3);
      let expectedReward = 0;
      for (let a = 0; a < 100; a++) expectedReward += q[a] * reward[a];
      expect(Math.abs(expectedReward - c.qReward)).toBeLessThanOrEqual(1e-3);
    });

    for (const objective of ['forward', 'reverse'] as const) {
      it(`${c.label}: window mass under ${objective === 'forward' ? 'KL(q‖p)' : 'KL(p‖q)'} matches the table`, () => {
        const trajectory = gradientFlow(ref, q, objective, 1, 200);
        const masses = steps.map((s) => windowMass(trajectory[s], c.centre - 5, c.centre + 5));
        expectClose(masses, c[objective], 1e-3);
      });
    }
  }

  it('R2 at step 10: reverse KL empties the edge spikes faster (0.022 vs 0.064)', () => {
    const q = optimalPolicy(ref, gaussianReward(100, 20, 10), 0.1);
    const edge = (objective: KlObjective): number => {
      const p = gradientFlow(ref, q, objective, 1, 10)[10];
      return p[0] + p[99];
    };
    expect(Math.abs(edge('reverse') - 0.022)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(edge('forward') - 0.064)).toBeLessThanOrEqual(1e-3);
  });
});

describe('exact gradients (E.4) against finite differences', () => {
  const forwardLoss = (z: Float64Array, q: Float64Array): number => klDivergence(q, softmax(z));
  const reverseLoss = (z: Float64Array, q: Float64Array): number => klDivergence(softmax(z), q);

  function numericGradient(loss: (z: Float64Array) => number, z: Float64Array, h = 1e-5): Float64Array {
    const g = new Float64Array(z.length);
    for (let i = 0; i < z.length; i++) {
      const plus = Float64Array.from(z);
      const minus = Float64Array.from(z);
      plus[i] += h;
      minus[i] -= h;
      g[i] = (loss(plus) - loss(minus)) / (2 * h);
    }
    return g;
  }

  const rng = testUniforms(20240613);
  for (let trial = 0; trial < 6; trial++) {
    const k = 5 + (trial % 4);
    const z = randomLogits(rng, k);
    const q = softmax(randomLogits(rng, k));
    const p = softmax(z);

    for (const [name, analytic, loss] of [
      ['forward', forwardKlGradient(p, q), forwardLoss],
      ['reverse', reverseKlGradient(p, q), reverseLoss],
    ] as const) {
      it(`${name}, trial ${trial} (K = ${k})`, () => {
        const numeric = numericGradient((x) => loss(x, q), z);
        const scale = Math.max(...Array.from(analytic, Math.abs));
        expect(scale).toBeGreaterThan(1e-3);
        for (let i = 0; i < k; i++) {
          expect(Math.abs(analytic[i] - numeric[i]), `bin ${i}`).toBeLessThanOrEqual(1e-6 * scale + 1e-10);
        }
        // softmax gradients are orthogonal to the all-ones direction
        expect(Math.abs(sum(analytic))).toBeLessThan(1e-14);
      });
    }
  }
});

describe('zero-forcing (E.4 property 1)', () => {
  it('a small reverse-KL step lowers z_i exactly where reverseKlBinFalls is true', () => {
    const rng = testUniforms(7);
    let sawBoth = 0;
    for (let trial = 0; trial < 50; trial++) {
      const k = 5 + (trial % 4);
      const p = softmax(randomLogits(rng, k));
      const q = softmax(randomLogits(rng, k));
      const falls = reverseKlBinFalls(p, q);
      const velocity = logitVelocity(p, q, 'reverse', 1e-4);
      const z0 = logitsOf(p);
      const z1 = logitsOf(gradientFlow(p, q, 'reverse', 1e-4, 1)[1]);
      // logits are defined up to a shift; the velocity sums to zero, so remove the mean change
      let shift = 0;
      for (let i = 0; i < k; i++) shift += (z1[i] - z0[i]) / k;
      for (let i = 0; i < k; i++) {
        const dz = z1[i] - z0[i] - shift;
        expect(dz < 0, `trial ${trial} bin ${i}`).toBe(falls[i]);
        expect(velocity[i] < 0).toBe(falls[i]);
        expect(Math.abs(dz - velocity[i])).toBeLessThan(1e-12);
      }
      if (falls.some(Boolean) && falls.some((f) => !f)) sawBoth++;
    }
    expect(sawBoth).toBeGreaterThan(40);
  });

  it('matches the closed forms of the logit velocity', () => {
    const p = Float64Array.from(TOY_P0);
    const q = Float64Array.from(TOY_Q);
    const kl = klDivergence(p, q);
    const forward = logitVelocity(p, q, 'forward', 0.5);
    const reverse = logitVelocity(p, q, 'reverse', 0.5);
    for (let i = 0; i < 4; i++) {
      expect(forward[i]).toBeCloseTo(0.5 * (q[i] - p[i]), 15);
      expect(reverse[i]).toBeCloseTo(0.5 * p[i] * (Math.log(q[i] / p[i]) + kl), 15);
    }
  });

  it("toy: bin 0 is above target yet does not fall, and rises 0.30 → 0.338 in two reverse steps", () => {
    const p = Float64Array.from(TOY_P0);
    const q = Float64Array.from(TOY_Q);
    expect(p[0]).toBeGreaterThan(q[0]);
    expect(Math.log(p[0] / q[0])).toBeLessThan(klDivergence(p, q));
    expect(reverseKlBinFalls(p, q)).toEqual([false, true, false, true]);
    const trajectory = gradientFlow(p, q, 'reverse', TOY_ETA, 2);
    expect(trajectory[1][0]).toBeGreaterThan(trajectory[0][0]);
    expect(Math.abs(trajectory[2][0] - 0.338)).toBeLessThanOrEqual(1e-3);
    // maximum likelihood lowers it from the first step
    expect(gradientFlow(p, q, 'forward', TOY_ETA, 1)[1][0]).toBeLessThan(0.3);
  });
});

describe('flows stay on the simplex and p = q is stationary', () => {
  it('both flows keep p normalised and positive', () => {
    const rng = testUniforms(99);
    for (let trial = 0; trial < 10; trial++) {
      const k = 5 + (trial % 4);
      const p0 = softmax(randomLogits(rng, k, 4));
      const q = softmax(randomLogits(rng, k, 4));
      for (const objective of ['forward', 'reverse'] as const) {
        for (const p of gradientFlow(p0, q, objective, 1, 100)) {
          expect(Math.abs(sum(p) - 1)).toBeLessThan(1e-12);
          for (let i = 0; i < k; i++) expect(p[i]).toBeGreaterThan(0);
        }
      }
    }
  });

  it('p = q has zero gradient under both objectives and is a fixed point', () => {
    const rng = testUniforms(3);
    for (const q of [Float64Array.from(TOY_Q), softmax(randomLogits(rng, 7))]) {
      for (const g of [forwardKlGradient(q, q), reverseKlGradient(q, q)]) {
        for (let i = 0; i < q.length; i++) expect(Math.abs(g[i])).toBeLessThan(1e-15);
      }
      for (const objective of ['forward', 'reverse'] as const) {
        expectClose(gradientFlow(q, q, objective, 1, 20)[20], Array.from(q), 1e-14);
      }
    }
  });
});
