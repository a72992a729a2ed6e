/**
 * Test support: a valid game-day config (the example's shape) that a test may change field by
 * field, and the example's own path.
 */
import { join } from 'node:path';
import type { AwsConfigInput } from '../../../../run/targets/aws/aws-config.ts';

export const EXAMPLE_CONFIG = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'examples',
  'aws',
  'paychaos.aws.ts',
);

export const ACCOUNT = '111122223333';
export const TOKYO = 'ap-northeast-1';
export const OSAKA = 'ap-northeast-3';

export function testConfig(endpoints: Record<string, string> = {}): AwsConfigInput {
  return {
    account: ACCOUNT,
    allow: { accounts: [ACCOUNT], regions: [TOKYO, OSAKA] },
    regions: {
      [TOKYO]: {
        endpoint: endpoints[TOKYO] ?? 'https://tokyo.example.com',
        alarmArns: [`arn:aws:cloudwatch:${TOKYO}:${ACCOUNT}:alarm:errors`],
        fisLogGroupArn: `arn:aws:logs:${TOKYO}:${ACCOUNT}:log-group:/paychaos/fis:*`,
      },
      [OSAKA]: {
        endpoint: endpoints[OSAKA] ?? 'https://osaka.example.com',
        alarmArns: [`arn:aws:cloudwatch:${OSAKA}:${ACCOUNT}:alarm:errors`],
        fisLogGroupArn: `arn:aws:logs:${OSAKA}:${ACCOUNT}:log-group:/paychaos/fis:*`,
      },
    },
    fis: {
      roleArn: `arn:aws:iam::${ACCOUNT}:role/fis`,
      optInTags: { 'paychaos:game-day': 'allowed' },
    },
    dynamodb: { balancesTable: 'balances', registersTable: 'registers' },
    clusters: {
      ledger: {
        globalClusterId: 'ledger',
        members: {
          [TOKYO]: `arn:aws:rds:${TOKYO}:${ACCOUNT}:cluster:ledger-tokyo`,
          [OSAKA]: `arn:aws:rds:${OSAKA}:${ACCOUNT}:cluster:ledger-osaka`,
        },
      },
    },
  };
}
