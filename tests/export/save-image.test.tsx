// @vitest-environment happy-dom
/** "Save image" on a policy card (SVG from the card's picture) and on a chart, through the real store. */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetricCharts } from '../../src/app/components/charts/MetricCharts.tsx';
import { PolicyCard } from '../../src/app/components/PolicyCard.tsx';
import { StatusBanners } from '../../src/app/components/StatusBanners.tsx';
import { F1, makeLab, renderWithStore } from '../helpers/render-lab.tsx';
import { captureDownloads } from './capture-downloads.ts';
import { xmlProblems } from './xml-check.ts';

let capture: ReturnType<typeof captureDownloads>;
beforeEach(() => {
  capture = captureDownloads();
});
afterEach(() => {
  capture.restore();
  cleanup();
});

describe('Save image', () => {
  it('saves a policy card as SVG: its picture now, one bar per bin, titled with the run and step', async () => {
    const lab = makeLab(F1);
    const user = userEvent.setup();
    renderWithStore(<PolicyCard index={4} />, lab.store);
    lab.step(30);
    const card = within(screen.getByRole('article', { name: 'REINFORCE' }));
    await user.click(card.getByText('Save image'));
    await user.click(card.getByRole('button', { name: 'Save the policy of REINFORCE as SVG' }));
    await waitFor(() => expect(capture.downloads).toHaveLength(1));
    const [file] = capture.downloads;
    expect(file.fileName).toMatch(/^mode-lab-policy-reinforce-.*\.svg$/);
    expect(file.blob.type).toBe('image/svg+xml;charset=utf-8');
    const text = await file.blob.text();
    expect(xmlProblems(text)).toEqual([]);
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    expect(doc.querySelector('title')!.textContent).toBe('REINFORCE · step 30');
    expect(doc.querySelector('desc')!.textContent).toBe(card.getByRole('img').getAttribute('aria-label'));
    const bars = Array.from(doc.querySelectorAll('rect.bar'));
    expect(bars).toHaveLength(100);
    // the tallest bar is the bin where the live view's π is largest
    const probs = Array.from(lab.store.view.pictures[4].probs);
    const tallest = bars.reduce((best, bar) => (Number(bar.getAttribute('height')) > Number(best.getAttribute('height')) ? bar : best));
    expect(Number(tallest.getAttribute('data-bin'))).toBe(probs.indexOf(Math.max(...probs)));
    // REINFORCE's last minibatch: 100 samples, as ticks
    const ticks = Array.from(doc.querySelectorAll('path.ticks')).reduce((n, path) => n + (path.getAttribute('d')!.match(/M/g) ?? []).length, 0);
    expect(ticks).toBe(100);
  });

  it('a failure (no canvas to draw the PNG on) is a visible notice, not a crash', async () => {
    const lab = makeLab(F1);
    const user = userEvent.setup();
    renderWithStore(
      <>
        <StatusBanners />
        <PolicyCard index={0} />
      </>,
      lab.store,
    );
    const card = within(screen.getByRole('article', { name: 'offline best-of-N' }));
    await user.click(card.getByRole('button', { name: 'Save the policy of offline best-of-N as PNG' }));
    expect((await screen.findByRole('status')).textContent).toContain('Could not save an image of the policy of offline best-of-N: this browser cannot draw on a canvas.');
    expect(capture.downloads).toHaveLength(0);
  });

  it('every chart has its own control; a chart not drawn yet says so', async () => {
    const lab = makeLab(F1);
    const user = userEvent.setup();
    renderWithStore(
      <>
        <StatusBanners />
        <MetricCharts />
      </>,
      lab.store,
    );
    const figures = screen.getAllByRole('figure');
    expect(figures).toHaveLength(8);
    for (const figure of figures) expect(within(figure).getByText('Save image')).toBeTruthy();
    const entropy = within(screen.getByRole('figure', { name: /Entropy H\(π\)/ }));
    await user.click(entropy.getByRole('button', { name: 'Save the chart Entropy H(π) as SVG' }));
    // happy-dom lays nothing out, so Recharts draws no SVG
    expect((await screen.findByRole('status')).textContent).toContain('Could not save an image of the chart Entropy H(π): the chart has nothing drawn yet.');
  });
});
