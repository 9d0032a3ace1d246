/** How the theory bench names the two objectives: by formula first (spec E.5's labelling decision). */
import type { KlObjective } from '../../lab/theory.ts';

export const OBJECTIVE_FORMULA: Record<KlObjective, string> = { forward: 'KL(q‖p)', reverse: 'KL(p‖q)' };
export const OBJECTIVE_NAME: Record<KlObjective, string> = {
  forward: 'maximum likelihood, mode-covering',
  reverse: 'reverse, mode-seeking',
};
export const OBJECTIVES: readonly KlObjective[] = ['forward', 'reverse'];
