/**
 * The exact annotation conditions of the theory bench (spec E.4 properties 1–3, `reverseKlRegimes`,
 * `reverseFallBeyondForwardBound`, `reverseKlAdvantage`), checked against the sign and size of the logit
 * velocities `logitVelocity` computes, on random distributions and on the paper's toy.
 */
import { describe, expect, it } from 'vitest';
import {
  gradientFlow,
  klDivergence,
  logitVelocity,
  reverseFallBeyondForwardBound,
  reverseKlAdvantage,
  reverseKlRegimes,
  softmax,
  TOY_ETA,
  TOY_P0,
  TOY_Q,
  type ReverseKlRegime,
} from '../src/lab/theory.ts';
import { randomLogits, testUniforms } from './helpers/random-cases.ts';

function randomDistribution(rng: () => number, k: number, spread: number): Float64Array {
  return softmax(randomLogits(rng, k, spread));
}

/** The regime read off the two velocities, as the annotation promises it. */
function regimeFromVelocities(forward: number, reverse: number): ReverseKlRegime {
  if (reverse < 0) return 'zero-forcing';
  if (reverse > 0 && reverse > forward) return 'concentration';
  if (forward > reverse) return 'slow-discovery';
  return 'balanced';
}

describe('reverseKlRegimes against the logit velocities', () => {
  it('agree on every bin of 400 random cases, and every regime but the measure-zero tie occurs', () => {
    const rng = testUniforms(20240611);
    const seen = new Map<ReverseKlRegime, number>();
    for (let trial = 0; trial < 400; trial++) {
      const k = 3 + (trial % 9);
      // wide spreads make tiny p_i (slow discovery) and tiny q_i (strong zero-forcing) common
      const p = randomDistribution(rng, k, 1 + (trial % 5));
      const q = randomDistribution(rng, k, 1 + ((trial * 7) % 5));
      const eta = 0.05 + rng() * 3;
      const forward = logitVelocity(p, q, 'forward', eta);
      const reverse = logitVelocity(p, q, 'reverse', eta);
      const regimes = reverseKlRegimes(p, q);
      for (let i = 0; i < k; i++) {
        const expected = regimeFromVelocities(forward[i], reverse[i]);
        if (regimes[i] !== expected) {
          throw new Error(`trial ${trial} bin ${i}: ${regimes[i]} but the velocities say ${expected} (forward ${forward[i]}, reverse ${reverse[i]}, p ${p[i]}, q ${q[i]})`);
        }
        seen.set(expected, (seen.get(expected) ?? 0) + 1);
        if (regimes[i] === 'slow-discovery') expect(q[i]).toBeGreaterThan(p[i]);
      }
    }
    expect(seen.get('zero-forcing')).toBeGreaterThan(100);
    expect(seen.get('concentration')).toBeGreaterThan(100);
    expect(seen.get('slow-discovery')).toBeGreaterThan(50);
    expect(seen.get('balanced') ?? 0).toBe(0);
  });

  it('call the fixed point p = q balanced and a bin with p_i = 0 < q_i slow discovery', () => {
    expect(reverseKlRegimes(TOY_Q, TOY_Q)).toEqual(['balanced', 'balanced', 'balanced', 'balanced']);
    const p = [0.5, 0.5, 0];
    const q = [0.3, 0.3, 0.4];
    expect(reverseKlRegimes(p, q)[2]).toBe('slow-discovery');
    expect(Math.abs(logitVelocity(p, q, 'reverse', 1)[2])).toBe(0);
  });

  it('zero-forcing is exactly log(p_i/q_i) > KL(p‖q)', () => {
    const rng2 = testUniforms(5);
    for (let trial = 0; trial < 100; trial++) {
      const p = randomDistribution(rng2, 6, 3);
      const q = randomDistribution(rng2, 6, 3);
      const kl = klDivergence(p, q);
      reverseKlRegimes(p, q).forEach((regime, i) => expect(regime === 'zero-forcing').toBe(Math.log(p[i] / q[i]) > kl));
    }
  });
});

describe('the paper toy, step by step (η = 0.93)', () => {
  it('step 0: bins 1 and 3 are zero-forced, bin 0 concentrates although p_0 > q_0, bin 2 (the target mode) is discovered slowly', () => {
    expect(reverseKlRegimes(TOY_P0, TOY_Q)).toEqual(['concentration', 'zero-forcing', 'slow-discovery', 'zero-forcing']);
    const forward = logitVelocity(TOY_P0, TOY_Q, 'forward', TOY_ETA);
    const reverse = logitVelocity(TOY_P0, TOY_Q, 'reverse', TOY_ETA);
    // slow discovery of bin 2: maximum likelihood raises it more (so after one step 0.171 vs 0.130, spec E.5)
    expect(forward[2]).toBeGreaterThan(reverse[2]);
    const [p1Forward, p1Reverse] = [gradientFlow(TOY_P0, TOY_Q, 'forward', TOY_ETA, 1)[1], gradientFlow(TOY_P0, TOY_Q, 'reverse', TOY_ETA, 1)[1]];
    expect(p1Forward[2]).toBeGreaterThan(p1Reverse[2]);
  });

  it('once bin 2 holds mass, reverse KL concentrates onto it: it turns from slow discovery to concentration', () => {
    const trajectory = gradientFlow(TOY_P0, TOY_Q, 'reverse', TOY_ETA, 8);
    const bin2 = trajectory.map((p) => reverseKlRegimes(p, TOY_Q)[2]);
    const firstConcentration = bin2.indexOf('concentration');
    expect(firstConcentration).toBeGreaterThan(0);
    expect(bin2.slice(0, firstConcentration).every((r) => r === 'slow-discovery')).toBe(true);
  });
});

describe('reverseFallBeyondForwardBound', () => {
  it('is true exactly where the reverse logit falls by more than η, which maximum likelihood never reaches', () => {
    const rng = testUniforms(42);
    let beyond = 0;
    for (let trial = 0; trial < 300; trial++) {
      const k = 3 + (trial % 6);
      const p = randomDistribution(rng, k, 2);
      const q = randomDistribution(rng, k, 6);
      const eta = 0.1 + rng() * 2;
      const forward = logitVelocity(p, q, 'forward', eta);
      const reverse = logitVelocity(p, q, 'reverse', eta);
      const flags = reverseFallBeyondForwardBound(p, q);
      for (let i = 0; i < k; i++) {
        expect(flags[i], `trial ${trial} bin ${i}`).toBe(reverse[i] < -eta);
        expect(Math.abs(forward[i])).toBeLessThan(eta);
        if (flags[i]) beyond++;
      }
    }
    expect(beyond).toBeGreaterThan(20);
  });
});

describe('reverseKlAdvantage: the reverse step as Lemma 6.2’s update (6.1)', () => {
  it('Δz_i = η p_i A_i, Σ p_i A_i = 0, and Δz = η Σ_y p_y (c_1(y) − c_2(y)) (e_y − p) with c_1 = max(A, 0), c_2 = max(−A, 0)', () => {
    const rng = testUniforms(11);
    for (let trial = 0; trial < 50; trial++) {
      const k = 3 + (trial % 7);
      const p = randomDistribution(rng, k, 3);
      const q = randomDistribution(rng, k, 3);
      const eta = 0.5 + rng();
      const advantage = reverseKlAdvantage(p, q);
      const velocity = logitVelocity(p, q, 'reverse', eta);
      let mean = 0;
      for (let i = 0; i < k; i++) mean += p[i] * advantage[i];
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      const update = new Float64Array(k);
      for (let y = 0; y < k; y++) {
        const c1 = Math.max(advantage[y], 0);
        const c2 = Math.max(-advantage[y], 0);
        // ∇_z log p(y) = e_y − p on a tabular softmax
        for (let i = 0; i < k; i++) update[i] += eta * p[y] * (c1 - c2) * ((i === y ? 1 : 0) - p[i]);
      }
      for (let i = 0; i < k; i++) {
        expect(Math.abs(velocity[i] - eta * p[i] * advantage[i])).toBeLessThan(1e-12);
        expect(Math.abs(velocity[i] - update[i])).toBeLessThan(1e-12);
        // the negative-gradient bins (c_2 > 0) are exactly the zero-forced ones
        expect(advantage[i] < 0).toBe(reverseKlRegimes(p, q)[i] === 'zero-forcing');
      }
    }
  });
});
