/**
 * The lab: the runs' policies and metric charts as they train (in a worker), the playback controls and
 * the set-up. The store is created by `main.tsx` (tests create their own).
 */
import { lazy, Suspense, useEffect } from 'react';
import { useStore } from 'zustand';
import { ConfirmChange } from './components/ConfirmChange.tsx';
import { Header } from './components/Header.tsx';
import { HelpOverlay } from './components/HelpOverlay.tsx';
import { PolicyCard, PolicyKey } from './components/PolicyCard.tsx';
import { RunLegend } from './components/RunLegend.tsx';
import { SetupPanel } from './components/setup/SetupPanel.tsx';
import { StatusBanners } from './components/StatusBanners.tsx';
import { useShortcuts } from './components/use-shortcuts.ts';
import { useBundleDrop } from './export/use-bundle-drop.ts';
import { PredictQuestion } from './presets/PredictQuestion.tsx';
import { LabContext, useLab } from './lab-context.tsx';
import { useHidden } from './url/use-hidden.ts';
import type { LabStore } from './store/lab-store.ts';

// Recharts is most of the bundle: load it beside the first paint, not before it
const MetricCharts = lazy(() => import('./components/charts/MetricCharts.tsx').then((m) => ({ default: m.MetricCharts })));
// the theory bench (with KaTeX) and the Sequences page (with tfjs) load only when opened
const TheoryPage = lazy(() => import('./theory/TheoryPage.tsx').then((m) => ({ default: m.TheoryPage })));
const SequencesPage = lazy(() => import('./sequences/SequencesPage.tsx').then((m) => ({ default: m.SequencesPage })));

function Caption() {
  const caption = useLab((s) => s.caption);
  if (useHidden('caption')) return null;
  return (
    <section className="caption" aria-labelledby="caption-title">
      <h2 id="caption-title">{caption.title}</h2>
      <p>{caption.lookFor}</p>
      <PredictQuestion />
    </section>
  );
}

function Stage() {
  const runs = useLab((s) => s.info?.runs.length ?? 0);
  const status = useLab((s) => s.status);
  const hidePolicies = useHidden('policies');
  const hideCharts = useHidden('charts');
  return (
    <main id="stage" className="stage">
      <Caption />
      <section aria-labelledby="policies-title" hidden={hidePolicies}>
        <h2 id="policies-title">Where the mass is</h2>
        <PolicyKey />
        {status === 'starting' && runs === 0 && <p role="status">Starting the training worker…</p>}
        <div className="policy-grid">
          {Array.from({ length: runs }, (_, i) => (
            <PolicyCard key={i} index={i} />
          ))}
        </div>
      </section>
      <section aria-labelledby="charts-title" hidden={hideCharts}>
        <h2 id="charts-title">Metrics</h2>
        <RunLegend />
        <Suspense fallback={<p role="status">Loading the charts…</p>}>
          <MetricCharts />
        </Suspense>
      </section>
    </main>
  );
}

/** Dropping an exported bundle anywhere on the lab opens it (unless a classroom link hides export). */
function BundleDrop() {
  useBundleDrop();
  return null;
}

export function App({ store }: { store: LabStore }) {
  useShortcuts(store);
  const page = useStore(store, (s) => s.page);
  const present = useStore(store, (s) => s.present);
  const hideSetup = useStore(store, (s) => s.hide.includes('setup'));
  const hideExport = useStore(store, (s) => s.hide.includes('export'));
  const backend = useStore(store, (s) => s.backend);
  // presentation mode scales every rem, so it is set on the root element (a `:root:has()` rule would make
  // the browser re-check it on each of the charts' DOM changes)
  useEffect(() => {
    document.documentElement.classList.toggle('present', present);
  }, [present]);
  const openPreset = (name: string) => {
    store.getState().loadPreset(name);
    store.getState().setPage('lab');
  };
  useEffect(() => {
    store.getState().start();
    return () => store.getState().stop();
  }, [store]);
  return (
    <LabContext.Provider value={store}>
      <div className={present ? 'lab present' : 'lab'}>
        {!hideSetup && page === 'lab' && (
          <a className="skip-link" href="#setup-title">
            Skip to the set-up
          </a>
        )}
        <Header />
        <StatusBanners />
        {page === 'lab' ? (
          <div className={hideSetup ? 'workspace workspace-full' : 'workspace'}>
            <Stage />
            {!hideSetup && (
              <aside className="setup" aria-labelledby="setup-title">
                <SetupPanel />
              </aside>
            )}
          </div>
        ) : page === 'theory' ? (
          <Suspense fallback={<p role="status">Loading the theory bench…</p>}>
            <TheoryPage onOpenPreset={openPreset} />
          </Suspense>
        ) : (
          <Suspense fallback={<p role="status">Loading the Sequences page…</p>}>
            <SequencesPage backend={backend} />
          </Suspense>
        )}
        {!hideExport && <BundleDrop />}
        <HelpOverlay />
        <ConfirmChange />
      </div>
    </LabContext.Provider>
  );
}
