/** Seeded random test cases for the theory tests: uniforms from the lab's own streams, and random logits. */
import { stream } from '../../src/lab/random.ts';

/** uniforms in [0, 1) from the lab's seeded stream `tests/<seed>` */
export function testUniforms(seed: number): () => number {
  const rng = stream(seed, 'tests');
  return () => rng.uniform();
}

/** k logits drawn uniformly from [−spread, spread] */
export function randomLogits(rng: () => number, k: number, spread = 3): Float64Array {
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) z[i] = (rng() * 2 - 1) * spread;
  return z;
}
