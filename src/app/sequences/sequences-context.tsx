/** The Sequences page's store, provided to its component tree (tests provide one with a fake worker). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { SequencesActions, SequencesState, SequencesStore } from './sequences-store.ts';

export const SequencesContext = createContext<SequencesStore | null>(null);

export function useSequencesStore(): SequencesStore {
  const store = useContext(SequencesContext);
  if (!store) throw new Error('useSequences must be used inside <SequencesContext.Provider>');
  return store;
}

export function useSequences<T>(selector: (state: SequencesState & SequencesActions) => T): T {
  return useStore(useSequencesStore(), selector);
}
