/**
 * Parses a pasted list of numbers (a JSON array, or numbers separated by commas, semicolons, spaces or
 * newlines) for the custom reward and π_ref editors. Total: it never throws and names the first bad value.
 */
import { MAX_BINS } from '../../../lab/config/experiment.ts';

export type ParseValuesResult = { ok: true; values: number[] } | { ok: false; error: string };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const NON_FINITE = /^[+-]?(?:infinity|inf|nan)$/i;

function shorten(token: string): string {
  return token.length > 20 ? `${token.slice(0, 20)}…` : token;
}

export function parseValues(text: string): ParseValuesResult {
  if (typeof text !== 'string') return { ok: false, error: 'paste at least 2 numbers' };
  let body = text.trim();
  // the JSON form: one pair of brackets around the same separated list
  if (body.startsWith('[') && body.endsWith(']')) body = body.slice(1, -1);
  const tokens = body.split(/[\s,;]+/).filter((t) => t !== '');
  if (tokens.length < 2) {
    return { ok: false, error: `paste at least 2 numbers${tokens.length === 1 ? ' (got 1)' : ''}` };
  }
  if (tokens.length > MAX_BINS) {
    return { ok: false, error: `paste at most ${MAX_BINS} numbers (got ${tokens.length})` };
  }
  const values: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const position = `value ${i + 1}`;
    if (NON_FINITE.test(token)) return { ok: false, error: `${position} is ${shorten(token)}: every value must be a finite number` };
    if (!NUMBER.test(token)) return { ok: false, error: `${position} is not a number: "${shorten(token)}"` };
    const value = Number(token);
    if (!Number.isFinite(value)) return { ok: false, error: `${position} is too large to be a finite number: "${shorten(token)}"` };
    values.push(value);
  }
  return { ok: true, values };
}
