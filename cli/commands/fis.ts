/**
 * `paychaos fis plan <scenario.ts> --config F [--json] [--resolve]`, `paychaos fis iam --config F
 * [--json]`, `paychaos fis abort --config F`: the game day's FIS side on its own
 * (docs/game-day.md). plan and iam call no AWS API. `plan --resolve` verifies the caller against
 * the allowlist, then dry-runs each template (actions skipped) and lists the resolved targets.
 * abort verifies the caller, then stops every experiment tagged managedBy=paychaos that has not
 * ended, in every region of the config, and with --engage-lever engages the FIS safety lever in
 * each.
 */

import { abortTaggedExperiments } from '../../run/targets/aws/abort-experiments.ts';
import { AwsClients } from '../../run/targets/aws/aws-clients.ts';
import type { AwsConfig } from '../../run/targets/aws/aws-config.ts';
import { gameDayPolicies } from '../../run/targets/aws/fis-iam.ts';
import { type PlanStep, planFis } from '../../run/targets/aws/fis-plan.ts';
import { type DryRun, resolvePlan } from '../../run/targets/aws/resolve-plan.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';
import { sleepMs } from '../../targets/local/wait-until.ts';
import { usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { FIS } from '../command-specs.ts';
import { EXIT_UNAVAILABLE, EXIT_VALID } from '../exit-codes.ts';
import { awsCliError, awsConfigFor } from './aws-config-flag.ts';

export async function runFis({ values, positionals }: CommandInput<typeof FIS>): Promise<number> {
  const [action, scenarioFile] = positionals;
  const config = await awsConfigFor(`paychaos fis ${action}`, values.config);
  if (action !== 'plan' && values.resolve === true) {
    throw usageError(`paychaos fis ${action}: --resolve is for plan`);
  }
  if (action !== 'abort' && values['engage-lever'] === true) {
    throw usageError(`paychaos fis ${action}: --engage-lever is for abort`);
  }
  if (action !== 'plan' && scenarioFile !== undefined) {
    throw usageError(`paychaos fis ${action}: takes no scenario (${scenarioFile}); only plan does`);
  }
  try {
    if (action === 'plan')
      return await plan(config, scenarioFile, values.json === true, values.resolve === true);
    if (action === 'iam') return iam(config, values.json === true);
    return await abort(config, values['engage-lever'] === true);
  } catch (error) {
    throw awsCliError(`paychaos fis ${action}`, error);
  }
}

async function plan(
  config: AwsConfig,
  file: string | undefined,
  json: boolean,
  resolve: boolean,
): Promise<number> {
  if (file === undefined) throw usageError('paychaos fis plan: expected a scenario file');
  const scenario = await loadScenario(file);
  const steps = planFis(scenario, config, `${scenario.name}-plan`);
  const dryRuns = resolve ? await dryRun(config, steps) : null;
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ scenario: scenario.name, steps, dryRuns }, null, 2)}\n`,
    );
    return EXIT_VALID;
  }
  process.stdout.write(`${scenario.name}: ${steps.length} step(s) on AWS\n`);
  for (const step of steps) process.stdout.write(describeStep(step));
  for (const run of dryRuns ?? []) {
    const why = run.reason === null ? '' : ` (${run.reason})`;
    process.stdout.write(
      `  dry run of faults[${run.faultIndex}] in ${run.region}: ${run.experiment} ${run.status}${why}\n`,
    );
    for (const target of run.targets) {
      const what = Object.values(target.information).join(', ');
      process.stdout.write(`    ${target.targetName} (${target.resourceType}): ${what}\n`);
    }
  }
  return EXIT_VALID;
}

async function dryRun(config: AwsConfig, steps: PlanStep[]): Promise<DryRun[]> {
  const clients = new AwsClients(Object.keys(config.regions)[0]!);
  try {
    const experiments = steps.filter((step) => step.step === 'fis-experiment');
    return await resolvePlan(config, clients, experiments, sleepMs);
  } finally {
    clients.destroy();
  }
}

function describeStep(step: PlanStep): string {
  const at = `at ${step.atMs / 1000} s`;
  if (step.step === 'rds-failover-global-cluster') {
    return `  faults[${step.faultIndex}] failover ${at}: paychaos calls RDS FailoverGlobalCluster in ${step.region} (${step.input.GlobalClusterIdentifier} -> ${step.input.TargetDbClusterIdentifier}, AllowDataLoss)\n`;
  }
  const actions = Object.entries(step.template.actions ?? {})
    .map(
      ([name, a]) =>
        `${name}: ${a.actionId}${a.parameters?.duration ? ` ${a.parameters.duration}` : ''}`,
    )
    .join('; ');
  const stops = step.template.stopConditions?.map((s) => s.value ?? s.source).join(', ');
  const lines = [
    `  faults[${step.faultIndex}] ${step.fault} ${at} for ${step.windowMs / 1000} s: FIS experiment in ${step.region}\n`,
    `    actions: ${actions}\n`,
    `    stop conditions: ${stops}\n`,
  ];
  if (step.approximation !== null) lines.push(`    note: ${step.approximation}\n`);
  return lines.join('');
}

function iam(config: AwsConfig, json: boolean): number {
  const policies = gameDayPolicies(config);
  if (json) {
    process.stdout.write(`${JSON.stringify(policies, null, 2)}\n`);
    return EXIT_VALID;
  }
  for (const [name, document] of Object.entries(policies)) {
    process.stdout.write(`# ${name}\n${JSON.stringify(document, null, 2)}\n`);
  }
  return EXIT_VALID;
}

async function abort(config: AwsConfig, engageLever: boolean): Promise<number> {
  const clients = new AwsClients(Object.keys(config.regions)[0]!);
  try {
    const outcome = await abortTaggedExperiments(config, clients, { engageLever });
    process.stdout.write(`abort as ${outcome.caller}\n`);
    for (const { region, experiment } of outcome.stopped) {
      process.stdout.write(`  ${region}: stopped ${experiment}\n`);
    }
    if (outcome.stopped.length === 0) process.stdout.write('  no running paychaos experiment\n');
    for (const { region, experiment, message } of outcome.failed) {
      const what = experiment === null ? 'listing experiments' : `stopping ${experiment}`;
      process.stderr.write(`paychaos fis abort: ${region}: ${what} failed: ${message}\n`);
    }
    for (const { region, lever, already } of outcome.levers) {
      const why = lever.reason === null ? '' : ` (${lever.reason})`;
      process.stdout.write(
        `  ${region}: safety lever ${lever.status}${already ? ' already' : ''}${why}\n`,
      );
    }
    // The message names the region and the HTTP status and AWS error code (or the timeout).
    for (const { message } of outcome.leverFailed) {
      process.stderr.write(`paychaos fis abort: engaging the safety lever failed: ${message}\n`);
    }
    const failures = outcome.failed.length + outcome.leverFailed.length;
    return failures === 0 ? EXIT_VALID : EXIT_UNAVAILABLE;
  } finally {
    clients.destroy();
  }
}
