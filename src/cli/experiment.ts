/**
 * `npm run experiment`: run a comparison headless with the same core as the app, print a summary table
 * and optionally write summary.json and per-run CSVs. Exit codes: 0 done, 1 failure, 2 bad input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigValidationError, formatErrors, parseExperimentConfig, type ExperimentConfigInput } from '../lab/config/experiment.ts';
import { applyOverrides } from '../lab/config/overrides.ts';
import { findPreset, PRESETS } from '../lab/config/presets.ts';
import { decodeExperimentUrl, looksLikeExperimentUrl } from '../lab/config/url-codec.ts';
import { runExperiment } from '../lab/run-experiment.ts';
import { runSweep } from '../lab/sweep.ts';
import { parseCliArgs, UsageError, USAGE, type CliRequest } from './args.ts';
import { safeFileName, summaryTable, sweepTable, writeResults } from './report.ts';

class InputError extends Error {}

function loadInput(request: CliRequest): { input: ExperimentConfigInput; seeds?: number[] } {
  if (request.preset) {
    const preset = findPreset(request.preset);
    if (!preset) throw new InputError(`unknown preset "${request.preset}"; presets: ${PRESETS.map((p) => p.name).join(', ')}`);
    return { input: preset.config, seeds: preset.seeds };
  }
  const path = request.configPath as string;
  if (!existsSync(path) && looksLikeExperimentUrl(path)) return { input: configFromLink(path) };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read --config ${path}: ${(error as Error).message}`);
  }
  try {
    const json = JSON.parse(text) as unknown;
    // the app's export bundle wraps the config; accept both
    const config = json && typeof json === 'object' && 'config' in json ? (json as { config: unknown }).config : json;
    return { input: config as ExperimentConfigInput };
  } catch (error) {
    throw new InputError(`--config ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * A lab link, read exactly: where the lab would open it with a substitute for a rejected key (and say so),
 * the CLI refuses it, so that a result always belongs to the experiment the link describes.
 */
function configFromLink(link: string): ExperimentConfigInput {
  const { config, problems } = decodeExperimentUrl(link);
  if (problems.length) {
    const lines = problems.map((p) => `  ${p.key}: ${p.message} (the lab would open it with: ${p.usedInstead})`);
    throw new InputError(`the --config link has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${lines.join('\n')}`);
  }
  return config;
}

export function main(argv: string[], log: (line: string) => void = console.log): number {
  let request: CliRequest;
  try {
    request = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      log(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (request.help) {
    log(USAGE);
    return 0;
  }
  if (request.listPresets) {
    for (const p of PRESETS) log(`${p.name.padEnd(32)} ${p.title}`);
    return 0;
  }
  try {
    const { input: base, seeds: presetSeeds } = loadInput(request);
    let input: ExperimentConfigInput;
    try {
      input = applyOverrides(base, request.overrides);
    } catch (error) {
      throw new InputError((error as Error).message);
    }
    const parsed = parseExperimentConfig(input);
    if (!parsed.ok) throw new InputError(`invalid experiment config:\n${formatErrors(parsed.errors)}`);
    const config = parsed.config;
    const seeds = request.seeds ?? presetSeeds ?? [config.seed];
    const started = performance.now();

    if (request.sweep) {
      const { key, values } = request.sweep;
      const { points, best } = runSweep(input, key, values, seeds, request.rankBy);
      log(sweepTable(key, best, request.rankBy));
      if (request.out) {
        for (const point of points) {
          writeResults(join(request.out, safeFileName(`${key}=${String(point.value)}`)), point.results[0].comparison.config, point.results);
        }
        writeResults(request.out, config, [], { sweep: { key, values, rankBy: request.rankBy, best } });
        log(`\nwrote ${request.out}/summary.json and one folder per value`);
      }
    } else {
      const results = runExperiment(config, seeds);
      if (!request.quiet) log(`${config.name ?? 'experiment'} — reward ${results[0].comparison.env.rewardLabel}, seeds ${seeds.join(', ')}\n`);
      log(summaryTable(results));
      if (request.out) {
        writeResults(request.out, config, results);
        log(`\nwrote ${request.out}/summary.json and ${results.length * results[0].summaries.length} CSV files`);
      }
    }
    if (!request.quiet) log(`\n(${((performance.now() - started) / 1000).toFixed(2)} s)`);
    return 0;
  } catch (error) {
    log(`error: ${(error as Error).message}`);
    return error instanceof InputError || error instanceof ConfigValidationError ? 2 : 1;
  }
}

// run when executed directly (not when imported by tests)
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = main(process.argv.slice(2));
}
