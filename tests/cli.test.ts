/** `npm run experiment`: argument handling, official flags, output formats, sweeps and bad input. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/experiment.ts';
import { parseExperimentConfigOrThrow } from '../src/lab/config/experiment.ts';
import { encodeExperimentUrl } from '../src/lab/config/url-codec.ts';
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
      [[], /give exactly one of --config FILE \(or LINK\) or --preset NAME/],
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

  describe('--config with a lab link', () => {
    // a run tweaked mid-way, names that need escaping, and a seed of its own
    const tweaked = {
      name: 'tweaked & shared',
      seed: 7,
      reference: { kind: 'cauchy-tanh', bins: 40 },
      reward: { kind: 'gaussian', centre: 30, width: 4 },
      defaults: { steps: 40, S: 4, N: 4 },
      runs: [
        { name: 'IPO = pairs?', objective: 'ipo', ipoMargin: 3 },
        { name: 'REINFORCE', objective: 'reinforce', lr: 0.2 },
      ],
      edits: [
        { run: 'REINFORCE', step: 15, key: 'lr', value: 0.01 },
        { run: 'IPO = pairs?', step: 20, key: 'ipoMargin', value: 8 },
      ],
    };
    const query = encodeExperimentUrl(parseExperimentConfigOrThrow(tweaked), { at: 20, hidden: ['REINFORCE'] });

    it('gives exactly the metrics of the same config given as a JSON file', () => {
      expect(query).toContain('e=2:lr:15:0.01');
      const fromFile = runCli(['--config', configFile(tweaked)]);
      const written = readdirSync(fromFile.dir).sort();
      expect(written).toEqual(['IPO_=_pairs___seed7.csv', 'REINFORCE__seed7.csv', 'summary.json']);
      for (const link of [query, `?${query}`, `https://example.org/mode-lab/?${query}#charts`]) {
        const fromLink = runCli(['--config', link]);
        expect(readdirSync(fromLink.dir).sort()).toEqual(written);
        for (const file of written) {
          expect(readFileSync(join(fromLink.dir, file), 'utf8'), `${file} from ${link}`).toBe(readFileSync(join(fromFile.dir, file), 'utf8'));
        }
      }
      // the edit changed the run: without it the metrics differ
      const untweaked = runCli(['--config', configFile({ ...tweaked, edits: [] })]);
      expect(readFileSync(join(untweaked.dir, 'REINFORCE__seed7.csv'), 'utf8')).not.toBe(readFileSync(join(fromFile.dir, 'REINFORCE__seed7.csv'), 'utf8'));
    });

    it('takes --seeds and --set on top of a link', () => {
      const out = runCli(['--config', query, '--seeds', '1,2', '--set', 'optimizer=sgd']);
      expect(out.summary.runs.map((r) => `${r.name} ${r.seed}`)).toEqual(['IPO = pairs? 1', 'REINFORCE 1', 'IPO = pairs? 2', 'REINFORCE 2']);
      expect((out.summary.config as { runs: Array<Record<string, unknown>> }).runs[1]).toMatchObject({ optimizer: 'sgd', lr: 0.2 });
    });

    it('refuses a link with problems: each one listed with its key, exit code 2', () => {
      const { code, log } = cli(['--config', 'v=1&r1=ipo&r1.name=a&r1.lr=-1&r2=grpo&colour=red']);
      expect(code).toBe(2);
      expect(log).toMatch(/the --config link has 3 problems:/);
      expect(log).toMatch(/^ {2}r1\.lr: must be a number greater than 0 and at most 100 \(got -1\) \(the lab would open it with: 0\.05\)$/m);
      expect(log).toMatch(/^ {2}r2: unknown objective "grpo"; .*\(the lab would open it with: the run was left out\)$/m);
      expect(log).toMatch(/^ {2}colour: unknown key; ignored \(the lab would open it with: ignored\)$/m);
      expect(log).not.toMatch(/\n\s+at /);
      const crossField = cli(['--config', 'https://example.org/?r1=dpo&N=1']);
      expect(crossField.code).toBe(2);
      expect(crossField.log).toMatch(/^ {2}N: DPO builds preference pairs within a prompt, so it needs N ≥ 2 \(got 1\)/m);
      // cut off inside an edit
      const truncated = cli(['--config', query.slice(0, query.indexOf('e=2:lr:15') + 'e=2:lr:15'.length)]);
      expect(truncated.code).toBe(2);
      expect(truncated.log).toMatch(/^ {2}e: "2:lr:15": must look like RUN:KNOB:STEP:VALUE/m);
    });

    it('an existing file wins over a name that looks like a query', () => {
      const dir = mkdtempSync(join(tmpdir(), 'mode-lab-config-'));
      const path = join(dir, 'r1=ipo');
      writeFileSync(path, JSON.stringify(tiny));
      expect(runCli(['--config', path]).summary.runs).toHaveLength(2);
    });
  });
});
