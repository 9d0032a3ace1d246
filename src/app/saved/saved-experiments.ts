/**
 * "My experiments": experiments saved under a name in this browser (localStorage), nothing sent anywhere.
 * Each is stored as its link's query, the versioned format the URL codec keeps opening after schema changes.
 */

export interface SavedExperiment {
  id: string;
  name: string;
  /** ISO date */
  savedAt: string;
  /** the experiment's URL query (without '?') */
  query: string;
}

export const SAVED_KEY = 'mode-lab.saved-experiments.v1';
export const MAX_NAME_LENGTH = 80;

/** The part of `Storage` this module uses (a test passes a Map-backed one). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function isSaved(value: unknown): value is SavedExperiment {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.name === 'string' && typeof v.savedAt === 'string' && typeof v.query === 'string';
}

/** The saved list; unreadable storage or entries are skipped, never thrown. */
export function listSaved(storage: KeyValueStorage): SavedExperiment[] {
  let text: string | null;
  try {
    text = storage.getItem(SAVED_KEY);
  } catch {
    return [];
  }
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter(isSaved) : [];
  } catch {
    return [];
  }
}

export function checkName(name: string, others: SavedExperiment[], exceptId?: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the experiment a name.';
  if (trimmed.length > MAX_NAME_LENGTH) return `A name can have at most ${MAX_NAME_LENGTH} characters (this one has ${trimmed.length}).`;
  if (others.some((s) => s.name === trimmed && s.id !== exceptId)) return `“${trimmed}” is already saved: pick another name or delete that one first.`;
  return null;
}

function write(storage: KeyValueStorage, list: SavedExperiment[]): void {
  try {
    storage.setItem(SAVED_KEY, JSON.stringify(list));
  } catch (error) {
    throw new Error(`the browser refused to store it (${(error as Error).name === 'QuotaExceededError' ? 'its storage is full' : (error as Error).message}); delete a saved experiment and try again`);
  }
}

/** Save under a new name; throws an Error with a message for the user when the name or storage is refused. */
export function saveExperiment(storage: KeyValueStorage, name: string, query: string, now: Date, id: string): SavedExperiment[] {
  const list = listSaved(storage);
  const problem = checkName(name, list);
  if (problem) throw new Error(problem);
  const next = [{ id, name: name.trim(), savedAt: now.toISOString(), query }, ...list];
  write(storage, next);
  return next;
}

export function renameSaved(storage: KeyValueStorage, id: string, name: string): SavedExperiment[] {
  const list = listSaved(storage);
  const problem = checkName(name, list, id);
  if (problem) throw new Error(problem);
  const next = list.map((s) => (s.id === id ? { ...s, name: name.trim() } : s));
  write(storage, next);
  return next;
}

export function deleteSaved(storage: KeyValueStorage, id: string): SavedExperiment[] {
  const next = listSaved(storage).filter((s) => s.id !== id);
  write(storage, next);
  return next;
}
