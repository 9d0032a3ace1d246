/**
 * The formulas of the theory bench, typeset with KaTeX: the two gradients of spec E.4 (and the logit
 * velocities they give) and Lemma 6.2's update (6.1). The linked terms are buttons (`FormulaTermButton`).
 */
import type { FormulaTerm } from './formula-terms.ts';
import { FormulaTermButton } from './FormulaTermButton.tsx';
import { Tex } from './Tex.tsx';

/** A formula as a row of TeX pieces; linked pieces name their term. Rows wrap between pieces on narrow screens. */
export type FormulaPiece = string | { term: FormulaTerm; tex: string };

const KL_PQ = String.raw`\mathrm{KL}(p\,\|\,q)`;
const KL_QP = String.raw`\mathrm{KL}(q\,\|\,p)`;

export const FORWARD_GRADIENT: FormulaPiece[] = [String.raw`\nabla_{z_i} ${KL_QP} =`, { term: 'forward-gap', tex: String.raw`p_i - q_i` }];
export const FORWARD_VELOCITY: FormulaPiece[] = [String.raw`\Delta z_i = \eta\,`, { term: 'forward-gap', tex: String.raw`(q_i - p_i)` }];
export const REVERSE_GRADIENT: FormulaPiece[] = [
  String.raw`\nabla_{z_i} ${KL_PQ} =`,
  { term: 'reverse-mass', tex: 'p_i' },
  String.raw`\Big(`,
  { term: 'reverse-log-ratio', tex: String.raw`\log\frac{p_i}{q_i}` },
  '-',
  { term: 'reverse-kl', tex: KL_PQ },
  String.raw`\Big)`,
];
export const REVERSE_VELOCITY: FormulaPiece[] = [
  String.raw`\Delta z_i = \eta\,`,
  { term: 'reverse-mass', tex: 'p_i' },
  String.raw`\Big(`,
  { term: 'reverse-log-ratio', tex: String.raw`\log\frac{q_i}{p_i}` },
  '+',
  { term: 'reverse-kl', tex: KL_PQ },
  String.raw`\Big)`,
];
export const LEMMA_UPDATE: FormulaPiece[] = [
  String.raw`\theta_{t+1} \leftarrow \theta_t + \eta\,\mathbb{E}_{x,y_w,y_l\sim\mathcal{D}}\Big[`,
  { term: 'push-up', tex: String.raw`\nabla_\theta \log\pi_\theta(y_w|x)\cdot c_1(x,y_w,y_l)` },
  '-',
  { term: 'push-down', tex: String.raw`\nabla_\theta \log\pi_\theta(y_l|x)\cdot c_2(x,y_w,y_l)` },
  String.raw`\Big]\Big|_{\theta_t}`,
];

/** Every piece of TeX the page typesets (for the test that KaTeX parses them all). */
export const ALL_FORMULAS: FormulaPiece[][] = [FORWARD_GRADIENT, FORWARD_VELOCITY, REVERSE_GRADIENT, REVERSE_VELOCITY, LEMMA_UPDATE];

function Formula({ pieces, label, tag }: { pieces: FormulaPiece[]; label: string; tag?: string }) {
  return (
    <div className="formula" role="group" aria-label={label}>
      <span className="formula-body">
        {pieces.map((piece, i) => (typeof piece === 'string' ? <Tex key={i} tex={piece} /> : <FormulaTermButton key={i} term={piece.term} tex={piece.tex} />))}
      </span>
      {tag && <span className="formula-tag">{tag}</span>}
    </div>
  );
}

export function Formulas() {
  return (
    <section className="theory-formulas" aria-labelledby="formulas-title">
      <h2 id="formulas-title">The two gradients</h2>
      <p className="note">p = softmax(z) is the model, q the target, Δz = −η∇L. Hover, focus or press a framed term to light up the bars it drives.</p>
      <div className="formula-card formula-forward">
        <h3>
          <Tex tex={KL_QP} /> maximum likelihood, mode-covering
        </h3>
        <Formula pieces={FORWARD_GRADIENT} label="Gradient of KL(q‖p)" />
        <Formula pieces={FORWARD_VELOCITY} label="Logit velocity under KL(q‖p)" />
        <p className="note">Every logit moves towards its target, by less than η.</p>
      </div>
      <div className="formula-card formula-reverse">
        <h3>
          <Tex tex={KL_PQ} /> reverse, mode-seeking
        </h3>
        <Formula pieces={REVERSE_GRADIENT} label="Gradient of KL(p‖q)" />
        <Formula pieces={REVERSE_VELOCITY} label="Logit velocity under KL(p‖q)" />
        <p className="note">A logit falls exactly when log(pᵢ/qᵢ) &gt; KL(p‖q), without bound as qᵢ → 0; a small pᵢ slows the rise.</p>
      </div>
      <div className="formula-card formula-lemma">
        <h3>Lemma 6.2, update (6.1)</h3>
        <Formula pieces={LEMMA_UPDATE} label="Lemma 6.2, update 6.1" tag="(6.1)" />
        <p className="note">c₁, c₂ ≥ 0; maximum likelihood has c₂ = 0.</p>
        <details className="formula-details">
          <summary>How both objectives fit (6.1)</summary>
          <p className="note">
            On a tabular softmax ∇<sub>z</sub> log p(y) = e<sub>y</sub> − p. A KL(q‖p) step is (6.1) with samples of q, c₁ = 1, c₂ = 0. A KL(p‖q) step is
            (6.1) with samples of p weighted by A(y) = log(q<sub>y</sub>/p<sub>y</sub>) + KL(p‖q): c₁ = A where A &gt; 0, c₂ = −A where A &lt; 0, a
            negative gradient on exactly the zero-forced bins.
          </p>
        </details>
      </div>
    </section>
  );
}
