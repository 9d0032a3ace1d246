/**
 * Every run's metrics as one CSV (RFC 4180): a `run` column, then `step` and the metric columns, one
 * line per recorded step of each run. Numbers are written in full (JavaScript's shortest exact form), so
 * the file parses back to the very same values; a metric that does not apply (NaN) is an empty field.
 */

import { formatMetric } from '../../lab/metrics.ts';

/** What the CSV needs of a run (an `ExportedRun` or a bundle's run). */
export interface MetricTable {
  name: string;
  columns: readonly string[];
  rows: ReadonlyArray<ReadonlyArray<number>>;
}

const LINE_END = '\r\n';

export function metricsCsv(runs: readonly MetricTable[]): string {
  const columns = unionOfColumns(runs);
  const lines = [['run', ...columns].map(csvField).join(',')];
  for (const run of runs) {
    const name = csvField(spreadsheetSafe(run.name));
    const positions = columns.map((column) => run.columns.indexOf(column));
    for (const row of run.rows) {
      lines.push([name, ...positions.map((p) => (p < 0 ? '' : csvNumber(row[p])))].join(','));
    }
  }
  return lines.join(LINE_END) + LINE_END;
}

/** `step` first, then every run's columns in the order first seen. */
function unionOfColumns(runs: readonly MetricTable[]): string[] {
  const columns = ['step'];
  for (const run of runs) for (const column of run.columns) if (!columns.includes(column)) columns.push(column);
  return columns;
}

/** A number as a CSV field, written as the CLI writes it: exact (it reads back as the same double), NaN empty. */
export const csvNumber = formatMetric;

/** RFC 4180: a field holding a comma, a double quote or a line break is quoted, its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Run names come from users and from shared links: a name that a spreadsheet would read as a formula
 * (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, as OWASP advises.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
