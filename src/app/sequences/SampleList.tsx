/**
 * A few sequences of the run's latest minibatch: prompt, then the generated tokens (the end token as ∎),
 * the reward, and the objective's coefficient — positive pushes the sequence up, negative pushes it down.
 */
import { PUSHED_DOWN, PUSHED_UP } from '../colours.ts';
import type { NeuralSample } from '../../worker/neural/protocol.ts';
import { sampleTokens } from './token-text.ts';

export interface SampleListProps {
  runName: string;
  samples: readonly NeuralSample[];
  endToken: number | null;
}

function signed(value: number): string {
  return `${value < 0 ? '−' : value > 0 ? '+' : ''}${Math.abs(value).toFixed(3)}`;
}

export function SampleList({ runName, samples, endToken }: SampleListProps) {
  if (samples.length === 0) return <p className="note">No samples yet.</p>;
  return (
    <ol className="sample-list" aria-label={`Latest samples of ${runName}`}>
      {samples.map((sample, i) => {
        const { prompt, generated } = sampleTokens(sample, endToken);
        const direction = sample.coefficient < 0 ? 'down' : sample.coefficient > 0 ? 'up' : 'none';
        return (
          <li key={i} className={`sample sample-${direction}`} data-coefficient={sample.coefficient}>
            <span className="sample-tokens">
              <span className="sample-prompt" title="prompt token">
                {prompt}
              </span>
              <span aria-hidden="true"> │ </span>
              <span className="visually-hidden">, then </span>
              {generated.join(' ')}
            </span>
            <span className="sample-reward">r {sample.reward.toFixed(3)}</span>
            <span className="sample-coefficient" style={{ color: direction === 'down' ? PUSHED_DOWN : direction === 'up' ? PUSHED_UP : undefined }}>
              c {signed(sample.coefficient)}{' '}
              {direction === 'down' && <span className="pushed-down">▼ pushed down</span>}
              {direction === 'up' && <span className="pushed-up">▲ pushed up</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
