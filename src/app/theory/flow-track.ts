/**
 * One objective's exact logit gradient descent, kept step by step for the theory bench: the logits z_t and
 * every distribution p_0..p_t so far. Each step is z ← z + Δz with Δz = `logitVelocity` (= −η∇L), the same
 * arithmetic as `gradientFlow` in src/lab/theory.ts, so the page shows exactly the tested trajectories.
 */
import { logitsOf, logitVelocity, softmax, type KlObjective } from '../../lab/theory.ts';

export interface FlowTrack {
  readonly objective: KlObjective;
  /** z_t, the logits after the last step */
  readonly logits: Float64Array;
  /** p_0 … p_t (history[t] = softmax(z_t)) */
  readonly history: readonly Float64Array[];
}

/** The track at step 0: z_0 = log p_0 (p_0 must be positive in every bin). */
export function startTrack(p0: ArrayLike<number>, objective: KlObjective): FlowTrack {
  const logits = logitsOf(p0);
  return { objective, logits, history: [softmax(logits)] };
}

/** The distribution the track has reached. */
export function currentDistribution(track: FlowTrack): Float64Array {
  return track.history[track.history.length - 1];
}

/** The track's step count t. */
export function trackStep(track: FlowTrack): number {
  return track.history.length - 1;
}

/** One gradient step towards q with step size η; the old track is left as it was. */
export function advanceTrack(track: FlowTrack, q: ArrayLike<number>, eta: number): FlowTrack {
  const velocity = logitVelocity(currentDistribution(track), q, track.objective, eta);
  const logits = new Float64Array(track.logits.length);
  for (let i = 0; i < logits.length; i++) logits[i] = track.logits[i] + velocity[i];
  return { objective: track.objective, logits, history: [...track.history, softmax(logits)] };
}

/** The track after `steps` steps from p_0. */
export function trackAt(p0: ArrayLike<number>, q: ArrayLike<number>, objective: KlObjective, eta: number, steps: number): FlowTrack {
  let track = startTrack(p0, objective);
  for (let t = 0; t < steps; t++) track = advanceTrack(track, q, eta);
  return track;
}
