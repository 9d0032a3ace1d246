/** The official command line of a lab experiment: the script presets against spec B.11, and the reasons a config does not map. */
import { describe, expect, it } from 'vitest';
import { parseExperimentConfigOrThrow, type ExperimentConfigInput } from '../src/lab/config/experiment.ts';
import { officialCommands, type OfficialCommand, type OfficialRunMapping } from '../src/lab/config/official-command.ts';
import { PRESETS } from '../src/lab/config/presets.ts';

/**
 * Spec B.11, the 1-D rows of the run-script table, transcribed here independently of the code:
 * script, alg, reward, epochs, N, T, train prompts S, lr (on the MLP), β, threshold, seeds.
 */
const B11 = {
  'script-best-of-n': { file: 'best_of_n.sh', algorithm: 'best_of_n', reward: 5, epochs: 1, N: 10, T: 200, S: 5, lr: 0.01, beta: undefined, threshold: undefined, seeds: [1, 2, 3, 4, 5] },
  'script-ipo': { file: 'ipo.sh', algorithm: 'ipo', reward: 5, epochs: 1, N: 10, T: 200, S: 100, lr: 0.003, beta: 10, threshold: 0.2, seeds: [1] },
  'script-onpolicy-best-of-n-r1': { file: 'onpolicy_best_of_n.sh', algorithm: 'best_of_n', reward: 4, epochs: 100, N: 10, T: 15, S: 10, lr: 0.001, beta: undefined, threshold: undefined, seeds: [1, 2, 3, 4, 5] },
  'script-onpolicy-best-of-n-r2': { file: 'onpolicy_best_of_n.sh', algorithm: 'best_of_n', reward: 5, epochs: 100, N: 10, T: 15, S: 10, lr: 0.001, beta: undefined, threshold: undefined, seeds: [1, 2, 3, 4, 5] },
  'script-onpolicy-ipo': { file: 'onpolicy_ipo.sh', algorithm: 'ipo', reward: 5, epochs: 100, N: 10, T: 15, S: 10, lr: 0.01, beta: 10, threshold: undefined, seeds: [1, 2, 3, 4, 5] },
} as const;

/** `--flag value` pairs (a flag without a value maps to true) */
function flagsOf(argv: readonly string[]): Map<string, string | true> {
  expect(argv.slice(0, 2)).toEqual(['python', 'hyperparam_tuning.py']);
  const flags = new Map<string, string | true>();
  for (let i = 2; i < argv.length; i++) {
    expect(argv[i]).toMatch(/^--\w+$/);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) flags.set(argv[i].slice(2), true);
    else flags.set(argv[i].slice(2), argv[++i]);
  }
  return flags;
}

function mapped(input: ExperimentConfigInput, seeds?: number[]): OfficialRunMapping[] {
  const config = parseExperimentConfigOrThrow(input);
  return officialCommands(config, seeds).runs;
}

function only(input: ExperimentConfigInput, seeds?: number[]): OfficialCommand {
  const [run] = mapped(input, seeds);
  if (!run.ok) throw new Error(`expected a command, got: ${run.reasons.join(' ')}`);
  return run;
}

function reasonsOf(input: ExperimentConfigInput): string {
  const [run] = mapped(input);
  if (run.ok) throw new Error(`expected no command, got ${run.command}`);
  return run.reasons.join('\n');
}

const SFT_IPO = { init: 'sft', objective: 'ipo', name: 'ipo' } as const;

describe('the official script presets', () => {
  const scriptPresets = PRESETS.filter((p) => p.name.startsWith('script-'));

  it('are exactly the 1-D scripts of spec B.11', () => {
    expect(scriptPresets.map((p) => p.name).sort()).toEqual(Object.keys(B11).sort());
  });

  for (const preset of scriptPresets) {
    it(`${preset.name} gives the command of ${B11[preset.name as keyof typeof B11]?.file} (spec B.11)`, () => {
      const expected = B11[preset.name as keyof typeof B11];
      const config = parseExperimentConfigOrThrow(preset.config);
      const mapping = officialCommands(config, preset.seeds);
      expect(mapping.ok).toBe(true);
      expect(mapping.runs).toHaveLength(1);
      const run = mapping.runs[0] as OfficialCommand;
      const flags = flagsOf(run.argv);
      expect(flags.get('algorithm')).toBe(expected.algorithm);
      expect(Number(flags.get('reward_function'))).toBe(expected.reward);
      expect(Number(flags.get('epochs'))).toBe(expected.epochs);
      expect(Number(flags.get('N'))).toBe(expected.N);
      expect(Number(flags.get('num_iterations_on_same_samples'))).toBe(expected.T);
      expect(Number(flags.get('num_train_states'))).toBe(expected.S);
      expect(flags.get('beta') === undefined ? undefined : Number(flags.get('beta'))).toBe(expected.beta);
      expect(flags.get('reward_threshold') === undefined ? undefined : Number(flags.get('reward_threshold'))).toBe(expected.threshold);
      expect(flags.get('policy')).toBe('categorical');
      expect(flags.get('action_type')).toBe('discrete');
      expect(flags.get('num_actions')).toBe('100');
      expect(flags.get('num_action_dim')).toBe('1');
      expect(flags.has('negative_gradient_type')).toBe(false);
      // epochs × T gradient steps, as in the table's last column
      expect(expected.epochs * expected.T).toBe(config.runs[0].steps);
      // the preset's tabular learning rate (not the MLP's), and a note naming the script's own
      expect(Number(flags.get('lr'))).toBe(config.defaults.lr);
      expect(run.script).toBe(expected.file);
      expect(run.notes.join(' ')).toContain(`${expected.file}, except the learning rate: the script uses ${expected.lr}`);
      // every seed of the script, in one line
      expect(run.seeds).toEqual(expected.seeds);
      expect(flags.get('seed')).toBe(String(expected.seeds[0]));
      if (expected.seeds.length > 1) {
        expect(run.command).toBe(`for seed in ${expected.seeds.join(' ')}; do ${run.argv.slice(0, -2).join(' ')} --seed $seed; done`);
      } else {
        expect(run.command).toBe(run.argv.join(' '));
      }
    });
  }
});

describe('officialCommands', () => {
  it('maps REINFORCE: --beta is always given (the official default would add its sampled term), per-prompt advantages set the flag', () => {
    const run = only({ runs: [{ name: 'r', objective: 'reinforce', init: 'sft', S: 10, T: 1, steps: 100, advantage: 'per-prompt', entropyBonus: 0 }] });
    const flags = flagsOf(run.argv);
    expect(flags.get('algorithm')).toBe('reinforce');
    expect(flags.get('epochs')).toBe('100');
    expect(flags.get('num_iterations_on_same_samples')).toBe('1');
    expect(flags.get('beta')).toBe('0');
    expect(flags.get('normalize_rewards_per_state')).toBe(true);
    expect(run.script).toBeNull();
  });

  it('maps DPO with its β and threshold, and an explicit best-of-N negative gradient with its weight', () => {
    const dpo = flagsOf(only({ runs: [{ name: 'd', objective: 'dpo', init: 'sft', dpoBeta: 0.3, rewardThreshold: 0.1, sampling: 'offline', T: 1, steps: 50 }] }).argv);
    expect([dpo.get('beta'), dpo.get('reward_threshold'), dpo.get('epochs'), dpo.get('num_iterations_on_same_samples')]).toEqual(['0.3', '0.1', '1', '50']);
    const bon = flagsOf(only({ runs: [{ name: 'b', objective: 'best-of-n', init: 'sft', negativeGradientType: 'sum_over_worse_actions', negGradWeight: 1, T: 10, steps: 100 }] }).argv);
    expect([bon.get('negative_gradient_type'), bon.get('beta'), bon.get('epochs')]).toEqual(['sum_over_worse_actions', '1', '10']);
  });

  it('notes the REINFORCE running-statistics quirk when T > 1', () => {
    const run = only({ runs: [{ name: 'r', objective: 'reinforce', init: 'sft', T: 5, steps: 100 }] });
    expect(run.notes.join(' ')).toMatch(/quirk 12/);
  });

  it('says why a run with a lab-only starting policy, another optimiser or minibatches does not map', () => {
    expect(reasonsOf({ runs: [{ name: 'ipo', objective: 'ipo' }] })).toMatch(/Starting policy: "reference" starts exactly at π_ref, a lab-only option/);
    expect(reasonsOf({ runs: [{ ...SFT_IPO, optimizer: 'sgd' }] })).toMatch(/always uses Adam, not SGD/);
    expect(reasonsOf({ runs: [{ ...SFT_IPO, S: 10, M: 5 }] })).toMatch(/Minibatches of M = 5 prompts/);
    expect(reasonsOf({ runs: [{ ...SFT_IPO, T: 15, steps: 100 }] })).toMatch(/100 gradient steps is not a whole number of epochs of T = 15/);
  });

  it('says why objectives, knobs and labels the official code lacks do not map', () => {
    expect(reasonsOf({ runs: [{ name: 'rwr', objective: 'rwr', init: 'sft' }] })).toMatch(/RWR: the 1-D entry point has no RWR/);
    expect(reasonsOf({ runs: [{ name: 'ppo', objective: 'ppo', init: 'sft' }] })).toMatch(/PPO: the 1-D entry point has no PPO/);
    expect(reasonsOf({ runs: [{ name: 'r', objective: 'reinforce', init: 'sft', klCoef: 0.1 }] })).toMatch(/KL coefficient 0.1: the official 1-D REINFORCE has no KL term/);
    expect(reasonsOf({ runs: [{ ...SFT_IPO, labels: 'bradley-terry' }] })).toMatch(/Bradley–Terry labels are a lab extension/);
    expect(reasonsOf({ runs: [{ name: 'b', objective: 'best-of-n', init: 'sft', negativeGradientType: 'worst_action_constrained' }] })).toMatch(
      /worst_action_constrained is not one of the official --negative_gradient_type choices/,
    );
  });

  it('says why custom rewards and references, other Gaussians and live changes do not map', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i === 50 ? 1 : 0));
    expect(reasonsOf({ reward: { kind: 'custom', values }, runs: [SFT_IPO] })).toMatch(/The reward is a custom table; the official 1-D code has only the Gaussian rewards 4 \(centre 70, width 10\)/);
    expect(reasonsOf({ reward: { kind: 'gaussian', centre: 50, width: 10 }, runs: [SFT_IPO] })).toMatch(/Gaussian at bin 50 of width 10/);
    expect(reasonsOf({ reference: { kind: 'custom', values: Array.from({ length: 100 }, () => 0.01) }, runs: [SFT_IPO] })).toMatch(/π_ref is a custom table/);
    expect(reasonsOf({ reference: { kind: 'sampled', bins: 100, draws: 500_000 }, runs: [SFT_IPO] })).toMatch(/histogram of 500000 draws; the official one always uses 10,000/);
    expect(only({ reference: { kind: 'sampled', bins: 100, draws: 10_000 }, runs: [SFT_IPO] }).ok).toBe(true);
    expect(reasonsOf({ runs: [SFT_IPO], edits: [{ run: 'ipo', step: 120, key: 'lr', value: 0.1 }] })).toMatch(/Live changes during the run \(learning rate at step 120\)/);
  });

  it('maps run by run: F1 (lab starting policy) maps nowhere, the same with the SFT start maps everywhere', () => {
    const f1 = PRESETS.find((p) => p.name === 'f1-r1')!;
    const asIs = officialCommands(parseExperimentConfigOrThrow(f1.config), f1.seeds);
    expect(asIs.ok).toBe(false);
    expect(asIs.runs.every((r) => !r.ok)).toBe(true);
    const withSft = officialCommands(parseExperimentConfigOrThrow({ ...f1.config, defaults: { ...f1.config.defaults, init: 'sft' } }), f1.seeds);
    expect(withSft.runs.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(withSft.notes.join(' ')).toMatch(/MLP/);
    const mixed = officialCommands(parseExperimentConfigOrThrow({ runs: [SFT_IPO, { name: 'rwr', objective: 'rwr', init: 'sft' }] }));
    expect(mixed.ok).toBe(false);
    expect(mixed.runs.map((r) => r.ok)).toEqual([true, false]);
  });
});
