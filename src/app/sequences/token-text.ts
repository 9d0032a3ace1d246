/**
 * Tokens as the page writes them: bins as numbers, the end-of-sequence token as "∎", a sampled sequence
 * as its prompt and the generated tokens up to (and including) the first end token, and a heatmap's most
 * likely token per position (the heatmap's text alternative).
 */
import type { NeuralSample } from '../../worker/neural/protocol.ts';

export const END_TOKEN_SYMBOL = '∎';

export function tokenLabel(token: number, endToken: number | null): string {
  return token === endToken ? END_TOKEN_SYMBOL : String(token);
}

export interface SampleTokens {
  prompt: string;
  /** the generated tokens; in a length task, up to the first end token (shown once, padding dropped) */
  generated: string[];
}

export function sampleTokens(sample: NeuralSample, endToken: number | null): SampleTokens {
  const [prompt, ...rest] = sample.tokens;
  const generated: string[] = [];
  for (const token of rest) {
    generated.push(tokenLabel(token, endToken));
    if (token === endToken) break;
  }
  return { prompt: prompt === undefined ? '' : tokenLabel(prompt, endToken), generated };
}

export interface LikeliestToken {
  /** 1-based generated position */
  position: number;
  token: number;
  probability: number;
}

/** the most likely token at each position of a row-major positions × vocab heatmap */
export function likeliestTokens(heatmap: readonly number[], positions: number, vocab: number): LikeliestToken[] {
  if (heatmap.length < positions * vocab) return [];
  return Array.from({ length: positions }, (_, row) => {
    let token = 0;
    for (let a = 1; a < vocab; a++) if (heatmap[row * vocab + a] > heatmap[row * vocab + token]) token = a;
    return { position: row + 1, token, probability: heatmap[row * vocab + token] };
  });
}

/** "position 1: token 20 (p 0.31); position 2: ∎ (p 0.90); …" */
export function likeliestTokensText(heatmap: readonly number[], positions: number, vocab: number, endToken: number | null): string {
  const likeliest = likeliestTokens(heatmap, positions, vocab);
  if (!likeliest.length) return 'nothing sampled yet';
  return likeliest
    .map(({ position, token, probability }) => `position ${position}: ${token === endToken ? 'end token' : `token ${token}`} (p ${probability.toFixed(2)})`)
    .join('; ');
}
