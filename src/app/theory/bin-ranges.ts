/** Lists of bins as compact text: [0, 1, 2, 5, 7, 8] → "0–2, 5, 7–8". */
export function formatBinRanges(bins: readonly number[]): string {
  const sorted = [...bins].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1] + 1) continue;
    const first = sorted[start];
    const last = sorted[i - 1];
    if (first !== undefined) parts.push(first === last ? String(first) : `${first}–${last}`);
    start = i;
  }
  return parts.join(', ');
}
