/**
 * Named experiments: the paper's claims (spec F) and the official 1-D scripts (spec B.11), on the tabular
 * engine. Names start with the claim they test. Each is a plain `ExperimentConfigInput`, parsed like any
 * user config, plus the words the lab shows beside it: an explanation, a quote from the paper (verbatim,
 * from spec F) and a "predict, then run" question.
 *
 * Every question states the answer the runs give, and says in `check` how to read that answer off the runs,
 * so that `tests/presets.test.ts` can run each preset (its seeds, through `runExperiment`, the CLI's code
 * path) and confirm it. The numbers quoted in the texts are means over the preset's seeds; docs/presets.md
 * lists them all, with the commands that produced them.
 */
import type { SeedResult } from '../run-experiment.ts';
import type { ExperimentConfigInput } from './experiment.ts';

/** A sentence of the paper or its project site, verbatim, and where it comes from. */
export interface PaperQuote {
  text: string;
  /** e.g. "paper site, takeaway" or "paper, quoted by Wolfe" (spec F's source tags) */
  source: string;
}

/** Per-step metrics a question can read (the CSV's column names). */
export type StepMetric = 'expected_reward' | 'peak_mass' | 'kl_pi_ref' | 'implicit_chosen' | 'implicit_rejected';

/** One number read from one run of one seed; a check averages it over the preset's seeds. */
export type RunMeasure =
  /** a metric at the run's last step, or at a given gradient step */
  | { metric: StepMetric; at: 'final' | number }
  /** the mean expected reward over every recorded step: the area under the reward curve (a speed measure) */
  | { metric: 'reward_area' }
  /** the first step at which E[r] ≥ 0.8; a seed that never gets there counts as +∞ */
  | { metric: 'first_step_at_reward_0.8' };

/**
 * How the runs answer a question.
 * - `pick-run`: option i stands for the run `runs[i]`; the answer is the run whose mean is highest (lowest).
 * - `interval`: the answer is the option whose interval holds the quantity `best(of) − best(minus)` (or
 *   `best(of)` without `minus`), where best(group) is the highest mean among the group's runs. `bounds`
 *   (ascending) cut the number line into `options.length` intervals, lowest first: option 0 is
 *   (−∞, bounds[0]), option i is [bounds[i−1], bounds[i]), the last is [bounds[last], +∞).
 */
export type AnswerCheck =
  | { kind: 'pick-run'; measure: RunMeasure; rule: 'highest' | 'lowest'; runs: string[] }
  | { kind: 'interval'; measure: RunMeasure; of: string[]; minus?: string[]; bounds: number[] };

/** "Predict, then run": asked before Play, answered by the runs. */
export interface PresetQuestion {
  prompt: string;
  options: string[];
  /** index into `options`: what the runs show (tests/presets.test.ts checks it against `check`) */
  answer: number;
  /** shown with the answer: what the runs show, with numbers, and why */
  reveal: string;
  check: AnswerCheck;
}

export interface Preset {
  name: string;
  title: string;
  description: string;
  /** one or two sentences on what to watch for while it trains (the lab's caption) */
  lookFor: string;
  /** one paragraph: what the experiment is and why it matters for the paper's argument */
  explanation: string;
  quote: PaperQuote;
  question: PresetQuestion;
  /** seeds the claim is read over (means over all of them) */
  seeds: number[];
  config: ExperimentConfigInput;
}

const R1 = { kind: 'gaussian', centre: 70, width: 10 } as const;
const R2 = { kind: 'gaussian', centre: 20, width: 10 } as const;
type Reward = typeof R1 | typeof R2;
const SEEDS_1_TO_5 = [1, 2, 3, 4, 5];

// ---- the quotes (spec F; verbatim, with the spec's source tags) ----

const QUOTE_ON_POLICY: PaperQuote = {
  text: 'On-policy sampling generally improves performance and efficiency, especially in cases when the peak of reward appears farther from the reference policy, even when the reward model is learned from the same preference dataset that methods use without on-policy learning also use.',
  source: 'paper site, takeaway',
};
const QUOTE_SAMPLE_REUSE: PaperQuote = {
  text: 'In some cases, sample reuse can reduce the dependency on on-policy sampling of data, but it presents a tradeoff by reducing exploration of the response space.',
  source: 'paper site, takeaway',
};
const QUOTE_ALL_SIMILAR_WHEN_CLOSE: PaperQuote = {
  text: 'Online DPO performs the best where optimal policy and reference policy lies far from each other (min length and skew length), and all algorithms perform similarly when these two policies are close (mode length).',
  source: 'paper site, caption of the synthetic length-task figure',
};
const QUOTE_SMALL_BATCHES: PaperQuote = {
  text: '[We] observe strong and clear trends supporting that on-policy sampling with a smaller but frequently sampled batch results in better performance…',
  source: 'paper, quoted by Wolfe',
};
const QUOTE_OFF_POLICY_TOLERABLE_ON_R2: PaperQuote = {
  text: 'The performance degradation with more off-policy updates is substantially milder for R2, indicating that when the peak in the reward function lies in the likely regions of the reference policy, a higher degree of off-policy updates is tolerable.',
  source: 'paper, quoted by Wolfe',
};
const QUOTE_NEGATIVE_GRADIENT: PaperQuote = {
  text: 'A negative gradient improves over offline supervised methods when the peak in the reward appears in less likely regions of the reference policy. It can increase the likelihood of the preferred response, when the dispreferred response is sufficiently different from the prefered response, model capacity is large, and the reference initialization is chosen appropriately. If not, the margin between log likelihoods of preferred and dispreferred will still be larger when a negative gradient is used, but the recovered probability mass will go into increasing likelihoods of other responses, not the preferred response necessarily.',
  source: 'paper site, takeaway',
};
const QUOTE_NEGATIVE_GRADIENT_WHEN: PaperQuote = {
  text: 'A negative gradient improves over offline supervised methods when the peak in the reward appears in less likely regions of the reference policy.',
  source: 'paper site, takeaway',
};
const QUOTE_MASS_GOES_ELSEWHERE: PaperQuote = {
  text: 'If not, the margin between log likelihoods of preferred and dispreferred will still be larger when a negative gradient is used, but the recovered probability mass will go into increasing likelihoods of other responses, not the preferred response necessarily.',
  source: 'paper site, takeaway',
};
const QUOTE_COMPLEMENTARY: PaperQuote = {
  text: 'On-policy sampling and offline negative gradients present complementary benefits, in that the best offline loss function with negative gradients can be used to train on on-policy data, improving over on-policy RL or supervised learning. Conceptually, while sampling responses on-policy provides coverage of the response space, an effective negative gradient loss provides a stronger learning signal given a set of samples.',
  source: 'paper site',
};

const finalReward = { metric: 'expected_reward', at: 'final' } as const;

// ---- F1 ----

const F1_RUNS = {
  offlineBestOfN: 'offline best-of-N',
  offlineIpo: 'offline IPO',
  onPolicyBestOfN: 'on-policy best-of-N',
  onPolicyIpo: 'on-policy IPO',
  reinforce: 'REINFORCE',
} as const;

function f1(reward: Reward, label: 'R1' | 'R2'): Preset {
  const onR1 = label === 'R1';
  return {
    name: `f1-${label.toLowerCase()}`,
    title: `F1 on ${label}: offline vs on-policy, with and without a negative gradient`,
    description: onR1
      ? 'The reward peak (bin 70) sits where π_ref has almost no mass. Offline maximum likelihood (best-of-N on π_ref samples) cannot move mass there; offline IPO does better thanks to its negative gradient; every on-policy method reaches the peak.'
      : 'The reward peak (bin 20) sits on π_ref\'s interior mode. Here offline best-of-N does almost as well as the on-policy methods.',
    lookFor: onR1
      ? 'Press Play and watch the bars. The reward peaks at bin 70 (shaded), far from where π_ref (outline) puts its mass. REINFORCE and the on-policy runs carry the mass there within a few hundred steps; offline best-of-N stays stuck where π_ref already was; offline IPO, whose negative gradient pushes the losing samples down (lower ticks), gets part of the way.'
      : 'Press Play. The reward peak (bin 20, shaded) sits on π_ref\'s mode, so every method, offline or on-policy, finds it: where the optimum is already likely under π_ref, on-policy data and the negative gradient matter little.',
    explanation: onR1
      ? 'Five ways to train the same 100-bin categorical policy on the same reward. R1 peaks at bin 70, where π_ref gives each bin about 0.2% of its mass, so a dataset drawn from π_ref holds almost no good responses. Offline runs learn from one such dataset (100 prompts × 10 samples); on-policy runs draw fresh samples from the current policy every epoch. Best-of-N imitates the best sample of each prompt (maximum likelihood, no negative gradient); IPO also pushes the worse response of every pair down; REINFORCE raises above-average samples and lowers below-average ones. This is the paper\'s first claim: when the optimum is unlikely under π_ref, sampling from the policy being trained is what finds it.'
      : 'The same five runs as F1 on R1, but the reward R2 peaks at bin 20, right on π_ref\'s interior mode (bins 13–19 hold its most likely responses). A dataset drawn from π_ref is now full of good responses, so imitating its best samples already gets close to the optimum. The contrast with R1 is the point: on-policy sampling matters when the reward and the reference policy disagree, and much less when they agree.',
    quote: onR1 ? QUOTE_ON_POLICY : QUOTE_ALL_SIMILAR_WHEN_CLOSE,
    question: onR1
      ? {
          prompt:
            'Offline IPO has a negative gradient but only ever sees π_ref\'s samples; on-policy best-of-N has no negative gradient but samples from itself. Which ends with the higher expected reward?',
          options: ['Offline IPO, by more than 0.05', 'About even (within 0.05)', 'On-policy best-of-N, by more than 0.05'],
          answer: 2,
          reveal:
            'On-policy best-of-N ends at 0.99, offline IPO at 0.70 (offline best-of-N at 0.29). The negative gradient helps offline — IPO more than doubles best-of-N — but fresh samples from the policy itself help far more when the peak is where π_ref rarely looks.',
          check: { kind: 'interval', measure: finalReward, of: [F1_RUNS.onPolicyBestOfN], minus: [F1_RUNS.offlineIpo], bounds: [-0.05, 0.05] },
        }
      : {
          prompt: 'How far below on-policy best-of-N will offline best-of-N, trained on π_ref\'s samples only, end up?',
          options: ['Less than 0.1 below: offline data is nearly enough', 'Between 0.1 and 0.4 below', 'More than 0.4 below, as on R1'],
          answer: 0,
          reveal:
            'Offline best-of-N ends at 0.94, on-policy best-of-N at 1.00: a gap of 0.06 (on R1 the gap is 0.70). π_ref already samples near bin 20 often, so its own best samples point at the peak.',
          check: { kind: 'interval', measure: finalReward, of: [F1_RUNS.onPolicyBestOfN], minus: [F1_RUNS.offlineBestOfN], bounds: [0.1, 0.4] },
        },
    seeds: SEEDS_1_TO_5,
    config: {
      name: `F1 — ${label}`,
      reward,
      defaults: { lr: 0.05, N: 10 },
      runs: [
        { name: F1_RUNS.offlineBestOfN, objective: 'best-of-n', sampling: 'offline', S: 100, T: 1500, steps: 1500 },
        {
          name: F1_RUNS.offlineIpo,
          objective: 'ipo',
          sampling: 'offline',
          S: 100,
          T: 300,
          steps: 300,
          ipoMargin: 10,
          rewardThreshold: 0.2,
        },
        { name: F1_RUNS.onPolicyBestOfN, objective: 'best-of-n', sampling: 'on-policy', S: 10, T: 15, steps: 1500 },
        { name: F1_RUNS.onPolicyIpo, objective: 'ipo', sampling: 'on-policy', S: 10, T: 15, steps: 1500, ipoMargin: 10 },
        { name: F1_RUNS.reinforce, objective: 'reinforce', sampling: 'on-policy', S: 10, T: 1, steps: 1500 },
      ],
    },
  };
}

// ---- F2 ----

const F2_COLLECTION_BATCHES = [100, 500, 1000, 2500];
const F2_STEP = 100;

function f2(reward: Reward, label: 'R1' | 'R2'): Preset {
  const onR1 = label === 'R1';
  const smallest = `B = ${F2_COLLECTION_BATCHES[0]}`;
  const largest = `B = ${F2_COLLECTION_BATCHES[F2_COLLECTION_BATCHES.length - 1]}`;
  return {
    name: `f2-${label.toLowerCase()}`,
    title: `F2 on ${label}: how on-policy? Collection batch B at a fixed minibatch`,
    description:
      'On-policy best-of-N with minibatches of M = 10 prompts × N = 10 samples and one pass over each epoch\'s data. A larger collection batch B means more gradient steps on stale samples. Read the reward at step 100: on R1 it falls as B grows; on R2 it barely moves.',
    lookFor: onR1
      ? 'Press Play and read the expected-reward chart at step 100. Every run takes one gradient step per 100 samples, but B = 2,500 collects 25 minibatches at once and trains on them while the policy moves away from the one that sampled them; B = 100 samples afresh before every step.'
      : 'Press Play and read the expected-reward chart at step 100: the four curves lie on top of each other, because samples from an older policy still land near the peak at bin 20.',
    explanation: onR1
      ? 'How on-policy does training need to be? Each run makes the same gradient steps on minibatches of 100 samples and passes over its data once, but collects B samples at a time (Algorithm 1\'s batch). With B = 100 every step uses samples from the current policy; with B = 2,500 the last of 25 minibatches was drawn 24 steps ago. On R1 the policy must travel far from π_ref, and stale samples describe a policy it has already left behind, so a smaller, more frequently sampled batch learns faster.'
      : 'The same collection-batch ablation on R2. Here the optimum sits where π_ref already puts its mass, so the policy hardly has to travel: samples from a policy a few steps old look almost like fresh ones, and more off-policy updates cost almost nothing.',
    quote: onR1 ? QUOTE_SMALL_BATCHES : QUOTE_OFF_POLICY_TOLERABLE_ON_R2,
    question: {
      prompt: `At step ${F2_STEP}, how does the expected reward of ${largest} compare with that of ${smallest}?`,
      options: [`Lower by more than 0.02: stale data slows learning`, 'Within 0.02: the batch size hardly matters', 'Higher by more than 0.02: bigger batches help'],
      answer: onR1 ? 0 : 1,
      reveal: onR1
        ? 'At step 100 the reward falls steadily with B: 0.84, 0.82, 0.80 and 0.69 for B = 100, 500, 1,000 and 2,500. Same number of samples, same number of steps; only the staleness of the samples differs.'
        : 'At step 100 all four lie between 0.973 and 0.976. With the peak on π_ref\'s mode, a policy a few steps old samples the same good region, so stale samples cost nothing.',
      check: {
        kind: 'interval',
        measure: { metric: 'expected_reward', at: F2_STEP },
        of: [largest],
        minus: [smallest],
        bounds: [-0.02, 0.02],
      },
    },
    seeds: SEEDS_1_TO_5,
    config: {
      name: `F2 — ${label}`,
      reward,
      defaults: { lr: 0.05, N: 10, M: 10, T: 1, steps: 200, sampling: 'on-policy' },
      runs: F2_COLLECTION_BATCHES.map((B) => ({ name: `B = ${B}`, objective: 'best-of-n' as const, S: B / 10 })),
    },
  };
}

// ---- F3 ----

const F3_REUSE = [1, 10, 20, 50, 100];

const f3: Preset = {
  name: 'f3-r1',
  title: 'F3 on R1: sample reuse T at fixed samples and steps',
  description:
    'The official ablation protocol (spec A.5): for reuse T, each epoch draws T times as many samples (N ← 10·T) and is passed over T times, so every run sees 100,000 samples in 1,000 gradient steps. Moderate reuse is neutral or helpful; heavy reuse makes best-of-N stale.',
  lookFor:
    'Press Play and compare how soon each curve crosses 0.8 on the expected-reward chart. All runs end at the peak; what differs is the climb. Runs with larger T collect more samples at a time and then train on them T times over.',
  explanation:
    'Sample reuse: on-policy best-of-N makes T gradient steps on each batch of samples before drawing new ones. The official ablation keeps the total number of samples (100,000) and of gradient steps (1,000) fixed, so a larger T means bigger but rarer batches, each reused more often. Reuse squeezes more learning out of each sample, but the policy drifts away from the one that drew them and stops exploring. It is a trade-off, not a rule, and on this engine the differences are modest.',
  quote: QUOTE_SAMPLE_REUSE,
  question: {
    prompt: 'Every run sees the same 100,000 samples in 1,000 steps. Which reaches an expected reward of 0.8 first?',
    options: [
      'T = 1: 100 fresh samples for every step',
      'T = 10: batches of 1,000 samples, each used for 10 steps',
      'T = 100: batches of 10,000 samples, each used for 100 steps',
    ],
    answer: 1,
    reveal:
      'T = 10 gets there first (step 80 on average), ahead of T = 100 (88) and T = 1 (95); T = 20 and T = 50 are close to T = 10 (79 and 82). Moderate reuse helps a little here; reusing each batch 100 times gives part of that back. Every run ends at 0.997–0.998.',
    check: { kind: 'pick-run', measure: { metric: 'first_step_at_reward_0.8' }, rule: 'lowest', runs: ['T = 1', 'T = 10', 'T = 100'] },
  },
  seeds: SEEDS_1_TO_5,
  config: {
    name: 'F3 — sample reuse (R1)',
    reward: R1,
    defaults: { lr: 0.05, S: 10, steps: 1000, sampling: 'on-policy' },
    runs: F3_REUSE.map((T) => ({ name: `T = ${T}`, objective: 'best-of-n' as const, N: 10 * T, T })),
  },
};

// ---- F4 ----

const F4_RUNS = {
  bestOfN: 'offline best-of-N',
  ipo: 'offline IPO',
  average: 'best-of-N + average_over_worse_actions',
  sum: 'best-of-N + sum_over_worse_actions',
} as const;

function f4(reward: Reward, label: 'R1' | 'R2'): Preset {
  const onR1 = label === 'R1';
  return {
    name: `f4-${label.toLowerCase()}`,
    title: `F4 on ${label}: a negative gradient offline`,
    description:
      'Offline data only (100 prompts × 10 samples from π_ref). IPO\'s negative gradient beats best-of-N when the peak is unlikely under π_ref; an explicit sum_over_worse_actions push-down at weight 1 frees mass that flows to bins never sampled, and the reward collapses.',
    lookFor: onR1
      ? 'Press Play and watch the last card: best-of-N plus a full-strength push-down on every worse sample. The pushed-down bins lose mass, but it does not go to the best samples: it drains into bins the dataset never contains, until one of them, far from the peak, holds almost everything.'
      : 'Press Play. On R2 offline best-of-N and offline IPO end together near the peak at bin 20; the full-strength push-down (last card) still leaks its mass into bins the dataset never contains.',
    explanation: onR1
      ? 'The negative gradient, offline. All four runs train on one fixed dataset of 1,000 samples from π_ref. Best-of-N only pulls its best samples up. IPO pulls the preferred response of each pair up and pushes the other down, which keeps working even when the best samples in the data are poor. Adding an explicit push-down to best-of-N shows the risk: lowering a sampled bin\'s logit hands its mass to every other bin in proportion to what they hold, including bins the dataset never contains, so a strong push-down can lower the likelihood of everything it sees, the best samples included.'
      : 'The same four offline runs on R2. With the peak on π_ref\'s mode the best samples in the data are already good, so maximum likelihood on them does well and the negative gradient has little left to add; the full-strength push-down still collapses, because where freed mass goes does not depend on the reward.',
    quote: onR1 ? QUOTE_NEGATIVE_GRADIENT : QUOTE_NEGATIVE_GRADIENT_WHEN,
    question: onR1
      ? {
          prompt:
            'Best-of-N plus a push-down on every worse sample (sum_over_worse_actions, weight 1): compared with plain offline best-of-N, where does its expected reward end?',
          options: ['Much lower (by more than 0.1): the reward collapses', 'About the same (within 0.1)', 'Higher (by more than 0.1): the push-down helps'],
          answer: 0,
          reveal:
            'It collapses to 0.00, while plain best-of-N ends at 0.29 and offline IPO at 0.70. The push-down on nine worse samples per prompt outweighs the pull-up on the one best sample, and the mass it frees flows to bins the data never contains, which nothing ever pushes back: one of them ends up with almost all of it (bin 31 for seed 1, far from the peak at 70).',
          check: { kind: 'interval', measure: finalReward, of: [F4_RUNS.sum], minus: [F4_RUNS.bestOfN], bounds: [-0.1, 0.1] },
        }
      : {
          prompt: 'On R2, where the peak is likely under π_ref, how does offline IPO compare with offline best-of-N at the end?',
          options: ['Best-of-N ends more than 0.1 higher', 'They end within 0.1 of each other', 'IPO ends more than 0.1 higher, as on R1'],
          answer: 1,
          reveal:
            'Both end at 0.94 (IPO ahead by 0.001). On R1 IPO beats best-of-N by 0.41; on R2 the negative gradient has nothing to fix, as the takeaway says: it helps when the peak lies in less likely regions of π_ref. The full push-down still collapses here (0.08).',
          check: { kind: 'interval', measure: finalReward, of: [F4_RUNS.ipo], minus: [F4_RUNS.bestOfN], bounds: [-0.1, 0.1] },
        },
    seeds: SEEDS_1_TO_5,
    config: {
      name: `F4 — ${label}`,
      reward,
      defaults: { lr: 0.05, N: 10, S: 100, sampling: 'offline', T: 300, steps: 300 },
      runs: [
        { name: F4_RUNS.bestOfN, objective: 'best-of-n' },
        { name: F4_RUNS.ipo, objective: 'ipo', ipoMargin: 10, rewardThreshold: 0.2 },
        {
          name: F4_RUNS.average,
          objective: 'best-of-n',
          negativeGradientType: 'average_over_worse_actions',
          negGradWeight: 0.5,
        },
        {
          name: F4_RUNS.sum,
          objective: 'best-of-n',
          negativeGradientType: 'sum_over_worse_actions',
          negGradWeight: 1,
        },
      ],
    },
  };
}

// ---- F5 ----

const F5_PROMPTS = [5, 20, 100, 500];

const f5: Preset = {
  name: 'f5-r1',
  title: 'F5 on R1: implicit rewards of y_w and y_l vs the number of prompts (offline IPO)',
  description:
    'Offline IPO on datasets of 5 to 500 prompts. Watch the implicit rewards log π(y_w) − log π_ref(y_w) and log π(y_l) − log π_ref(y_l): with few prompts y_w rises and y_l falls; with many prompts the chosen responses can lose likelihood too.',
  lookFor:
    'Press Play and open the implicit-reward chart: solid lines are the preferred responses y_w, dashed the dispreferred y_l. The margin between them grows for every dataset size; watch on which side of zero the solid lines end.',
  explanation:
    'What does a contrastive loss do to the likelihood of the responses it prefers? Offline IPO on R1 with 5, 20, 100 or 500 prompts (10 samples each, from π_ref). IPO only asks for a margin between y_w and y_l. With a handful of prompts the policy can raise each preferred response outright; with many prompts the preferred responses are spread over many bins and share the policy with everything else, so the cheapest way to widen every margin is to push y_l down hard — and the freed mass does not have to go to y_w.',
  quote: QUOTE_MASS_GOES_ELSEWHERE,
  question: {
    prompt:
      'With 5 prompts, the preferred responses y_w gain likelihood (their implicit reward ends above 0). With 500 prompts, where does the implicit reward of y_w end?',
    options: ['Below 0: the preferred responses lose likelihood too', 'Above 0: they gain likelihood, as with 5 prompts'],
    answer: 0,
    reveal:
      'With 500 prompts y_w ends at −2.80 (with 5 prompts: +1.66, while y_l falls to −3.24). The margin still grows — y_l falls further — but the freed mass goes to other responses, not to the preferred ones.',
    check: { kind: 'interval', measure: { metric: 'implicit_chosen', at: 'final' }, of: ['500 prompts'], bounds: [0] },
  },
  seeds: SEEDS_1_TO_5,
  config: {
    name: 'F5 — implicit rewards vs prompts (R1)',
    reward: R1,
    defaults: { lr: 0.05, N: 10, sampling: 'offline', T: 200, steps: 200, ipoMargin: 10, rewardThreshold: 0.2 },
    runs: F5_PROMPTS.map((S) => ({ name: `${S} prompts`, objective: 'ipo' as const, S })),
  },
};

// ---- F6 ----

/**
 * F6 runs every loss on the same fresh on-policy data (S = 10 prompts × N = 10 samples per gradient step, no
 * reuse, 300 steps, Adam), each at the learning rate with the most reward over the run (the area under its
 * curve), from the core's sweep, seeds 1–5:
 *
 *   npm run experiment -- --preset f6-r1 --sweep lr=0.1,0.2,0.3,0.5,1,2,3 --rank-by area --quiet
 *
 *   run                  lr=0.1  lr=0.2  lr=0.3  lr=0.5   lr=1   lr=2   lr=3  best lr
 *   on-policy IPO         0.832   0.897   0.919   0.912  0.962  0.873  0.830        1
 *   on-policy DPO         0.829   0.892   0.909   0.912  0.957  0.888  0.861        1
 *   REINFORCE             0.886   0.940   0.957   0.969  0.972  0.930  0.931        1
 *   on-policy best-of-N   0.871   0.928   0.954   0.966  0.950  0.902  0.904      0.5
 *
 * (A coarser first pass, lr=0.01,0.03,0.1,0.3,1,3, put every optimum between 0.3 and 1.) tests/presets.test.ts
 * re-runs this sweep and checks that these are still the best values.
 */
export const F6_LR_GRID = [0.1, 0.2, 0.3, 0.5, 1, 2, 3];
const F6_TUNED_LR = { ipo: 1, dpo: 1, reinforce: 1, bestOfN: 0.5 } as const;
const F6_RUNS = {
  ipo: 'on-policy IPO',
  dpo: 'on-policy DPO',
  reinforce: 'REINFORCE',
  bestOfN: 'on-policy best-of-N',
} as const;

const f6: Preset = {
  name: 'f6-r1',
  title: 'F6 on R1: on-policy data plus a contrastive loss, each loss at its tuned learning rate',
  description: `On-policy IPO and DPO (contrastive) against REINFORCE (on-policy RL) and on-policy best-of-N (maximum likelihood), all on the same fresh data: 10 prompts × 10 samples per gradient step, no reuse, 300 steps. Each uses its own best learning rate from a sweep ranked by the area under the reward curve (IPO ${F6_TUNED_LR.ipo}, DPO ${F6_TUNED_LR.dpo}, REINFORCE ${F6_TUNED_LR.reinforce}, best-of-N ${F6_TUNED_LR.bestOfN}).`,
  lookFor:
    'Press Play (a slow speed helps: at these learning rates every run passes 0.8 within 7 to 16 steps) and watch the expected-reward chart: the four curves rise together and stay close. The contrastive runs are not the fastest here; the explanation says why.',
  explanation:
    'The paper\'s conclusion puts the pieces together: on-policy sampling gives coverage, a negative gradient gives a stronger signal per sample, so a contrastive loss on on-policy data should beat both on-policy RL and on-policy maximum likelihood. A fair test gives every loss the same fresh data and its own tuned learning rate. On this tabular engine the claim does not appear: the four losses end within 0.015 of each other in reward over the run, and REINFORCE, not a contrastive loss, collects the most. Three reasons, all about this lab rather than the paper. Adam scales each logit\'s step by that logit\'s own gradient history, which cancels most of the larger gradients that make a contrastive signal "stronger" (spec F6 caveat). With tabular logits every bin is its own parameter and nothing is shared between responses, so the capacity effects behind the negative-gradient argument are absent. And REINFORCE\'s centred reward already pushes below-average samples down: on-policy RL has a negative gradient too. With plain SGD the contrastive losses still do not come out ahead (docs/presets.md).',
  quote: QUOTE_COMPLEMENTARY,
  question: {
    prompt:
      'The paper finds that a contrastive loss on on-policy data beats on-policy RL and maximum likelihood. Here every loss gets the same fresh data and its own best learning rate. How does the best contrastive run (IPO or DPO) compare with the best of REINFORCE and best-of-N, in reward collected over the 300 steps?',
    options: [
      'Clearly behind (by more than 0.02)',
      'About even (within 0.02)',
      'Clearly ahead (by more than 0.02), as in the paper',
    ],
    answer: 1,
    reveal:
      'About even, and slightly behind: mean reward over the run is 0.972 for REINFORCE, 0.966 for best-of-N, 0.962 for IPO and 0.957 for DPO (at the last step all four are within 0.01, IPO highest at 0.998, REINFORCE lowest at 0.988). F6 does not reproduce on this engine: Adam\'s per-parameter normalisation and tabular logits take away the contrastive loss\'s advantage, and REINFORCE is itself on-policy with a negative gradient. The robust claims of this lab are F1, F2 and F4.',
    check: {
      kind: 'interval',
      measure: { metric: 'reward_area' },
      of: [F6_RUNS.ipo, F6_RUNS.dpo],
      minus: [F6_RUNS.reinforce, F6_RUNS.bestOfN],
      bounds: [-0.02, 0.02],
    },
  },
  seeds: SEEDS_1_TO_5,
  config: {
    name: 'F6 — on-policy losses at tuned learning rates (R1)',
    reward: R1,
    defaults: { N: 10, S: 10, T: 1, steps: 300, sampling: 'on-policy' },
    runs: [
      { name: F6_RUNS.ipo, objective: 'ipo', ipoMargin: 10, lr: F6_TUNED_LR.ipo },
      { name: F6_RUNS.dpo, objective: 'dpo', lr: F6_TUNED_LR.dpo },
      { name: F6_RUNS.reinforce, objective: 'reinforce', lr: F6_TUNED_LR.reinforce },
      { name: F6_RUNS.bestOfN, objective: 'best-of-n', lr: F6_TUNED_LR.bestOfN },
    ],
  },
};

// ---- the official scripts ----

/** Options of the scripts' "where does the expected reward end?" questions, lowest first. */
const rewardBands = (low: number, high: number) => [`Below ${low}`, `Between ${low} and ${high}`, `Above ${high}`];

/**
 * The official 1-D scripts (spec B.11), with the official SFT start. The scripts' learning rates were
 * tuned for the MLP and are far too small for tabular logits (spec C.1), so these use lr 0.05.
 */
const scripts: Preset[] = [
  {
    name: 'script-best-of-n',
    title: 'best_of_n.sh: offline best-of-N on R2, 5 prompts',
    description: 'Official script: 1 epoch, N = 10, T = 200, 5 train prompts, reward 5 (R2), seeds 1–5. Official lr 0.01 on the MLP.',
    lookFor:
      'Press Play. Fifty samples from π_ref, five of them kept (the best of each prompt), imitated for 200 steps: watch the bars gather on those few bins near the peak at bin 20.',
    explanation:
      'The official offline best-of-N script, on the tabular engine: 5 prompts × 10 samples drawn once from π_ref, and the best sample of each prompt imitated for 200 steps. On R2 the peak sits on π_ref\'s mode, so even five draws of the best of ten usually land close to it, and filtered maximum likelihood is enough.',
    quote: QUOTE_ALL_SIMILAR_WHEN_CLOSE,
    question: {
      prompt: 'Only 5 prompts × 10 samples from π_ref, used once. Where does the expected reward end?',
      options: rewardBands(0.5, 0.8),
      answer: 2,
      reveal:
        'Above 0.8: 0.93 on average over seeds 1–5 (0.98 at best, 0.81 at worst). The five kept samples sit near bin 20 because π_ref samples there often; on R1 the same recipe ends at 0.31.',
      check: { kind: 'interval', measure: finalReward, of: ['offline best-of-N'], bounds: [0.5, 0.8] },
    },
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
    lookFor:
      'Press Play and watch the peak window (shaded, bins 15–25): IPO pulls each pair\'s better response up and pushes the worse one down, and the mass gathers inside it.',
    explanation:
      'The official offline IPO script: 100 prompts × 10 samples from π_ref, every pair within a prompt whose rewards differ by at least 0.2, and a target log-ratio margin of 10, for 200 steps from the official SFT start. On R2 the data is rich in good responses, so the contrastive loss concentrates the policy on the reward peak.',
    quote: QUOTE_NEGATIVE_GRADIENT_WHEN,
    question: {
      prompt: 'How much of the probability mass ends in the reward-peak window (bins 15–25)?',
      options: ['Less than half', 'Between half and 90%', 'More than 90%'],
      answer: 2,
      reveal:
        'More than 90%: 0.96 of the mass ends in the window, for an expected reward of 0.92 (seed 1, the script\'s seed). The contrastive loss does not have to find the peak — π_ref\'s samples already contain it — only concentrate on it.',
      check: { kind: 'interval', measure: { metric: 'peak_mass', at: 'final' }, of: ['offline IPO'], bounds: [0.5, 0.9] },
    },
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
  ...(
    [
      [R1, 'R1'],
      [R2, 'R2'],
    ] as const
  ).map(
    ([reward, label]): Preset => ({
      name: `script-onpolicy-best-of-n-${label.toLowerCase()}`,
      title: `onpolicy_best_of_n.sh: on-policy best-of-N on ${label}`,
      description: 'Official script: 100 epochs × T = 15, N = 10, 10 prompts, rewards 4 and 5, seeds 1–5. Official lr 0.001 on the MLP.',
      lookFor:
        label === 'R1'
          ? 'Press Play. Each epoch the policy samples 100 responses from itself and imitates the best of each prompt for 15 steps: watch the bars creep right, epoch by epoch, from π_ref\'s mode toward the peak at bin 70.'
          : 'Press Play and watch the expected-reward chart: with the peak on π_ref\'s mode, the first epochs already sample it and the curve shoots up.',
      explanation:
        label === 'R1'
          ? 'The official on-policy best-of-N script (ReST-style iterated filtering) on R1. No negative gradient at all: only maximum likelihood on the best of 10 samples per prompt. But each epoch samples from the current policy, so every epoch\'s best samples lie a little closer to the peak than the last, and the policy walks there — on-policy sampling alone supplies the coverage that offline best-of-N lacks.'
          : 'The official on-policy best-of-N script on R2. The peak is where π_ref already samples, so the very first epochs contain near-optimal responses and filtered maximum likelihood on them converges quickly; on-policy sampling has little to add.',
      quote: QUOTE_ON_POLICY,
      question:
        label === 'R1'
          ? {
              prompt: 'No negative gradient, but fresh samples every epoch. Does on-policy best-of-N reach the peak at bin 70?',
              options: ['No: it stays below 0.5, like offline best-of-N', 'Partly: between 0.5 and 0.9', 'Yes: above 0.9'],
              answer: 2,
              reveal:
                'Yes: 0.99 on average, first above 0.8 at step 90. Maximum likelihood on the policy\'s own best samples walks the mass to the peak; offline best-of-N on π_ref\'s samples stays at 0.29 (F1).',
              check: { kind: 'interval', measure: finalReward, of: ['on-policy best-of-N'], bounds: [0.5, 0.9] },
            }
          : {
              prompt: 'On R2, after how many gradient steps does the expected reward first reach 0.8?',
              options: ['Within 100 steps', 'Between 100 and 500 steps', 'After 500 steps, or never'],
              answer: 0,
              reveal:
                'Within 100: at step 40 on average (on R1 the same script needs 90 steps). It ends at 1.00.',
              check: { kind: 'interval', measure: { metric: 'first_step_at_reward_0.8' }, of: ['on-policy best-of-N'], bounds: [100, 500] },
            },
      seeds: SEEDS_1_TO_5,
      config: {
        name: `onpolicy_best_of_n.sh (${label})`,
        reward,
        defaults: { lr: 0.05, init: 'sft' },
        runs: [{ name: 'on-policy best-of-N', objective: 'best-of-n', sampling: 'on-policy', S: 10, N: 10, T: 15, steps: 1500 }],
      },
    }),
  ),
  {
    name: 'script-onpolicy-ipo',
    title: 'onpolicy_ipo.sh: on-policy IPO on R2',
    description: 'Official script: 100 epochs × T = 15, N = 10, 10 prompts, margin (β) 10, no threshold, reward 5, seeds 1–5. Official lr 0.01 on the MLP.',
    lookFor:
      'Press Play and watch the sample ticks under the bars: on-policy IPO pushes the worse response of every pair down (lower ticks) while the mass settles on the peak at bin 20.',
    explanation:
      'The official on-policy IPO script: a contrastive loss with a negative gradient on samples from the current policy, 15 steps per epoch for 100 epochs. It has no reward threshold, so every pair counts, near-ties included, and each of them is asked for a log-ratio margin of 10. This is the combination the paper recommends; on R2, where the peak is already likely, it matches the simpler methods.',
    quote: QUOTE_COMPLEMENTARY,
    question: {
      prompt: 'Without a threshold, every pair counts — near-ties too, each asked for a margin of 10. Where does the expected reward end?',
      options: rewardBands(0.5, 0.9),
      answer: 2,
      reveal:
        'Above 0.9: 0.999, first above 0.8 at step 46. A pair of two samples in the same bin gives no gradient at all (its log-ratio margin cannot change), and in every other pair the better response is pulled up until the pair reaches the target margin, so the push still points at the peak.',
      check: { kind: 'interval', measure: finalReward, of: ['on-policy IPO'], bounds: [0.5, 0.9] },
    },
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

export const PRESETS: Preset[] = [
  f1(R1, 'R1'),
  f1(R2, 'R2'),
  f2(R1, 'R1'),
  f2(R2, 'R2'),
  f3,
  f4(R1, 'R1'),
  f4(R2, 'R2'),
  f5,
  f6,
  ...scripts,
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

/** The comparison a user sees on first load. */
export const DEFAULT_PRESET_NAME = 'f1-r1';

// ---- reading a question's answer off the runs ----

/** What the runs say about a question: the option they pick and the numbers behind it. */
export interface AnswerFromRuns {
  answer: number;
  /** `pick-run`: each option's run's mean; `interval`: the single quantity compared with the bounds */
  values: number[];
}

function measureOf(result: SeedResult, runName: string, measure: RunMeasure): number {
  const index = result.comparison.runs.findIndex((r) => r.name === runName);
  if (index < 0) throw new Error(`no run is named "${runName}"`);
  const summary = result.summaries[index];
  switch (measure.metric) {
    case 'reward_area':
      return summary.meanExpectedReward;
    case 'first_step_at_reward_0.8':
      return summary.firstStepAtReward08 ?? Number.POSITIVE_INFINITY;
    default: {
      const metrics = result.comparison.runs[index].metrics;
      if (measure.at === 'final') return metrics.last(measure.metric);
      const steps = metrics.columns.step;
      for (let row = 0; row < metrics.length; row++) if (steps[row] === measure.at) return metrics.at(measure.metric, row);
      throw new Error(`run "${runName}" has no step ${measure.at}`);
    }
  }
}

function meanOverSeeds(results: readonly SeedResult[], runName: string, measure: RunMeasure): number {
  return results.reduce((total, result) => total + measureOf(result, runName, measure), 0) / results.length;
}

function bestOf(results: readonly SeedResult[], runNames: readonly string[], measure: RunMeasure): number {
  return Math.max(...runNames.map((name) => meanOverSeeds(results, name, measure)));
}

/** Read the answer to `check` off a preset's runs (one `SeedResult` per seed, from `runExperiment`). */
export function answerFromRuns(check: AnswerCheck, results: readonly SeedResult[]): AnswerFromRuns {
  if (check.kind === 'pick-run') {
    const values = check.runs.map((name) => meanOverSeeds(results, name, check.measure));
    const target = check.rule === 'highest' ? Math.max(...values) : Math.min(...values);
    return { answer: values.indexOf(target), values };
  }
  const value = bestOf(results, check.of, check.measure) - (check.minus ? bestOf(results, check.minus, check.measure) : 0);
  const answer = check.bounds.filter((bound) => value >= bound).length;
  return { answer, values: [value] };
}

/** The run names a check reads (each must be a run of the preset). */
export function runsReadBy(check: AnswerCheck): string[] {
  return check.kind === 'pick-run' ? [...check.runs] : [...check.of, ...(check.minus ?? [])];
}
