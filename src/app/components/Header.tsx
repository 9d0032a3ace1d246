/** The lab's header: what is running, where it is, and how fast. */
import { useLab } from '../lab-context.tsx';
import { progressOf } from '../store/lab-store.ts';
import { PageNav } from './PageNav.tsx';
import { Transport } from './Transport.tsx';

export function Header() {
  const step = useLab((s) => progressOf(s));
  const playing = useLab((s) => s.playing);
  const stepsPerSecond = useLab((s) => s.stepsPerSecond);
  const status = useLab((s) => s.status);
  const K = useLab((s) => s.info?.K);
  const rewardLabel = useLab((s) => s.info?.rewardLabel);
  const page = useLab((s) => s.page);
  return (
    <header className="topbar">
      <div className="brand">
        <h1>Mode Lab</h1>
        <p className="tagline">where does the probability mass go?</p>
      </div>
      <PageNav />
      {page === 'lab' && <Transport />}
      {page === 'lab' && (
      <dl className="readout" aria-live="off">
        <div>
          <dt>step</dt>
          <dd data-testid="step">{step}</dd>
        </div>
        <div className="readout-wide">
          <dt>bandit</dt>
          <dd>{K ? `${K} bins · reward ${rewardLabel}` : '…'}</dd>
        </div>
        <div className="readout-wide">
          <dt>engine</dt>
          <dd title="The tabular policy trains on hand-written typed-array kernels in a Web Worker: at this size a GPU is pure overhead (design principle 5).">
            tabular · typed arrays · worker
          </dd>
        </div>
        <div>
          <dt>speed</dt>
          <dd data-testid="steps-per-second">{status !== 'ready' ? status : playing ? `${Math.round(stepsPerSecond).toLocaleString('en')} steps/s` : 'paused'}</dd>
        </div>
      </dl>
      )}
    </header>
  );
}
