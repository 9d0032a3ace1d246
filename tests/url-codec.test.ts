/** Experiment links: every key, the preset and compact forms, hostile input, migrations and today's links. */
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseExperimentConfig, parseExperimentConfigOrThrow, type ExperimentConfig, type ExperimentConfigInput } from '../src/lab/config/experiment.ts';
import { DEFAULT_PRESET_NAME, findPreset, PRESETS } from '../src/lab/config/presets.ts';
import {
  decodeExperimentUrl,
  DEFAULT_VIEW,
  encodeExperimentUrl,
  looksLikeExperimentUrl,
  MAX_URL_LENGTH,
  URL_VERSION,
  type DecodedUrl,
  type UrlView,
} from '../src/lab/config/url-codec.ts';
import { checkMigrationChain, migrateUrlEntries, URL_MIGRATIONS, type UrlMigration } from '../src/lab/config/url-migrations.ts';

const config = (input: ExperimentConfigInput): ExperimentConfig => parseExperimentConfigOrThrow(input);
const presetConfig = (name: string) => config(findPreset(name)!.config);
const defaultConfig = () => presetConfig(DEFAULT_PRESET_NAME);

/** decodes and insists on no problems */
function open(query: string): DecodedUrl {
  const decoded = decodeExperimentUrl(query);
  expect(decoded.problems, query).toEqual([]);
  return decoded;
}

const twoRuns = config({ runs: [{ name: 'IPO', objective: 'ipo' }, { name: 'REINFORCE', objective: 'reinforce' }] });

describe('encodeExperimentUrl: the readable form', () => {
  it('writes v=1 first, then only what differs from the defaults; every run with its name', () => {
    expect(encodeExperimentUrl(twoRuns)).toBe('v=1&r1=ipo&r1.name=IPO&r2=reinforce&r2.name=REINFORCE');
    expect(open('v=1&r1=ipo&r1.name=IPO&r2=reinforce&r2.name=REINFORCE').config).toEqual(twoRuns);
  });

  it.each<[string, ExperimentConfigInput, string]>([
    ['name', { name: 'my run', runs: [{ name: 'a', objective: 'sft' }] }, 'name=my+run'],
    ['seed', { seed: 4294967295, runs: [{ name: 'a', objective: 'sft' }] }, 'seed=4294967295'],
    ['ref (analytic)', { reference: { kind: 'cauchy-tanh', bins: 200 }, runs: [{ name: 'a', objective: 'sft' }] }, 'ref=cauchy-tanh:200'],
    ['ref (sampled)', { reference: { kind: 'sampled', bins: 50, draws: 20000 }, reward: { kind: 'gaussian', centre: 30, width: 5 }, runs: [{ name: 'a', objective: 'sft' }] }, 'ref=sampled:50:20000&reward=gaussian:30:5'],
    ['ref (custom)', { reference: { kind: 'custom', values: [0.5, 0.25, 0.25] }, reward: { kind: 'gaussian', centre: 1, width: 0.5 }, runs: [{ name: 'a', objective: 'sft' }] }, 'ref=custom:0.5,0.25,0.25&reward=gaussian:1:0.5'],
    ['reward (custom)', { reference: { kind: 'cauchy-tanh', bins: 3 }, reward: { kind: 'custom', values: [-1, 0, 2.5] }, runs: [{ name: 'a', objective: 'sft' }] }, 'ref=cauchy-tanh:3&reward=custom:-1,0,2.5'],
    ['peak', { peakHalfWidth: 0, runs: [{ name: 'a', objective: 'sft' }] }, 'peak=0'],
    ['shared knobs by their own keys', { defaults: { lr: 0.5, N: 3, sampling: 'offline', rwrNormalize: true, M: 2 }, runs: [{ name: 'a', objective: 'sft' }] }, 'sampling=offline&N=3&M=2&lr=0.5&rwrNormalize=true'],
    ['run overrides', { runs: [{ name: 'a', objective: 'best-of-n', negativeGradientType: 'worst_action', negGradWeight: 0.5, optimizer: 'sgd' }] }, 'r1=best-of-n&r1.name=a&r1.optimizer=sgd&r1.negativeGradientType=worst_action&r1.negGradWeight=0.5'],
  ])('%s', (_, input, expected) => {
    const query = encodeExperimentUrl(config(input));
    expect(query).toContain(expected);
    expect(open(query).config).toEqual(config(input));
  });

  it('writes live edits as e=RUN:KNOB:STEP:VALUE in the order of the log', () => {
    const tweaked = config({ ...twoRuns, edits: [{ run: 'REINFORCE', step: 500, key: 'lr', value: 0.01 }, { run: 'IPO', step: 3, key: 'ipoMargin', value: 2 }] });
    const query = encodeExperimentUrl(tweaked);
    expect(query).toBe('v=1&r1=ipo&r1.name=IPO&r2=reinforce&r2.name=REINFORCE&e=2:lr:500:0.01&e=1:ipoMargin:3:2');
    expect(open(query).config).toEqual(tweaked);
  });

  it('writes numbers so that they read back as the identical double', () => {
    const values = [0.1 + 0.2, 1e21, 5e-324, Number.MAX_VALUE, -0, -1.5e-7, 123456789.12345679];
    const exact = config({ reference: { kind: 'cauchy-tanh', bins: values.length }, reward: { kind: 'custom', values }, runs: [{ name: 'a', objective: 'sft' }] });
    const query = encodeExperimentUrl(exact);
    expect(query).toContain('reward=custom:0.30000000000000004,1e21,5e-324,1.7976931348623157e308,-0,-1.5e-7,123456789.12345679');
    const decoded = open(query).config;
    expect(decoded).toEqual(exact);
    expect(Object.is((decoded.reward as { values: number[] }).values[4], -0)).toBe(true);
  });

  it('escapes any name, so that names with &, =, +, %, #, unicode or markup come back unchanged', () => {
    const names = ['a & b = c', '1+1 100% #2 ?x', '<script>alert(1)</script>', 'Ελληνικά 日本語 🎲', 'line\nbreak\ttab', '  spaces  ', 'e=1:lr:1:1'];
    const special = config({ name: '&v=2&z=x', runs: names.map((name, i) => ({ name, objective: i % 2 ? 'reinforce' : 'sft' })) });
    const query = encodeExperimentUrl(special, { hidden: [names[2]], epochRun: names[3] });
    expect(query).not.toMatch(/[<>\s#]/);
    const decoded = open(query);
    expect(decoded.config).toEqual(special);
    expect(decoded.view).toMatchObject({ hidden: [names[2]], epochRun: names[3] });
  });
});

describe('the view keys', () => {
  it('leave out the default view and write each other value', () => {
    expect(encodeExperimentUrl(twoRuns, DEFAULT_VIEW)).toBe(encodeExperimentUrl(twoRuns));
    expect(encodeExperimentUrl(twoRuns, { hidden: [], epochRun: null, at: 0 })).toBe(encodeExperimentUrl(twoRuns));
    const view: UrlView = { page: 'theory', at: 250, speed: 'auto', hidden: ['REINFORCE'], epochRun: 'IPO', hide: ['setup', 'speed'], present: true, backend: 'webgpu' };
    const query = encodeExperimentUrl(twoRuns, view);
    expect(query).toBe(`${encodeExperimentUrl(twoRuns)}&page=theory&at=250&speed=auto&hidden=2&epoch=1&hide=setup,speed&present=1&backend=webgpu`);
    expect(open(query).view).toEqual(view);
  });

  it('are read one by one', () => {
    const base = encodeExperimentUrl(twoRuns);
    expect(open(`${base}&speed=64`).view.speed).toBe(64);
    expect(open(`${base}&hidden=1,2`).view.hidden).toEqual(['IPO', 'REINFORCE']);
    expect(open(`${base}&present`).view.present).toBe(true);
    expect(open(`${base}&present=0`).view.present).toBe(false);
    expect(open(`${base}&hide=`).view.hide).toEqual([]);
    expect(open(base).view).toEqual(DEFAULT_VIEW);
  });
});

describe('the preset form', () => {
  it('writes preset=<name> when the config is that preset, plus its live edits', () => {
    const preset = presetConfig('f1-r1');
    expect(encodeExperimentUrl(preset, {}, { preset: 'f1-r1' })).toBe('v=1&preset=f1-r1');
    const tweaked = { ...preset, edits: [{ run: 'REINFORCE', step: 500, key: 'lr' as const, value: 0.01 }] };
    const query = encodeExperimentUrl(tweaked, { at: 600 }, { preset: 'f1-r1' });
    expect(query).toBe('v=1&preset=f1-r1&e=5:lr:500:0.01&at=600');
    const decoded = open(query);
    expect(decoded.config).toEqual(tweaked);
    expect(decoded.preset).toBe('f1-r1');
    expect(decoded.view.at).toBe(600);
  });

  it('writes every field when the config differs from the preset, or the preset is unknown', () => {
    const changed = { ...presetConfig('f1-r1'), seed: 2 };
    const query = encodeExperimentUrl(changed, {}, { preset: 'f1-r1' });
    expect(query).not.toContain('preset=');
    expect(open(query)).toMatchObject({ config: changed, preset: null });
    expect(encodeExperimentUrl(presetConfig('f1-r1'), {}, { preset: 'no-such-preset' })).not.toContain('preset=');
  });

  it('reads keys after preset= as changes to it', () => {
    const decoded = open('v=1&preset=f1-r1&seed=3&lr=0.1&r2.ipoMargin=4&r6=dpo&r6.name=extra DPO');
    const expected = presetConfig('f1-r1');
    expected.seed = 3;
    expected.defaults.lr = 0.1;
    (expected.runs[1] as Record<string, unknown>).ipoMargin = 4;
    expected.runs.push({ name: 'extra DPO', objective: 'dpo' });
    expect(decoded.config).toEqual(expected);
    expect(decoded.preset).toBeNull();
  });

  it('every preset opens from its preset= link and from its full link', () => {
    for (const { name } of PRESETS) {
      expect(open(`v=1&preset=${name}`)).toMatchObject({ config: presetConfig(name), preset: name });
      expect(open(encodeExperimentUrl(presetConfig(name))).config).toEqual(presetConfig(name));
    }
  });
});

describe('the compact form', () => {
  const table = (n: number) => Array.from({ length: n }, (_, i) => 1 / (i + 3));
  const big = config({
    reference: { kind: 'custom', values: table(150) },
    reward: { kind: 'custom', values: table(150).map((v) => -v) },
    runs: [{ name: 'a', objective: 'ipo', N: 4 }, { name: 'b', objective: 'reinforce' }],
    edits: [{ run: 'b', step: 10, key: 'lr', value: 0.2 }],
  });

  it('is written only when the readable query would be longer than 2,000 characters', () => {
    expect(encodeExperimentUrl(twoRuns)).not.toContain('z=');
    const small = config({ reference: { kind: 'custom', values: table(20) }, reward: { kind: 'custom', values: table(20) }, runs: [{ name: 'a', objective: 'sft' }] });
    expect(encodeExperimentUrl(small).length).toBeLessThanOrEqual(2000);
    expect(encodeExperimentUrl(small)).not.toContain('z=');
    const query = encodeExperimentUrl(big, { hidden: ['b'], epochRun: 'a', at: 7, present: true });
    expect(query).toMatch(/^v=1&z=[A-Za-z0-9%+\-$]+$/);
    const decoded = open(query);
    expect(decoded.config).toEqual(big);
    expect(decoded.view).toEqual({ ...DEFAULT_VIEW, hidden: ['b'], epochRun: 'a', at: 7, present: true });
  });

  it('carries the MLP companion switch (mlp=1) in both forms, and leaves it out when off', () => {
    const compact = encodeExperimentUrl(big, { mlp: true });
    expect(compact).toContain('z=');
    expect(open(compact).view).toEqual({ ...DEFAULT_VIEW, mlp: true });
    expect(encodeExperimentUrl(twoRuns, { mlp: true })).toContain('&mlp=1');
    expect(open(encodeExperimentUrl(twoRuns, { mlp: true })).view.mlp).toBe(true);
    expect(encodeExperimentUrl(twoRuns, { mlp: false })).not.toContain('mlp');
    expect(open(encodeExperimentUrl(twoRuns)).view).toEqual(DEFAULT_VIEW);
  });

  it('keeps the preset form inside: a preset with a long edit log', () => {
    const preset = presetConfig('f1-r1');
    const edits = Array.from({ length: 120 }, (_, i) => ({ run: 'REINFORCE', step: i * 10, key: 'lr' as const, value: 0.01 + i / 1000 }));
    const query = encodeExperimentUrl({ ...preset, edits }, {}, { preset: 'f1-r1' });
    expect(query).toContain('z=');
    expect(open(query)).toMatchObject({ config: { ...preset, edits }, preset: 'f1-r1' });
  });

  it('lets readable view keys next to z apply, and refuses readable config keys there', () => {
    const query = `${encodeExperimentUrl(big)}&present=1&seed=5`;
    const decoded = decodeExperimentUrl(query);
    expect(decoded.config).toEqual(big);
    expect(decoded.view.present).toBe(true);
    expect(decoded.problems).toEqual([{ key: 'seed', message: 'ignored: this link carries its experiment in z', usedInstead: 'ignored' }]);
  });

  it('reads each field of the JSON on its own, like the readable keys', () => {
    const payload = { config: { seed: -1, runs: [{ name: 'a', objective: 'ipo', lr: 0 }, { name: 'b', objective: 'grpo' }, { name: 'c', objective: 'sft' }], edits: [{ run: 'zz', step: 1, key: 'lr', value: 1 }] }, view: { hidden: ['c', 'b'], speed: 0 } };
    const decoded = decodeExperimentUrl(`v=1&z=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`);
    expect(decoded.config).toEqual(config({ runs: [{ name: 'a', objective: 'ipo' }, { name: 'c', objective: 'sft' }] }));
    expect(decoded.view.hidden).toEqual(['c']);
    expect(decoded.problems.map((p) => `${p.key} ${p.message.split(':')[0]}`)).toEqual([
      'z seed',
      'z runs[0].lr',
      'z runs[1].objective',
      'z edits[0]',
      'z view.speed',
      'z view.hidden',
    ]);
  });

  it('a damaged z opens the default experiment and says why, keeping the readable view keys', () => {
    const query = encodeExperimentUrl(big);
    for (const damaged of [query.slice(0, query.length / 2), 'v=1&z=garbage!!', `v=1&z=${LZString.compressToEncodedURIComponent('{"config": ')}`, `v=1&z=${LZString.compressToEncodedURIComponent('[1,2]')}`]) {
      const decoded = decodeExperimentUrl(`${damaged}&page=theory`);
      expect(decoded.config).toEqual(defaultConfig());
      expect(decoded.preset).toBe(DEFAULT_PRESET_NAME);
      expect(decoded.view.page).toBe('theory');
      expect(decoded.problems[0]).toMatchObject({ key: 'z', usedInstead: 'the default experiment (preset f1-r1)' });
    }
  });

  it('refuses a z that would inflate to megabytes, quickly', () => {
    const bomb = readFileSync('tests/fixtures/lz-bomb.txt', 'utf8').trim();
    expect(bomb.length).toBeLessThan(5000);
    const started = performance.now();
    const decoded = decodeExperimentUrl(`v=1&z=${bomb}`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(decoded.problems).toEqual([{ key: 'z', message: 'inflates to more than 2000000 characters, more than any experiment needs', usedInstead: 'the default experiment (preset f1-r1)' }]);
  });
});

describe('decodeExperimentUrl: where the query is', () => {
  it('takes a full URL, a ?query or a bare query, ignoring the fragment and surrounding space', () => {
    const query = encodeExperimentUrl(twoRuns, { at: 3 });
    for (const input of [query, `?${query}`, `https://example.org/lab/?${query}`, `  http://localhost:5173/?${query}#charts\n`]) {
      expect(open(input)).toMatchObject({ config: twoRuns, view: { at: 3 } });
    }
  });

  it('an empty query, or one with view keys only, opens the default experiment without a problem', () => {
    for (const input of ['', '?', 'v=1', 'https://example.org/lab/', 'page=theory']) {
      expect(open(input)).toMatchObject({ config: defaultConfig(), preset: DEFAULT_PRESET_NAME });
    }
    expect(open('page=theory').view.page).toBe('theory');
    expect(open('page=sequences').view.page).toBe('sequences');
  });

  it('a missing v is version 1; a newer or malformed v is reported and the keys are still read', () => {
    expect(open('r1=ipo&r1.name=IPO&r2=reinforce&r2.name=REINFORCE').config).toEqual(twoRuns);
    for (const v of ['2', 'abc', '-1']) {
      const decoded = decodeExperimentUrl(`v=${v}&r1=ipo&r1.name=IPO&r2=reinforce&r2.name=REINFORCE`);
      expect(decoded.config).toEqual(twoRuns);
      expect(decoded.problems.map((p) => p.key)).toEqual(['v']);
    }
    expect(decodeExperimentUrl('v=2&r1=ipo').problems[0].message).toMatch(/newer version of the lab/);
  });
});

describe('decodeExperimentUrl: each rejected key is named, and the rest of the link applies', () => {
  const base = 'v=1&r1=ipo&r1.name=A&r2=reinforce&r2.name=B&steps=100';
  const baseConfig = config({ defaults: { steps: 100 }, runs: [{ name: 'A', objective: 'ipo' }, { name: 'B', objective: 'reinforce' }] });

  it.each<[string, string, RegExp, string]>([
    ['seed=-1', 'seed', /^seed must be an integer between 0 and 4294967295 \(got -1\)$/, '1'],
    ['seed=1.5', 'seed', /seed must be an integer/, '1'],
    ['seed=1e400', 'seed', /\(got Infinity\)/, '1'],
    ['seed=0x10', 'seed', /\(got "0x10"\)/, '1'],
    ['ref=bogus:3', 'ref', /must be one of cauchy-tanh, sampled, custom \(got "bogus"\)/, '"cauchy-tanh:100"'],
    ['ref=cauchy-tanh:1', 'ref', /bins must be an integer between 2 and 4096 \(got 1\)/, '"cauchy-tanh:100"'],
    ['ref=custom:0.5,x', 'ref', /values\[1\]: each value must be a finite number \(got "x"\)/, '"cauchy-tanh:100"'],
    ['ref=cauchy-tanh:100:7', 'ref', /must look like cauchy-tanh:BINS/, '"cauchy-tanh:100"'],
    ['reward=gaussian:70', 'reward', /must look like gaussian:CENTRE:WIDTH/, '"gaussian:70:10"'],
    ['reward=gaussian:70:0', 'reward', /width: must be a number greater than 0 \(got 0\)/, '"gaussian:70:10"'],
    ['reward=gaussian:NaN:1', 'reward', /centre: must be a finite number \(got "NaN"\)/, '"gaussian:70:10"'],
    ['reward=custom:1,2', 'reward', /has 2 values but π_ref has 100 bins/, '"gaussian:70:10"'],
    ['reward=gaussian:150:10', 'reward', /must lie between bin 0 and bin 99 \(got 150\)/, '"gaussian:70:10"'],
    ['peak=x', 'peak', /peakHalfWidth must be an integer/, '5'],
    ['name=' + 'n'.repeat(121), 'name', /must be at most 120 characters/, 'no name'],
    ['lr=0', 'lr', /must be a number greater than 0 and at most 100 \(got 0\)/, "unset: each run's own value or the built-in default 0.05"],
    ['lr=Infinity', 'lr', /\(got "Infinity"\)/, "unset: each run's own value or the built-in default 0.05"],
    ['sampling=sometimes', 'sampling', /must be one of offline, on-policy \(got "sometimes"\)/, "unset: each run's own value or the built-in default \"on-policy\""],
    ['rwrNormalize=yes', 'rwrNormalize', /must be true or false \(got "yes"\)/, "unset: each run's own value or the built-in default false"],
    ['N=1', 'N', /IPO builds preference pairs within a prompt, so it needs N ≥ 2 \(got 1\)/, "unset: each run's own value or the built-in default 10"],
    ['M=20', 'M', /M = 20 > S = 10/, 'unset (M = S)'],
    ['r1.N=1', 'r1.N', /needs N ≥ 2 \(got 1\)/, '10'],
    ['r1.M=50', 'r1.M', /a minibatch cannot hold more prompts than an epoch collects \(M = 50 > S = 10\)/, '10'],
    ['r1.steps=-5', 'r1.steps', /must be an integer at least 1 and at most 100000 \(got -5\)/, '100'],
    ['r3=grpo', 'r3', /unknown objective "grpo"/, 'the run was left out'],
    ['r3.lr=0.1', 'r3.lr', /there is no run 3: give its objective first, e.g. r3=ipo/, 'ignored'],
    ['r17=ipo', 'r17', /runs are numbered r1 to r16/, 'ignored'],
    ['r0=ipo', 'r0', /runs are numbered r1 to r16/, 'ignored'],
    ['r1.learningRate=1', 'r1.learningRate', /^unknown key; ignored$/, 'ignored'],
    ['e=2:lr:100:0.1', 'e', /"2:lr:100:0.1": must be before the run's last step \(100\); got 100/, 'ignored'],
    ['e=2:lr:-1:0.1', 'e', /step must be an integer between 0 and 1000000 \(got -1\)/, 'ignored'],
    ['e=2:S:5:1', 'e', /the knob is not a live knob \(got "S"\)/, 'ignored'],
    ['e=2:lr:5:1e999', 'e', /the value must be a number \(got Infinity\)/, 'ignored'],
    ['e=2:lr:5:1000', 'e', /lr must be a number greater than 0 and at most 100 \(got 1000\)/, 'ignored'],
    ['e=2:lr:5:NaN', 'e', /the value must be a number \(got "NaN"\)/, 'ignored'],
    ['e=9:lr:5:0.1', 'e', /there is no run 9 in this experiment/, 'ignored'],
    ['e=2:lr:5', 'e', /must look like RUN:KNOB:STEP:VALUE/, 'ignored'],
    ['page=home', 'page', /must be lab, theory or sequences \(got "home"\)/, '"lab"'],
    ['at=-5', 'at', /must be a step, an integer between 0 and 100000 \(got -5\)/, '0'],
    ['speed=0', 'speed', /must be auto or an integer between 1 and 64 \(got 0\)/, '4'],
    ['hidden=2,9', 'hidden', /^9: no such run in this experiment; ignored$/, 'B'],
    ['hidden=2,x', 'hidden', /"x" is not a run index/, 'B'],
    ['epoch=3', 'epoch', /run 3: no such run/, 'none'],
    ['hide=setup,bogus', 'hide', /cannot hide "bogus"; the parts a link can hide are setup, charts/, 'setup'],
    ['present=maybe', 'present', /must be 1 or 0 \(got "maybe"\)/, 'false'],
    ['backend=metal', 'backend', /must be one of webgpu, webgl, wasm, cpu \(got "metal"\)/, 'none'],
    ['foo=1', 'foo', /^unknown key; ignored$/, 'ignored'],
    ['__proto__=1', '__proto__', /^unknown key; ignored$/, 'ignored'],
    ['constructor=1', 'constructor', /^unknown key; ignored$/, 'ignored'],
    ['preset=nope', 'preset', /no preset is named "nope"/, 'the built-in defaults'],
  ])('%s', (bad, key, message, usedInstead) => {
    const decoded = decodeExperimentUrl(`${base}&${bad}`);
    expect(decoded.problems).toHaveLength(1);
    expect(decoded.problems[0]).toMatchObject({ key, usedInstead });
    expect(decoded.problems[0].message).toMatch(message);
    expect(decoded.config).toEqual(baseConfig);
  });

  it('a repeated key: the first value is used and the repetition reported', () => {
    const decoded = decodeExperimentUrl(`${base}&seed=2&seed=3`);
    expect(decoded.config.seed).toBe(2);
    expect(decoded.problems).toEqual([{ key: 'seed', message: 'is given 2 times; the first value was used', usedInstead: 'the first, "2"' }]);
  });

  it('a cross-field error drops the key that caused it and keeps the other', () => {
    const decoded = decodeExperimentUrl(`${base}&r2.S=100000&r2.N=20`);
    expect(decoded.problems).toEqual([{ key: 'r2.S', message: 'S·N = 2000000 samples per epoch is more than the 1000000 this lab allows', usedInstead: '10' }]);
    expect(decoded.config.runs[1]).toEqual({ name: 'B', objective: 'reinforce', N: 20 });
  });

  it('a bad objective or name of a preset\'s run keeps the preset\'s', () => {
    const decoded = decodeExperimentUrl('preset=f1-r1&r1=grpo&r2.name=');
    expect(decoded.config).toEqual(presetConfig('f1-r1'));
    expect(decoded.problems).toEqual([
      { key: 'r1', message: expect.stringMatching(/^unknown objective "grpo"; allowed: sft, /), usedInstead: '"best-of-n"' },
      { key: 'r2.name', message: 'must be a name of 1 to 60 characters (got "")', usedInstead: '"offline IPO"' },
    ]);
  });

  it('two runs of the same name: the name the link gave is dropped, and the run is named after its objective', () => {
    const decoded = decodeExperimentUrl('r1=ipo&r1.name=A&r2=reinforce&r2.name=A');
    expect(decoded.config.runs.map((r) => r.name)).toEqual(['A', 'REINFORCE']);
    expect(decoded.problems).toEqual([{ key: 'r2.name', message: '"A" is used by two runs; names must be unique', usedInstead: '"REINFORCE"' }]);
  });

  it('names a renamed preset run when it clashes with another run of the preset', () => {
    const decoded = decodeExperimentUrl('preset=f1-r1&r1.name=offline IPO');
    expect(decoded.config).toEqual(presetConfig('f1-r1'));
    expect(decoded.problems.map((p) => p.key)).toEqual(['r1.name']);
  });

  it('drops the edits of a run that was left out', () => {
    const decoded = decodeExperimentUrl(`${base}&r3=grpo&e=3:lr:5:0.1&e=2:lr:5:0.1`);
    expect(decoded.config.edits).toEqual([{ run: 'B', step: 5, key: 'lr', value: 0.1 }]);
    expect(decoded.problems.map((p) => p.key)).toEqual(['r3', 'e']);
  });

  it('a link with no valid run opens the default experiment and says so', () => {
    for (const query of ['seed=3&lr=0.1', 'r1=grpo', 'preset=nope', 'r1.lr=0.1']) {
      const decoded = decodeExperimentUrl(query);
      expect(decoded.config, query).toEqual(defaultConfig());
      expect(decoded.preset).toBe(DEFAULT_PRESET_NAME);
      expect(decoded.problems.at(-1), query).toEqual({ key: '(link)', message: 'has no valid run left (each run needs r1=<objective>, r2=…)', usedInstead: 'the default experiment (preset f1-r1)' });
    }
  });
});

describe('hostile links: never a throw, never a hang, never a polluted prototype', () => {
  const valid = (decoded: DecodedUrl) => expect(parseExperimentConfig(decoded.config).ok).toBe(true);

  it('a link cut off anywhere still opens a valid experiment', () => {
    const query = encodeExperimentUrl(config({ name: 'n & m', seed: 9, reference: { kind: 'cauchy-tanh', bins: 20 }, reward: { kind: 'custom', values: Array.from({ length: 20 }, (_, i) => i / 19) }, runs: [{ name: 'x y', objective: 'ipo', N: 3 }, { name: 'z', objective: 'dpo', lr: 0.3 }], edits: [{ run: 'z', step: 9, key: 'lr', value: 0.01 }] }), { hidden: ['z'], at: 4 });
    for (let end = 0; end <= query.length; end++) valid(decodeExperimentUrl(query.slice(0, end)));
  });

  it('malformed percent-escapes', () => {
    const decoded = decodeExperimentUrl('r1=ipo&r1.name=%E0%A4%A&r2=%ZZ&%=%&r3=reinforce&r3.name=%F0%9F%98');
    valid(decoded);
    expect(decoded.config.runs.map((r) => r.objective)).toEqual(['ipo', 'reinforce']);
  });

  it('a query over MAX_URL_LENGTH, and a 5 MB string, are refused as a whole at once', () => {
    for (const input of [`r1=ipo&name=${'x'.repeat(MAX_URL_LENGTH)}`, 'a'.repeat(5_000_000), `https://x/?${'r1=ipo&'.repeat(800_000)}`]) {
      const started = performance.now();
      const decoded = decodeExperimentUrl(input);
      expect(performance.now() - started).toBeLessThan(1500);
      expect(decoded.config).toEqual(defaultConfig());
      expect(decoded.problems).toHaveLength(1);
      expect(decoded.problems[0]).toMatchObject({ key: '(link)', message: expect.stringMatching(/characters long; a link may have at most 200000$/) });
    }
  });

  it('10,000 repeated keys: one problem each, linear time, and the problem list stays short', () => {
    let started = performance.now();
    const repeated = decodeExperimentUrl(`r1=ipo&${'lr=0.1&'.repeat(10_000)}`);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(repeated.problems).toEqual([{ key: 'lr', message: 'is given 10000 times; the first value was used', usedInstead: 'the first, "0.1"' }]);
    started = performance.now();
    const unknown = decodeExperimentUrl(Array.from({ length: 10_000 }, (_, i) => `k${i}=1`).join('&'));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(unknown.problems).toHaveLength(100);
    expect(unknown.problems.at(-1)).toMatchObject({ message: 'and 9901 more problems' });
    started = performance.now();
    const edits = decodeExperimentUrl(`r1=ipo&${Array.from({ length: 10_000 }, (_, i) => `e=1:lr:${i}:0.01`).join('&')}`);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(edits.config.edits).toHaveLength(1500);
  });

  it('huge and non-finite numbers are refused by the schema', () => {
    const decoded = decodeExperimentUrl(`r1=ipo&steps=${'9'.repeat(400)}&lr=1e308&r1.T=-0&N=NaN`);
    valid(decoded);
    expect(decoded.problems.map((p) => p.key)).toEqual(['steps', 'lr', 'r1.T', 'N']);
  });

  it('__proto__ and constructor keys pollute nothing, in either form', () => {
    const compact = LZString.compressToEncodedURIComponent(
      '{"__proto__":{"polluted":1},"config":{"__proto__":{"polluted":1},"defaults":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}},"runs":[{"name":"__proto__","objective":"ipo","__proto__":{"polluted":1}}]},"view":{"__proto__":{"polluted":1},"hidden":["__proto__"]}}',
    );
    for (const query of [
      '__proto__[polluted]=1&constructor[prototype][polluted]=1&__proto__.polluted=1&r1=ipo&r1.__proto__=1&r1.constructor=1&r1.name=__proto__&hidden=1',
      `v=1&z=${compact}`,
    ]) {
      const decoded = decodeExperimentUrl(query);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(decoded.config.runs).toEqual([{ name: '__proto__', objective: 'ipo' }]);
      expect(Object.getPrototypeOf(decoded.config.runs[0])).toBe(Object.prototype);
      expect(decoded.view.hidden).toEqual(['__proto__']);
    }
  });

  it('a non-string input is an empty link', () => {
    expect(decodeExperimentUrl(undefined as unknown as string).config).toEqual(defaultConfig());
  });
});

describe('looksLikeExperimentUrl', () => {
  it('tells links and queries from file paths', () => {
    for (const yes of ['https://example.org/lab/?v=1&preset=f1-r1', 'http://localhost:5173/?r1=ipo', '?v=1', 'v=1&r1=ipo', 'r1=ipo', 'preset=f1-r1', 'lr=0.1&r1=ipo', 'z=abc']) {
      expect(looksLikeExperimentUrl(yes), yes).toBe(true);
    }
    for (const no of ['config.json', './configs/f1.json', '/tmp/a=b.json', 'C:\\lab\\x.json', 'https://example.org/lab/', 'nonsense=1', '']) {
      expect(looksLikeExperimentUrl(no), no).toBe(false);
    }
  });
});

describe('migrations', () => {
  const renameLearningRate: UrlMigration = {
    from: 0,
    description: 'r<i>.learning_rate became r<i>.lr',
    migrate: (entries) => entries.map(([key, value]) => [key.replace(/\.learning_rate$/, '.lr'), value] as const),
  };
  const addSuffix = (from: number): UrlMigration => ({ from, description: 'test', migrate: (entries) => entries.map(([k, v]) => [k, `${v}+${from}`] as const) });

  it('the real list is a gapless chain that ends at the current version', () => {
    expect(URL_VERSION).toBe(1);
    expect(checkMigrationChain(URL_MIGRATIONS, URL_VERSION)).toEqual([]);
  });

  it('runs the steps in order from the link\'s version to the current one, and stops where a step is missing', () => {
    const steps = [addSuffix(1), addSuffix(2), addSuffix(3)];
    expect(migrateUrlEntries([['a', 'x']], 1, 4, steps)).toEqual({ entries: [['a', 'x+1+2+3']], version: 4 });
    expect(migrateUrlEntries([['a', 'x']], 2, 4, steps)).toEqual({ entries: [['a', 'x+2+3']], version: 4 });
    expect(migrateUrlEntries([['a', 'x']], 4, 4, steps)).toEqual({ entries: [['a', 'x']], version: 4 });
    expect(migrateUrlEntries([['a', 'x']], 0, 4, steps)).toEqual({ entries: [['a', 'x']], version: 0 });
    expect(checkMigrationChain([addSuffix(1), addSuffix(3)], 4)).toHaveLength(1);
    expect(checkMigrationChain(steps, 5)).toHaveLength(1);
  });

  describe('through the decoder', () => {
    afterEach(() => {
      vi.doUnmock('../src/lab/config/url-migrations.ts');
      vi.resetModules();
    });

    it('an old link is migrated before its keys are read', async () => {
      vi.resetModules();
      vi.doMock('../src/lab/config/url-migrations.ts', async (importOriginal) => ({
        ...(await importOriginal<typeof import('../src/lab/config/url-migrations.ts')>()),
        URL_MIGRATIONS: [renameLearningRate],
      }));
      const codec = await import('../src/lab/config/url-codec.ts');
      const decoded = codec.decodeExperimentUrl('v=0&r1=ipo&r1.name=a&r1.learning_rate=0.5');
      expect(decoded.problems).toEqual([]);
      expect(decoded.config.runs).toEqual([{ name: 'a', objective: 'ipo', lr: 0.5 }]);
    });

    it('without a step for its version, the link is read as it is and the version reported', () => {
      const decoded = decodeExperimentUrl('v=0&r1=ipo&r1.name=a&r1.learning_rate=0.5');
      expect(decoded.config.runs).toEqual([{ name: 'a', objective: 'ipo' }]);
      expect(decoded.problems.map((p) => [p.key, p.message])).toEqual([
        ['v', 'link format 0 is unknown'],
        ['r1.learning_rate', 'unknown key; ignored'],
      ]);
    });
  });
});

interface UrlFixture {
  title: string;
  url: string;
  config: ExperimentConfig;
  view: UrlView;
  preset: string | null;
}

describe('links of format version 1 (tests/fixtures/url-v1.json)', () => {
  // These links must keep opening to the same experiment after every future schema change. When a change
  // breaks one, do not regenerate the file: add a migration step (src/lab/config/url-migrations.ts).
  const fixtures = JSON.parse(readFileSync('tests/fixtures/url-v1.json', 'utf8')) as UrlFixture[];

  it('covers every kind of link', () => {
    const titles = fixtures.map((f) => f.title).join('\n');
    for (const kind of [/preset form/, /full form/, /custom reward/, /custom π_ref/, /live edits/, /compact form/, /special characters/, /every view key/]) expect(titles).toMatch(kind);
    expect(fixtures.some((f) => f.url.includes('z='))).toBe(true);
    expect(fixtures.some((f) => f.url.includes('e=') && f.config.edits.length >= 2)).toBe(true);
  });

  it.each(fixtures.map((f) => [f.title, f] as const))('%s', (_, fixture) => {
    const decoded = decodeExperimentUrl(fixture.url);
    expect(decoded.problems).toEqual([]);
    expect(decoded.config).toEqual(fixture.config);
    expect(decoded.view).toEqual(fixture.view);
    expect(decoded.preset).toBe(fixture.preset);
  });
});

describe('the codec is framework-free', () => {
  it('imports nothing from the app, the worker or the CLI, and touches no DOM', () => {
    for (const file of ['src/lab/config/url-codec.ts', 'src/lab/config/url-migrations.ts']) {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((spec) => /\/(app|worker|cli)\/|^react|^zustand/.test(spec)), file).toEqual([]);
      expect(text).not.toMatch(/\b(document|window|location|history)\./);
    }
  });
});
