/**
 * The theory bench (issue 6, spec E): exact forward vs reverse KL gradient flows on categorical
 * distributions, without sampling noise. The formulas (left, sticky on wide screens) are linked to the
 * charts of the two demos (right): hovering, focusing or pressing a term lights up the bars it drives.
 * Loaded lazily by App.tsx, with KaTeX and its stylesheet.
 */
import 'katex/dist/katex.min.css';
import './theory.css';
import { DemoA } from './DemoA.tsx';
import { DemoB } from './DemoB.tsx';
import { TERM_INFO } from './formula-terms.ts';
import { Formulas } from './Formulas.tsx';
import { HighlightProvider, useHighlight } from './highlight-context.tsx';

export interface TheoryPageProps {
  /** open a named bandit preset in the lab ("the same picture with samples") */
  onOpenPreset(presetName: string): void;
}

/** Says in words what lights up, for screen readers (and as a caption on screen). */
function HighlightAnnouncement() {
  const { active } = useHighlight();
  return (
    <p className="highlight-announcement" aria-live="polite">
      {active ? `Lit up: ${TERM_INFO[active].drives}.` : ''}
    </p>
  );
}

export function TheoryPage({ onOpenPreset }: TheoryPageProps) {
  return (
    <main id="theory" className="theory">
      <HighlightProvider>
        <header className="theory-intro">
          <h2>Theory bench: forward vs reverse KL, exact gradients</h2>
          <p>
            The paper’s explanation of why on-policy and negative-gradient methods move mass faster: a mode-seeking objective, KL(p‖q), relocates
            probability mass across the bins of a categorical distribution faster than maximum likelihood, KL(q‖p). Here both are run with exact
            gradients, step by step.
          </p>
        </header>
        <div className="theory-layout">
          <aside className="theory-side">
            <Formulas />
            <HighlightAnnouncement />
          </aside>
          <div className="theory-demos">
            <DemoA />
            <DemoB onOpenPreset={onOpenPreset} />
          </div>
        </div>
      </HighlightProvider>
    </main>
  );
}
