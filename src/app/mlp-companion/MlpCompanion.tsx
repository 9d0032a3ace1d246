/** The MLP companion's control and status line, and its small plot in each run card. */
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { runColour } from '../colours.ts';
import { drawPolicy, niceCeiling } from '../components/draw-policy.ts';
import { useLab, useLabStore } from '../lab-context.tsx';
import { companionFor, type MlpCompanionState } from './companion.ts';
import './mlp-companion.css';

export function useMlpCompanion<T>(selector: (state: MlpCompanionState) => T): T {
  const lab = useLabStore();
  return useStore(companionFor(lab).store, selector);
}

function statusText(state: MlpCompanionState, labStep: number): string {
  const backend = state.backend ? `on ${state.backend}` : 'choosing a tfjs backend…';
  const parts = [backend];
  switch (state.status) {
    case 'starting':
      parts.push('starting');
      break;
    case 'sft':
      parts.push(state.sft ? `SFT to π_ref: ${state.sft.done} of ${state.sft.total} steps` : 'SFT to π_ref');
      break;
    case 'failed':
      return `MLP stopped: ${state.failure ?? 'unknown error'}`;
    default: {
      parts.push(state.sft ? `SFT done (${state.sft.total} steps)` : 'SFT done');
      parts.push(`MLP step ${state.step}${state.status === 'finished' ? ', finished' : ` of ${labStep} reached by the lab`}`);
      if (Number.isFinite(state.msPerStep)) parts.push(`${state.msPerStep.toFixed(0)} ms per lock step`);
    }
  }
  return parts.join(' · ');
}

/** The switch and the status line (under the policy key). */
export function MlpCompanionPanel() {
  const enabled = useMlpCompanion((s) => s.enabled);
  const state = useMlpCompanion((s) => s);
  const labStep = useLab((s) => s.runs.reduce((m, r) => Math.max(m, r.step), 0));
  const diverged = state.runs.filter((r) => r.diverged);
  return (
    <div className="mlp-companion" data-mlp-status={state.status}>
      <label className="mlp-toggle">
        <input type="checkbox" checked={enabled} onChange={(event) => state.setEnabled(event.target.checked)} />
        Compare with the paper’s MLP
      </label>
      <span className="mlp-hint">{enabled ? 'dashed lines and the small plots: the same runs on the official 110k-parameter MLP (spec C.1)' : 'trains every run on the official MLP as well (tfjs, in its own worker)'}</span>
      {enabled && (
        <p className="mlp-status" role="status" aria-live="polite" title={state.backendDetail ?? undefined}>
          {statusText(state, labStep)}
          {diverged.length > 0 && ` · diverged: ${diverged.map((r) => `${r.name} (${r.diverged})`).join('; ')}`}
        </p>
      )}
    </div>
  );
}

const STRIP_HEIGHT = 64;

/** A small second plot in a run card: the MLP's π averaged over the evaluation contexts. */
export function MlpPolicyStrip({ index }: { index: number }) {
  const lab = useLabStore();
  const enabled = useMlpCompanion((s) => s.enabled);
  const run = useMlpCompanion((s) => s.runs[index]);
  const info = useLab((s) => s.info);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const element = canvas.current;
    if (!enabled || !element || !info) return;
    const companion = companionFor(lab);
    let frame = 0;
    let width = 0;
    const draw = () => {
      frame = 0;
      const ctx = element.getContext('2d');
      if (!ctx || width === 0) return;
      const dpr = window.devicePixelRatio || 1;
      if (element.width !== Math.round(width * dpr)) {
        element.width = Math.round(width * dpr);
        element.height = Math.round(STRIP_HEIGHT * dpr);
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const probs = companion.distributions[index] ?? null;
      if (!probs) {
        ctx.clearRect(0, 0, width, STRIP_HEIGHT);
        return;
      }
      let top = 0;
      for (const p of probs) top = Math.max(top, p);
      for (const p of info.refProbs) top = Math.max(top, p);
      drawPolicy(ctx, width, STRIP_HEIGHT, {
        probs,
        refProbs: info.refProbs,
        reward: info.reward,
        peakLo: info.peakLo,
        peakHi: info.peakHi,
        sampleBins: new Int32Array(0),
        sampleCoefficients: new Float64Array(0),
        colour: runColour(index),
        yMax: niceCeiling(top * 1.05),
      });
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    const resize = new ResizeObserver(([entry]) => {
      width = entry.contentRect.width;
      schedule();
    });
    resize.observe(element);
    const unsubscribe = lab.view.subscribe(schedule);
    schedule();
    return () => {
      unsubscribe();
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [lab, enabled, info, index]);

  if (!enabled || !info) return null;
  const series = companionFor(lab).series[index];
  const reward = series?.last('expected_reward') ?? Number.NaN;
  const kl = series?.last('kl_pi_ref') ?? Number.NaN;
  const text = run?.diverged ? `diverged ${run.diverged}` : `step ${run?.step ?? 0} · E[r] ${Number.isFinite(reward) ? reward.toFixed(3) : '–'} · KL ${Number.isFinite(kl) ? kl.toFixed(3) : '–'}`;
  return (
    <div className="mlp-strip" data-mlp-run={index}>
      <p className="mlp-strip-label">
        <span className="mlp-dash" style={{ borderColor: runColour(index) }} aria-hidden="true" /> MLP, π averaged over the evaluation contexts: <span data-mlp-metric="summary">{text}</span>
      </p>
      <canvas ref={canvas} role="img" aria-label={`${info.runs[index]?.name ?? 'run'} on the MLP: ${text}`} style={{ height: STRIP_HEIGHT }} />
    </div>
  );
}
