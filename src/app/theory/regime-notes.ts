/**
 * The three properties of spec E.4 as text for the current step: which bins are zero-forced, which
 * concentrate and which are discovered slowly under KL(p‖q), each from its exact condition
 * (`reverseKlRegimes`, `reverseFallBeyondForwardBound` in src/lab/theory.ts) at the reverse flow's p_t.
 * "Faster/slower than maximum likelihood" always compares with a KL(q‖p) step from the same p_t.
 */
import { klDivergence, logitVelocity, reverseFallBeyondForwardBound, reverseKlRegimes, type ReverseKlRegime } from '../../lab/theory.ts';
import { formatBinRanges } from './bin-ranges.ts';

export type AnnotatedRegime = Exclude<ReverseKlRegime, 'balanced'>;

export interface RegimeNote {
  regime: AnnotatedRegime;
  title: string;
  bins: number[];
  /** the condition, with the numbers of this step */
  condition: string;
  /** the bins and the most telling one */
  detail: string;
}

/** Two significant digits; tiny values in exponent form so they stay short. */
const plain = (v: number) => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(1) : v.toPrecision(2));
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${plain(Math.abs(v))}`;
const binsText = (bins: number[]) => (bins.length === 0 ? 'none' : `${bins.length === 1 ? 'bin' : `${bins.length} bins:`} ${formatBinRanges(bins)}`);

function argBest(bins: number[], score: (i: number) => number): number {
  let best = bins[0];
  for (const i of bins) if (score(i) > score(best)) best = i;
  return best;
}

/** The three notes (always in the order zero-forcing, concentration, slow discovery). */
export function regimeNotes(p: ArrayLike<number>, q: ArrayLike<number>, eta: number): RegimeNote[] {
  const regimes = reverseKlRegimes(p, q);
  const kl = klDivergence(p, q);
  const reverse = logitVelocity(p, q, 'reverse', eta);
  const forward = logitVelocity(p, q, 'forward', eta);
  const beyond = reverseFallBeyondForwardBound(p, q);
  const binsOf = (regime: AnnotatedRegime) => regimes.flatMap((r, i) => (r === regime ? [i] : []));

  const falling = binsOf('zero-forcing');
  const rising = binsOf('concentration');
  const slow = binsOf('slow-discovery');
  const beyondCount = beyond.filter(Boolean).length;

  let fallDetail = binsText(falling);
  if (falling.length > 0) {
    const fastest = argBest(falling, (i) => -reverse[i]);
    fallDetail += `. Fastest: bin ${fastest}, Δz = ${signed(reverse[fastest])} (maximum likelihood: ${signed(forward[fastest])}).`;
    if (beyondCount > 0) fallDetail += ` ${beyondCount === 1 ? '1 bin falls' : `${beyondCount} bins fall`} by more than η = ${plain(eta)}, which no maximum-likelihood step can do.`;
  }
  let riseDetail = binsText(rising);
  if (rising.length > 0) {
    const strongest = argBest(rising, (i) => reverse[i] - forward[i]);
    riseDetail += `. Largest lead: bin ${strongest}, Δz = ${signed(reverse[strongest])} vs ${signed(forward[strongest])}.`;
  }
  let slowDetail = binsText(slow);
  if (slow.length > 0) {
    const slowest = argBest(slow, (i) => forward[i] - reverse[i]);
    slowDetail += `. Largest gap: bin ${slowest} (p = ${plain(p[slowest])}, q = ${plain(q[slowest])}), Δz = ${signed(reverse[slowest])} vs ${signed(forward[slowest])}.`;
  }

  return [
    {
      regime: 'zero-forcing',
      title: 'Zero-forcing',
      bins: falling,
      condition: `logit falls under KL(p‖q) exactly when log(pᵢ/qᵢ) > KL(p‖q) = ${plain(kl)}`,
      detail: fallDetail,
    },
    {
      regime: 'concentration',
      title: 'Concentration',
      bins: rising,
      condition: 'logit rises under KL(p‖q), by more than a maximum-likelihood step from the same p: ηpᵢ(log(qᵢ/pᵢ) + KL) > max(0, η(qᵢ − pᵢ))',
      detail: riseDetail,
    },
    {
      regime: 'slow-discovery',
      title: 'Slow discovery',
      bins: slow,
      condition: 'qᵢ > pᵢ, yet KL(p‖q) raises the logit less than maximum likelihood: with ρ = qᵢ/pᵢ, ρ − 1 > log ρ + KL(p‖q) (the factor pᵢ is small next to qᵢ)',
      detail: slowDetail,
    },
  ];
}
