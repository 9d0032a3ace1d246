/**
 * Named experiments: the paper's claims (spec F) and the official 1-D scripts (spec B.11), on the tabular
 * engine. Names start with the claim they test. Each is a plain `ExperimentConfigInput`, parsed like any
 * user config.
 */
import type { ExperimentConfigInput } from './experiment.ts';

export interface Preset {
  name: string;
  title: string;
  description: string;
  /** one or two sentences on what to watch for while it trains (the lab's caption) */
  lookFor?: string;
  /** seeds the claim is read over (means over all of them) */
  seeds: number[];
  config: ExperimentConfigInput;
}

const R1 = { kind: 'gaussian', centre: 70, width: 10 } as const;
const R2 = { kind: 'gaussian', centre: 20, width: 10 } as const;
const SEEDS_1_TO_5 = [1, 2, 3, 4, 5];

function f1(reward: typeof R1 | typeof R2, label: string): Preset {
  return {
    name: `f1-${label.toLowerCase()}`,
    title: `F1 on ${label}: offline vs on-policy, with and without a negative gradient`,
    description:
      label === 'R1'
        ? 'The reward peak (bin 70) sits where π_ref has almost no mass. Offline maximum likelihood (best-of-N on π_ref samples) cannot move mass there; offline IPO does better thanks to its negative gradient; every on-policy method reaches the peak.'
        : 'The reward peak (bin 20) sits on π_ref\'s interior mode. Here offline best-of-N does almost as well as the on-policy methods.',
    lookFor:
      label === 'R1'
        ? 'Press Play and watch the bars. The reward peaks at bin 70 (shaded), far from where π_ref (outline) puts its mass. REINFORCE and the on-policy runs carry the mass there within a few hundred steps; offline best-of-N stays stuck where π_ref already was; offline IPO, whose negative gradient pushes the losing samples down (lower ticks), gets part of the way.'
        : 'Press Play. The reward peak (bin 20, shaded) sits on π_ref\'s mode, so every method, offline or on-policy, finds it: where the optimum is already likely under π_ref, on-policy data and the negative gradient matter little.',
    seeds: SEEDS_1_TO_5,
    config: {
      name: `F1 — ${label}`,
      reward,
      defaults: { lr: 0.05, N: 10 },
      runs: [
        { name: 'offline best-of-N', objective: 'best-of-n', sampling: 'offline', S: 100, T: 1500, steps: 1500 },
        {
          name: 'offline IPO',
          objective: 'ipo',
          sampling: 'offline',
          S: 100,
          T: 300,
          steps: 300,
          ipoMargin: 10,
          rewardThreshold: 0.2,
        },
        { name: 'on-policy best-of-N', objective: 'best-of-n', sampling: 'on-policy', S: 10, T: 15, steps: 1500 },
        { name: 'on-policy IPO', objective: 'ipo', sampling: 'on-policy', S: 10, T: 15, steps: 1500, ipoMargin: 10 },
        { name: 'REINFORCE', objective: 'reinforce', sampling: 'on-policy', S: 10, T: 1, steps: 1500 },
      ],
    },
  };
}

const F2_COLLECTION_BATCHES = [100, 500, 1000, 2500];

function f2(reward: typeof R1 | typeof R2, label: string): Preset {
  return {
    name: `f2-${label.toLowerCase()}`,
    title: `F2 on ${label}: how on-policy? Collection batch B at a fixed minibatch`,
    description:
      'On-policy best-of-N with minibatches of M = 10 prompts × N = 10 samples and one pass over each epoch\'s data. A larger collection batch B means more gradient steps on stale samples. Read the reward at step 100: on R1 it falls as B grows; on R2 it barely moves.',
    seeds: SEEDS_1_TO_5,
    config: {
      name: `F2 — ${label}`,
      reward,
      defaults: { lr: 0.05, N: 10, M: 10, T: 1, steps: 200, sampling: 'on-policy' },
      runs: F2_COLLECTION_BATCHES.map((B) => ({ name: `B = ${B}`, objective: 'best-of-n' as const, S: B / 10 })),
    },
  };
}

const F3_REUSE = [1, 10, 20, 50, 100];

const f3: Preset = {
  name: 'f3-r1',
  title: 'F3 on R1: sample reuse T at fixed samples and steps',
  description:
    'The official ablation protocol (spec A.5): for reuse T, each epoch draws T times as many samples (N ← 10·T) and is passed over T times, so every run sees 100,000 samples in 1,000 gradient steps. Moderate reuse is neutral or helpful; heavy reuse makes best-of-N stale.',
  seeds: SEEDS_1_TO_5,
  config: {
    name: 'F3 — sample reuse (R1)',
    reward: R1,
    defaults: { lr: 0.05, S: 10, steps: 1000, sampling: 'on-policy' },
    runs: F3_REUSE.map((T) => ({ name: `T = ${T}`, objective: 'best-of-n' as const, N: 10 * T, T })),
  },
};

function f4(reward: typeof R1 | typeof R2, label: string): Preset {
  return {
    name: `f4-${label.toLowerCase()}`,
    title: `F4 on ${label}: a negative gradient offline`,
    description:
      'Offline data only (100 prompts × 10 samples from π_ref). IPO\'s negative gradient beats best-of-N when the peak is unlikely under π_ref; an explicit sum_over_worse_actions push-down at weight 1 frees mass that flows to bins never sampled, and the reward collapses.',
    seeds: SEEDS_1_TO_5,
    config: {
      name: `F4 — ${label}`,
      reward,
      defaults: { lr: 0.05, N: 10, S: 100, sampling: 'offline', T: 300, steps: 300 },
      runs: [
        { name: 'offline best-of-N', objective: 'best-of-n' },
        { name: 'offline IPO', objective: 'ipo', ipoMargin: 10, rewardThreshold: 0.2 },
        {
          name: 'best-of-N + average_over_worse_actions',
          objective: 'best-of-n',
          negativeGradientType: 'average_over_worse_actions',
          negGradWeight: 0.5,
        },
        {
          name: 'best-of-N + sum_over_worse_actions',
          objective: 'best-of-n',
          negativeGradientType: 'sum_over_worse_actions',
          negGradWeight: 1,
        },
      ],
    },
  };
}

const F5_PROMPTS = [5, 20, 100, 500];

const f5: Preset = {
  name: 'f5-r1',
  title: 'F5 on R1: implicit rewards of y_w and y_l vs the number of prompts (offline IPO)',
  description:
    'Offline IPO on datasets of 5 to 500 prompts. Watch the implicit rewards log π(y_w) − log π_ref(y_w) and log π(y_l) − log π_ref(y_l): with few prompts y_w rises and y_l falls; with many prompts the chosen responses can lose likelihood too.',
  seeds: SEEDS_1_TO_5,
  config: {
    name: 'F5 — implicit rewards vs prompts (R1)',
    reward: R1,
    defaults: { lr: 0.05, N: 10, sampling: 'offline', T: 200, steps: 200, ipoMargin: 10, rewardThreshold: 0.2 },
    runs: F5_PROMPTS.map((S) => ({ name: `${S} prompts`, objective: 'ipo' as const, S })),
  },
};

/**
 * The official 1-D scripts (spec B.11), with the official SFT start. The scripts' learning rates were
 * tuned for the MLP and are far too small for tabular logits (spec C.1), so these use lr 0.05.
 */
const scripts: Preset[] = [
  {
    name: 'script-best-of-n',
    title: 'best_of_n.sh: offline best-of-N on R2, 5 prompts',
    description: 'Official script: 1 epoch, N = 10, T = 200, 5 train prompts, reward 5 (R2), seeds 1–5. Official lr 0.01 on the MLP.',
    seeds: SEEDS_1_TO_5,
    config: {
      name: 'best_of_n.sh',
      reward: R2,
      defaults: { lr: 0.05, init: 'sft' },
      runs: [{ name: 'offline best-of-N', objective: 'best-of-n', sampling: 'offline', S: 5, N: 10, T: 200, steps: 200 }],
    },
  },
  {
    name: 'script-ipo',
    title: 'ipo.sh: offline IPO on R2, 100 prompts',
    description: 'Official script: 1 epoch, N = 10, T = 200, 100 prompts, margin (β) 10, threshold 0.2, reward 5, seed 1. Official lr 0.003 on the MLP.',
    seeds: [1],
    config: {
      name: 'ipo.sh',
      reward: R2,
      defaults: { lr: 0.05, init: 'sft' },
      runs: [
        {
          name: 'offline IPO',
          objective: 'ipo',
          sampling: 'offline',
          S: 100,
          N: 10,
          T: 200,
          steps: 200,
          ipoMargin: 10,
          rewardThreshold: 0.2,
        },
      ],
    },
  },
  ...[
    [R1, 'R1'],
    [R2, 'R2'],
  ].map(
    ([reward, label]): Preset => ({
      name: `script-onpolicy-best-of-n-${String(label).toLowerCase()}`,
      title: `onpolicy_best_of_n.sh: on-policy best-of-N on ${String(label)}`,
      description: 'Official script: 100 epochs × T = 15, N = 10, 10 prompts, rewards 4 and 5, seeds 1–5. Official lr 0.001 on the MLP.',
      seeds: SEEDS_1_TO_5,
      config: {
        name: `onpolicy_best_of_n.sh (${String(label)})`,
        reward: reward as typeof R1,
        defaults: { lr: 0.05, init: 'sft' },
        runs: [{ name: 'on-policy best-of-N', objective: 'best-of-n', sampling: 'on-policy', S: 10, N: 10, T: 15, steps: 1500 }],
      },
    }),
  ),
  {
    name: 'script-onpolicy-ipo',
    title: 'onpolicy_ipo.sh: on-policy IPO on R2',
    description: 'Official script: 100 epochs × T = 15, N = 10, 10 prompts, margin (β) 10, no threshold, reward 5, seeds 1–5. Official lr 0.01 on the MLP.',
    seeds: SEEDS_1_TO_5,
    config: {
      name: 'onpolicy_ipo.sh',
      reward: R2,
      defaults: { lr: 0.05, init: 'sft' },
      runs: [
        { name: 'on-policy IPO', objective: 'ipo', sampling: 'on-policy', S: 10, N: 10, T: 15, steps: 1500, ipoMargin: 10 },
      ],
    },
  },
];

export const PRESETS: Preset[] = [f1(R1, 'R1'), f1(R2, 'R2'), f2(R1, 'R1'), f2(R2, 'R2'), f3, f4(R1, 'R1'), f4(R2, 'R2'), f5, ...scripts];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

/** The comparison a user sees on first load. */
export const DEFAULT_PRESET_NAME = 'f1-r1';
