/**
 * Profiling aid (not part of `npm run bench`): where one gpt-nano surrogate step of the official
 * on-policy configuration goes on a Node backend. `npx tsx bench/neural-profile.ts [wasm|cpu] [--shapes] [--repeats=5]`.
 * Prints kernel counts and kernel time by kernel name (tf.profile), and the wall time of the pieces.
 */
import * as tf from '@tensorflow/tfjs';
import { stream } from '../src/lab/random.ts';
import { GptNano, gptNanoConfig, disposeDropoutMasks } from '../src/lab/policies/gpt-nano.ts';
import { useBackend, type TestBackend } from '../tests/helpers/tf-backend.ts';

const backend = (process.argv[2] ?? 'wasm') as TestBackend;
await useBackend(backend);
const batch = 100;
const length = 10;
const model = new GptNano(gptNanoConfig(100, 1, { transposeFreeMatMul: backend === 'wasm' }));
const adam = model.createAdam();
const rng = stream(1, 'bench', 'profile');
const tokenValues = Int32Array.from({ length: batch * length }, () => Math.floor(rng.uniform() * 100));
const tokens = tf.tensor2d(tokenValues, [batch, length], 'int32');
const coefficients = { perSequence: Float32Array.from({ length: batch }, (_, i) => (i % 10 === 0 ? 0.1 : 0)) };
const options = { promptLength: 1, scoring: 'shifted' as const, learningRate: 3e-5 };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (what: string, repeats: number, f: () => Promise<void> | void): Promise<void> => {
  for (let i = 0; i < 2; i++) await f();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  console.log(`${what.padEnd(44)} ${median(times).toFixed(2).padStart(8)} ms (min ${Math.min(...times).toFixed(2)})`);
};

await time('dropout masks (host + upload)', 10, () => disposeDropoutMasks(model.dropoutMasks(batch, length, 5)));
const masks = model.dropoutMasks(batch, length, 5);
await time('forward loss (with masks)', 10, async () => {
  const loss = model.surrogateLoss(tokens, coefficients, options, masks);
  await loss.data();
  loss.dispose();
});
await time('forward + backward', 10, async () => {
  const grads = tf.tidy(() => model.gradients(() => model.surrogateLoss(tokens, coefficients, options, masks)));
  await grads.value.data();
  grads.value.dispose();
  for (const g of grads.list) g.dispose();
});
await time('full surrogateStep', 10, async () => {
  await model.surrogateStep(tokens, coefficients, adam, options);
});
const prompts = tf.tensor2d(Int32Array.from({ length: batch }, (_, i) => i), [batch, 1], 'int32');
const u = Float64Array.from({ length: batch * 9 }, () => rng.uniform());
await time('sampling 9 tokens', 5, async () => {
  const s = model.sample(prompts, u, 9);
  await s.data();
  s.dispose();
});

// kernel times vary with the load on shared cores: profile several steps, report per-step medians
const repeats = Number(process.argv.find((a) => a.startsWith('--repeats='))?.slice(10) ?? 5);
const profiles: Array<Map<string, { count: number; ms: number }>> = [];
const shapeProfiles: Array<Map<string, { count: number; ms: number }>> = [];
let kernelCount = 0;
for (let r = 0; r < repeats; r++) {
  const info = await tf.profile(async () => {
    await model.surrogateStep(tokens, coefficients, adam, options);
  });
  kernelCount = info.kernels.length;
  const byName = new Map<string, { count: number; ms: number }>();
  const byShape = new Map<string, { count: number; ms: number }>();
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    for (const [map, key] of [
      [byName, k.name],
      [byShape, `${k.name} ${k.inputShapes.map((shape) => JSON.stringify(shape)).join(' ')}`],
    ] as const) {
      const entry = map.get(key) ?? { count: 0, ms: 0 };
      entry.count += 1;
      entry.ms += ms;
      map.set(key, entry);
    }
  }
  profiles.push(byName);
  shapeProfiles.push(byShape);
}
const summarise = (maps: Array<Map<string, { count: number; ms: number }>>): Array<[string, number, number]> =>
  [...maps[0].entries()].map(([key, e]) => [key, e.count, median(maps.map((m) => m.get(key)?.ms ?? 0))] as [string, number, number]).sort((a, b) => b[2] - a[2]);
const byName = summarise(profiles);
// "unnamed scope" and "…__op" entries wrap kernels (custom gradients, fused ops) and are counted again inside
const total = byName.filter(([name]) => name !== 'unnamed scope' && !name.endsWith('__op')).reduce((sum, [, , ms]) => sum + ms, 0);
console.log(`\nprofile of one surrogateStep (median of ${repeats}): ${kernelCount} kernels, ${total.toFixed(1)} ms in kernels (wrappers not counted)`);
for (const [name, count, ms] of byName) console.log(`  ${name.padEnd(24)} ${String(count).padStart(5)} ${ms.toFixed(2).padStart(8)} ms`);
if (process.argv.includes('--shapes')) {
  for (const [key, count, ms] of summarise(shapeProfiles).slice(0, 40)) console.log(`  ${key.padEnd(70)} ${String(count).padStart(5)} ${ms.toFixed(2).padStart(8)} ms`);
}
disposeDropoutMasks(masks);
tokens.dispose();
prompts.dispose();
adam.dispose();
model.dispose();
