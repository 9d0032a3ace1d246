/**
 * The comparisons the Sequences page offers: the four official transformer scripts and the three
 * length-task comparisons (`src/lab/sequence/sequence-presets.ts`), each with its label, one line on what
 * it shows, and its size.
 */
import { DEFAULT_SEQUENCES_PRESET } from '../../lab/config/url-codec.ts';
import { LENGTH_TASK_PRESETS, OFFICIAL_SEQUENCE_PRESETS } from '../../lab/sequence/sequence-presets.ts';

export interface SequencePresetChoice {
  id: string;
  label: string;
  group: 'official' | 'length';
  /** one line on what it shows */
  shows: string;
  runCount: number;
  /** gradient steps of its longest run */
  gradientSteps: number;
  /** the seed it runs by default */
  defaultSeed: number;
}

const SHOWS: Record<string, string> = {
  'official-transformer-best-of-n': 'Offline: one dataset of reference samples, fine-tuned on the best of each prompt’s 10: how far does reward 7 get without fresh samples?',
  'official-transformer-ipo': 'Offline IPO on all pairs of 1,000 reference samples: a contrastive loss without fresh samples.',
  'official-onpolicy-transformer-best-of-n': 'On-policy: fresh samples every epoch; the tokens move toward the reward peak at 20 (ceiling ≈ 0.918).',
  'official-onpolicy-transformer-ipo': 'On-policy IPO: fresh pairs every epoch; compare its speed with the offline IPO script.',
  'min-length-comparison': 'Optimum length 1, far from π_ref. F7: on-policy DPO gets there first, RWR last. Measured here (seeds 1–3): on-policy DPO is short by step 20–50, RWR by 40–100, PPO only by 200; offline DPO ends between 1.0 and 1.4.',
  'skew-length-comparison': 'Offline data: short truncated pairs that barely overlap π_ref. F7: offline DPO plateaus. Measured here it does not: it is at length ≈ 1 by step 50 (the pairs teach “stop early” directly; docs/sequence-tasks.md).',
  'mode-length-comparison': 'Optimum at the reference mode (length 6). F7: the methods stay close. Measured here: the three on-policy runs reach the mode within ≈ 100 steps; offline DPO drifts away (distance 0.2–1.7 at step 300).',
};

export const SEQUENCE_PRESET_CHOICES: readonly SequencePresetChoice[] = [
  ...OFFICIAL_SEQUENCE_PRESETS.map(
    (spec): SequencePresetChoice => ({
      id: spec.id,
      label: spec.label,
      group: 'official',
      shows: SHOWS[spec.id] ?? spec.notes,
      runCount: 1,
      gradientSteps: spec.gradientSteps,
      defaultSeed: spec.seeds[0] ?? 1,
    }),
  ),
  ...LENGTH_TASK_PRESETS.map(
    (preset): SequencePresetChoice => ({
      id: preset.id,
      label: preset.label,
      group: 'length',
      shows: SHOWS[preset.id] ?? preset.expectation,
      runCount: preset.runs.length,
      gradientSteps: Math.max(...preset.runs.map((run) => run.gradientSteps)),
      defaultSeed: preset.runs[0]?.seeds[0] ?? 1,
    }),
  ),
];

/** the benchmark configuration: one run whose reward visibly climbs (a link that names none opens it too) */
export const DEFAULT_SEQUENCE_PRESET = DEFAULT_SEQUENCES_PRESET;

export function findSequencePresetChoice(id: string): SequencePresetChoice | undefined {
  return SEQUENCE_PRESET_CHOICES.find((choice) => choice.id === id);
}
