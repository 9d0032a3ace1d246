/**
 * Dropping a bundle file anywhere on the page imports it: a document-level drop handler (mount once, in
 * the lab). Drags that carry no files (text, links) are left alone. A bad file shows the store's notice.
 */
import { useEffect } from 'react';
import { useLabStore } from '../lab-context.tsx';
import { importBundleFile } from './import-bundle.ts';

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

export function useBundleDrop(): void {
  const store = useLabStore();
  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      // without this the browser opens the file instead of letting the page have it
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length === 0) return;
      if (files.length > 1) {
        store.setState({ notice: `Drop one bundle at a time (${files.length} files were dropped); nothing was imported.` });
        return;
      }
      void importBundleFile(store, files[0]).then((result) => {
        if (!result.ok) store.setState({ notice: result.message });
      });
    };
    document.addEventListener('dragover', onDragOver);
    document.addEventListener('drop', onDrop);
    return () => {
      document.removeEventListener('dragover', onDragOver);
      document.removeEventListener('drop', onDrop);
    };
  }, [store]);
}
