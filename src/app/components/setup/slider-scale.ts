/**
 * The mapping between a slider's position (0…STEPS) and a knob's value, linear or logarithmic as the
 * knob table says, with values rounded to three significant digits so that the field shows 0.0123,
 * not 0.012345678.
 */
import type { NumberKnob } from '../../../lab/config/settings.ts';

export const SLIDER_STEPS = 1000;

export function roundValue(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(3));
}

export function valueAt(knob: NumberKnob, position: number): number {
  const { min, max } = knob.slider!;
  const t = Math.min(1, Math.max(0, position / SLIDER_STEPS));
  const value = knob.scale === 'log' ? min * (max / min) ** t : min + t * (max - min);
  return knob.integer ? Math.round(value) : roundValue(value);
}

export function positionOf(knob: NumberKnob, value: number): number {
  const { min, max } = knob.slider!;
  const clamped = Math.min(max, Math.max(min, value));
  const t = knob.scale === 'log' ? Math.log(clamped / min) / Math.log(max / min) : (clamped - min) / (max - min);
  return Math.round(t * SLIDER_STEPS);
}
