/**
 * `paychaos artillery bundle --fargate` as a user runs it: the run-fargate command of each
 * region, the IAM policy for the op-log prefix, the copy and import that merge the logs, phases
 * for one worker of --count; refused in one line (exit 64) without --oplog-s3 or --endpoint, and
 * the Fargate-only flags refused without --fargate.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-cli-fargate-'));
const SCENARIO = 'scenarios/region-isolation.ts';
const ENDPOINTS = [
  '--endpoint',
  'ap-northeast-1=https://bank-tokyo.example.com',
  '--endpoint',
  'ap-northeast-3=https://bank-osaka.example.com',
];

function arrivalRates(bundleDir: string, region: string): number[] {
  const script = JSON.parse(readFileSync(join(bundleDir, 'artillery.json'), 'utf8')) as {
    config: { environments: Record<string, { phases: { arrivalRate?: number }[] }> };
  };
  return (script.config.environments[region]?.phases ?? []).flatMap((phase) =>
    phase.arrivalRate === undefined ? [] : [phase.arrivalRate],
  );
}

describe('paychaos artillery bundle --fargate', { timeout: 120_000 }, () => {
  it('writes RUN-FARGATE.md with the exact commands and the IAM policy', () => {
    const out = join(dir, 'fargate');
    const outcome = runCli([
      'artillery',
      'bundle',
      SCENARIO,
      '-o',
      out,
      '--fargate',
      '--oplog-s3',
      's3://game-day-logs/run-7/',
      '--count',
      '3',
      '--region',
      'us-east-1',
      ...ENDPOINTS,
    ]);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const steps = readFileSync(join(out, 'RUN-FARGATE.md'), 'utf8');
    const lines = steps.split('\n');
    expect(lines).toContain(
      'artillery run-fargate --region us-east-1 --count 3 -e ap-northeast-1 --output report-ap-northeast-1.json artillery.json &',
    );
    expect(lines).toContain(
      'artillery run-fargate --region us-east-1 --count 3 -e ap-northeast-3 --output report-ap-northeast-3.json artillery.json &',
    );
    expect(lines).toContain(
      'aws iam put-role-policy --role-name artilleryio-ecs-worker-role --policy-name paychaos-oplog-put --policy-document file://oplog-s3-policy.json',
    );
    expect(lines).toContain('aws s3 cp --recursive s3://game-day-logs/run-7/ worker-ops/');
    expect(lines).toContain('npx paychaos import artillery worker-ops/ -o history.jsonl');
    expect(JSON.parse(readFileSync(join(out, 'oplog-s3-policy.json'), 'utf8'))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PaychaosOpLogs',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::game-day-logs/run-7/*',
        },
      ],
    });
    const script = JSON.parse(readFileSync(join(out, 'artillery.json'), 'utf8')) as {
      config: { variables: Record<string, unknown> };
    };
    expect(script.config.variables.paychaosOplogS3).toBe('s3://game-day-logs/run-7/');

    // Each of the 3 containers runs the whole script: its phases are a third of the region's.
    const whole = join(dir, 'whole');
    expect(runCli(['artillery', 'bundle', SCENARIO, '-o', whole, ...ENDPOINTS]).code).toBe(0);
    const perWorker = arrivalRates(out, 'ap-northeast-1');
    const all = arrivalRates(whole, 'ap-northeast-1');
    expect(perWorker.length).toBe(all.length);
    perWorker.forEach((rate, i) => {
      expect(rate * 3).toBeGreaterThanOrEqual(all[i]!);
      expect((rate - 1) * 3).toBeLessThan(all[i]!);
    });
  });

  it('runs each region from the AWS region of its name without --region', () => {
    const out = join(dir, 'own-regions');
    const args = ['artillery', 'bundle', SCENARIO, '-o', out, '--fargate', ...ENDPOINTS];
    expect(runCli([...args, '--oplog-s3', 's3://game-day-logs']).code).toBe(0);
    const steps = readFileSync(join(out, 'RUN-FARGATE.md'), 'utf8');
    expect(steps).toContain(
      'artillery run-fargate --region ap-northeast-3 --count 1 -e ap-northeast-3 --output report-ap-northeast-3.json artillery.json &',
    );
    expect(steps).toContain('aws s3 cp --recursive s3://game-day-logs/ worker-ops/');
  });

  it.each([
    [
      'without --oplog-s3',
      ['--fargate', ...ENDPOINTS],
      /^paychaos artillery: --fargate needs --oplog-s3 s3:\/\/BUCKET\/PREFIX: .+\n$/,
    ],
    [
      'without --endpoint',
      ['--fargate', '--oplog-s3', 's3://game-day-logs/run-7'],
      /^paychaos artillery: --fargate needs --endpoint REGION=URL for every region: .+\n$/,
    ],
    [
      'an --oplog-s3 that is no s3 URL',
      ['--fargate', '--oplog-s3', 'https://game-day-logs/run-7', ...ENDPOINTS],
      /^paychaos artillery: --oplog-s3 https:\/\/game-day-logs\/run-7: expected s3:\/\/BUCKET\/PREFIX\n$/,
    ],
    [
      '--count 0',
      ['--fargate', '--oplog-s3', 's3://game-day-logs/run-7', '--count', '0', ...ENDPOINTS],
      /^paychaos artillery: --count 0: expected 1\.\.64 workers a region\n$/,
    ],
    [
      '--count without --fargate',
      ['--count', '2'],
      /^paychaos artillery: --count is for --fargate only\n$/,
    ],
  ])('refuses %s in one line, exit 64, writing nothing', (_, flags, message) => {
    const out = join(dir, `refused-${flags.join('')}`.replace(/[^a-z0-9-]/gi, ''));
    const outcome = runCli(['artillery', 'bundle', SCENARIO, '-o', out, ...flags]);
    expect(outcome.code).toBe(64);
    expect(outcome.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
