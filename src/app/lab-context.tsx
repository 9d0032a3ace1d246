/** The lab store, provided to the component tree (tests provide their own with a fake worker). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { LabActions, LabState, LabStore } from './store/lab-store.ts';

export const LabContext = createContext<LabStore | null>(null);

export function useLabStore(): LabStore {
  const store = useContext(LabContext);
  if (!store) throw new Error('useLab must be used inside <LabContext.Provider>');
  return store;
}

export function useLab<T>(selector: (state: LabState & LabActions) => T): T {
  return useStore(useLabStore(), selector);
}
