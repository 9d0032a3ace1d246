/** Run the CLI in-process into a temporary folder and read back what it wrote. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/experiment.ts';
import type { RunSummary } from '../../src/lab/run-experiment.ts';

export interface CliOutput {
  code: number;
  /** the folder the CLI wrote into (--out) */
  dir: string;
  log: string;
  summary: { config: unknown; runs: RunSummary[] };
  /** rows of `<run>__seed<k>.csv` as objects of numbers (empty cells are NaN) */
  csv(runFile: string, seed: number): Array<Record<string, number>>;
}

export function runCli(args: string[]): CliOutput {
  const dir = mkdtempSync(join(tmpdir(), 'mode-lab-cli-'));
  const lines: string[] = [];
  const code = main([...args, '--out', dir], (line) => lines.push(line));
  if (code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`CLI exited ${code}:\n${lines.join('\n')}`);
  }
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as CliOutput['summary'];
  const csvCache = new Map<string, Array<Record<string, number>>>();
  return {
    code,
    dir,
    log: lines.join('\n'),
    summary,
    csv(runFile, seed) {
      const file = `${runFile}__seed${seed}.csv`;
      if (!csvCache.has(file)) {
        const [header, ...rows] = readFileSync(join(dir, file), 'utf8').trim().split('\n');
        const keys = header.split(',');
        csvCache.set(
          file,
          rows.map((row) => Object.fromEntries(row.split(',').map((v, i) => [keys[i], v === '' ? Number.NaN : Number(v)]))),
        );
      }
      return csvCache.get(file)!;
    },
  };
}

/** Mean over seeds of one field of the summary for the run called `name`. */
export function meanOf(out: CliOutput, name: string, pick: (s: RunSummary) => number): number {
  const rows = out.summary.runs.filter((r) => r.name === name);
  if (!rows.length) throw new Error(`no run named ${name}`);
  return rows.reduce((a, r) => a + pick(r), 0) / rows.length;
}
