/** One run's small multiple: where its probability mass is now, and which samples its last step pushed up or down. */
import { useCallback, useEffect, useRef } from 'react';
import { OBJECTIVES } from '../../lab/objectives/catalog.ts';
import type { ComparisonInfo } from '../../worker/protocol.ts';
import { runColour } from '../colours.ts';
import { policyPng } from '../export/png-export.ts';
import { policySvg } from '../export/policy-svg.ts';
import { SaveImageMenu, type ImageFormat } from '../export/SaveImageMenu.tsx';
import { svgBlob } from '../export/svg-export.ts';
import { useLab, useLabStore } from '../lab-context.tsx';
import { MlpCompanionPanel, MlpPolicyStrip } from '../mlp-companion/MlpCompanion.tsx';
import type { RunPicture } from '../store/live-view.ts';
import { drawPolicy, niceCeiling, type PolicyPicture } from './draw-policy.ts';

const HEIGHT = 132;

function axisTop(probs: Float64Array, refProbs: Float64Array): number {
  let top = 0;
  for (const p of probs) top = Math.max(top, p);
  for (const p of refProbs) top = Math.max(top, p);
  return niceCeiling(top * 1.05);
}

/** what the card draws (and its image exports show): the run's latest picture over the comparison's bandit */
function policyPicture(picture: RunPicture, info: ComparisonInfo, index: number): PolicyPicture {
  return {
    ...picture,
    refProbs: info.refProbs,
    reward: info.reward,
    peakLo: info.peakLo,
    peakHi: info.peakHi,
    colour: runColour(index),
    yMax: axisTop(picture.probs, info.refProbs),
  };
}

/** the width an exported image is drawn at when the card has not been laid out (CSS px) */
const EXPORT_FALLBACK_WIDTH = 480;

export function PolicyCard({ index }: { index: number }) {
  const store = useLabStore();
  const info = useLab((s) => s.info);
  const status = useLab((s) => s.runs[index]);
  const hidden = useLab((s) => s.hidden.includes(s.info?.runs[index]?.name ?? ''));
  const canvas = useRef<HTMLCanvasElement>(null);
  const run = info?.runs[index];

  useEffect(() => {
    const element = canvas.current;
    if (!element || !info) return;
    let frame = 0;
    let width = 0;
    const draw = () => {
      frame = 0;
      const picture = store.view.pictures[index];
      const ctx = element.getContext('2d');
      if (!picture || !ctx || width === 0) return;
      const dpr = window.devicePixelRatio || 1;
      if (element.width !== Math.round(width * dpr)) {
        element.width = Math.round(width * dpr);
        element.height = Math.round(HEIGHT * dpr);
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawPolicy(ctx, width, HEIGHT, policyPicture(picture, info, index));
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    const resize = new ResizeObserver(([entry]) => {
      width = entry.contentRect.width;
      schedule();
    });
    resize.observe(element);
    const unsubscribe = store.view.subscribe(schedule);
    schedule();
    return () => {
      unsubscribe();
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [store, info, index]);

  const makeImage = useCallback(
    async (format: ImageFormat): Promise<Blob> => {
      const picture = store.view.pictures[index];
      const current = store.view.info;
      const name = current?.runs[index]?.name;
      if (!picture || !current || name === undefined) throw new Error('the run has nothing drawn yet');
      const width = canvas.current?.clientWidth || EXPORT_FALLBACK_WIDTH;
      const step = store.getState().runs[index]?.step ?? 0;
      const title = `${name} · step ${step}`;
      const drawn = policyPicture(picture, current, index);
      if (format === 'png') return policyPng(drawn, { width, height: HEIGHT, title });
      return svgBlob(policySvg(drawn, { width, height: HEIGHT, title, description: canvas.current?.getAttribute('aria-label') ?? undefined }));
    },
    [store, index],
  );

  if (!run || !info) return null;
  const series = store.view.series[index];
  const reward = series?.last('expected_reward') ?? Number.NaN;
  const peak = series?.last('peak_mass') ?? Number.NaN;
  const kl = series?.last('kl_pi_ref') ?? Number.NaN;
  const picture = store.view.pictures[index];
  const pushedDown = picture ? picture.sampleCoefficients.filter((c) => c < 0).length : 0;
  const samples = picture?.sampleBins.length ?? 0;
  const yMax = picture ? String(axisTop(picture.probs, info.refProbs)) : '';
  const stateText = status?.diverged
    ? `diverged at step ${status.diverged.step}: ${status.diverged.reason}`
    : status?.finished
      ? `finished at step ${status.step}`
      : `step ${status?.step ?? 0} of ${run.steps} · epoch ${Math.max(0, status?.epoch ?? 0) + 1}`;
  const summary = `${run.name}: ${(peak * 100).toFixed(0)}% of the mass in the reward-peak window, expected reward ${reward.toFixed(3)}, at ${stateText}`;

  return (
    <article className={`policy-card${hidden ? ' is-hidden' : ''}${status?.diverged ? ' is-diverged' : ''}`} aria-labelledby={`run-${index}-title`} data-run={run.name}>
      <header>
        <span className="swatch" style={{ background: runColour(index) }} aria-hidden="true" />
        <h3 id={`run-${index}-title`}>{run.name}</h3>
        <span className="objective-tag">
          {run.sampling} · {OBJECTIVES[run.objective].label}
        </span>
        <SaveImageMenu subject={`the policy of ${run.name}`} fileSubject={`policy-${run.name}`} makeImage={makeImage} />
      </header>
      <p className={`run-state${status?.diverged ? ' error' : ''}`} role={status?.diverged ? 'alert' : undefined}>
        {stateText}
      </p>
      <div className="policy-plot">
        <span className="axis-top" aria-hidden="true">
          {yMax && `π ≤ ${yMax}`}
        </span>
        <canvas ref={canvas} role="img" aria-label={summary} style={{ height: HEIGHT }} />
        <div className="axis-bins" aria-hidden="true">
          <span>0</span>
          <span>bin</span>
          <span>{info.K - 1}</span>
        </div>
      </div>
      <dl className="run-stats">
        <div>
          <dt>E[r]</dt>
          <dd data-metric="expected_reward">{reward.toFixed(3)}</dd>
        </div>
        <div>
          <dt>peak mass</dt>
          <dd data-metric="peak_mass">{peak.toFixed(3)}</dd>
        </div>
        <div>
          <dt>KL(π‖π_ref)</dt>
          <dd data-metric="kl_pi_ref">{kl.toFixed(3)}</dd>
        </div>
        <div>
          <dt>pushed down</dt>
          <dd data-metric="pushed_down">{samples ? `${pushedDown}/${samples}` : '–'}</dd>
        </div>
      </dl>
      <MlpPolicyStrip index={index} />
    </article>
  );
}

/** The key under the small multiples. */
export function PolicyKey() {
  return (
    <>
    <p className="policy-key">
      <span>
        <span className="key-bar" aria-hidden="true" /> π (bars)
      </span>
      <span>
        <span className="key-outline" aria-hidden="true" /> π_ref (outline)
      </span>
      <span>
        <span className="key-reward" aria-hidden="true" /> reward (dashed, own scale)
      </span>
      <span>
        <span className="key-window" aria-hidden="true" /> reward-peak window
      </span>
      <span>
        <span className="key-up" aria-hidden="true" /> upper ticks: samples pushed up
      </span>
      <span>
        <span className="key-down" aria-hidden="true" /> lower ticks: pushed down (the negative gradient)
      </span>
    </p>
    <MlpCompanionPanel />
    </>
  );
}
