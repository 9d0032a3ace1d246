import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { parseExperimentConfigOrThrow } from '../lab/config/experiment.ts';
import { DEFAULT_PRESET_NAME, findPreset } from '../lab/config/presets.ts';
import { App } from './App.tsx';
import { chartTimings } from './components/charts/refresh-scheduler.ts';
import { createLabStore, type WorkerLike } from './store/lab-store.ts';
import './styles.css';

const preset = findPreset(DEFAULT_PRESET_NAME)!;
const store = createLabStore(
  parseExperimentConfigOrThrow(preset.config),
  { title: preset.title, lookFor: preset.lookFor ?? preset.description },
  {
    createWorker: () => new Worker(new URL('../worker/training-worker.ts', import.meta.url), { type: 'module', name: 'training' }) as unknown as WorkerLike,
    afterPaint: (callback) => requestAnimationFrame(() => callback()),
    every: (ms, check) => setInterval(check, ms),
    now: () => performance.now(),
    visible: () => document.visibilityState === 'visible',
  },
);

// for the browser console and the benchmarks: `modeLab.getState()` is the lab's state and actions,
// `modeLab.chartTimings` what each chart's redraws cost
Object.assign(window, { modeLab: Object.assign(store, { chartTimings }) });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
