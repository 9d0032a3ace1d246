/**
 * Editing a categorical distribution so that it stays one: setting one bin rescales the others in
 * proportion (they keep their ratios), so every edit leaves the values non-negative and summing to 1.
 * Also the checks the theory bench needs before it can take logits and gradients.
 */

/** Divides by the total; an all-zero (or empty-mass) input becomes uniform. Negative entries count as 0. */
export function normalise(values: readonly number[]): number[] {
  const clipped = values.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const total = clipped.reduce((sum, v) => sum + v, 0);
  if (total <= 0) return clipped.map(() => 1 / clipped.length);
  return clipped.map((v) => v / total);
}

/**
 * Sets bin `index` to `value` (clamped to [0, 1]) and scales the other bins so the whole sums to 1; if the
 * others hold no mass, the rest is shared equally among them. Returns a new array.
 */
export function setBinValue(distribution: readonly number[], index: number, value: number): number[] {
  const target = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
  const K = distribution.length;
  if (K === 1) return [1];
  let others = 0;
  for (let i = 0; i < K; i++) if (i !== index) others += Math.max(0, distribution[i]);
  const rest = 1 - target;
  const next = distribution.map((v, i) => {
    if (i === index) return target;
    return others > 0 ? (Math.max(0, v) / others) * rest : rest / (K - 1);
  });
  // one more division removes the rounding drift of repeated edits
  return normalise(next);
}

export type DistributionRole = 'start' | 'target';

/**
 * Why the bench cannot use this distribution, or null. The start p_0 must be positive everywhere (the
 * logits are z_0 = log p_0, and a bin at −∞ could never gain mass); the target q must be positive everywhere
 * for the reverse KL: p_t = softmax(z_t) is positive in every bin, so a bin with q_i = 0 makes KL(p‖q)
 * infinite and its gradient undefined.
 */
export function distributionProblem(distribution: readonly number[], role: DistributionRole): string | null {
  const zeros = distribution.flatMap((v, i) => (v > 0 ? [] : [i]));
  if (zeros.length === 0) return null;
  const bins = zeros.length === 1 ? `bin ${zeros[0]} is 0` : `bins ${zeros.join(', ')} are 0`;
  return role === 'start'
    ? `p₀: ${bins}. The flows start from the logits z₀ = log p₀, so every bin needs some mass (log 0 = −∞ could never rise).`
    : `q: ${bins}. The reverse KL(p‖q) = Σ pᵢ log(pᵢ/qᵢ) is infinite when qᵢ = 0 (the model always keeps some mass there), so its gradient is undefined. Give every bin of q some mass; KL(q‖p) still runs.`;
}

/** Parses a typed probability: a number in [0, 1], or the reason it is not one. */
export function parseProbability(text: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'Type a number between 0 and 1.' };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `"${trimmed}" is not a number.` };
  if (value < 0) return { error: 'A probability cannot be negative.' };
  if (value > 1) return { error: 'A probability cannot exceed 1.' };
  return { value };
}
