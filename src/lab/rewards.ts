/**
 * Reward functions over bins (spec A.4). The reward ignores the prompt; the action is the bin index.
 */
import { exp } from './math.ts';

/** r(a) = exp(−((a − centre)/width)²) for a = 0..bins−1. */
export function gaussianReward(bins: number, centre: number, width: number): Float64Array {
  const r = new Float64Array(bins);
  for (let a = 0; a < bins; a++) {
    const z = (a - centre) / width;
    r[a] = exp(-z * z);
  }
  return r;
}

/** The official 1-D reward functions by their id in `reward_functions.py`. */
export const OFFICIAL_REWARDS = {
  4: { label: 'R1', centre: 70, width: 10, note: 'peak far from the reference mode ("not aligned")' },
  5: { label: 'R2', centre: 20, width: 10, note: 'peak near the reference mode ("aligned")' },
  8: { label: 'R1 wide', centre: 70, width: 20, note: 'not aligned, more spread out' },
  9: { label: 'R1 widest', centre: 70, width: 30, note: 'not aligned, most spread out' },
} as const;

export type OfficialRewardId = keyof typeof OFFICIAL_REWARDS;

/** Index of the first maximum. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
