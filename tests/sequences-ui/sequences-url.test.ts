/**
 * The Sequences page's part of a link (keys `seq`, `seq.seed`, `seq.quick`, `seq.hidden`): read key by key with
 * a message for each bad value while the rest applies, written with defaults left out, in the readable and the
 * compact form; tests/fixtures/url-sequences-v1.json keeps today's links opening as they do. Then the way from
 * a link to the page and back (src/app/url/sequences-link.ts): opening a link leaves its choice for the page,
 * and the address bar carries the page's choice only while the page shown is Sequences.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openOptionsOf, sequencesUrlView } from '../../src/app/sequences/sequences-url.ts';
import { QUICK_LOOK } from '../../src/app/sequences/sequences-store.ts';
import { experimentFromQuery } from '../../src/app/url/open-link.ts';
import { leaveSequencesPage, requestedSequencesView, requestSequencesView, sequencesViewForUrl, showSequencesView } from '../../src/app/url/sequences-link.ts';
import { followInUrl } from '../../src/app/url/url-sync.ts';
import { parseExperimentConfigOrThrow } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { decodeExperimentUrl, encodeExperimentUrl, sequencesPresetRuns, type SequencesUrlView } from '../../src/lab/config/url-codec.ts';
import { createTestStore } from '../helpers/in-process-worker.ts';

const F1 = parseExperimentConfigOrThrow(findPreset('f1-r1')!.config);
const MIN_LENGTH_RUNS = ['On-policy DPO', 'Offline DPO', 'PPO', 'On-policy RWR'];

const open = (query: string) => decodeExperimentUrl(query);

afterEach(() => {
  leaveSequencesPage();
  requestSequencesView(null);
});

describe('reading the Sequences keys', () => {
  it('restores the comparison, the seed, the quick look and the hidden runs, beside the lab’s backend', () => {
    const decoded = open('v=1&page=sequences&backend=wasm&seq=min-length-comparison&seq.seed=3&seq.quick=1&seq.hidden=2,4');
    expect(decoded.problems).toEqual([]);
    expect(decoded.view.page).toBe('sequences');
    expect(decoded.view.backend).toBe('wasm');
    expect(decoded.view.sequences).toEqual({ preset: 'min-length-comparison', seed: 3, quick: 'look', hidden: ['Offline DPO', 'On-policy RWR'] });
    expect(sequencesPresetRuns('min-length-comparison')).toEqual(MIN_LENGTH_RUNS);
  });

  it('a link without them has no Sequences part; the lab’s experiment is untouched by them', () => {
    expect(open('v=1&page=sequences').view.sequences).toBeUndefined();
    const withKeys = open('v=1&preset=f1-r2&seq=mode-length-comparison&seq.seed=9');
    const without = open('v=1&preset=f1-r2');
    expect(withKeys.config).toEqual(without.config);
    expect(withKeys.preset).toBe('f1-r2');
    expect(withKeys.view.sequences).toEqual({ preset: 'mode-length-comparison', seed: 9, quick: null, hidden: [] });
  });

  it.each([
    ['seq=nope', 'seq', /^no Sequences comparison is named "nope"; the comparisons are official-transformer-best-of-n, .*min-length-comparison/, '"official-onpolicy-transformer-best-of-n"'],
    ['seq.seed=-1', 'seq.seed', /^must be a seed, a whole number from 0 to 2147483647 \(got -1\)$/, "the comparison's own seed, 1"],
    ['seq.seed=2147483648', 'seq.seed', /whole number from 0 to 2147483647 \(got 2147483648\)/, "the comparison's own seed, 1"],
    ['seq.seed=1.5', 'seq.seed', /whole number .*\(got 1\.5\)/, "the comparison's own seed, 1"],
    ['seq.seed=abc', 'seq.seed', /whole number .*\(got "abc"\)/, "the comparison's own seed, 1"],
    ['seq.quick=2', 'seq.quick', /^must be 1 \(Quick look\), 0 \(none\) or STEP_FACTOR:SFT_STEPS.*\(got "2"\)$/, 'no quick look (the comparison as specified)'],
    ['seq.quick=0:4', 'seq.quick', /step factor above 0 and at most 1 .*\(got 0:4\)/, 'no quick look (the comparison as specified)'],
    ['seq.quick=1.5:4', 'seq.quick', /\(got 1\.5:4\)/, 'no quick look (the comparison as specified)'],
    ['seq.quick=0.1:0', 'seq.quick', /SFT steps from 1 to 100000.*\(got 0\.1:0\)/, 'no quick look (the comparison as specified)'],
    ['seq.quick=0.1:2.5', 'seq.quick', /\(got 0\.1:2\.5\)/, 'no quick look (the comparison as specified)'],
  ])('%s is refused with a clear message, and what is used instead', (query, key, message, usedInstead) => {
    const decoded = open(`v=1&page=sequences&${query}`);
    expect(decoded.problems).toHaveLength(1);
    expect(decoded.problems[0].key).toBe(key);
    expect(decoded.problems[0].message).toMatch(message);
    expect(decoded.problems[0].usedInstead).toBe(usedInstead);
  });

  it('a bad key leaves the others applied', () => {
    const decoded = open('v=1&page=sequences&seq=min-length-comparison&seq.seed=99999999999&seq.quick=1&seq.hidden=3');
    expect(decoded.problems.map((p) => p.key)).toEqual(['seq.seed']);
    expect(decoded.view.sequences).toEqual({ preset: 'min-length-comparison', seed: 1, quick: 'look', hidden: ['PPO'] });
    // an unknown comparison: the default one, with the link's seed
    const unknown = open('v=1&page=sequences&seq=nope&seq.seed=4');
    expect(unknown.problems.map((p) => p.key)).toEqual(['seq']);
    expect(unknown.view.sequences).toEqual({ preset: 'official-onpolicy-transformer-best-of-n', seed: 4, quick: null, hidden: [] });
  });

  it('hidden runs are checked against the comparison’s runs; the rest are hidden', () => {
    const decoded = open('v=1&page=sequences&seq=min-length-comparison&seq.hidden=2,9,x,4');
    expect(decoded.view.sequences?.hidden).toEqual(['Offline DPO', 'On-policy RWR']);
    expect(decoded.problems).toHaveLength(1);
    expect(decoded.problems[0]).toMatchObject({ key: 'seq.hidden', message: '9, "x": no such run in min-length-comparison (its runs are 1 to 4); ignored', usedInstead: 'ignored' });
    // the official scripts have one run
    expect(open('v=1&seq=official-transformer-ipo&seq.hidden=2').problems[0].message).toMatch(/its runs are 1 to 1/);
  });

  it('a repeated key: the first value, said so', () => {
    const decoded = open('v=1&seq=min-length-comparison&seq=mode-length-comparison');
    expect(decoded.view.sequences?.preset).toBe('min-length-comparison');
    expect(decoded.problems.map((p) => [p.key, p.message])).toEqual([['seq', 'is given 2 times; the first value was used']]);
  });
});

describe('writing the Sequences keys', () => {
  const view = (sequences: SequencesUrlView) => ({ page: 'sequences' as const, sequences });

  it('writes the comparison always, and the seed only when it is not the comparison’s own', () => {
    expect(encodeExperimentUrl(F1, view({ preset: 'min-length-comparison', seed: 1, quick: null, hidden: [] }), { preset: 'f1-r1' })).toBe(
      'v=1&preset=f1-r1&page=sequences&seq=min-length-comparison',
    );
    expect(encodeExperimentUrl(F1, view({ preset: 'official-transformer-ipo', seed: 1, quick: 'look', hidden: ['Offline IPO (official transformer script)'] }), { preset: 'f1-r1' })).toBe(
      'v=1&preset=f1-r1&page=sequences&seq=official-transformer-ipo&seq.seed=1&seq.quick=1&seq.hidden=1',
    );
    expect(encodeExperimentUrl(F1, { page: 'sequences' }, { preset: 'f1-r1' })).toBe('v=1&preset=f1-r1&page=sequences');
  });

  it.each<SequencesUrlView>([
    { preset: 'min-length-comparison', seed: 3, quick: 'look', hidden: ['Offline DPO', 'On-policy RWR'] },
    { preset: 'skew-length-comparison', seed: 0, quick: { stepFactor: 0.004, sftSteps: 2 }, hidden: [] },
    { preset: 'official-onpolicy-transformer-ipo', seed: 2147483647, quick: null, hidden: ['On-policy IPO (official transformer script)'] },
  ])('comes back as it was: %j', (sequences) => {
    const decoded = open(encodeExperimentUrl(F1, view(sequences), { preset: 'f1-r1' }));
    expect(decoded.problems).toEqual([]);
    expect(decoded.view.sequences).toEqual(sequences);
  });

  it('in the compact form too (a long experiment is written as z=)', () => {
    const pattern = [0.1234567890123, 0.2345678901234, 0.3456789012345, 0.4567890123456];
    const long = { ...F1, reward: { kind: 'custom' as const, values: Array.from({ length: 100 }, (_, i) => pattern[i % 4]) }, reference: { kind: 'custom' as const, values: Array.from({ length: 100 }, (_, i) => pattern[(i + 1) % 4]) } };
    const sequences: SequencesUrlView = { preset: 'mode-length-comparison', seed: 12, quick: { stepFactor: 0.01, sftSteps: 4 }, hidden: ['PPO'] };
    const query = encodeExperimentUrl(long, view(sequences));
    expect(query).toMatch(/^v=1&z=/);
    const decoded = open(query);
    expect(decoded.problems).toEqual([]);
    expect(decoded.config.reward).toEqual(long.reward);
    expect(decoded.config.reference).toEqual(long.reference);
    expect(decoded.view.sequences).toEqual(sequences);
  });

  it('hidden runs are written in run order, names that are not runs of the comparison left out', () => {
    const query = encodeExperimentUrl(F1, view({ preset: 'min-length-comparison', seed: 1, quick: null, hidden: ['On-policy RWR', 'nobody', 'On-policy DPO'] }), { preset: 'f1-r1' });
    expect(query).toMatch(/&seq\.hidden=1,4$/);
  });
});

describe('links of tests/fixtures/url-sequences-v1.json', () => {
  const fixtures = JSON.parse(readFileSync('tests/fixtures/url-sequences-v1.json', 'utf8')) as Array<{ title: string; url: string; sequences: SequencesUrlView | null; backend: string | null }>;
  it.each(fixtures.map((f) => [f.title, f] as const))('%s', (_, fixture) => {
    const decoded = open(fixture.url);
    expect(decoded.problems).toEqual([]);
    expect(decoded.view.sequences ?? null).toEqual(fixture.sequences);
    expect(decoded.view.backend).toBe(fixture.backend);
    expect(decoded.view.page).toBe('sequences');
    // and the link written for it opens the same again
    const again = open(encodeExperimentUrl(decoded.config, decoded.view, { preset: decoded.preset }));
    expect(again.view.sequences ?? null).toEqual(fixture.sequences);
  });
});

describe('between a link and the page', () => {
  it('the page’s state as a link writes it, and back to what the store opens', () => {
    const state = { preset: 'min-length-comparison', seed: 3, quick: true, shrink: { ...QUICK_LOOK }, hidden: ['PPO'] };
    expect(sequencesUrlView(state)).toEqual({ preset: 'min-length-comparison', seed: 3, quick: 'look', hidden: ['PPO'] });
    expect(sequencesUrlView({ ...state, shrink: { stepFactor: 0.004, sftSteps: 2 } }).quick).toEqual({ stepFactor: 0.004, sftSteps: 2 });
    expect(sequencesUrlView({ ...state, quick: false }).quick).toBeNull();
    expect(openOptionsOf({ preset: 'min-length-comparison', seed: 3, quick: { stepFactor: 0.004, sftSteps: 2 }, hidden: ['PPO'] }, 'webgpu')).toEqual({
      seed: 3,
      quick: true,
      shrink: { stepFactor: 0.004, sftSteps: 2 },
      hidden: ['PPO'],
      backend: 'webgpu',
    });
    expect(openOptionsOf({ preset: 'min-length-comparison', seed: 3, quick: null, hidden: [] }, null)).toMatchObject({ quick: false, shrink: QUICK_LOOK });
  });

  it('opening a link leaves its Sequences part for the page; a link without one leaves none', () => {
    experimentFromQuery('?v=1&page=sequences&seq=mode-length-comparison&seq.seed=5');
    expect(requestedSequencesView()).toEqual({ preset: 'mode-length-comparison', seed: 5, quick: null, hidden: [] });
    experimentFromQuery('?v=1&preset=f1-r2');
    expect(requestedSequencesView()).toBeNull();
    experimentFromQuery('');
    expect(requestedSequencesView()).toBeNull();
  });

  it('the address bar carries the page’s choice while the page is Sequences, the link’s until the page has mounted', () => {
    const { store } = createTestStore(F1);
    const writes: string[] = [];
    const due: Array<() => void> = [];
    const following = followInUrl(store, { write: (q) => writes.push(q), push: (q) => writes.push(q), schedule: (callback) => due.push(callback) });
    const runDue = () => due.splice(0).forEach((f) => f());
    const lastSequences = () => decodeExperimentUrl(writes.at(-1)!).view.sequences ?? null;
    // a link to the page, not yet mounted
    requestSequencesView({ preset: 'min-length-comparison', seed: 2, quick: 'look', hidden: [] });
    store.getState().setPage('sequences');
    runDue();
    expect(lastSequences()).toEqual({ preset: 'min-length-comparison', seed: 2, quick: 'look', hidden: [] });
    // the page shows its choice: the address bar follows
    showSequencesView({ preset: 'min-length-comparison', seed: 2, quick: 'look', hidden: ['PPO'] });
    runDue();
    expect(lastSequences()?.hidden).toEqual(['PPO']);
    // on the lab page no Sequences key is written
    store.getState().setPage('lab');
    runDue();
    expect(writes.at(-1)).not.toMatch(/seq/);
    // leaving the page keeps its choice for the next visit
    leaveSequencesPage();
    expect(sequencesViewForUrl()).toEqual({ preset: 'min-length-comparison', seed: 2, quick: 'look', hidden: ['PPO'] });
    store.getState().setPage('sequences');
    runDue();
    expect(lastSequences()?.hidden).toEqual(['PPO']);
    following.stop();
  });
});
