// @vitest-environment happy-dom
/** The Export dialog against a real store and the in-process worker: files, import and the official command. */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/app/export/bundle.ts';
import { ExportMenu } from '../../src/app/components/ExportMenu.tsx';
import { StatusBanners } from '../../src/app/components/StatusBanners.tsx';
import { parseExperimentConfigOrThrow } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { METRIC_KEYS } from '../../src/lab/metrics.ts';
import { runExperiment } from '../../src/lab/run-experiment.ts';
import { config, F1, makeLab, renderWithStore } from '../helpers/render-lab.tsx';
import { captureDownloads, type Download } from './capture-downloads.ts';
import { csvValue, parseCsv } from './csv-parser.ts';

let capture: ReturnType<typeof captureDownloads>;
beforeEach(() => {
  capture = captureDownloads();
});
afterEach(() => {
  capture.restore();
  cleanup();
});

async function openMenu(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Export' }));
  return within(screen.getByRole('dialog', { name: 'Export and import' }));
}

async function downloaded(count: number): Promise<Download> {
  await waitFor(() => expect(capture.downloads).toHaveLength(count));
  return capture.downloads[count - 1];
}

const SHORT = config({
  name: 'two, "quoted" runs',
  seed: 4,
  runs: [
    { name: 'on-policy IPO', objective: 'ipo', sampling: 'on-policy', S: 4, T: 3, steps: 30 },
    { name: 'REINFORCE', objective: 'reinforce', steps: 20 },
  ],
});

describe('ExportMenu', () => {
  it('saves a CSV whose rows equal the worker\'s full series (every step, not the chart grid)', async () => {
    const lab = makeLab(F1);
    const user = userEvent.setup();
    renderWithStore(<ExportMenu />, lab.store);
    lab.step(37);
    const dialog = await openMenu(user);
    await user.click(dialog.getByRole('button', { name: 'Download metrics (CSV)' }));
    const file = await downloaded(1);
    expect(file.fileName).toMatch(/^mode-lab-f1-r1-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
    expect(file.blob.type).toBe('text/csv;charset=utf-8');
    const [header, ...records] = parseCsv(await file.blob.text());
    expect(header).toEqual(['run', ...METRIC_KEYS]);
    const [cli] = runExperiment(F1);
    const exported = lab.worker().sent.findLast((m) => m.type === 'export');
    F1.runs.forEach((run, i) => {
      const rows = records.filter((r) => r[0] === run.name).map((r) => r.slice(1).map(csvValue));
      const core = Array.from({ length: 38 }, (_, row) => METRIC_KEYS.map((key) => cli.comparison.runs[i].metrics.at(key, row)));
      expect(rows, run.name).toEqual(core);
      expect(exported?.type === 'export' && exported.runs[i].rows).toEqual(rows);
    });
    expect(dialog.getByRole('status').textContent).toBe(`Saved ${file.fileName}: 5 run(s), 190 rows.`);
  });

  it('saves a bundle that parses back to the experiment, its seed and every row', async () => {
    const lab = makeLab(SHORT);
    const user = userEvent.setup();
    renderWithStore(<ExportMenu />, lab.store);
    lab.step(12);
    const dialog = await openMenu(user);
    await user.click(dialog.getByRole('button', { name: 'Download bundle (JSON)' }));
    const file = await downloaded(1);
    expect(file.fileName).toMatch(/^mode-lab-two-quoted-runs-.*\.json$/);
    const parsed = parseBundle(await file.blob.text());
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.bundle.config).toEqual(lab.store.getState().config);
    expect(parsed.bundle.seed).toBe(4);
    expect(parsed.bundle.url).toBe(window.location.href);
    const [cli] = runExperiment(SHORT);
    expect(parsed.bundle.runs[0].rows.map((row) => row[1])).toEqual(cli.comparison.runs[0].metrics.toArray('expected_reward').slice(0, 13));
  });

  it('imports a chosen bundle: the experiment is restored and trains again; a bad file says what is wrong', async () => {
    const source = makeLab(SHORT);
    source.step(5);
    const runs = await source.store.getState().requestExport();
    const { bundleJson, buildBundle } = await import('../../src/app/export/bundle.ts');
    const good = new File([bundleJson(buildBundle({ config: SHORT, runs }))], 'short.json', { type: 'application/json' });

    const lab = makeLab(F1);
    const user = userEvent.setup();
    renderWithStore(<ExportMenu />, lab.store);
    let dialog = await openMenu(user);
    const broken = { ...JSON.parse(good.size ? await good.text() : '{}'), config: { runs: [] } };
    await user.upload(dialog.getByLabelText('Import a bundle…'), new File([JSON.stringify(broken)], 'broken.json'));
    const alert = await dialog.findByRole('alert');
    expect(alert.textContent).toBe('“broken.json” was not imported: the bundle\'s experiment is not valid: config.runs: needs at least one run.');
    expect(lab.store.getState().config).toEqual(F1);

    await user.upload(dialog.getByLabelText('Import a bundle…'), good);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const state = lab.store.getState();
    expect(state.config).toEqual(SHORT);
    expect(state.caption.title).toBe('two, "quoted" runs');
    expect(state.caption.lookFor).toMatch(/^Restored from the bundle “short.json”/);
    expect(state.playing).toBe(true);
    // the worker was asked to load the bundle's experiment and play it at once
    expect(lab.worker().received.filter((m) => m.type === 'load').at(-1)).toMatchObject({ type: 'load', config: SHORT, toStep: 0, play: true });
    expect(state.info?.runs.map((r) => r.name)).toEqual(['on-policy IPO', 'REINFORCE']);
    dialog = await openMenu(user);
    expect(dialog.queryByRole('alert')).toBeNull();
  });

  it('shows the official command of a script preset with a copy button, and the reasons for a lab-only set-up', async () => {
    const lab = makeLab(F1);
    const user = userEvent.setup();
    renderWithStore(<ExportMenu />, lab.store);
    let dialog = await openMenu(user);
    const official = within(dialog.getByRole('region', { name: 'Official code' }));
    expect(official.getByText('This experiment does not map onto the official code:')).toBeTruthy();
    expect(official.getAllByText(/Starting policy: "reference" starts exactly at π_ref, a lab-only option/)).toHaveLength(5);
    await user.click(dialog.getByRole('button', { name: 'Close' }));

    act(() => {
      lab.store.getState().loadPreset('script-ipo');
    });
    dialog = await openMenu(user);
    const command = dialog.getByText(/^python hyperparam_tuning\.py --algorithm ipo/);
    expect(command.textContent).toContain('--reward_function 5 --epochs 1 --N 10 --num_iterations_on_same_samples 200');
    expect(command.textContent).toContain('--beta 10 --reward_threshold 0.2 --seed 1');
    await user.click(dialog.getByRole('button', { name: 'Copy the command for offline IPO' }));
    // user-event stands in for the clipboard
    expect(await navigator.clipboard.readText()).toBe(command.textContent);
    expect(dialog.getByText('Copied.')).toBeTruthy();
    const parsedPreset = parseExperimentConfigOrThrow(findPreset('script-ipo')!.config);
    expect(lab.store.getState().config).toEqual(parsedPreset);
  });

  it('offers no download while the worker has stopped', async () => {
    const lab = makeLab(SHORT);
    const user = userEvent.setup();
    renderWithStore(
      <>
        <ExportMenu />
        <StatusBanners />
      </>,
      lab.store,
    );
    const dialog = await openMenu(user);
    act(() => lab.worker().crash('boom'));
    expect(dialog.getByRole('button', { name: 'Download metrics (CSV)' })).toHaveProperty('disabled', true);
    expect(capture.downloads).toHaveLength(0);
  });
});
