/**
 * Which formula term is lit up on the theory bench. A term is active while the pointer is over it or it has
 * keyboard focus; a click (or Enter/Space) pins it, so touch and keyboard users can keep it lit while they
 * look at the charts.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { FormulaTerm } from './formula-terms.ts';

interface Highlight {
  active: FormulaTerm | null;
  pinned: FormulaTerm | null;
  hover(term: FormulaTerm | null): void;
  focus(term: FormulaTerm | null): void;
  togglePin(term: FormulaTerm): void;
}

const HighlightContext = createContext<Highlight>({ active: null, pinned: null, hover: () => {}, focus: () => {}, togglePin: () => {} });

export function HighlightProvider({ children }: { children: ReactNode }) {
  const [hovered, setHovered] = useState<FormulaTerm | null>(null);
  const [focused, setFocused] = useState<FormulaTerm | null>(null);
  const [pinned, setPinned] = useState<FormulaTerm | null>(null);
  const value = useMemo<Highlight>(
    () => ({
      active: hovered ?? focused ?? pinned,
      pinned,
      hover: setHovered,
      focus: setFocused,
      togglePin: (term) => setPinned((current) => (current === term ? null : term)),
    }),
    [hovered, focused, pinned],
  );
  return <HighlightContext.Provider value={value}>{children}</HighlightContext.Provider>;
}

export function useHighlight(): Highlight {
  return useContext(HighlightContext);
}
