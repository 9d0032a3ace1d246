/** Run colours (Okabe–Ito based, each with at least 3:1 contrast on white) and the sign colours of samples. */
export const RUN_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#8C6D1F', '#3B8FC4', '#444444', '#A0522D'];

export function runColour(index: number): string {
  return RUN_COLOURS[index % RUN_COLOURS.length];
}

/** a sample whose coefficient is positive is pushed up; negative, pushed down (the negative gradient) */
export const PUSHED_UP = '#1f5fbf';
export const PUSHED_DOWN = '#c2410c';
export const NEUTRAL = '#9a9a9a';
export const REFERENCE_OUTLINE = '#222222';
export const REWARD_CURVE = '#6b6b6b';
export const PEAK_WINDOW = '#fff1b8';
