/** A piece of TeX typeset by KaTeX (HTML for the eye, MathML for screen readers). */
import { renderToString } from 'katex';
import { useMemo } from 'react';

export function Tex({ tex, className }: { tex: string; className?: string }) {
  // the TeX is the page's own (no user input), so the HTML is safe to inject
  const html = useMemo(() => renderToString(tex, { throwOnError: false, output: 'htmlAndMathml' }), [tex]);
  return <span className={className ? `tex ${className}` : 'tex'} dangerouslySetInnerHTML={{ __html: html }} />;
}
