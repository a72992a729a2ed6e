/**
 * Global-table semantics for moto, which does not replicate: one replicator per ordered region
 * pair tails the source table's stream and applies each item to the destination table, item by
 * item, last-writer-wins — a conditional write that applies only when the incoming (ts, origin) is
 * newer than the stored one (kv-item.ts), so replicas converge whatever order records arrive in.
 * It forwards only the source region's own writes (origin == from), as global tables do, so a
 * replicated write never echoes back.
 *
 * Controls: `lagMs` (a record is applied no earlier than lagMs after it was read from the
 * stream, which the replicator polls every pollIntervalMs), pause/resume (nothing read or applied
 * while paused; the stream keeps what arrives), and the destination link's faults (Toxiproxy: a
 * write that fails is retried, in order, at the next poll).
 *
 * Bounds: at most `recordsMax` records read and not yet applied (beyond it the replicator stops
 * reading until it applies some); one GetRecords page of at most RECORDS_PER_READ records.
 * Limit: the shards that exist at start (moto keeps one shard per stream, never splits it).
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  type AttributeValue,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { KV_NAMES, type KvRecord, kvRecordOf, OLDER_THAN_INCOMING } from './kv-item.ts';
import { sleepMs } from './wait-until.ts';

const RECORDS_PER_READ = 1_000;
const LAG_MS_MAX = 3_600_000;

export interface ReplicatorOptions {
  from: string;
  to: string;
  table: string;
  /** The source region's stream (read directly: the source's own site). */
  streams: DynamoDBStreamsClient;
  streamArn: string;
  /** The destination region's DynamoDB API, through the replication link. */
  destination: DynamoDBClient;
  pollIntervalMs: number;
  recordsMax: number;
}

interface Pending {
  record: KvRecord;
  readAtMs: number;
}

export interface ReplicatorStats {
  applied: number;
  /** Records that arrived older than the destination's item (a newer write won there). */
  superseded: number;
  /** Failed writes to the destination (retried). */
  writeErrors: number;
  readErrors: number;
}

export class Replicator {
  private readonly pending: Pending[] = [];
  private iterators: (string | undefined)[] = [];
  private lagMs = 0;
  private paused = false;
  private running = false;
  private loop: Promise<void> | undefined;
  /** Polls that found the stream empty and nothing pending, counted from start. */
  private idlePolls = 0;
  readonly stats: ReplicatorStats = { applied: 0, superseded: 0, writeErrors: 0, readErrors: 0 };

  constructor(private readonly options: ReplicatorOptions) {
    if (!(options.recordsMax >= 1 && options.pollIntervalMs >= 1)) {
      throw new Error('a replicator needs recordsMax >= 1 and pollIntervalMs >= 1');
    }
  }

  get name(): string {
    return `${this.options.table} ${this.options.from} -> ${this.options.to}`;
  }

  /** Starts tailing from the stream's oldest record (what was written before start too). */
  async start(): Promise<void> {
    if (this.running) throw new Error(`replicator ${this.name} is already running`);
    const { streams, streamArn } = this.options;
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shards = described.StreamDescription?.Shards ?? [];
    if (shards.length === 0) throw new Error(`replicator ${this.name}: the stream has no shard`);
    this.iterators = await Promise.all(
      shards.map(async (shard) => {
        const answer = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        return answer.ShardIterator;
      }),
    );
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the current poll and closes its clients. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.options.streams.destroy();
    this.options.destination.destroy();
  }

  setLagMs(lagMs: number): void {
    if (!(Number.isSafeInteger(lagMs) && lagMs >= 0 && lagMs <= LAG_MS_MAX)) {
      throw new Error(`replication lag must be a whole number of ms in 0..${LAG_MS_MAX}`);
    }
    this.lagMs = lagMs;
  }

  pause(): void {
    if (this.paused) throw new Error(`replication ${this.name} is already paused`);
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) throw new Error(`resume ${this.name}: replication is not paused`);
    this.paused = false;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Records read and not yet applied. */
  get backlog(): number {
    return this.pending.length;
  }

  /** A mark to wait on: `idleSince(mark)` is true once a later poll found nothing to do. */
  idleMark(): number {
    return this.idlePolls;
  }

  idleSince(mark: number): boolean {
    return this.idlePolls > mark + 1;
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.paused) {
        await sleepMs(this.options.pollIntervalMs);
        continue;
      }
      const { read, failed } = await this.read();
      const applied = await this.applyDue();
      // Idle only when every shard answered "nothing new": a read that failed proves nothing.
      if (read === 0 && !failed && this.pending.length === 0) this.idlePolls += 1;
      if (read === 0 && applied === 0) await sleepMs(this.options.pollIntervalMs);
    }
  }

  /** Reads one page from every shard, as far as the backlog bound allows. */
  private async read(): Promise<{ read: number; failed: boolean }> {
    let count = 0;
    let failed = false;
    for (const [i, iterator] of this.iterators.entries()) {
      const room = this.options.recordsMax - this.pending.length;
      if (iterator === undefined) continue;
      if (room <= 0) {
        // The backlog is full: records may be waiting in the stream, so this poll is not idle.
        failed = true;
        continue;
      }
      try {
        const answer = await this.options.streams.send(
          new GetRecordsCommand({
            ShardIterator: iterator,
            Limit: Math.min(room, RECORDS_PER_READ),
          }),
        );
        this.iterators[i] = answer.NextShardIterator;
        const readAtMs = Date.now();
        for (const raw of answer.Records ?? []) {
          const record = this.recordOf(raw);
          if (record !== undefined) this.pending.push({ record, readAtMs });
        }
        count += answer.Records?.length ?? 0;
      } catch {
        this.stats.readErrors += 1;
        failed = true;
      }
    }
    return { read: count, failed };
  }

  private recordOf(raw: _Record): KvRecord | undefined {
    const image = raw.dynamodb?.NewImage;
    // Deletes (no new image) are not part of the bank's tables; nothing to forward.
    if (image === undefined) return undefined;
    const record = kvRecordOf(image as Record<string, AttributeValue>);
    return record.origin === this.options.from ? record : undefined;
  }

  /** Applies the due records in order; stops at the first write that fails (retried later). */
  private async applyDue(): Promise<number> {
    let applied = 0;
    while (this.pending.length > 0 && this.running && !this.paused) {
      const head = this.pending[0]!;
      if (Date.now() < head.readAtMs + this.lagMs) break;
      if (!(await this.apply(head.record))) break;
      this.pending.shift();
      applied += 1;
    }
    return applied;
  }

  private async apply(record: KvRecord): Promise<boolean> {
    try {
      await this.options.destination.send(
        new UpdateItemCommand({
          TableName: this.options.table,
          Key: { pk: { S: record.key } },
          UpdateExpression:
            'SET #val = :val, #ts = :ts, #origin = :origin, #ver = if_not_exists(#ver, :zero) + :one',
          ConditionExpression: OLDER_THAN_INCOMING,
          ExpressionAttributeNames: KV_NAMES,
          ExpressionAttributeValues: {
            ':val': { S: record.valueJson },
            ':ts': { N: String(record.tsUs) },
            ':origin': { S: record.origin },
            ':zero': { N: '0' },
            ':one': { N: '1' },
          },
        }),
      );
      this.stats.applied += 1;
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        this.stats.superseded += 1;
        return true;
      }
      this.stats.writeErrors += 1;
      return false;
    }
  }
}
