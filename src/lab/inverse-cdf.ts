/**
 * Inverse-CDF sampling over cumulative weights: the first index whose cumulative weight exceeds u·total
 * (binary search). `cdf` holds running sums (not necessarily normalised), its last entry the total; u is
 * uniform in [0, 1). One uniform per draw, so a seeded stream gives the same draws everywhere.
 */
export function inverseCdf(cdf: Float64Array, u: number): number {
  const target = u * cdf[cdf.length - 1];
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
