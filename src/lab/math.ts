/**
 * The transcendental functions the core uses, computed the same way on every JavaScript engine.
 *
 * `Math.exp`, `Math.log`, `Math.pow`, `Math.atan`, … are only required to be close to the true value,
 * and engines differ in the last bit: Node 20's V8 and Chromium 156's V8 disagree on about 10% of
 * `Math.exp` results. A shared link promises the same metrics in every browser and in the CLI, so the
 * core uses stdlib's ports of fdlibm instead, written with IEEE-754 arithmetic only (+ − × ÷ and sqrt are
 * correctly rounded everywhere). `Math.sqrt`, `Math.floor`, `Math.min`/`max` stay: they are exact.
 */
import atanImpl from '@stdlib/math-base-special-atan';
import atanhImpl from '@stdlib/math-base-special-atanh';
import expImpl from '@stdlib/math-base-special-exp';
import lnImpl from '@stdlib/math-base-special-ln';
import log1pImpl from '@stdlib/math-base-special-log1p';
import powImpl from '@stdlib/math-base-special-pow';
import tanImpl from '@stdlib/math-base-special-tan';
import tanhImpl from '@stdlib/math-base-special-tanh';

export const exp: (x: number) => number = expImpl;
/** the natural logarithm */
export const log: (x: number) => number = lnImpl;
export const log1p: (x: number) => number = log1pImpl;
export const pow: (base: number, exponent: number) => number = powImpl;
export const tan: (x: number) => number = tanImpl;
export const tanh: (x: number) => number = tanhImpl;
export const atan: (x: number) => number = atanImpl;
export const atanh: (x: number) => number = atanhImpl;
