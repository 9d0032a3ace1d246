/**
 * Migrations of the experiment link format. Every link ever shared must keep opening to the same experiment,
 * so a change that would make an old link read differently (a renamed key, a changed default, a new meaning)
 * bumps `URL_VERSION` in url-codec.ts and adds a step here that rewrites links of the old version into the
 * new one. Steps work on the raw key/value list, before any key is interpreted; a step that needs to change
 * the compact form decodes and re-encodes its `z` value itself.
 *
 * Version 1 is current, so there are no steps yet; tests/fixtures/url-v1.json holds today's links and must
 * keep passing after every change.
 */

/** One `key=value` pair of a link's query, in the order it appears (keys may repeat). */
export type UrlEntry = readonly [key: string, value: string];

export interface UrlMigration {
  /** the format version this step reads; it writes version `from + 1` */
  from: number;
  /** what changed, in a few words (shown nowhere yet; for whoever reads the list) */
  description: string;
  migrate(entries: readonly UrlEntry[]): UrlEntry[];
}

/** Ordered by `from`: 1 → 2, 2 → 3, … */
export const URL_MIGRATIONS: readonly UrlMigration[] = [];

export interface MigrationResult {
  entries: UrlEntry[];
  /** the version the entries are in now: `toVersion`, or where a step was missing */
  version: number;
}

/**
 * Rewrite entries written in `fromVersion` into `toVersion`, one step at a time. Stops early (and says so
 * through `version`) when no step reads the version reached; a version at or above `toVersion` is left alone.
 */
export function migrateUrlEntries(
  entries: readonly UrlEntry[],
  fromVersion: number,
  toVersion: number,
  steps: readonly UrlMigration[] = URL_MIGRATIONS,
): MigrationResult {
  let current = [...entries];
  let version = fromVersion;
  while (version < toVersion) {
    const step = steps.find((s) => s.from === version);
    if (!step) break;
    current = step.migrate(current);
    version++;
  }
  return { entries: current, version };
}

/** Problems with the list itself: steps out of order, gaps, or a chain that does not end at `currentVersion`. */
export function checkMigrationChain(steps: readonly UrlMigration[], currentVersion: number): string[] {
  const problems: string[] = [];
  steps.forEach((step, i) => {
    if (i > 0 && step.from !== steps[i - 1].from + 1) {
      problems.push(`step ${i} reads version ${step.from}, but the step before it writes version ${steps[i - 1].from + 1}`);
    }
  });
  if (steps.length && steps[steps.length - 1].from + 1 !== currentVersion) {
    problems.push(`the last step writes version ${steps[steps.length - 1].from + 1}, but the current version is ${currentVersion}`);
  }
  return problems;
}
