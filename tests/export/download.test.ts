// @vitest-environment happy-dom
/** Saving a file: a temporary link to an object URL, clicked, removed, the URL revoked afterwards; safe file names. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadBlob } from '../../src/app/export/download.ts';
import { exportFileName, slug } from '../../src/app/export/file-name.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('downloadBlob', () => {
  it('clicks a hidden link with the file name, removes it, and revokes the URL later', () => {
    vi.useFakeTimers();
    const blob = new Blob(['a,b\r\n'], { type: 'text/csv' });
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:one');
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked: Array<{ href: string; download: string; inDocument: boolean }> = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, inDocument: document.body.contains(this) });
    });
    downloadBlob(blob, 'metrics.csv');
    expect(URL.createObjectURL).toHaveBeenCalledWith(blob);
    expect(clicked).toEqual([{ href: 'blob:one', download: 'metrics.csv', inDocument: true }]);
    expect(document.querySelectorAll('a')).toHaveLength(0);
    expect(revoke).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30_000);
    expect(revoke).toHaveBeenCalledWith('blob:one');
  });
});

describe('exportFileName', () => {
  it('is mode-lab-<subject>-<date>-<time>.<extension>, in safe characters', () => {
    expect(exportFileName('F1 — R1', 'csv', new Date(2024, 4, 1, 9, 5))).toBe('mode-lab-f1-r1-2024-05-01-0905.csv');
    expect(slug('policy-Best-of-N (copy)')).toBe('policy-best-of-n-copy');
    expect(slug('Café ümlaut')).toBe('cafe-umlaut');
    expect(slug('../../etc/passwd')).toBe('etc-passwd');
    expect(slug('π')).toBe('experiment');
    expect(slug('x'.repeat(100))).toHaveLength(60);
  });
});
