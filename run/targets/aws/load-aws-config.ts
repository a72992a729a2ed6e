/**
 * Loads and validates `paychaos.aws.ts` the way scenarios are loaded (scenario-dsl/): a missing
 * file, a module that does not import, a field of the wrong shape, or fields that contradict each
 * other each become one line naming the file and the field.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FieldProblem, formatPath } from '../../../scenario-dsl/field-problem.ts';
import {
  describeLoadFailure,
  hasDefaultExport,
} from '../../../scenario-dsl/module-load-failure.ts';
import { zodProblems } from '../../../scenario-dsl/zod-problems.ts';
import { type AwsConfig, awsConfigSchema } from './aws-config.ts';

const EXPECTED_MODULE =
  'expected a .ts or .js module whose default export is defineAwsConfig({...})';

/** A config that cannot be used: `missing` (exit 66) or `invalid` (65), one line per problem. */
export class AwsConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly problem: 'missing' | 'invalid',
  ) {
    super(problems.join('\n'));
    this.name = 'AwsConfigError';
  }
}

function lineOf(file: string, problem: FieldProblem): string {
  return `${file}: ${problem.path === '' ? 'config' : problem.path}: ${problem.message}`;
}

export async function loadAwsConfig(path: string): Promise<AwsConfig> {
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new AwsConfigError([`${path}: no such file; ${EXPECTED_MODULE}`], 'missing');
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new AwsConfigError([describeLoadFailure(path, error)], 'invalid');
  }
  if (!hasDefaultExport(module)) {
    throw new AwsConfigError([`${path}: has no default export; ${EXPECTED_MODULE}`], 'invalid');
  }
  return validateAwsConfig(module.default, path);
}

export function validateAwsConfig(spec: unknown, file: string): AwsConfig {
  const parsed = awsConfigSchema.safeParse(spec);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error.issues, spec, awsConfigSchema);
    if (problems.length === 0) throw new Error('validateAwsConfig: zod failed without an issue');
    throw new AwsConfigError(
      problems.map((p) => lineOf(file, p)),
      'invalid',
    );
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) {
    throw new AwsConfigError(
      problems.map((p) => lineOf(file, p)),
      'invalid',
    );
  }
  return parsed.data;
}

/** Rules between fields: everything named must be inside the allowlist and the config's account. */
function crossFieldProblems(config: AwsConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!config.allow.accounts.includes(config.account)) {
    problems.push({
      path: 'account',
      message: `'${config.account}' is not on allow.accounts; expected one of ${config.allow.accounts.join(', ')}`,
    });
  }
  const regions = Object.keys(config.regions);
  if (regions.length < 2) {
    problems.push({
      path: 'regions',
      message: `has ${regions.length}; expected at least 2 regions`,
    });
  }
  for (const region of regions) {
    if (!config.allow.regions.includes(region)) {
      problems.push({
        path: formatPath(['regions', region]),
        message: `'${region}' is not on allow.regions; expected one of ${config.allow.regions.join(', ')}`,
      });
    }
  }
  const arns: Array<{ path: PropertyKey[]; arn: string }> = [
    { path: ['fis', 'roleArn'], arn: config.fis.roleArn },
  ];
  for (const [region, spec] of Object.entries(config.regions)) {
    arns.push({ path: ['regions', region, 'fisLogGroupArn'], arn: spec.fisLogGroupArn });
    spec.alarmArns.forEach((arn, i) => {
      arns.push({ path: ['regions', region, 'alarmArns', i], arn });
    });
    for (const { path, arn } of arns.slice(-1 - spec.alarmArns.length)) {
      if (arn.split(':')[3] !== region) {
        problems.push({
          path: formatPath(path),
          message: `'${arn}' is in region ${arn.split(':')[3]}; expected ${region}`,
        });
      }
    }
  }
  for (const [name, cluster] of Object.entries(config.clusters)) {
    for (const [region, arn] of Object.entries(cluster.members)) {
      const path = ['clusters', name, 'members', region];
      if (!regions.includes(region)) {
        problems.push({
          path: formatPath(path),
          message: `'${region}' is not a region of this config; expected one of ${regions.join(', ')}`,
        });
      }
      arns.push({ path, arn });
    }
  }
  for (const { path, arn } of arns) {
    if (arn.split(':')[4] !== config.account) {
      problems.push({
        path: formatPath(path),
        message: `'${arn}' belongs to account ${arn.split(':')[4]}; expected ${config.account}`,
      });
    }
  }
  return problems;
}
