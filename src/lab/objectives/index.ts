import type { ObjectiveId } from './catalog.ts';
import { dpo, ipo } from './contrastive.ts';
import { bestOfN, prefFt, rwr, sft } from './maximum-likelihood.ts';
import { ppo, reinforce } from './policy-gradient.ts';
import type { Objective } from './types.ts';

export const OBJECTIVE_IMPLEMENTATIONS: Record<ObjectiveId, Objective> = {
  sft,
  'pref-ft': prefFt,
  'best-of-n': bestOfN,
  rwr,
  dpo,
  ipo,
  reinforce,
  ppo,
};

export { OBJECTIVES, OBJECTIVE_IDS, type ObjectiveId } from './catalog.ts';
export type { Coefficients, Objective, PolicyView } from './types.ts';
