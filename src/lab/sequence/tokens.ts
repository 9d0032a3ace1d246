/**
 * Tokens and sequences of the sequence bandit and its length tasks (spec A.1, C.2, C.3).
 *
 * Vocabulary: the bins 0..K−1 (K = 100, the same bins as the 1-D bandit and π_ref) and, for the length
 * tasks only, one end-of-sequence token with id K. The official sequence bandit never emits it.
 *
 * A sequence is the prompt token followed by at most 9 generated tokens, so it always occupies
 * SEQUENCE_SLOTS = 10 slots (the official `block_size`). In a length task the generated part stops at
 * the first end token; every slot after it also holds the end token (the end token is its own padding).
 * A sequence with no end token has the full length 9: there is no slot left for an end token after 9
 * generated tokens, and "no end token" is what length 9 means.
 *
 * Batches of sequences are stored row-major in one Int32Array: sequence i occupies slots
 * [i·SEQUENCE_SLOTS, (i+1)·SEQUENCE_SLOTS).
 */

/** K: the number of ordinary tokens (bins). [spec A.1: `vocab_size = 100`] */
export const BIN_COUNT = 100;
/** The end-of-sequence token id: K. [ours, spec C.3 suggestion] */
export const END_TOKEN = BIN_COUNT;
/** Vocabulary size of a length-task model: K bins + the end token. */
export const LENGTH_TASK_VOCABULARY_SIZE = BIN_COUNT + 1;
/** Generated tokens per sequence. [spec B.11: `max_new_tokens = 9`] */
export const MAX_GENERATED_TOKENS = 9;
/** Slots per stored sequence: the prompt + the generated tokens. [spec C.2: `block_size = 10`] */
export const SEQUENCE_SLOTS = MAX_GENERATED_TOKENS + 1;
/** The slot of the prompt token. */
export const PROMPT_SLOT = 0;

/** A batch of sequences, row-major, SEQUENCE_SLOTS slots each. */
export interface SequenceBatch {
  readonly count: number;
  readonly tokens: Int32Array;
}

/** An empty batch of `count` sequences (every slot the end token, to be filled). */
export function allocateSequenceBatch(count: number): SequenceBatch {
  if (!Number.isInteger(count) || count < 0) throw new Error(`sequence count must be a non-negative integer, got ${count}`);
  return { count, tokens: new Int32Array(count * SEQUENCE_SLOTS).fill(END_TOKEN) };
}

/**
 * One sequence from its prompt and generated tokens. Generated tokens after the first end token are
 * replaced by the end token (padding), and the rest of the slots are padded with it.
 */
export function makeSequence(prompt: number, generated: readonly number[]): Int32Array {
  if (generated.length > MAX_GENERATED_TOKENS) {
    throw new Error(`a sequence holds at most ${MAX_GENERATED_TOKENS} generated tokens, got ${generated.length}`);
  }
  checkToken(prompt, false);
  const sequence = new Int32Array(SEQUENCE_SLOTS).fill(END_TOKEN);
  sequence[PROMPT_SLOT] = prompt;
  for (let t = 0; t < generated.length; t++) {
    const token = generated[t];
    checkToken(token, true);
    if (token === END_TOKEN) break;
    sequence[PROMPT_SLOT + 1 + t] = token;
  }
  return sequence;
}

function checkToken(token: number, endAllowed: boolean): void {
  const limit = endAllowed ? END_TOKEN : BIN_COUNT - 1;
  if (!Number.isInteger(token) || token < 0 || token > limit) {
    throw new Error(`token ${token} is outside 0..${limit}`);
  }
}

/**
 * The length of the sequence starting at `offset` in `tokens`: the number of generated tokens before the
 * first end token, or MAX_GENERATED_TOKENS when there is none.
 */
export function sequenceLength(tokens: ArrayLike<number>, offset = 0): number {
  for (let t = 1; t < SEQUENCE_SLOTS; t++) {
    if (tokens[offset + t] === END_TOKEN) return t - 1;
  }
  return MAX_GENERATED_TOKENS;
}

/** The generated tokens (before the first end token) of the sequence at `offset`. */
export function generatedTokens(tokens: ArrayLike<number>, offset = 0): number[] {
  const length = sequenceLength(tokens, offset);
  const out: number[] = [];
  for (let t = 1; t <= length; t++) out.push(tokens[offset + t]);
  return out;
}

/** The lengths of every sequence of a batch. */
export function batchLengths(batch: SequenceBatch): Int32Array {
  const lengths = new Int32Array(batch.count);
  for (let i = 0; i < batch.count; i++) lengths[i] = sequenceLength(batch.tokens, i * SEQUENCE_SLOTS);
  return lengths;
}

/** Short text form, e.g. "17 | 3 16 99 ⏹" (tests, logs, tooltips). */
export function formatSequence(tokens: ArrayLike<number>, offset = 0): string {
  const generated = generatedTokens(tokens, offset);
  const end = generated.length < MAX_GENERATED_TOKENS ? ' ⏹' : '';
  return `${tokens[offset + PROMPT_SLOT]} | ${generated.join(' ')}${end}`;
}
