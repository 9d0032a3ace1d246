/**
 * The Sequences page (issue 5): gpt-nano, a toy transformer, trained in a Web Worker with TensorFlow.js on
 * the sequence bandit and the length tasks. Self-contained: it creates its own store and worker when it
 * mounts and terminates the worker when it unmounts. Loaded lazily by App.tsx. Its choice (comparison, seed,
 * quick look, runs hidden from the charts) goes into the address bar through src/app/url/sequences-link.ts, and
 * a link's choice is opened on mount (or at once, on Back and Forward).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import type { NeuralBackendName } from '../../worker/neural/protocol.ts';
import { leaveSequencesPage, onSequencesViewRequested, requestedSequencesView, showSequencesView } from '../url/sequences-link.ts';
import { BackendBadge } from './BackendBadge.tsx';
import { findSequencePresetChoice } from './preset-choices.ts';
import { PreparingProgress } from './PreparingProgress.tsx';
import { PresetChooser } from './PresetChooser.tsx';
import { RunCard } from './RunCard.tsx';
import { SequenceBanners } from './SequenceBanners.tsx';
import { SequenceRunLegend } from './SequenceRunLegend.tsx';
import { SequenceTransport } from './SequenceTransport.tsx';
import { SequencesContext, useSequences } from './sequences-context.tsx';
import { createSequencesStore, QUICK_LOOK, type NeuralWorkerLike } from './sequences-store.ts';
import { applyRequestedView, openOptionsOf, sequencesUrlView } from './sequences-url.ts';
import './sequences.css';

const SequenceCharts = lazy(() => import('./SequenceCharts.tsx').then((m) => ({ default: m.SequenceCharts })));

/** how often the watchdog listens for a worker that died silently */
const WATCHDOG_INTERVAL_MS = 2000;

export interface SequencesPageProps {
  /** `backend=` from the URL: force this backend; null = the worker measures and picks the fastest */
  backend: NeuralBackendName | null;
  /** the training worker (tests give a fake one); by default the neural worker */
  createWorker?: () => NeuralWorkerLike;
}

function createNeuralWorker(): NeuralWorkerLike {
  return new Worker(new URL('../../worker/neural/neural-worker.ts', import.meta.url), { type: 'module', name: 'neural' }) as unknown as NeuralWorkerLike;
}

function Caption() {
  const info = useSequences((s) => s.info);
  const preset = useSequences((s) => s.preset);
  const quick = useSequences((s) => s.quick);
  const shrink = useSequences((s) => s.shrink);
  const seed = useSequences((s) => s.seed);
  // once loaded, the comparison the worker actually opened
  const choice = findSequencePresetChoice(info?.preset ?? preset);
  const size =
    shrink.stepFactor === QUICK_LOOK.stepFactor && shrink.sftSteps === QUICK_LOOK.sftSteps
      ? 'a tenth of the steps and a short SFT'
      : `${Number((shrink.stepFactor * 100).toPrecision(3))}% of the steps and at most ${shrink.sftSteps} SFT steps`;
  return (
    <section className="caption" aria-labelledby="sequences-caption-title">
      <h2 id="sequences-caption-title">{info?.title ?? choice?.label ?? preset}</h2>
      <p>
        {choice?.shows} <span className="note">Seed {seed}.</span>
        {quick && ` Quick look: ${size}, so the picture is rougher than the preset’s.`}
      </p>
    </section>
  );
}

function Stage() {
  const runCount = useSequences((s) => s.runs.length);
  const status = useSequences((s) => s.status);
  return (
    <div className="sequences-stage">
      <div className="sequences-controls">
        <SequenceTransport />
        <BackendBadge />
      </div>
      <SequenceBanners />
      <Caption />
      <PreparingProgress />
      {status === 'idle' && runCount === 0 && <p className="note">Choose a comparison and press Open.</p>}
      <section aria-labelledby="sequence-runs-title" hidden={runCount === 0}>
        <h2 id="sequence-runs-title">Runs</h2>
        <p className="policy-key">
          Heatmaps: generated position 1–9 down, token across (∎ = end of sequence), darker = more likely; the run’s beside π_ref’s on one scale.
        </p>
        <div className="sequence-grid">
          {Array.from({ length: runCount }, (_, index) => (
            <RunCard key={index} index={index} />
          ))}
        </div>
      </section>
      <section aria-labelledby="sequence-charts-title" hidden={runCount === 0}>
        <h2 id="sequence-charts-title">Metrics</h2>
        <SequenceRunLegend />
        {runCount > 0 && (
          <Suspense fallback={<p role="status">Loading the charts…</p>}>
            <SequenceCharts />
          </Suspense>
        )}
      </section>
    </div>
  );
}

export function SequencesPage({ backend, createWorker = createNeuralWorker }: SequencesPageProps) {
  const [store] = useState(() =>
    createSequencesStore({
      createWorker,
      afterPaint: (callback) => requestAnimationFrame(() => callback()),
      now: () => performance.now(),
    }),
  );
  useEffect(() => {
    // for the browser console and the end-to-end tests, as `modeLab` is for the bandit lab
    Object.assign(window, { modeLabSequences: store });
    // a link's choice (or the one shown before the page was left), else the default comparison
    const requested = requestedSequencesView();
    const state = store.getState();
    if (requested) state.open(requested.preset, openOptionsOf(requested, backend));
    else state.open(state.preset, { backend });
    const publish = () => showSequencesView(sequencesUrlView(store.getState()));
    publish();
    const stopPublishing = store.subscribe(publish);
    const stopListening = onSequencesViewRequested(() => {
      const view = requestedSequencesView();
      if (view) applyRequestedView(store, view, backend);
    });
    const watchdog = setInterval(() => store.getState().checkAlive(), WATCHDOG_INTERVAL_MS);
    return () => {
      clearInterval(watchdog);
      stopListening();
      stopPublishing();
      leaveSequencesPage();
      store.getState().stop();
    };
  }, [store, backend]);
  return (
    <SequencesContext.Provider value={store}>
      <main id="sequences" className="sequences">
        <header className="sequences-intro">
          <h2>Sequences: a small transformer, trained in your browser</h2>
          <p>
            gpt-nano (3 layers, 48-dimensional) is first fine-tuned to the reference π_ref (SFT), then each run trains it with its objective. Watch where the
            probability mass goes, position by position, and which samples each objective pushes up or down.
          </p>
        </header>
        <div className="sequences-layout">
          <aside className="sequences-side" aria-label="Choose a comparison">
            <PresetChooser />
          </aside>
          <Stage />
        </div>
      </main>
    </SequencesContext.Provider>
  );
}
