import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { chartTimings } from './components/charts/refresh-scheduler.ts';
import { createLabStore, type WorkerLike } from './store/lab-store.ts';
import { experimentFromQuery } from './url/open-link.ts';
import { followInUrl } from './url/url-sync.ts';
import './styles.css';

// the experiment and view come from the address bar (a shared link); no query is the default comparison
const opened = experimentFromQuery(window.location.search);
const store = createLabStore(opened.config, { title: '', lookFor: '' }, {
  createWorker: () => new Worker(new URL('../worker/training-worker.ts', import.meta.url), { type: 'module', name: 'training' }) as unknown as WorkerLike,
  afterPaint: (callback) => requestAnimationFrame(() => callback()),
  every: (ms, check) => setInterval(check, ms),
  now: () => performance.now(),
  visible: () => document.visibilityState === 'visible',
});
store.getState().openExperiment(opened);
const addressBar = followInUrl(store, {
  write: (query) => history.replaceState(null, '', query ? `?${query}` : window.location.pathname),
  push: (query) => history.pushState(null, '', query ? `?${query}` : window.location.pathname),
  schedule: (callback, ms) => setTimeout(callback, ms),
});
// Back and Forward move between the experiments opened in this tab
window.addEventListener('popstate', () => {
  store.getState().openExperiment(experimentFromQuery(window.location.search));
  addressBar.fromHistory();
});

// for the browser console and the benchmarks: `modeLab.getState()` is the lab's state and actions,
// `modeLab.chartTimings` what each chart's redraws cost
Object.assign(window, { modeLab: Object.assign(store, { chartTimings }) });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
