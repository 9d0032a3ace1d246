/** `npm run experiment`: argument handling, official flags, output formats, sweeps and bad input. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/experiment.ts';
import { runCli } from './helpers/cli.ts';

function cli(args: string[]): { code: number; log: string } {
  const lines: string[] = [];
  const code = main(args, (l) => lines.push(l));
  return { code, log: lines.join('\n') };
}

const tiny = {
  name: 'tiny',
  defaults: { steps: 30, S: 4, N: 4 },
  runs: [
    { name: 'on-policy IPO', objective: 'ipo' },
    { name: 'REINFORCE', objective: 'reinforce' },
  ],
};

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'mode-lab-config-'));
  const path = join(dir, 'config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('experiment CLI', () => {
  it('writes summary.json with the documented fields and one CSV per run and seed', () => {
    const out = runCli(['--config', configFile(tiny), '--seeds', '3,4']);
    expect(out.summary.runs).toHaveLength(4);
    expect(Object.keys(out.summary.runs[0]).sort()).toEqual(
      ['name', 'objective', 'onPolicy', 'reward', 'seed', 'steps', 'finalExpectedReward', 'firstStepAtReward08', 'finalPeakMass', 'finalKlPiRef', 'meanExpectedReward', 'diverged', 'divergedAtStep'].sort(),
    );
    expect(out.summary.runs[0]).toMatchObject({ name: 'on-policy IPO', objective: 'ipo', onPolicy: true, reward: 'R1', seed: 3, steps: 30, diverged: false });
    expect((out.summary.config as { name: string }).name).toBe('tiny');
    const rows = out.csv('REINFORCE', 4);
    expect(rows).toHaveLength(31);
    expect(Object.keys(rows[0]).slice(0, 8)).toEqual(['step', 'expected_reward', 'peak_mass', 'kl_pi_ref', 'kl_ref_pi', 'entropy', 'loss', 'queries']);
    expect(rows[30].expected_reward).toBeCloseTo(out.summary.runs.find((r) => r.name === 'REINFORCE' && r.seed === 4)!.finalExpectedReward, 8);
    expect(out.log).toMatch(/first step E\[r\] ≥ 0.8/);
  });

  it('accepts the app\'s export bundle ({ config: … }) as --config', () => {
    const out = runCli(['--config', configFile({ config: tiny, metrics: [] })]);
    expect(out.summary.runs).toHaveLength(2);
  });

  it('accepts official flag names and maps --beta to each objective\'s own hyperparameter', () => {
    const out = runCli(['--config', configFile(tiny), '--num_iterations_on_same_samples', '3', '--beta', '4', '--num_train_states', '6', '--epochs', '2']);
    const config = out.summary.config as { runs: Array<Record<string, unknown>> };
    expect(config.runs[0]).toMatchObject({ T: 3, S: 6, ipoMargin: 4, steps: 6 });
    expect(config.runs[1]).toMatchObject({ T: 3, S: 6, entropyBonus: 4, steps: 6 });
    expect(out.summary.runs[0].steps).toBe(6);
  });

  it('--set overrides any lab knob; bad values are refused with the schema message', () => {
    const ok = runCli(['--config', configFile(tiny), '--set', 'lr=0.2', '--set', 'optimizer=sgd']);
    expect((ok.summary.config as { runs: Array<Record<string, unknown>> }).runs[1]).toMatchObject({ lr: 0.2, optimizer: 'sgd' });
    const bad = cli(['--config', configFile(tiny), '--set', 'lr=-1']);
    expect(bad.code).toBe(2);
    expect(bad.log).toMatch(/runs\[0\]\.lr: must be a number greater than 0 and at most 100 \(got -1\)/);
  });

  it('a sweep reports the best value per run and writes one folder per value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mode-lab-sweep-'));
    const { code, log } = cli(['--config', configFile(tiny), '--sweep', 'lr=0.001,0.1', '--seeds', '1,2', '--out', dir]);
    expect(code).toBe(0);
    expect(log).toMatch(/best lr/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.sweep.best).toHaveLength(2);
    // at 30 steps a tabular policy barely moves at lr 0.001: the larger rate wins
    expect(summary.sweep.best.map((b: { bestValue: number }) => b.bestValue)).toEqual([0.1, 0.1]);
    expect(readdirSync(dir).sort()).toEqual(['lr=0.001', 'lr=0.1', 'summary.json']);
  });

  it('--rank-by area ranks by the mean expected reward over all steps', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mode-lab-sweep-'));
    const { code, log } = cli(['--config', configFile(tiny), '--sweep', 'lr=0.001,0.1', '--rank-by', 'area', '--out', dir]);
    expect(code).toBe(0);
    expect(log).toMatch(/area under the curve/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const lr01 = JSON.parse(readFileSync(join(dir, 'lr=0.1', 'summary.json'), 'utf8')).runs[0];
    expect(summary.sweep.best[0].byValue[1].score).toBeCloseTo(lr01.meanExpectedReward, 12);
    expect(cli(['--config', configFile(tiny), '--sweep', 'lr=0.1', '--rank-by', 'fast']).log).toMatch(/--rank-by must be final or area/);
  });

  it('lists presets and prints usage', () => {
    expect(cli(['--list-presets']).log).toMatch(/f1-r1 .*F1 on R1/);
    expect(cli(['--help']).log).toMatch(/Usage: npm run experiment/);
  });

  it('bad input: a clear message and exit code 2, never a stack trace', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /give exactly one of --config FILE or --preset NAME/],
      [['--preset', 'nope'], /unknown preset "nope"; presets: f1-r1/],
      [['--config', '/does/not/exist.json'], /cannot read --config \/does\/not\/exist.json/],
      [['--config', configFile('{ not json')], /is not valid JSON/],
      [['--config', configFile({ runs: [{ name: 'a', objective: 'grpo' }] })], /runs\[0\]\.objective: unknown objective "grpo"/],
      [['--preset', 'f1-r1', '--seeds', '1,x'], /--seeds must be a comma-separated list/],
      [['--preset', 'f1-r1', '--bogus'], /Unknown option '--bogus'/],
      [['--preset', 'f1-r1', '--set', 'learning_rate=1'], /unknown knob "learning_rate"/],
      [['--preset', 'f1-r1', '--sweep', 'lr'], /--sweep must look like KEY=V1,V2/],
    ];
    for (const [args, pattern] of cases) {
      const { code, log } = cli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(log).toMatch(pattern);
      expect(log).not.toMatch(/\n\s+at /);
    }
  });
});
