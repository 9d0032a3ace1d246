/**
 * The guided tour, as data: from "what is a categorical policy" to "why on-policy data plus a negative
 * gradient wins". Each page's `enter` sets the lab up for it (a preset, the page, the speed, Play) and
 * `leave` undoes what should not outlive it. The numbers quoted are the presets' (docs/presets.md).
 *
 * The hooks get the store's state and actions (`store.getState()`); `play()` called after `loadPreset()`
 * in the same hook waits for the new comparison to load (Tour.tsx sees to that).
 */
import type { LabActions, LabState } from '../store/lab-store.ts';

export type Lab = LabState & LabActions;

export interface TourPage {
  id: string;
  title: string;
  /** paragraphs of plain text */
  body: string[];
  enter?(lab: Lab): void;
  leave?(lab: Lab): void;
}

/** Open a preset on the lab page at a given speed (gradient steps per frame), paused at step 0. */
function openInLab(lab: Lab, preset: string, speed: LabState['speed'] = 4): void {
  lab.setPage('lab');
  lab.loadPreset(preset);
  lab.setSpeed(speed);
}

const pause = (lab: Lab) => lab.pause();

export const TOUR_PAGES: TourPage[] = [
  {
    id: 'categorical-policy',
    title: 'A policy is a bar chart',
    body: [
      'Everything in this lab happens on one toy problem: a "prompt" whose possible responses are 100 bins, numbered 0 to 99. A policy is a categorical distribution over those bins, one probability per bin, here held as 100 logits passed through a softmax. Training moves probability mass from bin to bin.',
      'The outline on every card is π_ref, the reference policy, standing in for the pre-trained model we start from: a hump of likely responses around bins 13–19, a long flat plateau of unlikely ones, and two spikes at the edges (bin 0 and bin 99). Every run starts at π_ref, so right now the bars fill the outline exactly.',
      'The cards you see are the five runs of the paper\'s first experiment, still at step 0. Press Next to meet the reward.',
    ],
    enter: (lab) => openInLab(lab, 'f1-r1'),
  },
  {
    id: 'rewards',
    title: 'Two rewards: R1 and R2',
    body: [
      'The reward scores each bin: a bump that is 1 at its peak and falls off within about ten bins (the dashed curve; the shaded band is the peak window). The paper uses two of them. R1 peaks at bin 70, where π_ref gives each bin about 0.2% of its mass: the good responses are ones the reference model almost never says. R2 peaks at bin 20, on π_ref\'s hump: the good responses are already likely.',
      'The lab now shows R2 and is playing. Every run — offline or on-policy, with or without a negative gradient — finds the peak, because π_ref\'s own samples are full of good responses. Keep R2 in mind as the easy case; the rest of the tour is about R1.',
    ],
    enter: (lab) => {
      openInLab(lab, 'f1-r2', 8);
      lab.play();
    },
    leave: pause,
  },
  {
    id: 'offline-maximum-likelihood',
    title: 'Maximum likelihood on offline data',
    body: [
      'Back to R1. The simplest fine-tuning recipe: draw a dataset from π_ref once (100 prompts × 10 samples), keep the best sample of each prompt, and raise its likelihood — best-of-N, a filtered maximum-likelihood method like SFT on the best responses.',
      'Only offline best-of-N is shown (the legend above the charts shows the others again). Watch it: the mass gathers on the best of what π_ref happened to sample, which is rarely near bin 70. It ends at an expected reward of 0.29. Maximum likelihood can only sharpen what is in the data; it cannot find what the data lacks. The paper calls such objectives mode-covering.',
    ],
    enter: (lab) => {
      openInLab(lab, 'f1-r1', 16);
      lab.solo('offline best-of-N');
      lab.play();
    },
    leave: pause,
  },
  {
    id: 'negative-gradient',
    title: 'The negative gradient',
    body: [
      'IPO learns from the same offline dataset, but from pairs: for every two samples of a prompt it pulls the better one up and pushes the worse one down. That push-down is the negative gradient. On R1 offline IPO ends at 0.70 against best-of-N\'s 0.29: pushing the bad responses down moves mass away from where π_ref is wrong, even when the best samples are poor.',
      'The last card is a warning. Best-of-N plus a full-strength push-down on every worse sample collapses to 0.00: the freed mass flows to bins the dataset never contains, and nothing steers it to the peak. A negative gradient raises the margin between preferred and dispreferred responses, but the recovered mass may go to other responses, not the preferred one.',
    ],
    enter: (lab) => {
      openInLab(lab, 'f4-r1', 4);
      lab.play();
    },
    leave: pause,
  },
  {
    id: 'on-policy',
    title: 'On-policy data',
    body: [
      'Now all five runs of the first experiment. The on-policy ones draw fresh samples from the policy being trained at every epoch, so as the mass moves right, so do the samples — and the next batch\'s best samples lie closer to the peak.',
      'All three on-policy runs pass 0.98, even on-policy best-of-N, which has no negative gradient at all (0.99). Offline IPO, with a negative gradient but only π_ref\'s samples, stays at 0.70. On R1, where the reference model rarely produces good responses, sampling from the policy matters more than the loss.',
    ],
    enter: (lab) => {
      openInLab(lab, 'f1-r1', 8);
      lab.play();
    },
    leave: pause,
  },
  {
    id: 'mode-seeking',
    title: 'Mode-seeking vs mode-covering',
    body: [
      'Why do on-policy RL and contrastive losses move mass faster? The paper\'s answer: they behave like a reverse KL divergence, KL(π‖target), which is mode-seeking, while maximum likelihood behaves like the forward KL, KL(target‖π), which is mode-covering.',
      'This is the theory bench: both divergences on a small categorical distribution, with exact gradients and no sampling noise. Run them side by side. The reverse KL drains bins the target does not want at a rate that grows as the target\'s probability shrinks, and piles mass onto a few bins the target likes, within a few steps; the forward KL moves every logit by at most one step size, spreading mass to cover everything the target allows. The reverse KL barely touches bins the policy already ignores — which is why on-policy methods still need π_ref to put some mass near the peak.',
    ],
    enter: (lab) => lab.setPage('theory'),
    leave: (lab) => lab.setPage('lab'),
  },
  {
    id: 'how-on-policy',
    title: 'How on-policy? The collection batch',
    body: [
      'On-policy is a matter of degree. These four runs of on-policy best-of-N make the same gradient steps on minibatches of 100 samples, but collect B samples at a time: with B = 100 every step uses fresh samples; with B = 2,500 it takes 25 steps on samples that were all drawn before the first of them.',
      'Read the expected reward at step 100: 0.84, 0.82, 0.80 and 0.69 as B grows from 100 to 2,500. Stale samples describe a policy left behind. (On R2 the four are within 0.004 of each other at step 100: when the peak is likely under π_ref, off-policy updates are tolerable.)',
    ],
    enter: (lab) => {
      openInLab(lab, 'f2-r1', 2);
      lab.play();
    },
    leave: pause,
  },
  {
    id: 'sample-reuse',
    title: 'Sample reuse',
    body: [
      'Reusing samples — T gradient steps on each batch before drawing the next — squeezes more out of each sample, but the policy drifts away from the one that drew them and explores less. Here every run sees the same 100,000 samples in 1,000 steps; only the batch size and its reuse differ.',
      'Moderate reuse helps a little on this engine: T = 10 first passes 0.8 at step 80, T = 1 at step 95, and T = 100 gives part of the gain back (88). All end at the peak. A trade-off, not a rule.',
    ],
    enter: (lab) => {
      openInLab(lab, 'f3-r1', 4);
      lab.play();
    },
    leave: pause,
  },
  {
    id: 'putting-it-together',
    title: 'Why on-policy data plus a negative gradient wins',
    body: [
      'Put together: on-policy sampling gives coverage — the samples follow the policy to where the reward is — and a negative gradient gives a stronger signal per sample, pushing mass out of bad regions instead of only pulling it into good ones. The methods that have both (on-policy RL such as REINFORCE, whose centred reward pushes below-average samples down, and contrastive losses like IPO and DPO on on-policy data) are the ones the paper recommends when the good responses are unlikely under the reference model.',
      'The paper goes one step further: a contrastive loss on on-policy data beats on-policy RL and on-policy maximum likelihood. This preset tests that fairly: the same fresh data for every loss, each at its own tuned learning rate. On this tabular engine the claim does not appear: the four end within 0.015 in reward collected, with REINFORCE on top (0.972) and IPO at 0.962. Adam\'s per-parameter step sizes cancel much of the contrastive loss\'s stronger gradients, tabular logits share nothing between responses, and REINFORCE already has its own negative gradient. What does reproduce, robustly, is the larger lesson of the tour: on-policy data matters most when the reward and the reference disagree (F1, F2), and a negative gradient helps offline but can send mass astray (F4).',
    ],
    enter: (lab) => {
      openInLab(lab, 'f6-r1', 1);
      lab.play();
    },
    leave: pause,
  },
];
