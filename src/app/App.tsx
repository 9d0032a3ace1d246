/**
 * The first page of Mode Lab: the default comparison (F1 on R1), trained by the lab core in a worker,
 * with its expected-reward curves and final policies. The interactive lab replaces this page.
 */
import { useEffect, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PreviewResult } from '../worker/preview-worker.ts';
import { PolicyBars } from './PolicyBars.tsx';

const COLOURS = ['#1b6ca8', '#d1495b', '#2a9d8f', '#e9a03b', '#6c4ab6', '#555555'];

type State = { status: 'running' } | { status: 'done'; result: PreviewResult } | { status: 'failed'; error: string };

export function App() {
  const [state, setState] = useState<State>({ status: 'running' });

  useEffect(() => {
    const worker = new Worker(new URL('../worker/preview-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ ok: boolean; result?: PreviewResult; error?: string }>) => {
      setState(event.data.ok ? { status: 'done', result: event.data.result! } : { status: 'failed', error: event.data.error ?? 'unknown error' });
      worker.terminate();
    };
    worker.onerror = (event) => setState({ status: 'failed', error: event.message || 'the training worker failed to start' });
    worker.postMessage('run');
    return () => worker.terminate();
  }, []);

  return (
    <main>
      <header>
        <h1>Mode Lab</h1>
        <p className="lede">
          Watch preference fine-tuning objectives move probability mass across the bins of a categorical policy, and see why
          on-policy sampling and a negative gradient (mode-seeking) relocate mass faster than maximum likelihood (mode-covering).
          A reproduction of the didactic experiments of Tajwar et al. 2024, “Preference Fine-Tuning of LLMs Should Leverage
          Suboptimal, On-Policy Data”.
        </p>
        <p className="note">This first page shows the lab core at work; the interactive lab (play, step, live knobs) comes next.</p>
      </header>
      {state.status === 'running' && <p role="status">Training the default comparison in a worker…</p>}
      {state.status === 'failed' && (
        <p role="alert" className="error">
          Training failed: {state.error}
        </p>
      )}
      {state.status === 'done' && <Results result={state.result} />}
    </main>
  );
}

function Results({ result }: { result: PreviewResult }) {
  const names = result.summaries.map((s) => s.name);
  return (
    <>
      <section aria-labelledby="curve-title">
        <h2 id="curve-title">{result.title}</h2>
        <p>{result.description}</p>
        <figure className="chart" aria-label="expected reward against gradient step, one line per run">
          <ResponsiveContainer width="100%" height={320}>
            <LineChart data={result.curve} margin={{ top: 8, right: 32, bottom: 24, left: 8 }}>
              <CartesianGrid stroke="#e3e3e3" />
              <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} label={{ value: 'gradient step', position: 'insideBottom', offset: -12 }} />
              <YAxis domain={[0, 1]} label={{ value: 'E_π[r] (exact)', angle: -90, position: 'insideLeft' }} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
              <Legend verticalAlign="top" />
              {names.map((name, i) => (
                <Line key={name} dataKey={name} stroke={COLOURS[i % COLOURS.length]} dot={false} isAnimationActive={false} strokeWidth={2} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </figure>
      </section>
      <section aria-labelledby="summary-title">
        <h2 id="summary-title">Summary (seed 1, reward {result.rewardLabel})</h2>
        <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">run</th>
              <th scope="col">steps</th>
              <th scope="col">final E[r]</th>
              <th scope="col">first step E[r] ≥ 0.8</th>
              <th scope="col">final peak mass</th>
              <th scope="col">final KL(π‖π_ref)</th>
            </tr>
          </thead>
          <tbody>
            {result.summaries.map((s) => (
              <tr key={s.name}>
                <th scope="row">{s.name}</th>
                <td>{s.steps}</td>
                <td>{s.finalExpectedReward.toFixed(3)}</td>
                <td>{s.firstStepAtReward08 ?? 'never'}</td>
                <td>{s.finalPeakMass.toFixed(3)}</td>
                <td>{s.finalKlPiRef.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
        <p className="note">Computed in {Math.round(result.millis)} ms in a Web Worker.</p>
      </section>
      <section aria-labelledby="policies-title">
        <h2 id="policies-title">Where the mass went</h2>
        <p>Final policy π (bars) against π_ref (outline) and the reward (dashed, scaled to its peak), per run.</p>
        <div className="multiples">
          {result.finalPolicies.map((p, i) => (
            <PolicyBars key={p.name} title={p.name} probs={p.probs} reference={result.reference} reward={result.reward} colour={COLOURS[i % COLOURS.length]} />
          ))}
        </div>
      </section>
    </>
  );
}
