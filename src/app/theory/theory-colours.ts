/** Colours of the theory bench (Okabe–Ito based, at least 3:1 on white), shared by its charts and legends. */
import type { KlObjective } from '../../lab/theory.ts';
import { PUSHED_DOWN, PUSHED_UP } from '../colours.ts';

export const OBJECTIVE_COLOUR: Record<KlObjective, string> = { forward: '#0072B2', reverse: '#D55E00' };
export const TARGET_COLOUR = '#6b6b6b';
/** one colour per bin of the four-bin toy; bin 2 is the target's mode */
export const BIN_COLOURS = ['#444444', '#8C6D1F', '#009E73', '#CC79A7'];
export const RISING = PUSHED_UP;
export const FALLING = PUSHED_DOWN;
/** slow discovery: rising, but slower than maximum likelihood */
export const RISING_SLOWLY = '#7f9fd0';

export function binColour(bin: number): string {
  return BIN_COLOURS[bin % BIN_COLOURS.length];
}
