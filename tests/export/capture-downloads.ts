/** Catch the files the app saves (object URLs and link clicks), instead of letting happy-dom navigate. */
import { vi } from 'vitest';

export interface Download {
  fileName: string;
  blob: Blob;
}

export function captureDownloads(): { downloads: Download[]; restore(): void } {
  const downloads: Download[] = [];
  const blobs = new Map<string, Blob>();
  let next = 0;
  const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${next++}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ fileName: this.download, blob: blobs.get(this.href)! });
  });
  return {
    downloads,
    restore: () => {
      create.mockRestore();
      revoke.mockRestore();
      click.mockRestore();
    },
  };
}
