/**
 * Component-test helpers: a real lab store driven by the in-process training worker (whose clock only
 * moves when the test says so), rendering inside the store's provider, and the few DOM stand-ins
 * happy-dom lacks (no canvas 2D context, no layout).
 */
import { act, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { App } from '../../src/app/App.tsx';
import { LabContext } from '../../src/app/lab-context.tsx';
import { progressOf, type LabStore } from '../../src/app/store/lab-store.ts';
import { parseExperimentConfigOrThrow, type ExperimentConfig } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { createTestStore, type InProcessWorker } from './in-process-worker.ts';

let stubbed = false;

/** happy-dom has no canvas 2D context and no layout: the canvases get no context, ResizeObserver exists */
export function installDomStubs(): void {
  if (stubbed) return;
  stubbed = true;
  // PolicyCard skips drawing when there is no context
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
  if (typeof globalThis.ResizeObserver === 'undefined') {
    globalThis.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  }
}

export const F1: ExperimentConfig = parseExperimentConfigOrThrow(findPreset('f1-r1')!.config);

export function config(input: unknown): ExperimentConfig {
  return parseExperimentConfigOrThrow(input);
}

export interface Lab {
  store: LabStore;
  workers: InProcessWorker[];
  /** the worker the store talks to now */
  worker(): InProcessWorker;
  /** move the worker's clock (inside act: the store's updates re-render) */
  advance(ms: number): void;
  /** `n` single gradient steps through the store (inside act) */
  step(n?: number): void;
  /** the furthest step of any run */
  progress(): number;
}

/** a started store with the real training session in-process */
export function makeLab(experiment: ExperimentConfig = F1): Lab {
  installDomStubs();
  const { store, workers, worker } = createTestStore(experiment);
  return {
    store,
    workers,
    worker,
    advance: (ms) => act(() => worker().advanceTime(ms)),
    step: (n = 1) =>
      act(() => {
        for (let i = 0; i < n; i++) store.getState().stepOnce();
      }),
    progress: () => progressOf(store.getState()),
  };
}

/** render `ui` inside the store's provider */
export function renderWithStore(ui: ReactElement, store: LabStore): RenderResult {
  installDomStubs();
  return render(<LabContext.Provider value={store}>{ui}</LabContext.Provider>);
}

/** the whole lab (shortcuts, dialogs, set-up, cards and charts) */
export function renderApp(store: LabStore): RenderResult {
  installDomStubs();
  return render(<App store={store} />);
}
