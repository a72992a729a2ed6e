/**
 * A scenario's faults as AWS FIS experiment templates, one per fault and region, or a refusal
 * naming the fault (`fis plan`, and the first step of `run --target aws`). Every template carries
 * the config's stop-condition alarms (none only in a sandbox account), the tags `managedBy=paychaos`
 * and the run id, a CloudWatch Logs log configuration, and `emptyTargetResolutionMode: fail` (a
 * game day whose fault resolved to no resource would otherwise pass without a fault).
 *
 * Windows and FIS's bounds: a timed action's `duration` is the fault's window, raised to FIS's
 * one-minute floor; paychaos stops the experiment itself at the window's end, so the duration is
 * only the dead man's switch that ends the fault if paychaos dies. A window over 12 hours is
 * refused. An Aurora global failover is no FIS action: paychaos calls RDS FailoverGlobalCluster
 * (AllowDataLoss) on schedule.
 */
import type { CreateExperimentTemplateRequest } from '@aws-sdk/client-fis';
import type { FailoverGlobalClusterMessage } from '@aws-sdk/client-rds';
import type { Fault, FaultKind } from '../../../faults/fault.ts';
import type { ResolvedScenario } from '../../../scenario-dsl/resolved-scenario.ts';
import {
  FAILOVER_DB_CLUSTER,
  FIS_DURATION_MS_MAX,
  FIS_DURATION_MS_MIN,
  PAUSE_TABLE_REPLICATION,
  ROUTE_TABLE_DISRUPT,
  TRANSIT_GATEWAY_DISRUPT,
} from '../../../targets/aws/fis-actions.ts';
import { isoDuration } from '../../../targets/aws/iso-duration.ts';
import { type AwsConfig, gameDayTables } from './aws-config.ts';

export const MANAGED_BY_TAG = { key: 'managedBy', value: 'paychaos' } as const;
export const RUN_ID_TAG = 'paychaos:run-id';
const DESCRIPTION_CHARS_MAX = 512;

export interface PlannedExperiment {
  step: 'fis-experiment';
  faultIndex: number;
  fault: FaultKind;
  /** The region the experiment runs in (FIS is regional). */
  region: string;
  atMs: number;
  /** The fault's window; 0 for an instantaneous action. */
  windowMs: number;
  /** What FIS does that differs from the fault as the scenario words it, if anything. */
  approximation: string | null;
  template: CreateExperimentTemplateRequest;
}

export interface PlannedGlobalFailover {
  step: 'rds-failover-global-cluster';
  faultIndex: number;
  fault: 'failover';
  region: string;
  atMs: number;
  input: FailoverGlobalClusterMessage;
}

export type PlanStep = PlannedExperiment | PlannedGlobalFailover;

/** A fault FIS (or paychaos with this config) cannot carry out: refused by name, exit 64. */
export class FaultRefused extends Error {
  constructor(
    readonly faultIndex: number,
    readonly kind: FaultKind,
    reason: string,
  ) {
    super(`target aws cannot inject ${kind} (faults[${faultIndex}] of the scenario): ${reason}`);
    this.name = 'FaultRefused';
  }
}

/** The scenario needs what the config does not describe (a region): exit 65. */
export class ConfigMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigMismatch';
  }
}

/** Fault kinds the plan can carry out with some config; the others are refused by name. */
export const AWS_FAULTS: readonly FaultKind[] = [
  'isolate',
  'partition',
  'replica-lag',
  'pause-replication',
  'kill-cluster',
  'failover',
];

const REFUSALS: Partial<Record<FaultKind, string>> = {
  'clock-skew': "FIS has no action that skews a region's clock",
  'crash-bank':
    "paychaos.aws.ts names no compute for the bank service (FIS's aws:ecs:stop-task or aws:ec2:stop-instances would need its tasks or instances)",
};

interface PlanContext {
  scenario: ResolvedScenario;
  config: AwsConfig;
  runId: string;
}

export function planFis(scenario: ResolvedScenario, config: AwsConfig, runId: string): PlanStep[] {
  const context: PlanContext = { scenario, config, runId };
  for (const region of scenario.regions) {
    if (config.regions[region] === undefined) {
      throw new ConfigMismatch(
        `the scenario's region ${region} is not in the config's regions (${Object.keys(config.regions).join(', ')})`,
      );
    }
  }
  return scenario.faults.flatMap(({ fault, atMs, durationMs }, faultIndex) => {
    const refusal = REFUSALS[fault.kind];
    if (refusal !== undefined) throw new FaultRefused(faultIndex, fault.kind, refusal);
    if (durationMs > FIS_DURATION_MS_MAX) {
      throw new FaultRefused(
        faultIndex,
        fault.kind,
        `it lasts ${durationMs} ms; FIS actions last at most 12 hours`,
      );
    }
    return planFault(context, fault, faultIndex, atMs, durationMs);
  });
}

function planFault(
  context: PlanContext,
  fault: Fault,
  faultIndex: number,
  atMs: number,
  windowMs: number,
): PlanStep[] {
  const { scenario } = context;
  const others = (region: string) => scenario.regions.filter((r) => r !== region);
  const experiment = (region: string, parts: TemplateParts, approximation: string | null) =>
    plannedExperiment(
      context,
      { faultIndex, fault: fault.kind, region, atMs, windowMs },
      parts,
      approximation,
    );
  switch (fault.kind) {
    case 'isolate':
      return [
        experiment(
          fault.region,
          withPause(
            context,
            fault.region,
            windowMs,
            networkCut(context, others(fault.region), windowMs),
          ),
          'FIS cuts the region off from the other regions; paychaos cuts its own clients off from it',
        ),
      ];
    case 'partition': {
      const [a, b] = fault.regions;
      return [
        experiment(a, withPause(context, a, windowMs, networkCut(context, [b], windowMs)), null),
        experiment(b, networkCut(context, [a], windowMs), null),
      ];
    }
    case 'replica-lag':
    case 'pause-replication':
      return [
        experiment(
          fault.to,
          withPause(context, fault.to, windowMs, { targets: {}, actions: {} }),
          fault.kind === 'replica-lag'
            ? `FIS cannot delay replication by ${fault.lagMs} ms: it pauses replication to and from ${fault.to}'s replicas for the window`
            : `FIS pauses replication to and from ${fault.to}'s replicas, not only ${fault.from} -> ${fault.to}`,
        ),
      ];
    case 'kill-cluster': {
      const member = memberArn(context, faultIndex, fault.kind, fault.cluster, fault.region);
      return [
        {
          ...experiment(
            fault.region,
            {
              targets: {
                cluster: {
                  resourceType: 'aws:rds:cluster',
                  resourceArns: [member],
                  selectionMode: 'ALL',
                },
              },
              actions: {
                'failover-cluster': {
                  actionId: FAILOVER_DB_CLUSTER,
                  targets: { Clusters: 'cluster' },
                },
              },
            },
            `FIS fails ${fault.cluster}'s cluster in ${fault.region} over to one of its readers; the old writer is not held down for the window`,
          ),
        },
      ];
    }
    case 'failover':
      return [
        {
          step: 'rds-failover-global-cluster',
          faultIndex,
          fault: 'failover',
          region: fault.to,
          atMs,
          input: {
            GlobalClusterIdentifier: globalClusterOf(context, faultIndex, fault.cluster)
              .globalClusterId,
            TargetDbClusterIdentifier: memberArn(
              context,
              faultIndex,
              fault.kind,
              fault.cluster,
              fault.to,
            ),
            AllowDataLoss: true,
          },
        },
      ];
    default:
      throw new FaultRefused(faultIndex, fault.kind, 'paychaos has no FIS plan for it');
  }
}

type TemplateParts = Pick<CreateExperimentTemplateRequest, 'targets' | 'actions'> & {
  targets: NonNullable<CreateExperimentTemplateRequest['targets']>;
  actions: NonNullable<CreateExperimentTemplateRequest['actions']>;
};

function actionDuration(windowMs: number): string {
  const wholeSecondsMs = Math.ceil(windowMs / 1_000) * 1_000;
  return isoDuration(Math.max(wholeSecondsMs, FIS_DURATION_MS_MIN));
}

/** Cross-region traffic from the experiment's region to each of `destinations`. */
function networkCut(context: PlanContext, destinations: string[], windowMs: number): TemplateParts {
  const { config } = context;
  const byRouteTable = config.fis.network === 'route-table';
  const targetName = byRouteTable ? 'subnets' : 'transit-gateways';
  const parts: TemplateParts = {
    targets: {
      [targetName]: {
        resourceType: byRouteTable ? 'aws:ec2:subnet' : 'aws:ec2:transit-gateway',
        resourceTags: { ...config.fis.optInTags },
        selectionMode: 'ALL',
      },
    },
    actions: {},
  };
  for (const destination of destinations) {
    parts.actions[`cut-${destination}`] = {
      actionId: byRouteTable ? ROUTE_TABLE_DISRUPT : TRANSIT_GATEWAY_DISRUPT,
      parameters: { duration: actionDuration(windowMs), region: destination },
      targets: { [byRouteTable ? 'Subnets' : 'TransitGateways']: targetName },
    };
  }
  return parts;
}

/** Adds the pause of replication of every configured global table's replica in `region`. */
function withPause(
  context: PlanContext,
  region: string,
  windowMs: number,
  parts: TemplateParts,
): TemplateParts {
  const { config } = context;
  return {
    targets: {
      ...parts.targets,
      tables: {
        resourceType: 'aws:dynamodb:global-table',
        resourceArns: gameDayTables(config).map(
          (table) => `arn:aws:dynamodb:${region}:${config.account}:table/${table}`,
        ),
        selectionMode: 'ALL',
      },
    },
    actions: {
      ...parts.actions,
      'pause-replication': {
        actionId: PAUSE_TABLE_REPLICATION,
        parameters: { duration: actionDuration(windowMs) },
        targets: { Tables: 'tables' },
      },
    },
  };
}

function globalClusterOf(context: PlanContext, faultIndex: number, cluster: string) {
  const spec = context.config.clusters[cluster];
  if (spec === undefined) {
    throw new FaultRefused(
      faultIndex,
      context.scenario.faults[faultIndex]!.fault.kind,
      `the config's clusters has no '${cluster}' (it names ${Object.keys(context.config.clusters).join(', ') || 'none'})`,
    );
  }
  return spec;
}

function memberArn(
  context: PlanContext,
  faultIndex: number,
  kind: FaultKind,
  cluster: string,
  region: string,
): string {
  const arn = globalClusterOf(context, faultIndex, cluster).members[region];
  if (arn === undefined) {
    throw new FaultRefused(
      faultIndex,
      kind,
      `clusters.${cluster}.members names no cluster in ${region}`,
    );
  }
  return arn;
}

interface ExperimentKey {
  faultIndex: number;
  fault: FaultKind;
  region: string;
  atMs: number;
  windowMs: number;
}

function plannedExperiment(
  context: PlanContext,
  key: ExperimentKey,
  parts: TemplateParts,
  approximation: string | null,
): PlannedExperiment {
  const { config, scenario, runId } = context;
  const regionSpec = config.regions[key.region]!;
  if (regionSpec.alarmArns.length === 0 && !config.sandbox) {
    throw new FaultRefused(
      key.faultIndex,
      key.fault,
      `regions.${key.region}.alarmArns is empty: an experiment without a stop condition is refused unless the config says sandbox: true`,
    );
  }
  const description = `paychaos ${scenario.name}: faults[${key.faultIndex}] ${key.fault} in ${key.region} (run ${runId})`;
  return {
    step: 'fis-experiment',
    ...key,
    approximation,
    template: {
      clientToken: `${runId}-${key.faultIndex}-${key.region}`.slice(0, 64),
      description: description.slice(0, DESCRIPTION_CHARS_MAX),
      roleArn: config.fis.roleArn,
      stopConditions:
        regionSpec.alarmArns.length === 0
          ? [{ source: 'none' }]
          : regionSpec.alarmArns.map((value) => ({ source: 'aws:cloudwatch:alarm', value })),
      targets: parts.targets,
      actions: parts.actions,
      tags: templateTags(config, runId, scenario.name, key.faultIndex),
      logConfiguration: {
        cloudWatchLogsConfiguration: { logGroupArn: regionSpec.fisLogGroupArn },
        logSchemaVersion: 2,
      },
      experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' },
    },
  };
}

export function templateTags(
  config: AwsConfig,
  runId: string,
  scenario: string,
  faultIndex: number,
): Record<string, string> {
  return {
    ...config.fis.tags,
    [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value,
    [RUN_ID_TAG]: runId,
    'paychaos:scenario': scenario,
    'paychaos:fault': String(faultIndex),
  };
}
