// @vitest-environment happy-dom
/** Dropping a bundle file onto the page restores and re-runs it; a bad file gives a notice; other drags are left alone. */
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBundle, bundleJson } from '../../src/app/export/bundle.ts';
import { useBundleDrop } from '../../src/app/export/use-bundle-drop.ts';
import { StatusBanners } from '../../src/app/components/StatusBanners.tsx';
import { config, F1, makeLab, renderWithStore } from '../helpers/render-lab.tsx';

afterEach(cleanup);

function Page() {
  useBundleDrop();
  return <StatusBanners />;
}

/** a drag event whose data carries `types` and `files` */
function drag(type: 'dragover' | 'drop', files: File[], types = ['Files']): Event {
  const event = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: { types, files, dropEffect: 'none' } });
  return event;
}

const OTHER = config({ name: 'dropped', seed: 9, runs: [{ name: 'dpo', objective: 'dpo', steps: 30 }], edits: [{ run: 'dpo', step: 3, key: 'dpoBeta', value: 0.5 }] });

describe('useBundleDrop', () => {
  it('restores a dropped bundle through the store and plays it', async () => {
    const source = makeLab(OTHER);
    source.step(4);
    const text = bundleJson(buildBundle({ config: OTHER, runs: await source.store.getState().requestExport() }));
    const lab = makeLab(F1);
    renderWithStore(<Page />, lab.store);
    const over = drag('dragover', []);
    document.body.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true);
    const drop = drag('drop', [new File([text], 'dropped.json')]);
    act(() => {
      document.body.dispatchEvent(drop);
    });
    expect(drop.defaultPrevented).toBe(true);
    await waitFor(() => expect(lab.store.getState().config).toEqual(OTHER));
    expect(lab.store.getState().playing).toBe(true);
    expect(lab.store.getState().caption.title).toBe('dropped');
  });

  it('a bad file leaves the lab as it was and says what is wrong', async () => {
    const lab = makeLab(F1);
    renderWithStore(<Page />, lab.store);
    act(() => {
      document.body.dispatchEvent(drag('drop', [new File(['col1,col2\n1,2\n'], 'metrics.csv')]));
    });
    const notice = await screen.findByRole('status');
    expect(notice.textContent).toMatch(/^“metrics.csv” was not imported: this file is not JSON \(.+\), so it is not a Mode Lab bundle\./);
    expect(lab.store.getState().config).toEqual(F1);
  });

  it('leaves drags without files alone (text dragged into a field)', () => {
    const lab = makeLab(F1);
    renderWithStore(<Page />, lab.store);
    const over = drag('dragover', [], ['text/plain']);
    const drop = drag('drop', [], ['text/plain']);
    document.body.dispatchEvent(over);
    document.body.dispatchEvent(drop);
    expect(over.defaultPrevented).toBe(false);
    expect(drop.defaultPrevented).toBe(false);
  });

  it('refuses several files at once', async () => {
    const lab = makeLab(F1);
    renderWithStore(<Page />, lab.store);
    act(() => {
      document.body.dispatchEvent(drag('drop', [new File(['{}'], 'a.json'), new File(['{}'], 'b.json')]));
    });
    expect((await screen.findByRole('status')).textContent).toContain('Drop one bundle at a time (2 files were dropped); nothing was imported.');
  });
});
