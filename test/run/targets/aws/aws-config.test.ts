/**
 * paychaos.aws.ts is validated like a scenario: the example loads; each problem is one line naming
 * the file and the field; fields that contradict each other (an account or region outside the
 * allowlist, an ARN of another account or region) are refused.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AwsConfigError,
  loadAwsConfig,
  validateAwsConfig,
} from '../../../../run/targets/aws/load-aws-config.ts';
import { AURORA_LAG_QUERY_DEFAULT } from '../../../../targets/aws/aurora-lag.ts';
import { runCli } from '../../../support/run-cli.ts';
import { ACCOUNT, EXAMPLE_CONFIG, TOKYO, testConfig } from './aws-test-config.ts';

function problemsOf(spec: unknown): string[] {
  try {
    validateAwsConfig(spec, 'paychaos.aws.ts');
  } catch (error) {
    if (error instanceof AwsConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('paychaos.aws.ts', () => {
  it('loads the shipped example', async () => {
    const config = await loadAwsConfig(EXAMPLE_CONFIG);
    expect(config.account).toBe(ACCOUNT);
    expect(config.sandbox).toBe(false);
    expect(config.dynamodb.scanSegments).toBe(4);
    expect(config.aurora?.lagQuery).toBe(AURORA_LAG_QUERY_DEFAULT);
  });

  it('names the file and the field of a wrong shape, one line each', () => {
    const spec = testConfig();
    spec.regions[TOKYO]!.endpoint = 'ftp://x';
    (spec.fis as Record<string, unknown>).rolArn = 'typo';
    expect(problemsOf(spec)).toEqual([
      "paychaos.aws.ts: regions.ap-northeast-1.endpoint: got 'ftp://x'; expected http(s)://host[:port], with no path",
      'paychaos.aws.ts: fis.rolArn: unknown field; expected one of roleArn, network, optInTags, tags',
    ]);
  });

  it('defaults the lag sampling and names a bad lag field in one line', () => {
    const config = validateAwsConfig(testConfig(), 'paychaos.aws.ts');
    expect(config.lag).toEqual({
      sampleMs: 5_000,
      samplesMax: 17_280,
      callTimeoutMs: 5_000,
      periodS: 60,
    });
    const spec = testConfig();
    spec.lag = { sampleMs: 10, periodS: 90 };
    (spec.lag as Record<string, unknown>).sampleMz = 1;
    expect(problemsOf(spec)).toEqual([
      'paychaos.aws.ts: lag.sampleMs: got 10; expected at least 100',
      'paychaos.aws.ts: lag.periodS: got 90; expected a multiple of 60 s',
      'paychaos.aws.ts: lag.sampleMz: unknown field; expected one of sampleMs, samplesMax, callTimeoutMs, periodS',
    ]);
  });

  it('refuses an account, a region or an ARN outside the allowlist', () => {
    const spec = testConfig();
    spec.account = '999999999999';
    spec.allow.regions = [TOKYO];
    expect(problemsOf(spec)).toEqual(
      expect.arrayContaining([
        "paychaos.aws.ts: account: '999999999999' is not on allow.accounts; expected one of 111122223333",
        "paychaos.aws.ts: regions.ap-northeast-3: 'ap-northeast-3' is not on allow.regions; expected one of ap-northeast-1",
        `paychaos.aws.ts: fis.roleArn: 'arn:aws:iam::${ACCOUNT}:role/fis' belongs to account ${ACCOUNT}; expected 999999999999`,
      ]),
    );
  });

  it('refuses an alarm of another region', () => {
    const spec = testConfig();
    spec.regions[TOKYO]!.alarmArns = [`arn:aws:cloudwatch:ap-northeast-3:${ACCOUNT}:alarm:x`];
    expect(problemsOf(spec)).toEqual([
      `paychaos.aws.ts: regions.ap-northeast-1.alarmArns[0]: 'arn:aws:cloudwatch:ap-northeast-3:${ACCOUNT}:alarm:x' is in region ap-northeast-3; expected ap-northeast-1`,
    ]);
  });
});

describe('paychaos fis', () => {
  it('plan prints the templates as JSON and refuses clock-skew by name with 64', () => {
    const plan = runCli([
      'fis',
      'plan',
      'scenarios/region-isolation.ts',
      '--config',
      EXAMPLE_CONFIG,
      '--json',
    ]);
    expect(plan.code).toBe(0);
    const printed = JSON.parse(plan.stdout);
    expect(printed.steps.map((s: { step: string }) => s.step)).toEqual([
      'fis-experiment',
      'rds-failover-global-cluster',
    ]);
    const skew = runCli(['fis', 'plan', 'scenarios/clock-skew.ts', '--config', EXAMPLE_CONFIG]);
    expect(skew.code).toBe(64);
    expect(skew.stderr.trim().split('\n')).toEqual([
      "target aws cannot inject clock-skew (faults[0] of the scenario): FIS has no action that skews a region's clock",
    ]);
  });

  it('exits 66 for a missing config, 65 for an invalid one, 64 without one', () => {
    expect(runCli(['fis', 'iam', '--config', 'no-such.ts']).code).toBe(66);
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-awscfg-'));
    const bad = join(dir, 'bad.ts');
    writeFileSync(bad, 'export default { account: "1" };\n');
    const invalid = runCli(['fis', 'iam', '--config', bad]);
    expect(invalid.code).toBe(65);
    expect(invalid.stderr).toMatch(/bad\.ts: account: got '1'; expected a 12-digit AWS account id/);
    expect(runCli(['fis', 'iam']).code).toBe(64);
  });

  it('takes --engage-lever with abort only', () => {
    const iam = runCli(['fis', 'iam', '--config', EXAMPLE_CONFIG, '--engage-lever']);
    expect(iam.code).toBe(64);
    expect(iam.stderr.trim()).toBe('paychaos fis iam: --engage-lever is for abort');
  });

  it('iam prints the FIS role, its trust and the harness policies', () => {
    const iam = runCli(['fis', 'iam', '--config', EXAMPLE_CONFIG, '--json']);
    expect(iam.code).toBe(0);
    const policies = JSON.parse(iam.stdout);
    expect(Object.keys(policies)).toEqual(['fisRoleTrust', 'fisRole', 'harness']);
    const actions = policies.harness.Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'sts:GetCallerIdentity',
        'fis:StopExperiment',
        'iam:PassRole',
        'cloudwatch:GetMetricData',
      ]),
    );
    expect(actions).not.toContain('*');
  });
});
