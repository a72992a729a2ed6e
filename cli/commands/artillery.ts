/**
 * `paychaos artillery bundle <scenario.ts> [-o DIR] [--force] [--seed N] [--endpoint R=URL]...
 * [--clock-url URL] [--wall-clock-error-ms MS]`: writes the Artillery bundle of a scenario
 * (artillery/build-bundle.ts) and says how to run it. A directory that already holds a bundle is
 * written over only with --force.
 */
import { existsSync, readdirSync } from 'node:fs';
import { buildBundle, WALL_CLOCK_ERROR_MS_DEFAULT } from '../../artillery/build-bundle.ts';
import { makeDirectories } from '../../lib/output-path.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';
import { usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { ARTILLERY } from '../command-specs.ts';
import { EXIT_VALID } from '../exit-codes.ts';

const DEFAULT_OUTPUT = 'artillery-bundle';

function endpointsOf(
  flags: string[] | undefined,
  regions: readonly string[],
): Record<string, string> | undefined {
  if (flags === undefined || flags.length === 0) return undefined;
  const endpoints: Record<string, string> = {};
  for (const flag of flags) {
    const [region = '', url = ''] = flag.split(/=(.*)/s, 2);
    if (!regions.includes(region) || !/^https?:\/\/[^/]+$/.test(url)) {
      throw usageError(
        `paychaos artillery: --endpoint ${flag}: expected REGION=http(s)://host:port with REGION one of ${regions.join(', ')}`,
      );
    }
    endpoints[region] = url;
  }
  const missing = regions.filter((region) => endpoints[region] === undefined);
  if (missing.length > 0)
    throw usageError(`paychaos artillery: --endpoint: none given for ${missing.join(', ')}`);
  return endpoints;
}

function nonNegativeInteger(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw usageError(`paychaos artillery: ${flag}: expected a non-negative integer, got "${text}"`);
  }
  return value;
}

export async function runArtillery({
  values,
  positionals,
}: CommandInput<typeof ARTILLERY>): Promise<number> {
  const file = positionals[1]!;
  const clockUrl = values['clock-url'];
  if (clockUrl !== undefined && !/^https?:\/\/[^/]+\/\S*$/.test(clockUrl)) {
    throw usageError(
      `paychaos artillery: --clock-url ${clockUrl}: expected http(s)://host:port/path`,
    );
  }
  const scenario = await loadScenario(file);
  const endpoints = endpointsOf(values.endpoint, scenario.regions);
  const outDir = values.output ?? DEFAULT_OUTPUT;
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && values.force !== true) {
    throw usageError(
      `paychaos artillery: -o ${outDir}: the directory is not empty; add --force to write over it`,
    );
  }
  makeDirectories(outDir);
  const bundle = await buildBundle(scenario, {
    outDir,
    seed: nonNegativeInteger('--seed', values.seed, scenario.seed),
    workersPerRegion: 1,
    script: {
      perLocalWorker: false,
      ...(endpoints === undefined ? {} : { endpoints }),
      ...(clockUrl === undefined ? {} : { clockUrl }),
    },
    wallClockErrorMs: nonNegativeInteger(
      '--wall-clock-error-ms',
      values['wall-clock-error-ms'],
      WALL_CLOCK_ERROR_MS_DEFAULT,
    ),
    wallEpochMs: Date.now(),
  });
  process.stdout.write(
    `${bundle.dir}: artillery.json, processor.cjs, plan.json for ${scenario.name}\n`,
  );
  for (const region of scenario.regions) {
    process.stdout.write(
      `  PAYCHAOS_LOG_DIR=logs artillery run -e ${region} ${bundle.scriptFile}\n`,
    );
  }
  process.stdout.write(`  then: paychaos import artillery logs/ -o history.jsonl\n`);
  return EXIT_VALID;
}
