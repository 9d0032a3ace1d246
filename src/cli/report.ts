/** Text tables and output files of the CLI. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentConfig } from '../lab/config/experiment.ts';
import { metricsCsv, type RunSummary, type SeedResult } from '../lab/run-experiment.ts';
import type { SweepBest, SweepRanking } from '../lab/sweep.ts';

/** A file name for a run: anything outside [A-Za-z0-9._=-] becomes "_". */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._=-]+/g, '_');
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
function sd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) * (b - m), 0) / xs.length);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].map((l) => l.trimEnd()).join('\n');
}

/** One row per run: means over seeds (± standard deviation when there are several). */
export function summaryTable(results: SeedResult[]): string {
  const names = results[0].summaries.map((s) => s.name);
  const rows = names.map((name) => {
    const per: RunSummary[] = results.map((r) => r.summaries.find((s) => s.name === name)!);
    const er = per.map((s) => s.finalExpectedReward);
    const reached = per.map((s) => s.firstStepAtReward08).filter((x): x is number => x !== null);
    const first = reached.length
      ? `${Math.round(mean(reached))}${reached.length < per.length ? ` (${reached.length}/${per.length} seeds)` : ''}`
      : 'never';
    const diverged = per.filter((s) => s.diverged);
    return [
      name,
      per[0].objective,
      per[0].onPolicy ? 'on-policy' : 'offline',
      String(per[0].steps),
      per.length > 1 ? `${mean(er).toFixed(3)} ± ${sd(er).toFixed(3)}` : er[0].toFixed(3),
      first,
      mean(per.map((s) => s.finalPeakMass)).toFixed(3),
      mean(per.map((s) => s.finalKlPiRef)).toFixed(3),
      diverged.length ? `diverged (${diverged.map((s) => `seed ${s.seed} at step ${s.divergedAtStep}`).join(', ')})` : '',
    ];
  });
  return table(
    ['run', 'objective', 'data', 'steps', 'final E[r]', 'first step E[r] ≥ 0.8', 'final peak mass', 'final KL(π‖π_ref)', ''],
    rows,
  );
}

export function sweepTable(key: string, best: SweepBest[], rankBy: SweepRanking): string {
  const values = best[0].byValue.map((b) => String(b.value));
  const rows = best.map((b) => [
    b.run,
    b.objective,
    ...b.byValue.map((x) => `${x.score.toFixed(3)}${x.diverged ? '*' : ''}`),
    String(b.bestValue),
  ]);
  return `${table(['run', 'objective', ...values.map((v) => `${key}=${v}`), `best ${key}`], rows)}\n(${rankBy === 'final' ? 'mean final E[r]' : 'mean E[r] over all steps (area under the curve)'} over seeds; * = some seeds diverged, counted as 0)`;
}

/** summary.json and `<run name>__seed<k>.csv` for every run and seed. */
export function writeResults(dir: string, config: ExperimentConfig, results: SeedResult[], extra: Record<string, unknown> = {}): void {
  mkdirSync(dir, { recursive: true });
  const runs = results.flatMap((r) => r.summaries);
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify({ config, runs, ...extra }, null, 2)}\n`);
  for (const result of results) {
    for (const run of result.comparison.runs) {
      writeFileSync(join(dir, `${safeFileName(run.name)}__seed${result.seed}.csv`), metricsCsv(run));
    }
  }
}
