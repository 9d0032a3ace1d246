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

/**
 * Where everything of a policy picture goes in a `width` × `height` box (CSS px): shared by the canvas
 * (`drawPolicy`) and the SVG export (`policySvg`), so both draw the same picture.
 */
export interface PolicyLayout {
  K: number;
  /** height of the plot above the two tick rows */
  plotH: number;
  binW: number;
  /** the left edge of bin `a` (a + 0.5 is its centre) */
  x(a: number): number;
  /** the height of probability `prob` on the plot's axis (clipped at `yMax`) */
  y(prob: number): number;
  /** the reward curve's height at bin `a`, on its own scale (its range fills the plot) */
  rewardY(a: number): number;
  /** space between two bars */
  barGap: number;
  /** the vertical extent of a sample's tick: pushed up (> 0), pushed down (< 0), neither (0) */
  tickSpan(sign: number): [top: number, bottom: number];
  tickWidth: number;
}

export function policyLayout(width: number, height: number, p: PolicyPicture): PolicyLayout {
  const K = p.probs.length;
  const plotH = height - 2 * TICK_ROW - 2;
  const binW = width / K;
  let rMin = Infinity;
  let rMax = -Infinity;
  for (const r of p.reward) {
    rMin = Math.min(rMin, r);
    rMax = Math.max(rMax, r);
  }
  const span = rMax - rMin || 1;
  const upTop = plotH + 1;
  const downTop = plotH + 1 + TICK_ROW;
  return {
    K,
    plotH,
    binW,
    x: (a) => a * binW,
    y: (prob) => plotH - (Math.min(prob, p.yMax) / p.yMax) * plotH,
    rewardY: (a) => 2 + (1 - (p.reward[a] - rMin) / span) * (plotH - 4),
    barGap: binW > 3 ? 0.5 : 0,
    tickSpan: (sign) => (sign > 0 ? [upTop, upTop + TICK_ROW - 1] : sign < 0 ? [downTop, downTop + TICK_ROW - 1] : [upTop + TICK_ROW - 2, downTop + 1]),
    tickWidth: Math.max(1, Math.min(2, binW * 0.6)),
  };
}

export function drawPolicy(ctx: CanvasRenderingContext2D, width: number, height: number, p: PolicyPicture): void {
  const { K, plotH, binW, x, y, rewardY, barGap: gap, tickSpan, tickWidth } = policyLayout(width, height, p);
  ctx.clearRect(0, 0, width, height);

  ctx.fillStyle = PEAK_WINDOW;
  ctx.fillRect(x(p.peakLo), 0, (p.peakHi - p.peakLo + 1) * binW, plotH);

  ctx.fillStyle = p.colour;
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

  ctx.strokeStyle = REWARD_CURVE;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  for (let a = 0; a < K; a++) {
    const ya = rewardY(a);
    if (a === 0) ctx.moveTo(x(a + 0.5), ya);
    else ctx.lineTo(x(a + 0.5), ya);
  }
  ctx.stroke();
  ctx.setLineDash([]);

  ctx.strokeStyle = AXIS_LINE;
  ctx.beginPath();
  ctx.moveTo(0, plotH + 0.5);
  ctx.lineTo(width, plotH + 0.5);
  ctx.stroke();

  ctx.lineWidth = tickWidth;
  // one path per sign (an offline minibatch has 1,000 samples: one stroke each would cost the frame)
  for (const sign of TICK_SIGNS) {
    ctx.strokeStyle = tickColour(sign);
    const [top, bottom] = tickSpan(sign);
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

/** the tick rows, drawn in this order: pushed up, pushed down, then samples with a zero coefficient */
export const TICK_SIGNS = [1, -1, 0] as const;

export const AXIS_LINE = '#bbbbbb';

export function tickColour(sign: number): string {
  return sign > 0 ? PUSHED_UP : sign < 0 ? PUSHED_DOWN : NEUTRAL;
}
