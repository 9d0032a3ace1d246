/** The JSON bundle: it round-trips exactly, and a bad one gets a message naming what is wrong (never an exception). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBundle, bundleJson, MAX_BUNDLE_BYTES, parseBundle, type LabBundle } from '../../src/app/export/bundle.ts';
import { readBundleFile } from '../../src/app/export/import-bundle.ts';
import { parseExperimentConfigOrThrow } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { version } from '../../package.json';
import { exportAfter } from './exported-runs.ts';

const F1 = parseExperimentConfigOrThrow({ ...findPreset('f1-r1')!.config, seed: 7, edits: [{ run: 'REINFORCE', step: 20, key: 'lr', value: 0.2 }] });
const DIVERGING = parseExperimentConfigOrThrow({
  name: 'one blows up',
  runs: [
    { name: 'boom', objective: 'rwr', optimizer: 'sgd', lr: 100, rwrTemperature: 0.001, steps: 50 },
    { name: 'calm', objective: 'reinforce', steps: 50 },
  ],
});

function bundleOf(config = F1, steps = 45): LabBundle {
  return buildBundle({ config, runs: exportAfter(config, steps), url: 'https://example.org/lab?x=1', createdAt: new Date('2024-05-01T12:00:00Z') });
}

/** the bundle's JSON, edited */
function edited(change: (json: Record<string, unknown>) => void, bundle = bundleOf()): string {
  const json = JSON.parse(bundleJson(bundle)) as Record<string, unknown>;
  change(json);
  return JSON.stringify(json);
}

function messageOf(text: string): string {
  const result = parseBundle(text);
  if (result.ok) throw new Error('expected the bundle to be refused');
  return result.message;
}

describe('the bundle', () => {
  it('records the format, versions, engine, backend, seed, link and time', () => {
    const bundle = bundleOf();
    expect(bundle).toMatchObject({
      format: 'mode-lab-bundle',
      bundleVersion: 1,
      appVersion: version,
      createdAt: '2024-05-01T12:00:00.000Z',
      engine: 'tabular',
      backend: 'typed arrays (worker)',
      seed: 7,
      url: 'https://example.org/lab?x=1',
    });
    expect(bundle.runs.map((r) => r.name)).toEqual(F1.runs.map((r) => r.name));
    expect(Object.keys(bundle.runs[0]).sort()).toEqual(['columns', 'finalProbs', 'name', 'rows']);
  });

  it('round-trips: build → JSON → parseBundle gives the same config (with its edit log) and exactly the same rows', () => {
    const bundle = bundleOf();
    const result = parseBundle(bundleJson(bundle));
    if (!result.ok) throw new Error(result.message);
    expect(result.bundle.config).toEqual(F1);
    expect(result.bundle.config.edits).toEqual([{ run: 'REINFORCE', step: 20, key: 'lr', value: 0.2 }]);
    expect(result.bundle.runs).toEqual(bundle.runs);
    expect(result.bundle).toEqual(bundle);
    // NaN (the first row's loss) survives JSON, which has no NaN
    expect(Number.isNaN(result.bundle.runs[0].rows[0][6])).toBe(true);
  });

  it('round-trips a diverged run (no final distribution) and infinite values', () => {
    const bundle = bundleOf(DIVERGING, 5);
    expect(bundle.runs[0].finalProbs).toBeNull();
    bundle.runs[1].rows[2][3] = Infinity;
    bundle.runs[1].rows[3][3] = -Infinity;
    const result = parseBundle(bundleJson(bundle));
    if (!result.ok) throw new Error(result.message);
    expect(result.bundle.runs).toEqual(bundle.runs);
    expect(result.bundle.runs[1].rows[2][3]).toBe(Infinity);
  });

  it('leaves out the link when there is none', () => {
    const bundle = buildBundle({ config: F1, runs: exportAfter(F1, 1) });
    expect('url' in bundle).toBe(false);
    const result = parseBundle(bundleJson(bundle));
    expect(result.ok && 'url' in result.bundle).toBe(false);
  });
});

describe('parseBundle refuses a bad bundle with a message naming the problem', () => {
  it('not JSON', () => {
    expect(messageOf('{"format": "mode-lab-bundle",')).toMatch(/^this file is not JSON \(.+\), so it is not a Mode Lab bundle$/);
    expect(messageOf('')).toMatch(/not JSON/);
    expect(messageOf('<svg></svg>')).toMatch(/not JSON/);
  });

  it('JSON that is not an object', () => {
    expect(messageOf('[1, 2]')).toBe('a Mode Lab bundle is a JSON object, but this file holds an array');
    expect(messageOf('42')).toBe('a Mode Lab bundle is a JSON object, but this file holds 42');
    expect(messageOf('null')).toBe('a Mode Lab bundle is a JSON object, but this file holds null');
  });

  it('the wrong format tag, or none', () => {
    expect(messageOf(edited((j) => (j.format = 'some-other-app')))).toBe('this is not a Mode Lab bundle: its "format" is "some-other-app", not "mode-lab-bundle"');
    expect(messageOf(edited((j) => delete j.format))).toBe('this is not a Mode Lab bundle: its "format" is missing, not "mode-lab-bundle"');
    expect(messageOf(JSON.stringify({ version: 1, runs: [] }))).toMatch(/not a Mode Lab bundle/);
  });

  it('a bundle version from the future, or a nonsense one', () => {
    expect(messageOf(edited((j) => (j.bundleVersion = 2)))).toBe('bundleVersion 2 was written by a newer Mode Lab; this one reads version 1');
    expect(messageOf(edited((j) => (j.bundleVersion = '1')))).toBe('bundleVersion must be 1 (got "1")');
  });

  it('an invalid config, naming the field', () => {
    const lr = messageOf(edited((j) => ((j.config as { runs: Array<Record<string, unknown>> }).runs[2].lr = -1)));
    expect(lr).toMatch(/^the bundle's experiment is not valid: config\.runs\[2\]\.lr: must be a number greater than 0 and at most 100 \(got -1\)$/);
    const objective = messageOf(edited((j) => ((j.config as { runs: Array<Record<string, unknown>> }).runs[0].objective = 'magic')));
    expect(objective).toMatch(/config\.runs\[0\]\.objective: unknown objective "magic"/);
    expect(messageOf(edited((j) => delete j.config))).toBe('config: missing; a bundle holds the experiment it restores');
    expect(messageOf(edited((j) => (j.config = 'F1')))).toMatch(/^the bundle's experiment is not valid: config: /);
  });

  it('a file over the size limit, before reading it', async () => {
    const huge = `{"format":"mode-lab-bundle","pad":"${'x'.repeat(MAX_BUNDLE_BYTES)}"}`;
    expect(messageOf(huge)).toBe('the file is 64 MiB; bundles larger than 64 MiB are refused');
    let read = false;
    const file = { size: 200 * 1024 * 1024, text: async () => ((read = true), '') } as unknown as Blob;
    expect(await readBundleFile(file)).toEqual({ ok: false, message: 'the file is 200 MiB; bundles larger than 64 MiB are refused' });
    expect(read).toBe(false);
  });

  it('envelope fields of the wrong kind', () => {
    expect(messageOf(edited((j) => (j.engine = 'mlp')))).toBe('engine: must be "tabular", the only engine this lab has (got "mlp")');
    expect(messageOf(edited((j) => (j.createdAt = 'yesterday')))).toBe('createdAt: must be a date and time (ISO 8601)');
    expect(messageOf(edited((j) => delete j.appVersion))).toMatch(/^appVersion: must be the version of the app/);
    expect(messageOf(edited((j) => (j.runs = 'all of them')))).toBe('runs: must be a list of runs');
  });

  it('runs that do not match the config, and bad cells, named by their place', () => {
    type Runs = Array<{ name: string; rows: unknown[][]; columns: string[]; finalProbs: unknown[] | null }>;
    const runs = (j: Record<string, unknown>) => j.runs as Runs;
    expect(messageOf(edited((j) => (j.seed = 8)))).toBe("seed: 8 differs from the config's seed (7)");
    expect(messageOf(edited((j) => runs(j).pop()))).toBe('runs: the bundle has 4 run(s) but its config has 5');
    expect(messageOf(edited((j) => (runs(j)[1].name = 'someone else')))).toBe('runs[1].name: "someone else" is not the config\'s run 2 ("offline IPO")');
    expect(messageOf(edited((j) => runs(j)[0].rows[3].pop()))).toBe('runs[0].rows[3]: has 14 values but there are 15 columns');
    expect(messageOf(edited((j) => (runs(j)[0].rows[0][2] = 'lots')))).toBe('runs[0].rows[0][2]: must be a number, null (not a number) or "Infinity"/"-Infinity" (got "lots")');
    expect(messageOf(edited((j) => runs(j)[4].finalProbs!.pop()))).toBe('runs[4].finalProbs: has 99 probabilities but the experiment has 100 bins');
    expect(messageOf(edited((j) => (runs(j)[0].columns = ['step', 'step'])))).toBe('runs[0].columns: a metric is named twice');
  });

  it('never throws, whatever the text', () => {
    const valid = bundleJson(bundleOf(DIVERGING, 3));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        const result = parseBundle(text);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    // cuts and single-character damage of a real bundle
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.string({ maxLength: 3 }), (at, junk) => {
        for (const text of [valid.slice(0, at), valid.slice(0, at) + junk + valid.slice(at + 1)]) {
          const result = parseBundle(text);
          if (!result.ok) expect(result.message).toMatch(/\S/);
        }
      }),
      { numRuns: 300 },
    );
    expect(parseBundle('['.repeat(200_000)).ok).toBe(false);
    expect(parseBundle(`${'['.repeat(100_000)}${']'.repeat(100_000)}`).ok).toBe(false);
    expect(parseBundle(undefined as unknown as string)).toEqual({ ok: false, message: 'the bundle must be text' });
  });
});
