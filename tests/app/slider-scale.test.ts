/** Sliders for the live knobs: every live number knob has one, inside its range, and positions map both ways. */
import { describe, expect, it } from 'vitest';
import { positionOf, roundValue, SLIDER_STEPS, valueAt } from '../../src/app/components/setup/slider-scale.ts';
import { LIVE_KNOB_KEYS, RUN_KNOBS, type NumberKnob } from '../../src/lab/config/settings.ts';

const live = LIVE_KNOB_KEYS.map((k) => [k, RUN_KNOBS[k] as NumberKnob] as const);

describe('live knob sliders', () => {
  it('every live knob is a number with a slider range inside its allowed range (log ranges above 0)', () => {
    for (const [key, knob] of live) {
      expect(knob.kind, key).toBe('number');
      expect(knob.slider, key).toBeDefined();
      const { min, max } = knob.slider!;
      expect(min, key).toBeLessThan(max);
      expect(knob.exclusiveMin ? min > knob.min : min >= knob.min, `${key} slider min ${min}`).toBe(true);
      expect(max, key).toBeLessThanOrEqual(knob.max);
      if (knob.scale === 'log') expect(min, key).toBeGreaterThan(0);
    }
  });

  it('maps the ends of the slider to the ends of its range, and the middle of a log slider to the geometric mean', () => {
    const lr = RUN_KNOBS.lr as NumberKnob;
    expect(valueAt(lr, 0)).toBe(0.0001);
    expect(valueAt(lr, SLIDER_STEPS)).toBe(1);
    expect(valueAt(lr, SLIDER_STEPS / 2)).toBe(0.01);
    const clip = RUN_KNOBS.ppoClip as NumberKnob;
    expect(valueAt(clip, SLIDER_STEPS / 2)).toBe(0.5);
  });

  it('a value and its slider position round-trip to within one step, and values outside the slider clamp to its ends', () => {
    for (const [, knob] of live) {
      for (const position of [0, 1, 137, 500, 999, SLIDER_STEPS]) {
        const value = valueAt(knob, position);
        expect(Math.abs(positionOf(knob, value) - position)).toBeLessThanOrEqual(2);
      }
      expect(positionOf(knob, knob.slider!.max * 10)).toBe(SLIDER_STEPS);
    }
    expect(positionOf(RUN_KNOBS.lr as NumberKnob, 1e-9)).toBe(0);
  });

  it('rounds to three significant digits', () => {
    expect(roundValue(0.0123456)).toBe(0.0123);
    expect(roundValue(12.3456)).toBe(12.3);
    expect(roundValue(0)).toBe(0);
  });
});
