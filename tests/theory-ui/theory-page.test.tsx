// @vitest-environment happy-dom
/**
 * The theory bench as a user drives it (happy-dom + Testing Library): Demo A steps through spec E.5's
 * numbers, the p₀/q editors keep distributions valid (typing, dragging, a zero in q gives a message and no
 * NaN), the formula terms light up the bars they drive on hover and on keyboard focus, Demo B steps through
 * spec E.6's table and its "with samples" link opens the matching preset.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderToString } from 'katex';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALL_FORMULAS } from '../../src/app/theory/Formulas.tsx';
import { TheoryPage } from '../../src/app/theory/TheoryPage.tsx';

beforeAll(() => {
  // Recharts' ResponsiveContainer needs a ResizeObserver; happy-dom has no layout
  if (typeof globalThis.ResizeObserver === 'undefined') {
    globalThis.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  }
});

afterEach(cleanup);

function setup() {
  const onOpenPreset = vi.fn<(name: string) => void>();
  const user = userEvent.setup();
  const view = render(<TheoryPage onOpenPreset={onOpenPreset} />);
  const demoA = () => within(screen.getByRole('region', { name: /Demo A/ }));
  const demoB = () => within(screen.getByRole('region', { name: /Demo B/ }));
  const toolbar = (name: string) => within(screen.getByRole('toolbar', { name }));
  return { user, view, onOpenPreset, demoA, demoB, toolbar };
}

/** p_t of one Demo A panel, as the table shows it (full precision from data-value). */
function toyValues(container: HTMLElement, objective: 'forward' | 'reverse'): number[] {
  const cells = container.querySelectorAll(`section.objective-panel[data-objective="${objective}"] table td[data-value]`);
  return [...cells].map((cell) => Number(cell.getAttribute('data-value')));
}

/** The values an editor's fields show. */
function fieldValues(container: HTMLElement, role: 'start' | 'target'): number[] {
  return [...container.querySelectorAll(`fieldset[data-distribution="${role}"] input[data-bin]`)].map((input) => Number((input as HTMLInputElement).value));
}

/** The first button of a formula term. */
function termButton(container: HTMLElement, term: string): HTMLElement {
  return container.querySelector(`button.formula-term[data-term="${term}"]`) as HTMLElement;
}

function expectDistribution(values: number[]): void {
  for (const v of values) expect(v).toBeGreaterThanOrEqual(0);
  // the fields show three decimals
  expect(Math.abs(values.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(0.002);
}

function expectClose(actual: number[], expected: number[], tol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]), `index ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(tol));
}

describe('the formulas', () => {
  it('every piece of TeX parses (KaTeX would render an error otherwise)', () => {
    for (const formula of ALL_FORMULAS) {
      for (const piece of formula) expect(() => renderToString(typeof piece === 'string' ? piece : piece.tex, { throwOnError: true })).not.toThrow();
    }
  });

  it('the page typesets them with no KaTeX error and labels the objectives by formula', () => {
    const { view } = setup();
    expect(view.container.querySelectorAll('.katex').length).toBeGreaterThan(10);
    expect(view.container.querySelector('.katex-error')).toBeNull();
    expect(screen.getByRole('heading', { name: /GD on KL\(q‖p\) maximum likelihood, mode-covering/ })).toBeTruthy();
    expect(screen.getByRole('heading', { name: /GD on KL\(p‖q\) reverse, mode-seeking/ })).toBeTruthy();
  });
});

describe('Demo A', () => {
  it('Step three times reaches the E.5 values at η = 0.93; Reset goes back to p₀', async () => {
    const { user, view, toolbar } = setup();
    const controls = toolbar('Demo A playback');
    for (let i = 0; i < 3; i++) await user.click(controls.getByRole('button', { name: 'Step' }));
    expect(controls.getByText('3', { selector: 'output' })).toBeTruthy();
    expectClose(toyValues(view.container, 'forward'), [0.25, 0.201, 0.348, 0.201], 1e-3);
    expectClose(toyValues(view.container, 'reverse'), [0.33, 0.223, 0.224, 0.223], 1e-3);
    await user.click(controls.getByRole('button', { name: 'Reset' }));
    expectClose(toyValues(view.container, 'reverse'), [0.3, 0.3, 0.1, 0.3], 1e-12);
  });

  it('typing a value keeps q normalised and non-negative; a bad value is refused with a message', async () => {
    const { user, view } = setup();
    const q2 = screen.getByLabelText('q2');
    await user.clear(q2);
    await user.type(q2, '0.8{Enter}');
    const q = fieldValues(view.container, 'target');
    expectDistribution(q);
    expect(q[2]).toBeCloseTo(0.8, 3);
    // the others keep their ratios 0.2 : 0.1 : 0.1
    expect(q[0]).toBeCloseTo(0.1, 3);
    expect(q[1]).toBeCloseTo(0.05, 3);

    const p1 = screen.getByLabelText('p₀1');
    await user.clear(p1);
    await user.type(p1, '-0.2{Enter}');
    expect(p1.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('A probability cannot be negative.')).toBeTruthy();
    // not applied: p_0 (shown as p_t at step 0) is unchanged
    expectClose(toyValues(view.container, 'reverse'), [0.3, 0.3, 0.1, 0.3], 1e-12);
    await user.type(p1, '{Escape}');
    expect((p1 as HTMLInputElement).value).toBe('0.300');
  });

  it('↑ on a field nudges the bin by 0.01 and rescales the rest', async () => {
    const { user, view } = setup();
    const p2 = screen.getByLabelText('p₀2');
    p2.focus();
    await user.keyboard('{ArrowUp}{ArrowUp}');
    const p0 = fieldValues(view.container, 'start');
    expect(p0[2]).toBeCloseTo(0.12, 3);
    expectDistribution(p0);
  });

  it('dragging a bar sets it and keeps the distribution valid', () => {
    const { view } = setup();
    const drag = view.container.querySelector('fieldset[data-distribution="start"] svg.distribution-drag') as SVGSVGElement;
    drag.getBoundingClientRect = () => ({ left: 0, top: 0, width: 240, height: 110, right: 240, bottom: 110, x: 0, y: 0, toJSON: () => ({}) }) as DOMRect;
    // bin 1 of 4 at x = 90; value 0.5 is at y = 110 − 0.5·(110 − 14) = 62
    fireEvent.pointerDown(drag, { clientX: 90, clientY: 62, button: 0, pointerId: 1 });
    let p0 = fieldValues(view.container, 'start');
    expect(p0[1]).toBeCloseTo(0.5, 3);
    expectDistribution(p0);
    // on to bin 3, dragged down to 0.1
    fireEvent.pointerMove(drag, { clientX: 200, clientY: 110 - 0.1 * 96, pointerId: 1 });
    fireEvent.pointerUp(drag, { clientX: 200, clientY: 110 - 0.1 * 96, pointerId: 1 });
    p0 = fieldValues(view.container, 'start');
    expect(p0[3]).toBeCloseTo(0.1, 3);
    expectDistribution(p0);
    // no longer dragging: a move does nothing
    fireEvent.pointerMove(drag, { clientX: 10, clientY: 20, pointerId: 1 });
    expect(fieldValues(view.container, 'start')).toEqual(p0);
  });

  it('a zero in q gives a clear message, stops only KL(p‖q), and no NaN shows anywhere', async () => {
    const { user, view, toolbar } = setup();
    const q1 = screen.getByLabelText('q1');
    await user.clear(q1);
    await user.type(q1, '0{Enter}');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('q: bin 1 is 0');
    expect(alert.textContent).toContain('infinite');
    expectDistribution(fieldValues(view.container, 'target'));
    const reverse = view.container.querySelector('section.objective-panel[data-objective="reverse"]') as HTMLElement;
    expect(reverse.textContent).toContain('Not running');
    await user.click(toolbar('Demo A playback').getByRole('button', { name: 'Step' }));
    expect(toyValues(view.container, 'forward').every(Number.isFinite)).toBe(true);
    expect(view.container.textContent).not.toMatch(/NaN|Infinity/);
    await user.click(screen.getByRole('button', { name: 'Restore the paper’s p₀ and q' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expectClose(toyValues(view.container, 'reverse'), [0.329, 0.271, 0.13, 0.271], 1e-3);
  });

  it('a zero in p₀ stops both flows with a message', async () => {
    const { user, toolbar } = setup();
    const p0 = screen.getByLabelText('p₀0');
    await user.clear(p0);
    await user.type(p0, '0{Enter}');
    expect(screen.getByRole('alert').textContent).toContain('p₀: bin 0 is 0');
    const step = toolbar('Demo A playback').getByRole('button', { name: 'Step' }) as HTMLButtonElement;
    expect(step.disabled).toBe(true);
  });

  it('the overlay shows the published bars with the note about the swapped labels', async () => {
    const { user, view } = setup();
    await user.click(screen.getByRole('checkbox', { name: /published figure/ }));
    expect(screen.getByRole('note').textContent).toMatch(/only with its labels swapped/);
    expect(view.container.querySelectorAll('line.toy-published')).toHaveLength(8);
    expect(within(view.container.querySelector('section.objective-panel[data-objective="forward"]') as HTMLElement).getByText(/figure’s “p_reverse”/)).toBeTruthy();
  });

  it('η can be typed; a value out of range is refused', async () => {
    const { user, demoA } = setup();
    const eta = demoA().getByRole('textbox', { name: 'Step size η' });
    await user.clear(eta);
    await user.type(eta, '9{Enter}');
    expect(eta.getAttribute('aria-invalid')).toBe('true');
    await user.clear(eta);
    await user.type(eta, '0.5{Enter}');
    expect(eta.getAttribute('aria-invalid')).toBeNull();
    expect((demoA().getByRole('slider', { name: 'Step size η slider' }) as HTMLInputElement).value).toBe('0.5');
  });
});

describe('formula terms light up the bars they drive', () => {
  it('hovering log(q_i/p_i) lights the zero-forced bins (1 and 3 at step 0) and dims the rest', async () => {
    const { user, view } = setup();
    const term = termButton(view.container, 'reverse-log-ratio');
    // named by the typeset term, described by what it drives
    expect(document.getElementById(term.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(/lights up the zero-forced bars/);
    await user.hover(term);
    const reverse = view.container.querySelector('section.objective-panel[data-objective="reverse"]') as HTMLElement;
    const lit = [...reverse.querySelectorAll('g.toy-bin')].map((g) => g.classList.contains('is-driven'));
    expect(lit).toEqual([false, true, false, true]);
    expect(screen.getByText(/Lit up: the zero-forced bars/)).toBeTruthy();
    await user.unhover(term);
    expect(reverse.querySelectorAll('g.is-driven, g.is-dimmed')).toHaveLength(0);
  });

  it('keyboard focus gives the same highlight, and Enter pins it', async () => {
    const { user, view } = setup();
    const term = termButton(view.container, 'reverse-mass');
    // Tab through the page until the term has focus, as a keyboard user would
    for (let i = 0; i < 40 && document.activeElement !== term; i++) await user.tab();
    expect(document.activeElement).toBe(term);
    const reverse = view.container.querySelector('section.objective-panel[data-objective="reverse"]') as HTMLElement;
    const lit = () => [...reverse.querySelectorAll('g.toy-bin')].map((g) => g.classList.contains('is-driven'));
    // slow discovery at step 0: bin 2
    expect(lit()).toEqual([false, false, true, false]);
    await user.keyboard('{Enter}');
    expect(term.getAttribute('aria-pressed')).toBe('true');
    // focus moves on to the next term, which lights its own bins (zero-forcing: 1 and 3) ...
    await user.tab();
    expect(lit()).toEqual([false, true, false, true]);
    // ... and once focus leaves the formulas the pinned term is lit again
    act(() => (document.activeElement as HTMLElement).blur());
    expect(lit()).toEqual([false, false, true, false]);
  });

  it('the Demo B velocity bars light up too', async () => {
    const { user, view } = setup();
    await user.hover(termButton(view.container, 'reverse-kl'));
    const reverseBars = view.container.querySelectorAll('figure.velocity-bars[data-objective="reverse"] rect.velocity-bar');
    expect(reverseBars).toHaveLength(100);
    const lit = [...reverseBars].filter((bar) => bar.classList.contains('is-driven')).length;
    const concentration = view.container.querySelector('.demo-b li[data-regime="concentration"]')!.getAttribute('data-bins')!.split(' ').filter(Boolean).length;
    expect(lit).toBe(concentration);
    // KL(q‖p)'s bars are not driven by a reverse-KL term
    expect(view.container.querySelectorAll('figure.velocity-bars[data-objective="forward"] rect.is-driven')).toHaveLength(0);
  });
});

describe('Demo B', () => {
  it('steps through the E.6 table for R1 and R2', async () => {
    const { user, view, toolbar, demoB } = setup();
    const readout = () => view.container.querySelector('.window-readout') as HTMLElement;
    const mass = () => [Number(readout().dataset.forward), Number(readout().dataset.reverse)];
    expectClose(mass(), [0.023, 0.023], 1e-3);
    const step = toolbar('Demo B playback').getByRole('button', { name: 'Step' });
    for (let i = 0; i < 10; i++) await user.click(step);
    expectClose(mass(), [0.072, 0.031], 1e-3);
    expect(Number(readout().dataset.target)).toBeCloseTo(0.966, 3);
    // the reward choice recomputes at the same step
    await user.click(demoB().getByRole('radio', { name: /R2/ }));
    expect(readout().dataset.step).toBe('10');
    expectClose(mass(), [0.453, 0.647], 1e-3);
  });

  it('annotates R1 at step 0: the peak (bin 70) is discovered slowly, the edges are zero-forced', () => {
    const { view } = setup();
    const bins = (regime: string) => view.container.querySelector(`.demo-b li[data-regime="${regime}"]`)!.getAttribute('data-bins')!.split(' ').map(Number);
    expect(bins('slow-discovery')).toContain(70);
    expect(bins('zero-forcing')).toEqual(expect.arrayContaining([0, 99]));
  });

  it('"the same picture with samples" opens f1-r1, or f1-r2 once R2 is chosen', async () => {
    const { user, onOpenPreset, demoB } = setup();
    await user.click(demoB().getByRole('button', { name: /same picture with samples/ }));
    expect(onOpenPreset).toHaveBeenLastCalledWith('f1-r1');
    await user.click(demoB().getByRole('radio', { name: /R2/ }));
    await user.click(demoB().getByRole('button', { name: /same picture with samples/ }));
    expect(onOpenPreset).toHaveBeenLastCalledWith('f1-r2');
  });

  it('Play runs the steps and Pause stops them', async () => {
    vi.useFakeTimers();
    try {
      const { toolbar } = setup();
      const controls = toolbar('Demo B playback');
      act(() => fireEvent.click(controls.getByRole('button', { name: 'Play' })));
      act(() => vi.advanceTimersByTime(40 * 5 + 5));
      act(() => fireEvent.click(controls.getByRole('button', { name: 'Pause' })));
      const stopped = Number(controls.getByText(/^\d+$/, { selector: 'output' }).textContent);
      expect(stopped).toBe(5);
      act(() => vi.advanceTimersByTime(400));
      expect(Number(controls.getByText(/^\d+$/, { selector: 'output' }).textContent)).toBe(stopped);
    } finally {
      vi.useRealTimers();
    }
  });
});
