/**
 * `paychaos artillery bundle <scenario.ts> [-o DIR] [--force] [--seed N] [--endpoint R=URL]...
 * [--clock-url URL] [--wall-clock-error-ms MS] [--oplog-s3 URL] [--fargate [--region R]
 * [--count N]]`: writes the Artillery bundle of a scenario (artillery/build-bundle.ts) and says
 * how to run it; with --fargate, RUN-FARGATE.md and the IAM policy (artillery/fargate-steps.ts).
 * A directory that already holds a bundle is written over only with --force.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKERS_PER_REGION_MAX } from '../../artillery/artillery-plan.ts';
import { buildBundle, WALL_CLOCK_ERROR_MS_DEFAULT } from '../../artillery/build-bundle.ts';
import {
  type FargateRun,
  OPLOG_POLICY_FILE,
  oplogPolicy,
  RUN_FARGATE_FILE,
  runFargateSteps,
} from '../../artillery/fargate-steps.ts';
import { parseS3Url } from '../../artillery/oplog-shipper.ts';
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

function fargateRunOf(
  values: CommandInput<typeof ARTILLERY>['values'],
  regions: readonly string[],
  scriptFile: string,
): FargateRun | undefined {
  const oplogS3 = values['oplog-s3'];
  if (values.fargate !== true) {
    for (const flag of ['region', 'count'] as const) {
      if (values[flag] !== undefined) {
        throw usageError(`paychaos artillery: --${flag} is for --fargate only`);
      }
    }
    return undefined;
  }
  if (oplogS3 === undefined) {
    throw usageError(
      "paychaos artillery: --fargate needs --oplog-s3 s3://BUCKET/PREFIX: a Fargate task's disk, and the op log on it, goes with the task",
    );
  }
  const oplog = parseS3Url(oplogS3);
  if (oplog === undefined)
    throw usageError(`paychaos artillery: --oplog-s3 ${oplogS3}: expected s3://BUCKET/PREFIX`);
  if (values.endpoint === undefined) {
    throw usageError(
      'paychaos artillery: --fargate needs --endpoint REGION=URL for every region: the workers cannot read PAYCHAOS_ENDPOINTS there',
    );
  }
  const region = values.region;
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw usageError(
      `paychaos artillery: --region ${region}: expected an AWS region such as ap-northeast-1`,
    );
  }
  const countPerRegion = nonNegativeInteger('--count', values.count, 1);
  if (countPerRegion < 1 || countPerRegion > WORKERS_PER_REGION_MAX) {
    throw usageError(
      `paychaos artillery: --count ${countPerRegion}: expected 1..${WORKERS_PER_REGION_MAX} workers a region`,
    );
  }
  return {
    scriptFile,
    regions,
    ...(region === undefined ? {} : { awsRegion: region }),
    countPerRegion,
    oplog,
  };
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
  const oplogS3 = values['oplog-s3'];
  if (oplogS3 !== undefined && parseS3Url(oplogS3) === undefined) {
    throw usageError(`paychaos artillery: --oplog-s3 ${oplogS3}: expected s3://BUCKET/PREFIX`);
  }
  const fargate = fargateRunOf(values, scenario.regions, 'artillery.json');
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
    workersPerRegion: fargate?.countPerRegion ?? 1,
    script: {
      perLocalWorker: fargate !== undefined,
      ...(endpoints === undefined ? {} : { endpoints }),
      ...(clockUrl === undefined ? {} : { clockUrl }),
      ...(oplogS3 === undefined ? {} : { oplogS3 }),
    },
    wallClockErrorMs: nonNegativeInteger(
      '--wall-clock-error-ms',
      values['wall-clock-error-ms'],
      WALL_CLOCK_ERROR_MS_DEFAULT,
    ),
    wallEpochMs: Date.now(),
  });
  if (fargate !== undefined) {
    writeFileSync(join(outDir, RUN_FARGATE_FILE), runFargateSteps(fargate));
    writeFileSync(
      join(outDir, OPLOG_POLICY_FILE),
      `${JSON.stringify(oplogPolicy(fargate.oplog), null, 2)}\n`,
    );
    process.stdout.write(
      `${bundle.dir}: artillery.json, processor.cjs, plan.json, ${RUN_FARGATE_FILE}, ${OPLOG_POLICY_FILE} for ${scenario.name}\n`,
    );
    process.stdout.write(`  then follow ${join(outDir, RUN_FARGATE_FILE)}\n`);
    return EXIT_VALID;
  }
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
