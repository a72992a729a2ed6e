/**
 * A game day's config with placeholder ids (account 111122223333, the AWS documentation's
 * example): copy it, put your own ids in, and check it with `paychaos fis plan <scenario.ts>
 * --config paychaos.aws.ts`. It names no credential: the AWS SDK's provider chain supplies them.
 * docs/game-day.md explains each field.
 */
import { defineAwsConfig } from '../../run/targets/aws/aws-config.ts';

const ACCOUNT = '111122223333';
const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineAwsConfig({
  account: ACCOUNT,
  allow: { accounts: [ACCOUNT], regions: [TOKYO, OSAKA] },
  sandbox: false,
  regions: {
    [TOKYO]: {
      endpoint: 'https://payments.ap-northeast-1.example.com',
      alarmArns: [`arn:aws:cloudwatch:${TOKYO}:${ACCOUNT}:alarm:payments-error-rate-high`],
      fisLogGroupArn: `arn:aws:logs:${TOKYO}:${ACCOUNT}:log-group:/paychaos/fis:*`,
      auroraEndpoint: 'ledger.cluster-abcdefghijkl.ap-northeast-1.rds.amazonaws.com:5432',
    },
    [OSAKA]: {
      endpoint: 'https://payments.ap-northeast-3.example.com',
      alarmArns: [`arn:aws:cloudwatch:${OSAKA}:${ACCOUNT}:alarm:payments-error-rate-high`],
      fisLogGroupArn: `arn:aws:logs:${OSAKA}:${ACCOUNT}:log-group:/paychaos/fis:*`,
      auroraEndpoint: 'ledger.cluster-mnopqrstuvwx.ap-northeast-3.rds.amazonaws.com:5432',
    },
  },
  fis: {
    roleArn: `arn:aws:iam::${ACCOUNT}:role/paychaos-fis-experiments`,
    network: 'route-table',
    optInTags: { 'paychaos:game-day': 'allowed' },
    tags: { team: 'payments' },
  },
  dynamodb: {
    balancesTable: 'paychaos-balances',
    registersTable: 'paychaos-registers',
    scanSegments: 4,
  },
  clusters: {
    ledger: {
      globalClusterId: 'paychaos-ledger',
      members: {
        [TOKYO]: `arn:aws:rds:${TOKYO}:${ACCOUNT}:cluster:paychaos-ledger-tokyo`,
        [OSAKA]: `arn:aws:rds:${OSAKA}:${ACCOUNT}:cluster:paychaos-ledger-osaka`,
      },
    },
  },
  aurora: {
    database: 'payments',
    userEnv: 'PAYCHAOS_AURORA_USER',
    passwordEnv: 'PAYCHAOS_AURORA_PASSWORD',
    ledgerQuery: 'SELECT tx, account, amount FROM ledger ORDER BY seq',
    sagasQuery: 'SELECT id, status, steps FROM sagas ORDER BY id',
    // The default: Aurora PostgreSQL's function, one row per member cluster.
    lagQuery:
      'SELECT aws_region, highest_lsn_written, durability_lag_in_msec, rpo_lag_in_msec, last_lag_calculation_time FROM aurora_global_db_status()',
  },
  // Aurora's lag sampled on the writer every 5 s (a day of samples at most, 5 s each at most);
  // DynamoDB's ReplicationLatency read from CloudWatch per minute once the run healed.
  lag: { sampleMs: 5_000, samplesMax: 17_280, callTimeoutMs: 5_000, periodS: 60 },
});
