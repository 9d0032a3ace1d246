// @vitest-environment happy-dom
/** The "Reward & reference" editor of the setup panel and its BarEditor, driven as a user would. */
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { BarEditor, paintBins } from '../../src/app/components/setup/BarEditor.tsx';
import { EnvironmentEditor, type EnvironmentSetup } from '../../src/app/components/setup/EnvironmentEditor.tsx';

afterEach(cleanup);

const isChecked = (el: HTMLElement) => (el as HTMLInputElement).checked;
const isDisabled = (el: HTMLElement) => (el as HTMLButtonElement).disabled;
const valueOf = (el: HTMLElement) => (el as HTMLInputElement).value;

const DEFAULT: EnvironmentSetup = {
  reference: { kind: 'cauchy-tanh', bins: 100 },
  reward: { kind: 'gaussian', centre: 70, width: 10 },
  peakHalfWidth: 5,
};

function setup(value: EnvironmentSetup = DEFAULT) {
  const applied: EnvironmentSetup[] = [];
  const user = userEvent.setup();
  const view = render(<EnvironmentEditor value={value} seed={1} onApply={(next) => applied.push(next)} />);
  const apply = () => screen.getByRole('button', { name: 'Apply (resets all runs)' });
  const discard = () => screen.getByRole('button', { name: 'Discard' });
  const group = (legend: RegExp) => within(screen.getByRole('group', { name: legend }));
  return { user, applied, view, apply, discard, reward: () => group(/^Reward$/), reference: () => group(/π_ref/) };
}

describe('EnvironmentEditor', () => {
  it('starts clean: the official reward is selected and Apply/Discard are disabled', () => {
    const { apply, discard, reward, reference } = setup();
    expect(isChecked(reward().getByRole('radio', { name: /^R1 —/ }))).toBe(true);
    expect(isChecked(reference().getByRole('radio', { name: /^Analytic tanh-Cauchy/ }))).toBe(true);
    expect(isDisabled(apply())).toBe(true);
    expect(isDisabled(discard())).toBe(true);
    expect(screen.getByText('Changing the reward or the reference restarts every run from the same initialisation.')).toBeTruthy();
  });

  it('applies R2 with the reference unchanged', async () => {
    const { user, applied, apply, reward } = setup();
    await user.click(reward().getByRole('radio', { name: /^R2 —/ }));
    expect(isDisabled(apply())).toBe(false);
    await user.click(apply());
    expect(applied).toEqual([{ reference: { kind: 'cauchy-tanh', bins: 100 }, reward: { kind: 'gaussian', centre: 20, width: 10 }, peakHalfWidth: 5 }]);
  });

  it("shows the schema's message for a centre outside the bins and disables Apply", async () => {
    const { user, apply } = setup();
    const centre = screen.getByLabelText('Centre (bin)');
    await user.clear(centre);
    await user.type(centre, '150');
    expect(valueOf(centre)).toBe('150');
    expect(centre.getAttribute('aria-invalid')).toBe('true');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('must lie between bin 0 and bin 99 (got 150)');
    expect(centre.getAttribute('aria-describedby')).toContain(alert.id);
    expect(isDisabled(apply())).toBe(true);
  });

  it('keeps non-numeric text and says it must be a number', async () => {
    const { user, apply } = setup();
    const width = screen.getByLabelText('Width (bins)');
    await user.clear(width);
    await user.type(width, '1x');
    expect(valueOf(width)).toBe('1x');
    expect(screen.getByRole('alert').textContent).toContain('must be a number');
    expect(isDisabled(apply())).toBe(true);
    await user.clear(width);
    await user.type(width, '0');
    expect(screen.getByRole('alert').textContent).toContain('must be a number greater than 0 (got 0)');
  });

  it('refuses a pasted π_ref with a zero, naming the value', async () => {
    const { user, reference } = setup();
    await user.click(reference().getByRole('radio', { name: /^Custom \(drawn or pasted\)/ }));
    await user.type(reference().getByLabelText(/Paste values/), '1, 2, 0, 3');
    await user.click(reference().getByRole('button', { name: 'Use these values' }));
    expect(reference().getByRole('alert').textContent).toContain('value 3 (bin 2) is 0: every bin of π_ref needs a positive probability');
    // the draft still holds the 100 bins taken from the analytic reference
    expect(reference().getByRole('slider').getAttribute('aria-valuetext')).toMatch(/^bin 0: /);
    expect(reference().getByText(/^100 bins; the weights sum to 1\./)).toBeTruthy();
  });

  it('starts a custom π_ref from the current reference, strictly positive', async () => {
    const { user, reference } = setup({ ...DEFAULT, reference: { kind: 'sampled', bins: 100, draws: 10_000 } });
    await user.click(reference().getByRole('radio', { name: /^Custom/ }));
    const slider = reference().getByRole('slider', { name: 'π_ref weight per bin' });
    expect(Number(slider.getAttribute('aria-valuemin'))).toBeGreaterThan(0);
    expect(reference().getByText(/^100 bins/)).toBeTruthy();
  });

  it('applies a pasted custom π_ref (and validates the reward against its bins)', async () => {
    const { user, applied, apply, reference } = setup();
    await user.click(reference().getByRole('radio', { name: /^Custom/ }));
    await user.type(reference().getByLabelText(/Paste values/), '[[1, 2, 3, 4]') // '[[' types one '[';
    await user.click(reference().getByRole('button', { name: 'Use these values' }));
    expect(screen.getByText(/^4 bins; the weights sum to 10\./)).toBeTruthy();
    // R1's centre 70 no longer lies on the 4 bins
    expect(screen.getByRole('alert').textContent).toContain('must lie between bin 0 and bin 3 (got 70)');
    expect(isDisabled(apply())).toBe(true);
    const centre = screen.getByLabelText('Centre (bin)');
    await user.clear(centre);
    await user.type(centre, '2');
    expect(screen.queryByRole('alert')).toBeNull();
    await user.click(apply());
    expect(applied).toEqual([{ reference: { kind: 'custom', values: [1, 2, 3, 4] }, reward: { kind: 'gaussian', centre: 2, width: 10 }, peakHalfWidth: 5 }]);
  });

  it('checks a custom reward table against the number of bins of π_ref', async () => {
    const { user, apply, reward, reference } = setup();
    await user.click(reward().getByRole('radio', { name: /^Custom table/ }));
    expect(reward().getByRole('slider', { name: 'Reward per bin' })).toBeTruthy();
    const bins = reference().getByLabelText('Bins (K)');
    await user.clear(bins);
    await user.type(bins, '50');
    expect(reward().getByText(/π_ref now has 50 bins but the reward table has 100 values/)).toBeTruthy();
    expect(reward().getByRole('alert').textContent).toContain('has 100 values but π_ref has 50 bins; give one reward per bin');
    expect(isDisabled(apply())).toBe(true);
    await user.click(reward().getByRole('button', { name: 'stretch the table to 50 bins' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(isDisabled(apply())).toBe(false);
  });

  it('Discard restores the draft to the applied value', async () => {
    const { user, applied, apply, discard, reward } = setup();
    await user.click(reward().getByRole('radio', { name: /^R2 —/ }));
    await user.type(screen.getByLabelText('Peak window half-width'), '0');
    expect(isDisabled(discard())).toBe(false);
    await user.click(discard());
    expect(isChecked(reward().getByRole('radio', { name: /^R1 —/ }))).toBe(true);
    expect(valueOf(screen.getByLabelText('Centre (bin)'))).toBe('70');
    expect(valueOf(screen.getByLabelText('Peak window half-width'))).toBe('5');
    expect(isDisabled(apply())).toBe(true);
    expect(isDisabled(discard())).toBe(true);
    expect(applied).toEqual([]);
  });

  it('follows a new value unless the draft was edited', async () => {
    const { user, view, reward } = setup();
    const next: EnvironmentSetup = { ...DEFAULT, reward: { kind: 'gaussian', centre: 70, width: 30 } };
    view.rerender(<EnvironmentEditor value={next} seed={1} onApply={() => {}} />);
    expect(isChecked(reward().getByRole('radio', { name: /^R1 widest/ }))).toBe(true);
    await user.click(reward().getByRole('radio', { name: /^R2 —/ }));
    view.rerender(<EnvironmentEditor value={DEFAULT} seed={1} onApply={() => {}} />);
    expect(isChecked(reward().getByRole('radio', { name: /^R2 —/ }))).toBe(true);
  });
});

function ControlledBars({ initial, onChange }: { initial: number[]; onChange: (values: number[]) => void }) {
  const [values, setValues] = useState(initial);
  return (
    <BarEditor
      label="test bars"
      values={values}
      onChange={(next) => {
        onChange(next);
        setValues(next);
      }}
    />
  );
}

describe('BarEditor', () => {
  it('moves the selected bin with the arrow keys and steps only that bin', async () => {
    const user = userEvent.setup();
    const calls: number[][] = [];
    render(<ControlledBars initial={[1, 1, 1, 1]} onChange={(v) => calls.push(v)} />);
    const slider = screen.getByRole('slider', { name: 'test bars' });
    await user.tab();
    expect(document.activeElement).toBe(slider);
    expect(slider.getAttribute('aria-valuetext')).toBe('bin 0: 1');
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(slider.getAttribute('aria-valuetext')).toBe('bin 2: 1');
    expect(calls).toEqual([]);
    await user.keyboard('{ArrowUp}');
    // 5% of the default range 0 .. 1.2·max = 1.2
    expect(calls).toHaveLength(1);
    expect(calls[0][2]).toBeCloseTo(1.06);
    expect(calls[0].filter((_, a) => a !== 2)).toEqual([1, 1, 1]);
    expect(slider.getAttribute('aria-valuetext')).toBe('bin 2: 1.06');
    expect(screen.getByText(/Selected bin 2: 1\.06/)).toBeTruthy();
    await user.keyboard('{Shift>}{ArrowDown}{/Shift}{End}');
    expect(calls[1][2]).toBeCloseTo(1.06 - 0.01 * 1.06 * 1.2);
    expect(slider.getAttribute('aria-valuetext')).toBe('bin 3: 1');
  });

  it('keeps stepped values at or above the floor', async () => {
    const user = userEvent.setup();
    const calls: number[][] = [];
    render(<BarEditor label="floored" values={[0.01, 1]} floor={0.005} onChange={(v) => calls.push(v)} />);
    await user.tab();
    await user.keyboard('{ArrowDown}');
    expect(calls[0]).toEqual([0.005, 1]);
  });
});

describe('paintBins (the pointer drag)', () => {
  it('fills every bin between two pointer positions by linear interpolation', () => {
    expect(paintBins([0, 0, 0, 0, 0, 0], 1, 1, 5, 5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(paintBins([9, 9, 9, 9, 9, 9], 4, 0, 0, 8)).toEqual([8, 6, 4, 2, 0, 9]);
  });

  it('sets a single bin when the pointer stays in it, and clamps to the bounds', () => {
    expect(paintBins([1, 1, 1], 1, 0.2, 1, 0.7)).toEqual([1, 0.7, 1]);
    expect(paintBins([1, 1, 1, 1], 0, -1, 3, 5, 0.1, 3)).toEqual([0.1, 1, 3, 3]);
  });

  it('ignores bins outside the array and does not mutate its input', () => {
    const values = [0, 0, 0];
    expect(paintBins(values, -2, 0, 2, 4)).toEqual([2, 3, 4]);
    expect(values).toEqual([0, 0, 0]);
  });
});
