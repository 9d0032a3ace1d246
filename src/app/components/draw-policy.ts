/**
 * Draws one run's policy on a canvas: the peak window shaded, π as bars, π_ref as an outline, the reward
 * as a dashed curve on its own scale, and the last minibatch's samples as ticks — pushed up (coefficient
 * > 0) in the row above the axis, pushed down (< 0, the negative gradient) in the row below.
 * A canvas, because these redraw every frame for every run.
 */
import { NEUTRAL, PEAK_WINDOW, PUSHED_DOWN, PUSHED_UP, REFERENCE_OUTLINE, REWARD_CURVE } from '../colours.ts';

export interface PolicyPicture {
  probs: Float64Array;
  refProbs: Float64Array;
  reward: Float64Array;
  peakLo: number;
  peakHi: number;
  sampleBins: Int32Array;
  sampleCoefficients: Float64Array;
  colour: string;
  /** top of the probability axis */
  yMax: number;
}

/** heights (CSS px) of the two tick rows under the plot */
export const TICK_ROW = 7;

/** A stable top for the probability axis: the next of 0.05, 0.1, 0.2, 0.25, 0.5, 1 (× powers of ten) above `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= value) return Math.min(1, m * power);
  return 1;
}

export function drawPolicy(ctx: CanvasRenderingContext2D, width: number, height: number, p: PolicyPicture): void {
  const K = p.probs.length;
  const plotH = height - 2 * TICK_ROW - 2;
  const binW = width / K;
  const x = (a: number) => a * binW;
  const y = (prob: number) => plotH - (Math.min(prob, p.yMax) / p.yMax) * plotH;
  ctx.clearRect(0, 0, width, height);

  ctx.fillStyle = PEAK_WINDOW;
  ctx.fillRect(x(p.peakLo), 0, (p.peakHi - p.peakLo + 1) * binW, plotH);

  ctx.fillStyle = p.colour;
  const gap = binW > 3 ? 0.5 : 0;
  for (let a = 0; a < K; a++) {
    const top = y(p.probs[a]);
    if (plotH - top > 0.1) ctx.fillRect(x(a) + gap / 2, top, Math.max(0.5, binW - gap), plotH - top);
  }

  ctx.strokeStyle = REFERENCE_OUTLINE;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let a = 0; a < K; a++) {
    const ya = y(p.refProbs[a]);
    if (a === 0) ctx.moveTo(x(0), ya);
    else ctx.lineTo(x(a), ya);
    ctx.lineTo(x(a + 1), ya);
  }
  ctx.stroke();

  let rMin = Infinity;
  let rMax = -Infinity;
  for (const r of p.reward) {
    rMin = Math.min(rMin, r);
    rMax = Math.max(rMax, r);
  }
  const span = rMax - rMin || 1;
  ctx.strokeStyle = REWARD_CURVE;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  for (let a = 0; a < K; a++) {
    const ya = 2 + (1 - (p.reward[a] - rMin) / span) * (plotH - 4);
    if (a === 0) ctx.moveTo(x(a + 0.5), ya);
    else ctx.lineTo(x(a + 0.5), ya);
  }
  ctx.stroke();
  ctx.setLineDash([]);

  ctx.strokeStyle = '#bbbbbb';
  ctx.beginPath();
  ctx.moveTo(0, plotH + 0.5);
  ctx.lineTo(width, plotH + 0.5);
  ctx.stroke();

  const upTop = plotH + 1;
  const downTop = plotH + 1 + TICK_ROW;
  ctx.lineWidth = Math.max(1, Math.min(2, binW * 0.6));
  // one path per sign (an offline minibatch has 1,000 samples: one stroke each would cost the frame)
  for (const sign of [1, -1, 0]) {
    ctx.strokeStyle = sign > 0 ? PUSHED_UP : sign < 0 ? PUSHED_DOWN : NEUTRAL;
    const [top, bottom] = sign > 0 ? [upTop, upTop + TICK_ROW - 1] : sign < 0 ? [downTop, downTop + TICK_ROW - 1] : [upTop + TICK_ROW - 2, downTop + 1];
    ctx.beginPath();
    for (let i = 0; i < p.sampleBins.length; i++) {
      if (Math.sign(p.sampleCoefficients[i]) !== sign) continue;
      const cx = x(p.sampleBins[i] + 0.5);
      ctx.moveTo(cx, top);
      ctx.lineTo(cx, bottom);
    }
    ctx.stroke();
  }
}
