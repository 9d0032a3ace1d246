/**
 * SFT of a fresh gpt-nano to a task's reference data (spec B.1, the sequence engine's π_ref).
 *
 * Data: sequences whose prompt is uniform over the bins, whose length follows the task's length
 * distribution (the bandit: always 9) and whose generated tokens follow the bin π_ref independently, then
 * the end token and padding (`generateLengthSftDataset`). Loss: maximum likelihood, the mean per-token
 * negative log-likelihood of the counted tokens (the end token included, the padding after it not), with
 * Adam. The official sequence SFT minimises Σ_t KL(softmax(logits_t) ‖ π_ref) on the model's own samples
 * instead; maximum likelihood on reference data has the same optimum and also teaches the end-token hazard.
 *
 * Determinism: the dataset comes from `stream(seed, 'sequence-sft', 'dataset')`, the minibatch order from
 * `stream(seed, 'sequence-sft', 'order')` (a fresh shuffle per pass), the held-out diagnostics set from
 * `stream(seed, 'sequence-sft', 'held-out')`, the weights and dropout masks from the model's own streams.
 */
import { GptNano, gptNanoConfig, type GptConfig } from '../policies/gpt-nano.ts';
import { nextTokenProbabilities, perTokenSurrogateStep } from '../policies/gpt-training.ts';
import { log } from '../math.ts';
import { stream, type RandomStream } from '../random.ts';
import { endTokenHazard, generateLengthSftDataset, type LengthDataset } from '../sequence/length-tasks.ts';
import { BIN_COUNT, END_TOKEN, MAX_GENERATED_TOKENS, SEQUENCE_SLOTS } from '../sequence/tokens.ts';
import { scoredTokenMask } from './sequence-sampling.ts';
import { forbiddenFirstToken, type SequenceTaskDefinition } from './sequence-task.ts';

export const SEQUENCE_SFT_STREAM = 'sequence-sft';

export interface SequenceSftOptions {
  /** gradient steps */
  steps: number;
  /** sequences per step */
  batchSize: number;
  learningRate: number;
  /** distinct reference sequences to train on (passed over in a fresh seeded order each pass) */
  datasetSize: number;
  /** held-out reference sequences for the diagnostics */
  heldOutSize: number;
  /** changes to spec C.2's gpt-nano (e.g. `transposeFreeMatMul` on wasm, or a reduced size for mechanics tests) */
  modelOverrides?: Partial<GptConfig>;
  /**
   * Called (and awaited) after every gradient step with the steps done, the total and the step's loss: a
   * worker reports progress and yields to its message queue here. Throwing aborts the SFT (the model is
   * disposed, the error propagates).
   */
  onStep?: (done: number, total: number, loss: number) => void | Promise<void>;
}

export const DEFAULT_SEQUENCE_SFT: Readonly<SequenceSftOptions> = {
  steps: 300,
  batchSize: 64,
  learningRate: 3e-3,
  datasetSize: 4096,
  heldOutSize: 256,
};

export interface SequenceSftDiagnostics {
  /** mean per-token NLL of the counted tokens of the held-out set, dropout off */
  finalNll: number;
  /** the same under the true reference law: the floor `finalNll` approaches */
  idealNll: number;
  /** the training loss (dropout on) of every step */
  lossHistory: number[];
  /**
   * Over the held-out set's generated slots whose prefix is a reference prefix: the mean KL(π_θ ‖ π_ref) and
   * total variation of the model's next-token distribution over the bins (renormalised without the end
   * token in a length task) against the bin π_ref.
   */
  tokenKl: number;
  tokenTotalVariation: number;
  /** length tasks: the model's mean end-token probability at generated slot t (index t − 1), and the target */
  endTokenProbability: Float64Array | null;
  endTokenHazard: Float64Array | null;
}

export interface SequenceSftResult {
  /** the SFT'd model: the frozen π_ref of every run (clone it for a policy; never step it) */
  reference: GptNano;
  diagnostics: SequenceSftDiagnostics;
}

function referenceDataset(task: SequenceTaskDefinition, count: number, rng: RandomStream): LengthDataset {
  return generateLengthSftDataset(count, { tokenDistribution: task.tokenDistribution, lengthDistribution: task.lengthDistribution }, rng);
}

function shuffledOrder(size: number, rng: RandomStream): Int32Array {
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(rng.uniform() * (i + 1)));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}

/** Train a fresh gpt-nano (seeded by `seed`) to the task's reference by maximum likelihood. */
export async function trainSequenceReference(task: SequenceTaskDefinition, seed: number, options: Partial<SequenceSftOptions> = {}): Promise<SequenceSftResult> {
  const settings = { ...DEFAULT_SEQUENCE_SFT, ...options };
  const model = new GptNano(gptNanoConfig(task.vocabulary, seed, settings.modelOverrides ?? {}));
  const optimizer = model.createAdam();
  const dataset = referenceDataset(task, settings.datasetSize, stream(seed, SEQUENCE_SFT_STREAM, 'dataset'));
  const orderStream = stream(seed, SEQUENCE_SFT_STREAM, 'order');
  const forbidden = forbiddenFirstToken(task);
  const batchTokens = new Int32Array(settings.batchSize * SEQUENCE_SLOTS);
  const lossHistory: number[] = [];
  let order = shuffledOrder(settings.datasetSize, orderStream);
  let cursor = 0;
  try {
    for (let step = 0; step < settings.steps; step++) {
      for (let b = 0; b < settings.batchSize; b++) {
        if (cursor === order.length) {
          order = shuffledOrder(settings.datasetSize, orderStream);
          cursor = 0;
        }
        const source = order[cursor++] * SEQUENCE_SLOTS;
        batchTokens.set(dataset.tokens.subarray(source, source + SEQUENCE_SLOTS), b * SEQUENCE_SLOTS);
      }
      const mask = scoredTokenMask(batchTokens, settings.batchSize, task.hasEndToken, 'shifted');
      let counted = 0;
      for (const m of mask) counted += m;
      const coefficients = mask.map((m) => m / counted);
      const { loss } = await perTokenSurrogateStep(
        model,
        { count: settings.batchSize, length: SEQUENCE_SLOTS, tokens: batchTokens },
        coefficients,
        optimizer,
        { scoring: 'shifted', forbiddenFirstToken: forbidden, learningRate: settings.learningRate },
      );
      lossHistory.push(loss);
      await settings.onStep?.(step + 1, settings.steps, loss);
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
  const heldOut = referenceDataset(task, settings.heldOutSize, stream(seed, SEQUENCE_SFT_STREAM, 'held-out'));
  const diagnostics = await diagnose(model, task, heldOut, lossHistory);
  return { reference: model, diagnostics };
}

/** Compare the model's next-token distributions on reference prefixes with the reference law. */
export async function diagnose(model: GptNano, task: SequenceTaskDefinition, heldOut: LengthDataset, lossHistory: number[] = []): Promise<SequenceSftDiagnostics> {
  const count = heldOut.count;
  const vocab = task.vocabulary;
  const probs = await nextTokenProbabilities(model, { count, length: SEQUENCE_SLOTS, tokens: heldOut.tokens });
  const hazard = task.hasEndToken ? endTokenHazard(task.lengthDistribution) : null;
  const endSums = new Float64Array(MAX_GENERATED_TOKENS);
  const endCounts = new Float64Array(MAX_GENERATED_TOKENS);
  const piRef = task.tokenDistribution;
  let nll = 0;
  let idealNll = 0;
  let scored = 0;
  let kl = 0;
  let tv = 0;
  let compared = 0;
  for (let i = 0; i < count; i++) {
    const length = heldOut.lengths[i];
    const lastScored = Math.min(length + 1, MAX_GENERATED_TOKENS);
    for (let slot = 1; slot <= lastScored; slot++) {
      // the distribution of token `slot` is the softmax at position slot − 1; the prefix is a reference prefix
      const base = (i * SEQUENCE_SLOTS + slot - 1) * vocab;
      const token = heldOut.tokens[i * SEQUENCE_SLOTS + slot];
      const tokenProbability = task.hasEndToken && slot === 1 ? probs[base + token] / (1 - probs[base + END_TOKEN]) : probs[base + token];
      nll -= log(Math.max(tokenProbability, 1e-30));
      const h = hazard ? hazard[slot - 1] : 0;
      idealNll -= token === END_TOKEN ? log(h) : log((1 - h) * piRef[token]);
      scored++;
      if (hazard && slot > 1) {
        endSums[slot - 1] += probs[base + END_TOKEN];
        endCounts[slot - 1] += 1;
      }
      const binMass = task.hasEndToken ? 1 - probs[base + END_TOKEN] : 1;
      let klHere = 0;
      let tvHere = 0;
      for (let a = 0; a < BIN_COUNT; a++) {
        const p = probs[base + a] / binMass;
        if (p > 0) klHere += p * (log(p) - log(piRef[a]));
        tvHere += Math.abs(p - piRef[a]);
      }
      kl += klHere;
      tv += tvHere / 2;
      compared++;
    }
  }
  let endTokenProbability: Float64Array | null = null;
  if (hazard) {
    endTokenProbability = new Float64Array(MAX_GENERATED_TOKENS);
    for (let t = 1; t < MAX_GENERATED_TOKENS; t++) endTokenProbability[t] = endCounts[t] > 0 ? endSums[t] / endCounts[t] : Number.NaN;
    // slot 1 is masked in sampling and scoring; report the raw model probability there too
    let first = 0;
    for (let i = 0; i < count; i++) first += probs[i * SEQUENCE_SLOTS * vocab + END_TOKEN];
    endTokenProbability[0] = first / count;
  }
  return {
    finalNll: nll / scored,
    idealNll: idealNll / scored,
    lossHistory,
    tokenKl: kl / compared,
    tokenTotalVariation: tv / compared,
    endTokenProbability,
    endTokenHazard: hazard,
  };
}
