/**
 * The terms of the typeset formulas that are linked to the charts: hovering or focusing a term lights up the
 * bars it drives. Which bars is a pure function of the objective a chart shows and, for KL(p‖q), the bins'
 * regimes at the current step (`reverseKlRegimes`).
 */
import type { KlObjective, ReverseKlRegime } from '../../lab/theory.ts';
import type { AnnotatedRegime } from './regime-notes.ts';

export type FormulaTerm = 'forward-gap' | 'reverse-mass' | 'reverse-log-ratio' | 'reverse-kl' | 'push-up' | 'push-down';

export interface TermInfo {
  /** what a screen reader says for the term */
  spoken: string;
  /** what lights up, for the live announcement and the tooltip */
  drives: string;
}

export const TERM_INFO: Record<FormulaTerm, TermInfo> = {
  'forward-gap': {
    spoken: 'q i minus p i, the gap to the target',
    drives: 'every bar of KL(q‖p): maximum likelihood moves each logit towards its target, by at most η',
  },
  'reverse-mass': {
    spoken: 'the factor p i',
    drives: 'the slow-discovery bars of KL(p‖q): where pᵢ is small next to qᵢ, the factor pᵢ holds the step back',
  },
  'reverse-log-ratio': {
    spoken: 'log of q i over p i',
    drives: 'the zero-forced bars of KL(p‖q): where log(qᵢ/pᵢ) < −KL(p‖q) the logit falls',
  },
  'reverse-kl': {
    spoken: 'KL of p from q',
    drives: 'the concentrating bars of KL(p‖q): the shared KL(p‖q) term lifts bins that hold mass faster than maximum likelihood',
  },
  'push-up': {
    spoken: 'c 1 times the gradient of log pi of y w',
    drives: 'the bars pushed up: every bin under KL(q‖p) (samples of q, c₁ = 1), and under KL(p‖q) the bins with log(qᵢ/pᵢ) + KL > 0',
  },
  'push-down': {
    spoken: 'c 2 times the gradient of log pi of y l, the negative gradient',
    drives: 'the bars pushed down by a negative gradient: none under KL(q‖p) (c₂ = 0), the zero-forced bins under KL(p‖q)',
  },
};

/** The term that each annotated property comes from (the notes light up the same bars as that term). */
export const REGIME_TERM: Record<AnnotatedRegime, FormulaTerm> = {
  'zero-forcing': 'reverse-log-ratio',
  concentration: 'reverse-kl',
  'slow-discovery': 'reverse-mass',
};

/**
 * Which bins of a chart showing `objective` the term drives. `regimes` are the KL(p‖q) regimes of that
 * chart's distribution (only read for the reverse objective).
 */
export function drivenBins(term: FormulaTerm, objective: KlObjective, regimes: readonly ReverseKlRegime[]): boolean[] {
  if (objective === 'forward') {
    const all = term === 'forward-gap' || term === 'push-up';
    return regimes.map(() => all);
  }
  switch (term) {
    case 'forward-gap':
      return regimes.map(() => false);
    case 'reverse-mass':
      return regimes.map((r) => r === 'slow-discovery');
    case 'reverse-log-ratio':
    case 'push-down':
      return regimes.map((r) => r === 'zero-forcing');
    case 'reverse-kl':
      return regimes.map((r) => r === 'concentration');
    case 'push-up':
      return regimes.map((r) => r === 'concentration' || r === 'slow-discovery');
  }
}
