import { describe, expect, it } from 'vitest';
import { checkName, deleteSaved, listSaved, MAX_NAME_LENGTH, renameSaved, SAVED_KEY, saveExperiment, type KeyValueStorage } from '../../src/app/saved/saved-experiments.ts';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const NOW = new Date('2026-11-26T12:00:00Z');

describe('saved experiments (localStorage)', () => {
  it('saves, lists newest first, renames and deletes, surviving a fresh read of the storage', () => {
    const storage = memoryStorage();
    saveExperiment(storage, 'first', 'v=1&preset=f1-r1', NOW, 'a');
    saveExperiment(storage, '  second ', 'v=1&preset=f4-r1&at=300', NOW, 'b');
    // a reload reads the same storage afresh
    expect(listSaved(storage).map((s) => [s.id, s.name, s.query])).toEqual([
      ['b', 'second', 'v=1&preset=f4-r1&at=300'],
      ['a', 'first', 'v=1&preset=f1-r1'],
    ]);
    renameSaved(storage, 'a', 'renamed');
    expect(listSaved(storage).find((s) => s.id === 'a')?.name).toBe('renamed');
    deleteSaved(storage, 'b');
    expect(listSaved(storage).map((s) => s.name)).toEqual(['renamed']);
    expect(listSaved(storage)[0].savedAt).toBe(NOW.toISOString());
  });

  it('refuses empty, too long and duplicate names with a message, and keeps the list', () => {
    const storage = memoryStorage();
    saveExperiment(storage, 'taken', 'v=1', NOW, 'a');
    expect(() => saveExperiment(storage, '   ', 'v=1', NOW, 'b')).toThrow('Give the experiment a name.');
    expect(() => saveExperiment(storage, 'x'.repeat(MAX_NAME_LENGTH + 1), 'v=1', NOW, 'b')).toThrow(`at most ${MAX_NAME_LENGTH} characters`);
    expect(() => saveExperiment(storage, 'taken', 'v=1', NOW, 'b')).toThrow('“taken” is already saved');
    expect(listSaved(storage)).toHaveLength(1);
    // renaming an entry to its own name is fine
    expect(checkName('taken', listSaved(storage), 'a')).toBeNull();
  });

  it('reads corrupt or foreign storage as an empty or filtered list, never throwing', () => {
    expect(listSaved(memoryStorage({ [SAVED_KEY]: '{not json' }))).toEqual([]);
    expect(listSaved(memoryStorage({ [SAVED_KEY]: '{"a":1}' }))).toEqual([]);
    const mixed = JSON.stringify([{ id: 'a', name: 'ok', savedAt: NOW.toISOString(), query: 'v=1' }, { id: 1 }, null, 'x']);
    expect(listSaved(memoryStorage({ [SAVED_KEY]: mixed })).map((s) => s.name)).toEqual(['ok']);
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {},
    };
    expect(listSaved(throwing)).toEqual([]);
  });

  it('says so when the browser refuses to store (full storage)', () => {
    const full: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
      },
    };
    expect(() => saveExperiment(full, 'x', 'v=1', NOW, 'a')).toThrow('its storage is full');
  });
});
