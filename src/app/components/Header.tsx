/** The lab's header: what is running, where it is, and how fast. */
import { memo, useId, useState } from 'react';
import { useLab } from '../lab-context.tsx';
import { progressOf } from '../store/lab-store.ts';
import { PresetGalleryButton } from '../presets/PresetGallery.tsx';
import { TourButton } from '../tour/Tour.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import { PageNav } from './PageNav.tsx';
import { Transport } from './Transport.tsx';
import { MyExperimentsButton } from '../saved/MyExperimentsButton.tsx';
import { ShareButton } from '../url/ShareButton.tsx';
import { useHidden } from '../url/use-hidden.ts';

export function Header() {
  const step = useLab((s) => progressOf(s));
  const playing = useLab((s) => s.playing);
  const stepsPerSecond = useLab((s) => s.stepsPerSecond);
  const status = useLab((s) => s.status);
  const K = useLab((s) => s.info?.K);
  const rewardLabel = useLab((s) => s.info?.rewardLabel);
  const page = useLab((s) => s.page);
  const hideNav = useHidden('nav');
  return (
    <header className="topbar">
      <div className="brand">
        <h1>Mode Lab</h1>
        <p className="tagline">where does the probability mass go?</p>
      </div>
      {!hideNav && <PageNav />}
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
      <HeaderActions />
    </header>
  );
}

/**
 * Presets, tour, sharing, saving and export. Kept apart from the header's per-frame readouts so that they
 * do not re-render on every frame while training.
 */
const HeaderActions = memo(function HeaderActions() {
  const page = useLab((s) => s.page);
  const hideExport = useHidden('export');
  const classroom = useLab((s) => s.hide.length > 0);
  const present = useLab((s) => s.present);
  const setClassroom = useLab((s) => s.setClassroom);
  // on a phone the sharing and preset buttons fold into a menu, so the sticky header stays small
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();
  return (
    <>
      <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls={menuId} onClick={() => setMenuOpen((open) => !open)}>
        {menuOpen ? 'Close menu' : 'Menu'}
      </button>
      <div id={menuId} className={menuOpen ? 'header-actions open' : 'header-actions'}>
        <PresetGalleryButton />
        <TourButton />
        <ShareButton />
        <MyExperimentsButton />
        {!hideExport && page === 'lab' && <ExportMenu />}
        {(classroom || present) && (
          <button type="button" className="link-button" onClick={() => setClassroom([], false)} title="Show every panel and control, in normal type">
            {present ? 'Leave presentation mode' : 'Show all controls'}
          </button>
        )}
      </div>
    </>
  );
});
