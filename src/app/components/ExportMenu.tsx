/**
 * "Export": a dialog with the experiment's files — every run's metrics as CSV, the JSON bundle — the
 * bundle import, and the official code's command line. The metrics come from the worker in full (the
 * app itself keeps only the rows its charts draw).
 */
import { useId, useState, type ChangeEvent } from 'react';
import { bundleJson, buildBundle, MAX_BUNDLE_BYTES } from '../export/bundle.ts';
import { metricsCsv } from '../export/csv.ts';
import { downloadBlob } from '../export/download.ts';
import { exportFileName } from '../export/file-name.ts';
import { importBundleFile } from '../export/import-bundle.ts';
import { OfficialCommandPanel } from '../export/OfficialCommandPanel.tsx';
import '../export/export.css';
import { useLab, useLabStore } from '../lab-context.tsx';
import { Dialog } from './Dialog.tsx';

type Outcome = { kind: 'busy' | 'done'; message: string } | { kind: 'error'; message: string } | null;

export function ExportMenu() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="export-button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Export
      </button>
      <Dialog open={open} title="Export and import" onClose={() => setOpen(false)} className="export-dialog">
        <ExportPanel close={() => setOpen(false)} />
        <div className="dialog-actions">
          <button type="button" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      </Dialog>
    </>
  );
}

function ExportPanel({ close }: { close: () => void }) {
  const store = useLabStore();
  const ready = useLab((s) => s.status === 'ready');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const fileInput = useId();

  const exportAs = async (kind: 'csv' | 'bundle') => {
    setOutcome({ kind: 'busy', message: 'Collecting every step\'s metrics from the worker…' });
    try {
      const runs = await store.getState().requestExport();
      const { config } = store.getState();
      const subject = config.name ?? 'experiment';
      const rows = runs.reduce((total, run) => total + run.rows.length, 0);
      if (kind === 'csv') {
        const fileName = exportFileName(subject, 'csv');
        downloadBlob(new Blob([metricsCsv(runs)], { type: 'text/csv;charset=utf-8' }), fileName);
        setOutcome({ kind: 'done', message: `Saved ${fileName}: ${runs.length} run(s), ${rows.toLocaleString('en')} rows.` });
      } else {
        const fileName = exportFileName(subject, 'json');
        const text = bundleJson(buildBundle({ config, runs, url: window.location.href }));
        downloadBlob(new Blob([text], { type: 'application/json' }), fileName);
        const tooLarge = text.length > MAX_BUNDLE_BYTES ? ` It is larger than the ${MAX_BUNDLE_BYTES / (1024 * 1024)} MiB this lab imports.` : '';
        setOutcome({ kind: 'done', message: `Saved ${fileName}: ${runs.length} run(s), ${rows.toLocaleString('en')} rows.${tooLarge}` });
      }
    } catch (error) {
      setOutcome({ kind: 'error', message: `Nothing was saved: ${error instanceof Error ? error.message : String(error)}.` });
    }
  };

  const importChosen = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setImportError(null);
    const result = await importBundleFile(store, file);
    // the same file may be chosen again after it is fixed
    input.value = '';
    if (result.ok) close();
    else setImportError(result.message);
  };

  return (
    <div className="export-panel">
      <section className="export-section" aria-labelledby="export-metrics-title">
        <h3 id="export-metrics-title">Metrics</h3>
        <p className="note">Every recorded step of every run, from the worker — not only the points the charts draw.</p>
        <div className="export-actions">
          <button type="button" disabled={!ready || outcome?.kind === 'busy'} onClick={() => void exportAs('csv')}>
            Download metrics (CSV)
          </button>
          <button type="button" disabled={!ready || outcome?.kind === 'busy'} onClick={() => void exportAs('bundle')}>
            Download bundle (JSON)
          </button>
        </div>
        <p className="note">The bundle holds the set-up, seed and live changes, the engine and app version, the metrics and each run&apos;s final distribution: import it to restore the experiment and train it again.</p>
        {outcome?.kind === 'error' ? (
          <p role="alert" className="error">
            {outcome.message}
          </p>
        ) : (
          <p role="status" className="note">
            {outcome?.message ?? ''}
          </p>
        )}
      </section>
      <section className="export-section" aria-labelledby="export-import-title">
        <h3 id="export-import-title">Import</h3>
        <label htmlFor={fileInput}>Import a bundle…</label>{' '}
        <input id={fileInput} type="file" accept=".json,application/json" onChange={(event) => void importChosen(event)} aria-describedby={`${fileInput}-hint`} />
        <p id={`${fileInput}-hint`} className="note">
          Or drop a bundle file anywhere on the lab. It replaces the current experiment.
        </p>
        {importError && (
          <p role="alert" className="error">
            {importError}
          </p>
        )}
      </section>
      <OfficialCommandPanel />
    </div>
  );
}
