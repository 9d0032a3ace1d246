/**
 * Reference policies π_ref over K bins (spec A.3).
 *
 * The official code histograms 10,000 draws of tanh(Cauchy(−0.7, 0.4)) into 100 equal bins on [−1, 1].
 * The lab's default is the exact bin probabilities of that distribution; the sampled histogram is an
 * option (seeded, unlike the official code), and any user-given distribution is accepted.
 */
import { stream, STREAMS } from './random.ts';
import { atan, atanh, tan, tanh } from './math.ts';

export const CAUCHY_LOC = -0.7;
export const CAUCHY_SCALE = 0.4;
export const OFFICIAL_HISTOGRAM_DRAWS = 10_000;

/** CDF of tanh(u), u ~ Cauchy(loc, scale), at x ∈ [−1, 1]. */
function squashedCauchyCdf(x: number, loc: number, scale: number): number {
  if (x <= -1) return 0;
  if (x >= 1) return 1;
  return 0.5 + atan((atanh(x) - loc) / scale) / Math.PI;
}

/** Exact bin probabilities of tanh(Cauchy(loc, scale)) over `bins` equal bins on [−1, 1]. */
export function cauchyTanhReference(bins = 100, loc = CAUCHY_LOC, scale = CAUCHY_SCALE): Float64Array {
  const p = new Float64Array(bins);
  const width = 2 / bins;
  let previous = 0;
  for (let a = 0; a < bins; a++) {
    const upper = a === bins - 1 ? 1 : squashedCauchyCdf(-1 + width * (a + 1), loc, scale);
    p[a] = upper - previous;
    previous = upper;
  }
  return p;
}

/**
 * The official sampled reference: `draws` samples of tanh(Cauchy(loc, scale)) histogrammed into `bins`
 * equal bins on [−1, 1] (as np.histogram with range (−1, 1), the last bin closed), normalised.
 * Seeded by the experiment seed through its own stream.
 */
export function sampledCauchyTanhReference(
  seed: number,
  bins = 100,
  draws = OFFICIAL_HISTOGRAM_DRAWS,
  loc = CAUCHY_LOC,
  scale = CAUCHY_SCALE,
): Float64Array {
  const rng = stream(seed, STREAMS.referenceHistogram, bins, draws);
  const counts = new Float64Array(bins);
  for (let i = 0; i < draws; i++) {
    const u = loc + scale * tan(Math.PI * (rng.uniform() - 0.5));
    const x = tanh(u);
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(((x + 1) / 2) * bins)));
    counts[bin] += 1;
  }
  for (let a = 0; a < bins; a++) counts[a] /= draws;
  return counts;
}

/** A user-given distribution: non-negative weights, normalised. Validation happens in the config schema. */
export function customReference(weights: readonly number[]): Float64Array {
  let total = 0;
  for (const w of weights) total += w;
  const p = new Float64Array(weights.length);
  for (let a = 0; a < weights.length; a++) p[a] = weights[a] / total;
  return p;
}
