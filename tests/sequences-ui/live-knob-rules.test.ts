/**
 * Which knobs a sequence run can change live (those its objective reads, lr for every run), the range check
 * the page and the worker share (the bandit lab's knob ranges and labels), and a live change in words.
 */
import { describe, expect, it } from 'vitest';
import { knobNameInSentence, liveEditText, liveEditsText } from '../../src/app/sequences/live-edit-text.ts';
import { liveKnobLabel, liveValueProblem, neuralLiveKeys } from '../../src/worker/neural/protocol.ts';

describe('neuralLiveKeys', () => {
  it('lists lr and the objective’s own live knobs', () => {
    expect(neuralLiveKeys('dpo')).toEqual(['lr', 'dpoBeta']);
    expect(neuralLiveKeys('ipo')).toEqual(['lr', 'ipoMargin']);
    expect(neuralLiveKeys('rwr')).toEqual(['lr', 'rwrTemperature']);
    expect(neuralLiveKeys('ppo')).toEqual(['lr', 'klCoef', 'ppoClip']);
    // sequence REINFORCE reads the tabular objective's sampled "entropy bonus" as well as the KL coefficient
    expect(neuralLiveKeys('reinforce')).toEqual(['lr', 'klCoef', 'entropyBonus']);
    expect(neuralLiveKeys('pref-ft')).toEqual(['lr']);
  });

  it('gives best-of-N its negative-gradient weight only when it has a negative gradient', () => {
    expect(neuralLiveKeys('best-of-n')).toEqual(['lr']);
    expect(neuralLiveKeys('best-of-n', 'no_negative_gradient')).toEqual(['lr']);
    expect(neuralLiveKeys('best-of-n', 'worst_action')).toEqual(['lr', 'negGradWeight']);
    // a negative-gradient type means nothing to another objective
    expect(neuralLiveKeys('dpo', 'worst_action')).toEqual(['lr', 'dpoBeta']);
  });

  it('an objective it does not know gets lr alone', () => {
    expect(neuralLiveKeys('something-else')).toEqual(['lr']);
  });
});

describe('liveValueProblem', () => {
  it('accepts a value in the knob’s range, the ends included where the bandit lab includes them', () => {
    expect(liveValueProblem('lr', 1e-4)).toBeNull();
    expect(liveValueProblem('ppoClip', 0)).toBeNull();
    expect(liveValueProblem('ppoClip', 1)).toBeNull();
    expect(liveValueProblem('klCoef', 0)).toBeNull();
    expect(liveValueProblem('ipoMargin', 1000)).toBeNull();
  });

  it('names the knob and its range otherwise', () => {
    expect(liveValueProblem('lr', 0)).toBe('Learning rate must be a number greater than 0 and at most 100 (got 0)');
    expect(liveValueProblem('dpoBeta', -0.5)).toBe('DPO temperature β must be a number greater than 0 and at most 1000 (got -0.5)');
    expect(liveValueProblem('ppoClip', 1.01)).toBe('PPO clip ε must be a number at least 0 and at most 1 (got 1.01)');
    expect(liveValueProblem('negGradWeight', 101)).toBe('Negative-gradient weight must be a number at least 0 and at most 100 (got 101)');
    expect(liveValueProblem('rwrTemperature', Number.POSITIVE_INFINITY)).toMatch(/^RWR temperature τ must be a number greater than 0 and at most 1000/);
    expect(liveValueProblem('ipoMargin', Number.NaN)).toMatch(/^IPO target margin must be a number at least 0 and at most 1000/);
  });
});

describe('a live change in words', () => {
  it('uses the settings table’s labels, lower-cased only where a sentence needs it', () => {
    expect(liveKnobLabel('lr')).toBe('Learning rate');
    expect(knobNameInSentence('lr')).toBe('learning rate');
    expect(knobNameInSentence('dpoBeta')).toBe('DPO temperature β');
    expect(knobNameInSentence('entropyBonus')).toBe('sampled "entropy bonus"');
    expect(liveEditText({ step: 4, key: 'ipoMargin', value: 2 })).toBe('after step 4, IPO target margin = 2');
    expect(liveEditsText([
      { step: 0, key: 'lr', value: 0.002 },
      { step: 3, key: 'klCoef', value: 0.5 },
    ])).toBe('Live changes (Reset replays them): after step 0, learning rate = 0.002; after step 3, KL coefficient = 0.5.');
  });
});
