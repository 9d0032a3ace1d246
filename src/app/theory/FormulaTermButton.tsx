/**
 * A term of a typeset formula as a button (named by its MathML, described by what it drives): hovering or focusing it lights up the bars it drives on the
 * charts; pressing it pins the highlight (for touch screens, and to keep it while looking around).
 */
import { useId } from 'react';
import type { FormulaTerm } from './formula-terms.ts';
import { TERM_INFO } from './formula-terms.ts';
import { useHighlight } from './highlight-context.tsx';
import { Tex } from './Tex.tsx';

export function FormulaTermButton({ term, tex }: { term: FormulaTerm; tex: string }) {
  const { active, pinned, hover, focus, togglePin } = useHighlight();
  const info = TERM_INFO[term];
  const descriptionId = useId();
  // the name is the typeset term itself (KaTeX's MathML); what it lights up is the description
  return (
    <button
      type="button"
      className={active === term ? 'formula-term is-active' : 'formula-term'}
      data-term={term}
      aria-pressed={pinned === term}
      aria-describedby={descriptionId}
      onMouseEnter={() => hover(term)}
      onMouseLeave={() => hover(null)}
      onFocus={() => focus(term)}
      onBlur={() => focus(null)}
      onClick={() => togglePin(term)}
    >
      <Tex tex={tex} />
      <span id={descriptionId} className="visually-hidden">
        {info.spoken}: lights up {info.drives}. Press to keep it lit.
      </span>
    </button>
  );
}
