/**
 * Writes tests/fixtures/url-v1.json: links of today's format with the experiment each opens, written out
 * literally. Run once when the set is extended (`npx tsx scripts/write-url-fixtures.ts`), read the diff, and
 * commit it. Never rerun it to make a failing fixture test pass: a failing fixture means that old links
 * now open a different experiment, which needs a migration step (src/lab/config/url-migrations.ts) instead.
 * It also writes tests/fixtures/lz-bomb.txt, a short compact value that inflates to 3,000,000 characters.
 */
import { writeFileSync } from 'node:fs';
import LZString from 'lz-string';
import { parseExperimentConfigOrThrow, type ExperimentConfigInput } from '../src/lab/config/experiment.ts';
import { PRESETS } from '../src/lab/config/presets.ts';
import { decodeExperimentUrl, encodeExperimentUrl, type UrlView } from '../src/lab/config/url-codec.ts';

interface Fixture {
  title: string;
  url: string;
}

const fixtures: Fixture[] = [];
const add = (title: string, url: string) => fixtures.push({ title, url });
const encode = (input: ExperimentConfigInput, view: Partial<UrlView> = {}, preset: string | null = null) =>
  encodeExperimentUrl(parseExperimentConfigOrThrow(input), view, { preset });

for (const preset of PRESETS) {
  add(`preset ${preset.name}, preset form`, `v=1&preset=${preset.name}`);
  add(`preset ${preset.name}, full form`, encode(preset.config));
}

add(
  'a custom reward table (10 bins)',
  encode({
    name: 'custom reward',
    reference: { kind: 'cauchy-tanh', bins: 10 },
    reward: { kind: 'custom', values: [0, 0.1, 0.25, 0.5, 1, 0.5, 0.25, 0.1, 0, -0.5] },
    peakHalfWidth: 1,
    defaults: { steps: 200, S: 4, N: 4 },
    runs: [
      { name: 'IPO', objective: 'ipo' },
      { name: 'REINFORCE', objective: 'reinforce', lr: 0.2 },
    ],
  }),
);

add(
  'a custom π_ref and a Gaussian reward',
  encode({
    seed: 7,
    reference: { kind: 'custom', values: [0.3, 0.2, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1] },
    reward: { kind: 'gaussian', centre: 6.5, width: 1.25 },
    peakHalfWidth: 0,
    runs: [{ name: 'best-of-N', objective: 'best-of-n', sampling: 'offline', S: 50, T: 10, steps: 100 }],
  }),
);

add(
  'a sampled π_ref',
  encode({
    seed: 3,
    reference: { kind: 'sampled', bins: 50, draws: 20000 },
    reward: { kind: 'gaussian', centre: 30, width: 5 },
    runs: [{ name: 'DPO', objective: 'dpo', dpoBeta: 0.5, labels: 'bradley-terry', labelTemperature: 0.2 }],
  }),
);

const tweaked: ExperimentConfigInput = {
  name: 'tweaked mid-way',
  seed: 42,
  defaults: { lr: 0.05, N: 8, S: 8, steps: 1000, rwrNormalize: true },
  runs: [
    { name: 'on-policy IPO', objective: 'ipo', T: 5, ipoMargin: 5, rewardThreshold: 0.1 },
    { name: 'PPO', objective: 'ppo', ppoClip: 0.1, klCoef: 0.05, optimizer: 'sgd', M: 4 },
    { name: 'best-of-N + push-down', objective: 'best-of-n', negativeGradientType: 'average_over_worse_actions', negGradWeight: 0.25, init: 'sft' },
    { name: 'RWR', objective: 'rwr', rwrTemperature: 0.5, advantage: 'per-prompt' },
  ],
  edits: [
    { run: 'PPO', step: 200, key: 'klCoef', value: 0 },
    { run: 'on-policy IPO', step: 500, key: 'lr', value: 0.01 },
    { run: 'best-of-N + push-down', step: 250, key: 'negGradWeight', value: 1.5e-7 },
    { run: 'on-policy IPO', step: 750, key: 'ipoMargin', value: 20 },
  ],
};
add('runs with overrides and live edits (tweaked mid-way)', encode(tweaked));
add('the same, copied at step 600 with the view', encode(tweaked, { at: 600, speed: 16, hidden: ['PPO', 'RWR'], epochRun: 'on-policy IPO' }));

add(
  'a preset with live edits, copied at a step',
  encode(
    { ...PRESETS.find((p) => p.name === 'f1-r1')!.config, edits: [{ run: 'REINFORCE', step: 500, key: 'lr', value: 0.01 }] },
    { at: 700, hidden: ['offline IPO'] },
    'f1-r1',
  ),
);

add(
  'names with special characters',
  encode({
    name: 'a & b = c? 100% <script>alert(1)</script> #1',
    defaults: { steps: 20, S: 2, N: 3 },
    runs: [
      { name: 'offline & on-policy = ?', objective: 'ipo' },
      { name: '<img src=x onerror=alert(1)>', objective: 'dpo' },
      { name: 'Ελληνικά, 日本語, emoji 🎲', objective: 'reinforce' },
      { name: 'plus+sign, %41 and a\ttab', objective: 'rwr' },
      { name: '__proto__', objective: 'sft' },
    ],
    edits: [{ run: '<img src=x onerror=alert(1)>', step: 10, key: 'dpoBeta', value: 2 }],
  }, { hidden: ['__proto__'], epochRun: 'Ελληνικά, 日本語, emoji 🎲' }),
);

add(
  'every view key (a classroom link on the theory page)',
  encode(
    { runs: [{ name: 'REINFORCE', objective: 'reinforce', steps: 300 }] },
    { page: 'theory', at: 120, speed: 'auto', hidden: ['REINFORCE'], epochRun: 'REINFORCE', hide: ['setup', 'speed', 'nav'], present: true, backend: 'wasm' },
  ),
);

const tables = (n: number) => Array.from({ length: n }, (_, i) => Math.round(1e6 * (0.5 + 0.5 * Math.sin(i / 7))) / 1e6 + 1e-6);
const compact = encode(
  {
    name: 'a long custom table (compact form)',
    reference: { kind: 'custom', values: tables(300) },
    reward: { kind: 'custom', values: tables(300).map((v, i) => (i % 3 === 0 ? v : -v)) },
    defaults: { steps: 100 },
    runs: [
      { name: 'IPO & co', objective: 'ipo', N: 4 },
      { name: 'REINFORCE', objective: 'reinforce' },
    ],
    edits: [{ run: 'REINFORCE', step: 50, key: 'lr', value: 0.125 }],
  },
  { at: 60, hidden: ['IPO & co'], present: true },
);
if (!compact.includes('z=')) throw new Error('the compact fixture should be in the compact form');
add('the compact form (z=)', compact);

add('written by hand: runs without names, shared knobs, no v', 'r1=ipo&r2=ipo&r3=reinforce&N=4&S=5&steps=60&r2.lr=0.1');
add('a full URL with a fragment', `https://example.org/mode-lab/?${encode({ runs: [{ name: 'SFT', objective: 'sft', steps: 10 }] })}#top`);

const written = fixtures.map(({ title, url }) => {
  const decoded = decodeExperimentUrl(url);
  if (decoded.problems.length) throw new Error(`${title}: ${JSON.stringify(decoded.problems)}`);
  return { title, url, config: decoded.config, view: decoded.view, preset: decoded.preset };
});
writeFileSync(new URL('../tests/fixtures/url-v1.json', import.meta.url), `${JSON.stringify(written, null, 2)}\n`);
console.log(`wrote ${written.length} fixtures`);

// slow to make (seconds), so it is made once here rather than in the test
writeFileSync(new URL('../tests/fixtures/lz-bomb.txt', import.meta.url), `${LZString.compressToEncodedURIComponent('a'.repeat(3_000_000))}\n`);
console.log('wrote lz-bomb.txt');
