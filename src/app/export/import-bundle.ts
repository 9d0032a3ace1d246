/**
 * Importing a bundle: read the file (refusing a huge one before reading it), check it, then restore its
 * experiment through the store's `load` and train it again from the start (same config, seed and live
 * changes, so the runs replay the bundle's metrics).
 */
import type { LabStore } from '../store/lab-store.ts';
import { bundleSizeProblem, parseBundle, type BundleParseResult, type LabBundle } from './bundle.ts';

export type ImportResult = { ok: true; bundle: LabBundle } | { ok: false; message: string };

export async function readBundleFile(file: Blob): Promise<BundleParseResult> {
  const tooLarge = bundleSizeProblem(file.size);
  if (tooLarge) return { ok: false, message: tooLarge };
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    return { ok: false, message: `the file could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
  return parseBundle(text);
}

/** Read, check and restore `file`; a bad file leaves the lab as it was and returns a message naming the problem. */
export async function importBundleFile(store: LabStore, file: File): Promise<ImportResult> {
  const parsed = await readBundleFile(file);
  if (!parsed.ok) return { ok: false, message: `“${file.name}” was not imported: ${parsed.message}.` };
  restoreBundle(store, parsed.bundle, file.name);
  return parsed;
}

/** Load the bundle's experiment (replacing the current one) and train it again from step 0. */
export function restoreBundle(store: LabStore, bundle: LabBundle, source: string): void {
  store.getState().load(
    bundle.config,
    {
      title: bundle.config.name ?? `Imported: ${source}`,
      lookFor: `Restored from the bundle “${source}” (Mode Lab ${bundle.appVersion}, ${bundle.createdAt.slice(0, 10)}): the same set-up, seed and live changes, training again from step 0.`,
    },
    { play: true },
  );
}
