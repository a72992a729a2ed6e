/**
 * The AWS FIS actions paychaos plans with, as the FIS actions reference describes them (action
 * id, the target key and resource type each takes, its parameters, its duration bounds, and the
 * permissions the experiment role needs to carry it out). `fis plan` builds templates only from
 * this table, and the tests hold every planned template to it.
 *
 * Duration bounds: FIS takes a duration as ISO 8601 (`PT1M`) from one minute to 12 hours for these
 * actions; an experiment runs at most 12 hours. `aws:rds:failover-db-cluster` is instantaneous and
 * takes no duration.
 */

export const FIS_DURATION_MS_MIN = 60_000;
export const FIS_DURATION_MS_MAX = 12 * 3_600_000;

export interface FisActionSpec {
  readonly id: string;
  /** The key in the action's `targets` map, and the resource type of the target it names. */
  readonly targetKey: string;
  readonly resourceType: string;
  readonly parametersRequired: readonly string[];
  readonly parametersOptional: readonly string[];
  /** Whether it takes a `duration` (1 minute to 12 hours). */
  readonly timed: boolean;
  /** What the FIS experiment role needs to carry it out. */
  readonly permissions: readonly string[];
}

export const ROUTE_TABLE_DISRUPT = 'aws:network:route-table-disrupt-cross-region-connectivity';
export const TRANSIT_GATEWAY_DISRUPT =
  'aws:network:transit-gateway-disrupt-cross-region-connectivity';
export const PAUSE_TABLE_REPLICATION = 'aws:dynamodb:global-table-pause-replication';
export const FAILOVER_DB_CLUSTER = 'aws:rds:failover-db-cluster';

export const FIS_ACTIONS: Readonly<Record<string, FisActionSpec>> = {
  [ROUTE_TABLE_DISRUPT]: {
    id: ROUTE_TABLE_DISRUPT,
    targetKey: 'Subnets',
    resourceType: 'aws:ec2:subnet',
    parametersRequired: ['duration', 'region'],
    parametersOptional: ['preserveSameRegion'],
    timed: true,
    permissions: [
      'ec2:AssociateRouteTable',
      'ec2:CreateManagedPrefixList',
      'ec2:CreateNetworkInterface',
      'ec2:CreateRoute',
      'ec2:CreateRouteTable',
      'ec2:CreateTags',
      'ec2:DeleteManagedPrefixList',
      'ec2:DeleteNetworkInterface',
      'ec2:DeleteRouteTable',
      'ec2:DescribeManagedPrefixLists',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcPeeringConnections',
      'ec2:DescribeVpcs',
      'ec2:DisassociateRouteTable',
      'ec2:GetManagedPrefixListEntries',
      'ec2:ModifyManagedPrefixList',
      'ec2:ModifyVpcEndpoint',
      'ec2:ReplaceRouteTableAssociation',
    ],
  },
  [TRANSIT_GATEWAY_DISRUPT]: {
    id: TRANSIT_GATEWAY_DISRUPT,
    targetKey: 'TransitGateways',
    resourceType: 'aws:ec2:transit-gateway',
    parametersRequired: ['duration', 'region'],
    parametersOptional: [],
    timed: true,
    permissions: [
      'ec2:AssociateTransitGatewayRouteTable',
      'ec2:DescribeTransitGatewayAttachments',
      'ec2:DescribeTransitGatewayPeeringAttachments',
      'ec2:DescribeTransitGateways',
      'ec2:DisassociateTransitGatewayRouteTable',
    ],
  },
  [PAUSE_TABLE_REPLICATION]: {
    id: PAUSE_TABLE_REPLICATION,
    targetKey: 'Tables',
    resourceType: 'aws:dynamodb:global-table',
    parametersRequired: ['duration'],
    parametersOptional: [],
    timed: true,
    permissions: [
      'dynamodb:PutResourcePolicy',
      'dynamodb:DeleteResourcePolicy',
      'dynamodb:GetResourcePolicy',
      'dynamodb:DescribeTable',
      'tag:GetResources',
    ],
  },
  [FAILOVER_DB_CLUSTER]: {
    id: FAILOVER_DB_CLUSTER,
    targetKey: 'Clusters',
    resourceType: 'aws:rds:cluster',
    parametersRequired: [],
    parametersOptional: [],
    timed: false,
    permissions: ['rds:FailoverDBCluster', 'rds:DescribeDBClusters', 'tag:GetResources'],
  },
};

export function fisActionSpec(id: string): FisActionSpec {
  const spec = FIS_ACTIONS[id];
  if (spec === undefined) throw new Error(`no FIS action ${id} in paychaos's catalogue`);
  return spec;
}
