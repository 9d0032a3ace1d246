/** The metrics CSV: RFC 4180, and it parses back to exactly the exported numbers. */
import { describe, expect, it } from 'vitest';
import { csvField, csvNumber, metricsCsv, spreadsheetSafe } from '../../src/app/export/csv.ts';
import { parseExperimentConfigOrThrow } from '../../src/lab/config/experiment.ts';
import { findPreset } from '../../src/lab/config/presets.ts';
import { METRIC_KEYS } from '../../src/lab/metrics.ts';
import { csvValue, parseCsv } from './csv-parser.ts';
import { exportAfter } from './exported-runs.ts';

const exported = (config: unknown, steps: number) => exportAfter(parseExperimentConfigOrThrow(config), steps);

describe('metricsCsv', () => {
  it('has a run column, then step and the metric columns, one line per recorded step of each run', () => {
    const runs = exported(findPreset('f1-r1')!.config, 40);
    const records = parseCsv(metricsCsv(runs));
    expect(records[0]).toEqual(['run', ...METRIC_KEYS]);
    expect(records[0][1]).toBe('step');
    expect(records.length - 1).toBe(runs.reduce((n, r) => n + r.rows.length, 0));
  });

  it('parses back to exactly the exported numbers (NaN as an empty field)', () => {
    const runs = exported(findPreset('f1-r1')!.config, 60);
    const [header, ...body] = parseCsv(metricsCsv(runs));
    const columns = header.slice(1);
    for (const run of runs) {
      const lines = body.filter((record) => record[0] === run.name);
      expect(lines).toHaveLength(run.rows.length);
      const parsed = lines.map((record) => run.columns.map((column) => csvValue(record[1 + columns.indexOf(column)])));
      expect(parsed).toEqual(run.rows);
    }
    // the first row has no loss yet (NaN) and an empty field for it
    expect(body[0][1 + columns.indexOf('loss')]).toBe('');
    // full precision, not rounded
    expect(runs.some((run) => run.rows.some((row) => row.some((v) => Number.isFinite(v) && v !== Number(v.toPrecision(10)))))).toBe(true);
  });

  it('quotes run names with commas, quotes and line breaks (RFC 4180), and reads them back', () => {
    const names = ['plain', 'with, comma', 'with "quotes"', 'two\nlines', 'crlf\r\nname'];
    const runs = names.map((name, i) => ({ name, columns: ['step', 'x'], rows: [[0, i + 0.5], [1, -(i + 1) / 3]] }));
    const text = metricsCsv(runs);
    expect(text).toContain('"with, comma",0,1.5\r\n');
    expect(text).toContain('"with ""quotes"""');
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsv(text);
    expect(records.slice(1).map((r) => r[0])).toEqual(names.flatMap((n) => [n, n]));
    expect(records.slice(1).map((r) => csvValue(r[2]))).toEqual(runs.flatMap((r) => r.rows.map((row) => row[1])));
  });

  it('writes infinities and negative zero so that they read back, and guards names a spreadsheet would run as formulas', () => {
    expect([Infinity, -Infinity, -0, 0, 1e-300, NaN].map(csvNumber)).toEqual(['Infinity', '-Infinity', '-0', '0', '1e-300', '']);
    expect(['Infinity', '-Infinity', '-0'].map(csvValue)).toEqual([Infinity, -Infinity, -0]);
    expect(spreadsheetSafe('=HYPERLINK("http://evil")')).toBe('\'=HYPERLINK("http://evil")');
    expect(spreadsheetSafe('-1 run')).toBe("'-1 run");
    expect(spreadsheetSafe('REINFORCE')).toBe('REINFORCE');
    const text = metricsCsv([{ name: '=1+1', columns: ['step'], rows: [[0]] }]);
    expect(parseCsv(text)[1]).toEqual(["'=1+1", '0']);
    expect(csvField('a,b')).toBe('"a,b"');
  });

  it('puts step first and leaves a column a run lacks empty', () => {
    const text = metricsCsv([
      { name: 'a', columns: ['x', 'step'], rows: [[5, 0]] },
      { name: 'b', columns: ['step', 'y'], rows: [[0, 7]] },
    ]);
    expect(parseCsv(text)).toEqual([
      ['run', 'step', 'x', 'y'],
      ['a', '0', '5', ''],
      ['b', '0', '', '7'],
    ]);
  });
});
