/**
 * A game day's replication lag into the run directory's lag.jsonl (history/lag-samples.ts), as
 * the run goes. Aurora: every `lag.sampleMs` the config's lag query (`aurora_global_db_status()`)
 * on the writer of the moment, at most `lag.samplesMax` samples, each bounded by
 * `lag.callTimeoutMs`. DynamoDB: CloudWatch's ReplicationLatency is published per minute, about a
 * minute late, so it is read once, when the sampler finishes (after the heal's quiesce), over the
 * whole run's window. A sample or a read that fails is a gap line saying why: a writer that does
 * not answer during a failover is a measurement, and the run goes on.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import pg from 'pg';
import {
  AURORA_SOURCE,
  DYNAMODB_SOURCE,
  type LagLine,
  LagWriter,
  type LagWriterBounds,
} from '../../../history/lag-samples.ts';
import type { Clock } from '../../../load/clock.ts';
import { sampleAuroraLag } from '../../../targets/aws/aurora-lag.ts';
import {
  type LatencyWindow,
  type PairLatency,
  readReplicationLatency,
} from '../../../targets/aws/replication-latency.ts';
import { type AwsConfig, gameDayTables } from './aws-config.ts';

const NS_PER_MS = 1_000_000;
const GAP_CHARS_MAX = 500;

export interface LagSources {
  config: AwsConfig;
  /** The game day's regions: each table's replica in each sends to every other. */
  regions: readonly string[];
  /** The run's clock, so a sample's `atMs` lines up with the history's times. */
  clock: Clock;
  /** The Aurora writer's region now (it moves with a failover). */
  writerRegion: () => string;
  writerSql: (region: string) => pg.ClientConfig;
  cloudwatch: (region: string) => CloudWatchClient;
  /** Where the lines go: the run directory's lag.jsonl. */
  file: string;
  /** The file's bounds; the reader's (history/lag-samples.ts) unless a test sets smaller ones. */
  fileBounds?: LagWriterBounds;
}

export class LagSampler {
  private readonly writer: LagWriter;
  private readonly stop = new AbortController();
  private readonly startedAt = new Date();
  private readonly loop: Promise<void>;
  private finishing: Promise<void> | undefined;
  private fullNoted = false;
  samplesTaken = 0;

  constructor(private readonly sources: LagSources) {
    this.writer = new LagWriter(sources.file, sources.fileBounds);
    this.loop = this.sampleAurora();
    // Awaited by finish(), which rethrows; until then a failed write must not be unhandled.
    this.loop.catch(() => undefined);
  }

  /** Stops sampling, reads CloudWatch over the run's window, closes the file. Once; idempotent. */
  finish(): Promise<void> {
    this.finishing ??= this.finishOnce();
    return this.finishing;
  }

  private async finishOnce(): Promise<void> {
    this.stop.abort();
    try {
      await this.loop;
      await this.readReplicationLatency();
    } finally {
      this.writer.close();
    }
  }

  private async sampleAurora(): Promise<void> {
    const { config } = this.sources;
    const { sampleMs, samplesMax } = config.lag;
    if (config.aurora === undefined) {
      this.auroraGap('the config has no aurora section: Aurora lag is not sampled');
      return;
    }
    const query = config.aurora.lagQuery;
    while (!this.stop.signal.aborted && !this.writer.isFull) {
      await this.sampleOnce(query);
      this.samplesTaken += 1;
      if (this.samplesTaken >= samplesMax) {
        this.auroraGap(`sampling stopped after lag.samplesMax (${samplesMax}) samples`);
        return;
      }
      await sleepFor(sampleMs, undefined, { signal: this.stop.signal }).catch(() => undefined);
    }
  }

  private async sampleOnce(query: string): Promise<void> {
    const { clock, writerRegion, writerSql, config } = this.sources;
    const atMs = Math.round(clock.nowNs / NS_PER_MS);
    const at = new Date().toISOString();
    const writer = writerRegion();
    try {
      const rows = await withinMs(
        queryWriter(writerSql(writer), query, config.lag.callTimeoutMs),
        config.lag.callTimeoutMs,
        'the lag query',
      );
      if (rows.length === 0) {
        this.record({
          source: AURORA_SOURCE,
          atMs,
          at,
          writer,
          gap: 'the lag query returned no secondary cluster',
        });
      }
      for (const row of rows) this.record({ source: AURORA_SOURCE, atMs, at, writer, ...row });
    } catch (error) {
      this.record({ source: AURORA_SOURCE, atMs, at, writer, gap: gapText(error) });
    }
  }

  /** A full file takes no more lines: its last says so, once, and the run goes on. */
  private record(line: LagLine): void {
    if (this.writer.append(line) || this.fullNoted) return;
    this.fullNoted = true;
    const atMs = Math.round(this.sources.clock.nowNs / NS_PER_MS);
    this.writer.appendLast({
      source: AURORA_SOURCE,
      atMs,
      at: new Date().toISOString(),
      writer: this.sources.writerRegion(),
      gap: `lag.jsonl is full (${this.writer.linesWritten} lines): nothing more was recorded`,
    });
  }

  private auroraGap(gap: string): void {
    const atMs = Math.round(this.sources.clock.nowNs / NS_PER_MS);
    const at = new Date().toISOString();
    this.record({
      source: AURORA_SOURCE,
      atMs,
      at,
      writer: this.sources.writerRegion(),
      gap,
    });
  }

  private async readReplicationLatency(): Promise<void> {
    const { config, regions, cloudwatch } = this.sources;
    const window = latencyWindow(this.startedAt, new Date(), config.lag);
    const tables = gameDayTables(config);
    const lines = await Promise.all(
      regions.map(async (region) => {
        const pairs = tables.flatMap((table) =>
          regions
            .filter((r) => r !== region)
            .map((receivingRegion) => ({ table, receivingRegion })),
        );
        try {
          const read = await readReplicationLatency(cloudwatch(region), pairs, window);
          return read.flatMap((pair) => pairLines(region, pair, window));
        } catch (error) {
          const gap = gapText(error);
          return pairs.map((pair): LagLine => ({ source: DYNAMODB_SOURCE, region, ...pair, gap }));
        }
      }),
    );
    for (const line of lines.flat()) this.record(line);
  }
}

/** The run's window, widened to whole periods: CloudWatch's datapoints start on a period. */
export function latencyWindow(
  startedAt: Date,
  endedAt: Date,
  lag: AwsConfig['lag'],
): LatencyWindow {
  const periodMs = lag.periodS * 1_000;
  const startMs = Math.floor(startedAt.getTime() / periodMs) * periodMs;
  const endMs = Math.max(Math.ceil(endedAt.getTime() / periodMs) * periodMs, startMs + periodMs);
  return {
    start: new Date(startMs),
    end: new Date(endMs),
    periodS: lag.periodS,
    callTimeoutMs: lag.callTimeoutMs,
  };
}

function pairLines(region: string, pair: PairLatency, window: LatencyWindow): LagLine[] {
  const { table, receivingRegion } = pair;
  if (pair.error !== null) {
    return [{ source: DYNAMODB_SOURCE, table, region, receivingRegion, gap: clip(pair.error) }];
  }
  if (pair.datapoints.length === 0) {
    const gap = `no datapoint from ${window.start.toISOString()} to ${window.end.toISOString()} (CloudWatch publishes about a minute late)`;
    return [{ source: DYNAMODB_SOURCE, table, region, receivingRegion, gap }];
  }
  return pair.datapoints.map((point) => ({
    source: DYNAMODB_SOURCE,
    table,
    region,
    receivingRegion,
    at: point.timestamp.toISOString(),
    periodS: window.periodS,
    averageMs: point.averageMs,
    maximumMs: point.maximumMs,
  }));
}

async function queryWriter(config: pg.ClientConfig, query: string, timeoutMs: number) {
  const client = new pg.Client({
    ...config,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A connection that fails after the deadline must not be an unhandled error event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await sampleAuroraLag(client, query);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withinMs<T>(promise: Promise<T>, msMax: number, what: string): Promise<T> {
  promise.catch(() => undefined);
  const deadline = new AbortController();
  const late = sleepFor(msMax, undefined, { signal: deadline.signal }).then(() => {
    throw new Error(`${what} took over ${msMax} ms`);
  });
  // Aborted once the promise won: that rejection is nobody's error.
  late.catch(() => undefined);
  try {
    return await Promise.race([promise, late]);
  } finally {
    deadline.abort();
  }
}

function gapText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return clip(text.replace(/\s+/g, ' ').trim() || 'an error without a message');
}

function clip(text: string): string {
  return text.length <= GAP_CHARS_MAX ? text : `${text.slice(0, GAP_CHARS_MAX - 1)}…`;
}
