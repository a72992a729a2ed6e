/**
 * `paychaos.aws.ts`: the team's own AWS environment for game days. A TypeScript module whose
 * default export is `defineAwsConfig({...})`, validated like a scenario (one line per problem,
 * naming the file and the field). It names ids and ARNs only, never a credential: the AWS SDK's
 * own provider chain supplies those, and the Aurora password is read from an environment
 * variable the config names.
 */
import { z } from 'zod';
import { AURORA_LAG_QUERY_DEFAULT } from '../../../targets/aws/aurora-lag.ts';

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

const region = z.string().regex(REGION, 'expected an AWS region such as ap-northeast-1');
const accountId = z.string().regex(ACCOUNT_ID, 'expected a 12-digit AWS account id');
const arnOf = (service: string) =>
  z
    .string()
    .regex(ARN, `expected an ARN (arn:aws:${service}:...)`)
    .refine((arn) => arn.split(':')[2] === service, `expected an ARN of ${service}`);
const tableName = z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB table name');
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name');

const regionSchema = z.strictObject({
  /** The payment API (docs/bank-api.openapi.json) in this region. */
  endpoint: z.string().regex(/^https?:\/\/[^/]+$/, 'expected http(s)://host[:port], with no path'),
  /** CloudWatch alarms in this region that stop its experiments (FIS stop conditions). */
  alarmArns: z.array(arnOf('cloudwatch')).default([]),
  /** Where FIS writes this region's experiment logs. */
  fisLogGroupArn: arnOf('logs'),
  /** The Aurora writer endpoint to read the ledger from when this region is the writer. */
  auroraEndpoint: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'expected host or host:port')
    .optional(),
});

const clusterSchema = z.strictObject({
  /** The Aurora global database's identifier. */
  globalClusterId: z.string().min(1),
  /** Its member cluster's ARN in each region. */
  members: z.record(region, arnOf('rds')),
});

const auroraSchema = z.strictObject({
  database: z.string().min(1),
  userEnv: envName,
  passwordEnv: envName,
  /** SQL that returns the ledger's entries as (tx, account, amount). */
  ledgerQuery: z.string().min(1),
  /** SQL that returns the saga log as (id, status, steps), steps a JSON array. */
  sagasQuery: z.string().min(1),
  /**
   * SQL that returns the global database's lag, one row per member cluster, with the columns of
   * `aurora_global_db_status()` (its default): aws_region, durability_lag_in_msec,
   * rpo_lag_in_msec, and optionally highest_lsn_written and last_lag_calculation_time.
   */
  lagQuery: z.string().min(1).default(AURORA_LAG_QUERY_DEFAULT),
});

/** Replication lag measured during the run into the run directory's lag.jsonl. */
const lagSchema = z.strictObject({
  /** How often the Aurora writer's lag is sampled. */
  sampleMs: z.number().int().min(100).max(300_000).default(5_000),
  /** Samples at most in one run; past it sampling stops (a day at the default interval). */
  samplesMax: z.number().int().min(1).max(100_000).default(17_280),
  /** Each sample's (and each GetMetricData call's) time limit: past it the sample is a gap. */
  callTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  /** The CloudWatch period of ReplicationLatency's datapoints; DynamoDB publishes it per minute. */
  periodS: z
    .number()
    .int()
    .min(60)
    .max(3_600)
    .refine((s) => s % 60 === 0, 'expected a multiple of 60 s')
    .default(60),
});

export const awsConfigSchema = z.strictObject({
  /** The account every ARN below belongs to; it must be on `allow.accounts`. */
  account: accountId,
  /** STS GetCallerIdentity must name one of these accounts, and every region must be listed. */
  allow: z.strictObject({
    accounts: z.array(accountId).min(1),
    regions: z.array(region).min(1),
  }),
  /** A sandbox account may run experiments without a stop condition; nothing else may. */
  sandbox: z.boolean().default(false),
  regions: z.record(region, regionSchema),
  fis: z.strictObject({
    roleArn: arnOf('iam'),
    /** How a region is cut off from the others: its route tables, or its transit gateway. */
    network: z.enum(['route-table', 'transit-gateway']).default('route-table'),
    /** Only resources carrying every one of these tags are targeted (opt-in). */
    optInTags: z
      .record(z.string().min(1), z.string())
      .refine((tags) => Object.keys(tags).length > 0, 'expected at least one opt-in tag'),
    /** Extra tags on every template and experiment (managedBy and the run id are always set). */
    tags: z.record(z.string().min(1), z.string()).default({}),
  }),
  /**
   * The bank's global tables, items laid out as the reference bank's (targets/local/kv-item.ts):
   * FIS pauses their replication, and the final state is scanned from them in every region.
   */
  dynamodb: z.strictObject({
    balancesTable: tableName,
    registersTable: tableName,
    /** Segments of the parallel Scan of each table in each region. */
    scanSegments: z.number().int().min(1).max(64).default(4),
  }),
  /** After the faults are stopped: how long replication gets to quiesce before the final read. */
  quiesceMs: z.number().int().min(0).max(600_000).default(30_000),
  /** How often a running experiment is polled with GetExperiment. */
  pollMs: z.number().int().min(100).max(60_000).default(2_000),
  /** Each scenario cluster name (`clusters[].name`) to its Aurora global database. */
  clusters: z.record(z.string().min(1), clusterSchema),
  aurora: auroraSchema.optional(),
  lag: lagSchema.prefault({}),
});

export type AwsConfigInput = z.input<typeof awsConfigSchema>;
export type AwsConfig = z.output<typeof awsConfigSchema>;

/** What a `paychaos.aws.ts` default-exports: its argument, typed for the editor. */
export function defineAwsConfig(config: AwsConfigInput): AwsConfigInput {
  return config;
}

/** The tables a game day pauses and reads. */
export function gameDayTables(config: AwsConfig): string[] {
  return [...new Set([config.dynamodb.balancesTable, config.dynamodb.registersTable])];
}
