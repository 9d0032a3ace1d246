/**
 * Where a tabular policy starts (spec B.1): exactly π_ref (logits = log π_ref; a tabular policy can
 * represent it), or the official SFT — 100 full-batch Adam steps at lr 0.01 on KL(π‖π_ref) from uniform.
 */
import { EpochData } from '../data.ts';
import { sft } from '../objectives/maximum-likelihood.ts';
import type { Coefficients } from '../objectives/types.ts';
import type { RunSettings } from '../config/settings.ts';
import { Adam } from './optimizers.ts';
import { TabularPolicy } from './tabular.ts';

export const OFFICIAL_SFT_STEPS = 100;
export const OFFICIAL_SFT_LR = 0.01;

export function officialSftLogits(logRef: Float64Array, steps = OFFICIAL_SFT_STEPS, lr = OFFICIAL_SFT_LR): Float64Array {
  const K = logRef.length;
  const policy = new TabularPolicy(new Float64Array(K), logRef);
  const adam = new Adam(K);
  const empty = { data: new EpochData(1, 1, false), p0: 0, p1: 0 };
  const coefficients: Coefficients = { coef: new Float64Array(1), dense: new Float64Array(K), denseActive: false };
  for (let t = 0; t < steps; t++) {
    sft.compute(empty, policy, {} as RunSettings, coefficients);
    policy.gradientFrom(empty, coefficients);
    adam.step(policy.logits, policy.grad, lr);
    policy.refresh();
  }
  return Float64Array.from(policy.logits);
}

export function initialLogits(init: RunSettings['init'], logRef: Float64Array): Float64Array {
  return init === 'reference' ? Float64Array.from(logRef) : officialSftLogits(logRef);
}
