/**
 * Least-privilege IAM policy documents for a game day (`paychaos fis iam`): the FIS experiment
 * role (its trust policy and what the actions paychaos plans need, on the config's resources), and
 * the harness that runs `paychaos run --target aws` (FIS calls on experiments tagged
 * managedBy=paychaos, passing only the FIS role, the Aurora global failover, the final-state
 * reads). Action permissions come from targets/aws/fis-actions.ts.
 */
import {
  FAILOVER_DB_CLUSTER,
  fisActionSpec,
  PAUSE_TABLE_REPLICATION,
  ROUTE_TABLE_DISRUPT,
  TRANSIT_GATEWAY_DISRUPT,
} from '../../../targets/aws/fis-actions.ts';
import { type AwsConfig, gameDayTables } from './aws-config.ts';
import { MANAGED_BY_TAG } from './fis-plan.ts';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  /** Absent in a trust policy, which names a Principal instead. */
  Resource?: string[] | string;
  Principal?: { Service: string };
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface GameDayPolicies {
  fisRoleTrust: PolicyDocument;
  fisRole: PolicyDocument;
  harness: PolicyDocument;
}

function policy(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function tableArns(config: AwsConfig): string[] {
  return Object.keys(config.regions).flatMap((region) =>
    gameDayTables(config).map(
      (table) => `arn:aws:dynamodb:${region}:${config.account}:table/${table}`,
    ),
  );
}

function memberArns(config: AwsConfig): string[] {
  return Object.values(config.clusters).flatMap((cluster) => Object.values(cluster.members));
}

export function gameDayPolicies(config: AwsConfig): GameDayPolicies {
  const { account } = config;
  const regions = Object.keys(config.regions);
  const network = fisActionSpec(
    config.fis.network === 'route-table' ? ROUTE_TABLE_DISRUPT : TRANSIT_GATEWAY_DISRUPT,
  );
  const fisArns = (kind: string) =>
    regions.map((region) => `arn:aws:fis:${region}:${account}:${kind}/*`);
  return {
    fisRoleTrust: policy([
      {
        Sid: 'FisExperimentsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'fis.amazonaws.com' },
        Action: ['sts:AssumeRole'],
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:aws:fis:*:${account}:experiment/*` },
        },
      },
    ]),
    fisRole: policy([
      {
        Sid: 'CrossRegionNetworkCut',
        Effect: 'Allow',
        Action: [...network.permissions],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': regions } },
      },
      {
        Sid: 'PauseGlobalTableReplication',
        Effect: 'Allow',
        Action: fisActionSpec(PAUSE_TABLE_REPLICATION).permissions.filter((a) =>
          a.startsWith('dynamodb:'),
        ),
        Resource: tableArns(config),
      },
      {
        Sid: 'FailOverMemberClusters',
        Effect: 'Allow',
        Action: fisActionSpec(FAILOVER_DB_CLUSTER).permissions.filter((a) => a.startsWith('rds:')),
        Resource: memberArns(config),
      },
      {
        Sid: 'ResolveTargetsByTag',
        Effect: 'Allow',
        Action: ['tag:GetResources'],
        Resource: '*',
      },
      {
        Sid: 'ExperimentLogs',
        Effect: 'Allow',
        Action: [
          'logs:CreateLogDelivery',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        Resource: '*',
      },
    ]),
    harness: policy([
      { Sid: 'WhoAmI', Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' },
      {
        Sid: 'CreateTaggedTemplatesAndExperiments',
        Effect: 'Allow',
        Action: ['fis:CreateExperimentTemplate', 'fis:StartExperiment', 'fis:TagResource'],
        Resource: [
          ...fisArns('experiment-template'),
          ...fisArns('experiment'),
          ...fisArns('action'),
        ],
        Condition: {
          StringEquals: { [`aws:RequestTag/${MANAGED_BY_TAG.key}`]: MANAGED_BY_TAG.value },
        },
      },
      {
        Sid: 'DriveOwnExperiments',
        Effect: 'Allow',
        Action: [
          'fis:GetExperiment',
          'fis:StopExperiment',
          'fis:GetExperimentTemplate',
          'fis:DeleteExperimentTemplate',
          'fis:ListExperimentResolvedTargets',
        ],
        Resource: [...fisArns('experiment-template'), ...fisArns('experiment')],
        Condition: {
          StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG.key}`]: MANAGED_BY_TAG.value },
        },
      },
      {
        Sid: 'FindOwnExperiments',
        Effect: 'Allow',
        Action: ['fis:ListExperiments'],
        Resource: '*',
      },
      {
        Sid: 'SafetyLever',
        Effect: 'Allow',
        Action: ['fis:GetSafetyLever', 'fis:UpdateSafetyLeverState'],
        Resource: fisArns('safety-lever'),
      },
      {
        Sid: 'PassOnlyTheFisRole',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [config.fis.roleArn],
        Condition: { StringEquals: { 'iam:PassedToService': 'fis.amazonaws.com' } },
      },
      {
        Sid: 'AuroraGlobalFailover',
        Effect: 'Allow',
        Action: ['rds:FailoverGlobalCluster', 'rds:DescribeGlobalClusters'],
        Resource: [
          ...Object.values(config.clusters).map(
            (c) => `arn:aws:rds::${account}:global-cluster:${c.globalClusterId}`,
          ),
          ...memberArns(config),
        ],
      },
      {
        Sid: 'ReadFinalState',
        Effect: 'Allow',
        Action: ['dynamodb:Scan', 'dynamodb:DescribeTable'],
        Resource: tableArns(config),
      },
      {
        // GetMetricData takes no resource and no namespace condition: it is read-only.
        Sid: 'ReadReplicationLatency',
        Effect: 'Allow',
        Action: ['cloudwatch:GetMetricData'],
        Resource: '*',
      },
    ]),
  };
}
