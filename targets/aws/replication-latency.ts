/**
 * DynamoDB global tables' `ReplicationLatency` from CloudWatch (namespace AWS/DynamoDB,
 * dimensions TableName and ReceivingRegion), as the source region's CloudWatch publishes it: one
 * GetMetricData call per source region reads every table and receiving region at once, the
 * Average and the Maximum of each period, paged and bounded. A query CloudWatch could not answer
 * (Forbidden, InternalError) is that pair's error, not the others'.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';

/** GetMetricData takes at most 500 queries; two a pair. */
const PAIRS_MAX = 250;
const PAGES_MAX = 100;

export interface LatencyPair {
  table: string;
  receivingRegion: string;
}

export interface LatencyDatapoint {
  /** The period's start. */
  timestamp: Date;
  averageMs: number;
  maximumMs: number | null;
}

export interface PairLatency extends LatencyPair {
  datapoints: LatencyDatapoint[];
  /** Why CloudWatch gave nothing for this pair; null when it answered (maybe with no datapoint). */
  error: string | null;
}

export interface LatencyWindow {
  start: Date;
  end: Date;
  periodS: number;
  callTimeoutMs: number;
}

function queriesOf(pairs: LatencyPair[], periodS: number): MetricDataQuery[] {
  return pairs.flatMap((pair, i) =>
    (['Average', 'Maximum'] as const).map((stat) => ({
      Id: `${stat === 'Average' ? 'avg' : 'max'}${i}`,
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/DynamoDB',
          MetricName: 'ReplicationLatency',
          Dimensions: [
            { Name: 'TableName', Value: pair.table },
            { Name: 'ReceivingRegion', Value: pair.receivingRegion },
          ],
        },
        Period: periodS,
        Stat: stat,
      },
    })),
  );
}

async function allResults(
  client: CloudWatchClient,
  queries: MetricDataQuery[],
  window: LatencyWindow,
): Promise<MetricDataResult[]> {
  const results: MetricDataResult[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < PAGES_MAX; page += 1) {
    const answer = await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: window.start,
        EndTime: window.end,
        ScanBy: 'TimestampAscending',
        NextToken: nextToken,
      }),
      { abortSignal: AbortSignal.timeout(window.callTimeoutMs) },
    );
    results.push(...(answer.MetricDataResults ?? []));
    nextToken = answer.NextToken;
    if (nextToken === undefined) return results;
  }
  throw new Error(`GetMetricData: over ${PAGES_MAX} pages`);
}

/** Per pair: its datapoints (a period with no Average is left out), or why there were none. */
function pairOf(pair: LatencyPair, index: number, results: MetricDataResult[]): PairLatency {
  const averages = new Map<number, number>();
  const maxima = new Map<number, number>();
  const errors: string[] = [];
  for (const result of results) {
    const into =
      result.Id === `avg${index}` ? averages : result.Id === `max${index}` ? maxima : undefined;
    if (into === undefined) continue;
    if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
      const said = (result.Messages ?? []).map((m) => m.Value ?? m.Code).join('; ');
      errors.push(`GetMetricData ${result.Id}: ${result.StatusCode}${said ? ` (${said})` : ''}`);
    }
    const timestamps = result.Timestamps ?? [];
    const values = result.Values ?? [];
    if (timestamps.length !== values.length) {
      throw new Error(
        `GetMetricData ${result.Id}: ${timestamps.length} timestamps, ${values.length} values`,
      );
    }
    for (const [i, t] of timestamps.entries()) into.set(t.getTime(), values[i]!);
  }
  const datapoints = [...averages.entries()]
    .sort(([a], [b]) => a - b)
    .map(([timeMs, averageMs]) => ({
      timestamp: new Date(timeMs),
      averageMs,
      maximumMs: maxima.get(timeMs) ?? null,
    }));
  return { ...pair, datapoints, error: errors.length === 0 ? null : errors.join('; ') };
}

/** ReplicationLatency of each pair, from the CloudWatch of the region whose replicas send. */
export async function readReplicationLatency(
  client: CloudWatchClient,
  pairs: LatencyPair[],
  window: LatencyWindow,
): Promise<PairLatency[]> {
  if (pairs.length === 0) return [];
  if (pairs.length > PAIRS_MAX) {
    throw new Error(`${pairs.length} table and region pairs; one call reads at most ${PAIRS_MAX}`);
  }
  if (!(window.end.getTime() > window.start.getTime())) {
    throw new Error(`GetMetricData needs a window that ends after it starts`);
  }
  const results = await allResults(client, queriesOf(pairs, window.periodS), window);
  return pairs.map((pair, i) => pairOf(pair, i, results));
}
