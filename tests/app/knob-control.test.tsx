// @vitest-environment happy-dom
/** One generated knob control (number, choice, M's optional number) inside a real lab store's provider. */
import { cleanup, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { KnobControl } from '../../src/app/components/setup/KnobControl.tsx';
import type { ConfigError } from '../../src/lab/config/experiment.ts';
import type { RunKnobKey } from '../../src/lab/config/settings.ts';
import { config, makeLab, renderWithStore } from '../helpers/render-lab.tsx';

afterEach(cleanup);

const valueOf = (el: HTMLElement) => (el as HTMLInputElement | HTMLSelectElement).value;

/** a controlled control: a commit that returns no problems becomes the shown value */
function Harness({ knobKey, initial, calls, answer }: { knobKey: RunKnobKey; initial: unknown; calls: unknown[]; answer?: ConfigError[] }) {
  const [value, setValue] = useState<unknown>(initial);
  return (
    <KnobControl
      knobKey={knobKey}
      value={value}
      placeholder={knobKey === 'M' ? '= S (full batch)' : undefined}
      onCommit={(next) => {
        calls.push(next);
        if (answer?.length) return answer;
        setValue(next);
        return [];
      }}
    />
  );
}

function setup(knobKey: RunKnobKey, initial: unknown, answer?: ConfigError[]) {
  const lab = makeLab(config({ runs: [{ name: 'only', objective: 'reinforce', steps: 20 }] }));
  const calls: unknown[] = [];
  const user = userEvent.setup();
  renderWithStore(<Harness knobKey={knobKey} initial={initial} calls={calls} answer={answer} />, lab.store);
  const container = () => document.querySelector(`[data-knob="${knobKey}"]`) as HTMLElement;
  return { lab, calls, user, container };
}

function describedBy(el: HTMLElement): string[] {
  return (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
}

describe('KnobControl: numbers', () => {
  it('shows the schema message beside the field for an out-of-range value and does not commit it', async () => {
    const { calls, user, container } = setup('lr', 0.05);
    const input = screen.getByLabelText('Learning rate');
    expect(input.getAttribute('aria-invalid')).toBe('false');
    await user.clear(input);
    await user.type(input, '-1');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Learning rate must be a number greater than 0 and at most 100 (got -1)');
    expect(container().contains(alert)).toBe(true);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(alert.id).not.toBe('');
    expect(describedBy(input)).toContain(alert.id);
    await user.keyboard('{Enter}');
    expect(calls).toEqual([]);
    expect(screen.getByRole('alert').textContent).toContain('(got -1)');
    await user.tab();
    expect(calls).toEqual([]);
  });

  it('keeps the refused text in the field after Enter, as documented ("a refused value keeps the user\'s text")', async () => {
    const { calls, user } = setup('lr', 0.05);
    const input = screen.getByLabelText('Learning rate');
    await user.clear(input);
    await user.type(input, '-1{Enter}');
    expect(calls).toEqual([]);
    expect(screen.getByRole('alert').textContent).toContain('(got -1)');
    expect(valueOf(input)).toBe('-1');
  });

  it('says that text must be a number', async () => {
    const { calls, user } = setup('lr', 0.05);
    const input = screen.getByLabelText('Learning rate');
    await user.clear(input);
    await user.type(input, 'abc');
    expect(screen.getByRole('alert').textContent).toBe('Learning rate must be a number (got "abc")');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await user.keyboard('{Enter}');
    expect(calls).toEqual([]);
  });

  it('commits a valid value once on Enter', async () => {
    const { calls, user } = setup('lr', 0.05);
    const input = screen.getByLabelText('Learning rate');
    await user.clear(input);
    await user.type(input, '0.2');
    expect(screen.queryByRole('alert')).toBeNull();
    await user.keyboard('{Enter}');
    expect(calls).toEqual([0.2]);
    // leaving the field does not commit it a second time
    await user.tab();
    expect(calls).toEqual([0.2]);
    expect(valueOf(input)).toBe('0.2');
    expect(input.getAttribute('aria-invalid')).toBe('false');
  });

  it('commits on blur too, and not at all when the text is unchanged', async () => {
    const { calls, user } = setup('N', 10);
    const input = screen.getByLabelText('Samples per prompt (N)');
    await user.click(input);
    await user.tab();
    expect(calls).toEqual([]);
    await user.clear(input);
    await user.type(input, '4');
    await user.tab();
    expect(calls).toEqual([4]);
  });

  it('Escape restores the shown value and clears the message', async () => {
    const { calls, user } = setup('lr', 0.05);
    const input = screen.getByLabelText('Learning rate');
    await user.clear(input);
    await user.type(input, '-1');
    expect(screen.getByRole('alert')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(valueOf(input)).toBe('0.05');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBe('false');
    await user.tab();
    expect(calls).toEqual([]);
  });

  it('shows the problems returned by onCommit', async () => {
    const { calls, user, container } = setup('N', 10, [{ path: 'runs[1].N', message: 'IPO builds preference pairs within a prompt, so it needs N ≥ 2 (got 1)' }]);
    const input = screen.getByLabelText('Samples per prompt (N)');
    await user.clear(input);
    await user.type(input, '1{Enter}');
    expect(calls).toEqual([1]);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('IPO builds preference pairs within a prompt, so it needs N ≥ 2 (got 1)');
    expect(container().contains(alert)).toBe(true);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(input)).toContain(alert.id);
  });

  it('an empty M commits undefined (M = S), while an empty N needs a value', async () => {
    const m = setup('M', 5);
    const input = screen.getByLabelText('Prompts per minibatch (M)');
    expect(valueOf(input)).toBe('5');
    await m.user.clear(input);
    expect(screen.queryByRole('alert')).toBeNull();
    await m.user.keyboard('{Enter}');
    expect(m.calls).toEqual([undefined]);
    expect(valueOf(input)).toBe('');
    expect(input.getAttribute('placeholder')).toBe('= S (full batch)');
    cleanup();

    const n = setup('N', 10);
    const nInput = screen.getByLabelText('Samples per prompt (N)');
    await n.user.clear(nInput);
    expect(screen.getByRole('alert').textContent).toBe('Samples per prompt (N) needs a value');
    await n.user.keyboard('{Enter}');
    expect(n.calls).toEqual([]);
  });

  it('refuses a fraction for an integer knob', async () => {
    const { calls, user } = setup('N', 10);
    const input = screen.getByLabelText('Samples per prompt (N)');
    await user.clear(input);
    await user.type(input, '2.5{Enter}');
    expect(screen.getByRole('alert').textContent).toMatch(/^Samples per prompt \(N\) /);
    expect(screen.getByRole('alert').textContent).toContain('2.5');
    expect(calls).toEqual([]);
  });
});

describe('KnobControl: badges and choices', () => {
  it('marks a live knob "live" and a restarting knob "restarts"', () => {
    setup('lr', 0.05);
    const head = document.querySelector('[data-knob="lr"] .knob-head') as HTMLElement;
    expect(head.textContent).toContain('live');
    expect(head.textContent).not.toContain('restarts');
    cleanup();
    setup('N', 10);
    const nHead = document.querySelector('[data-knob="N"] .knob-head') as HTMLElement;
    expect(nHead.textContent).toContain('restarts');
    expect(nHead.textContent).not.toContain('live');
  });

  it('a choice knob is a select whose change commits the option', async () => {
    const { calls, user } = setup('optimizer', 'adam');
    const select = screen.getByLabelText('Optimiser') as HTMLSelectElement;
    expect(select.tagName).toBe('SELECT');
    expect(Array.from(select.options).map((o) => o.value)).toEqual(['adam', 'sgd']);
    expect(valueOf(select)).toBe('adam');
    await user.selectOptions(select, 'sgd');
    expect(calls).toEqual(['sgd']);
    expect(valueOf(select)).toBe('sgd');
    expect(document.querySelector('[data-knob="optimizer"] .knob-head')!.textContent).toContain('restarts');
  });
});

describe('KnobControl: live knob sliders', () => {
  it('a drag shows the value in the field as it moves and commits once, when the slider is let go', async () => {
    const { calls, container } = setup('lr', 0.05);
    const slider = screen.getByRole('slider', { name: 'Learning rate slider' }) as HTMLInputElement;
    const field = container().querySelector('input[type=text]') as HTMLInputElement;
    // a log slider from 1e-4 to 1: the middle is 0.01, three quarters 0.1
    fireEvent.change(slider, { target: { value: '500' } });
    expect(field.value).toBe('0.01');
    fireEvent.change(slider, { target: { value: '750' } });
    expect(field.value).toBe('0.1');
    expect(calls).toEqual([]);
    fireEvent.pointerUp(slider);
    expect(calls).toEqual([0.1]);
    // letting go again without moving commits nothing more
    fireEvent.pointerUp(slider);
    expect(calls).toEqual([0.1]);
  });

  it('knobs that are not live have no slider', () => {
    setup('S', 10);
    expect(screen.queryByRole('slider')).toBeNull();
  });
});
