/**
 * Global-table semantics for moto, which does not replicate: one replicator per ordered region
 * pair tails the source table's stream and applies each item to the destination table, item by
 * item, last-writer-wins — a conditional write that applies only when the incoming (ts, origin) is
 * newer than the stored one (kv-item.ts), so replicas converge whatever order records arrive in.
 * It forwards only the source region's own writes (origin == from), as global tables do, so a
 * replicated write never echoes back.
 *
 * Polling adapts (issue 11: idle polls were most of moto's CPU, ~200 GetRecords/s for four
 * replicators at a fixed 20 ms): a poll that read or applied anything is followed by the next at
 * once; an idle one by a wait that doubles from `poll.intervalMsMin` up to `poll.intervalMsMax`.
 * `nudge()` — a write was just made to the source table — starts the next poll now and the waits
 * from the minimum again: the lab's own writers nudge (run/targets/local/lab-bank.ts), so
 * a write is picked up at once while an idle stream costs a poll per intervalMsMax.
 *
 * Controls: `lagMs` (a record is applied no earlier than lagMs after it was read from the
 * stream; the replicator wakes when the first held record falls due), pause/resume (nothing read
 * or applied while paused; the stream keeps what arrives), and the destination link's faults
 * (Toxiproxy: a write that fails is retried, in order, at the next poll).
 *
 * Bounds: at most `recordsMax` records read and not yet applied (beyond it the replicator stops
 * reading until it applies some); one GetRecords page of at most RECORDS_PER_READ records.
 * Limit: the shards that exist at start (moto keeps one shard per stream, never splits it).
 *
 * A record that is not a whole kv item is a bug (ours or the store's): the replicator stops and
 * `failure` names it, so quiescence fails loudly instead of going on without that record. (It
 * once went on: moto's UpdateItem on an absent item writes the bare key first, with a stream
 * record of its own; parsing that record threw after the iterator had moved past the page, and
 * every record behind it in the page was lost. Hence `apply` never updates an absent item.)
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  type AttributeValue,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { KV_NAMES, type KvRecord, kvRecordOf, OLDER_STORED_THAN_INCOMING } from './kv-item.ts';

const RECORDS_PER_READ = 1_000;
const LAG_MS_MAX = 3_600_000;
/** An absent item created by someone else between our update and our put: try again, this often. */
const APPLY_RACES_MAX = 8;

export interface ReplicatorOptions {
  from: string;
  to: string;
  table: string;
  /** The source region's stream (read directly: the source's own site). */
  streams: DynamoDBStreamsClient;
  streamArn: string;
  /** The destination region's DynamoDB API, through the replication link. */
  destination: DynamoDBClient;
  poll: PollIntervals;
  recordsMax: number;
}

/** The wait after an idle poll: doubling from the minimum up to the maximum. */
export interface PollIntervals {
  intervalMsMin: number;
  intervalMsMax: number;
}

/** A wait longer than this between polls would leave the stream unread for too long. */
const POLL_INTERVAL_MS_MAX = 10_000;

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
  /**
   * The last failed write's or read's error, as `name: message` (at most ERROR_TEXT_MAX
   * characters): what a table that does not converge reports, so that its cause is in the log.
   */
  lastError?: string;
}

const ERROR_TEXT_MAX = 200;

function errorText(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : `non-error: ${String(error)}`;
  return text.slice(0, ERROR_TEXT_MAX);
}

export class Replicator {
  private readonly pending: Pending[] = [];
  private iterators: (string | undefined)[] = [];
  private lagMs = 0;
  private paused = false;
  private running = false;
  private loop: Promise<void> | undefined;
  /** The wait after the next idle poll. */
  private idleWaitMs: number;
  /** A nudge came while polling: the poll may have missed the write, so the next starts at once. */
  private nudged = false;
  /** Ends the current wait between polls early (nudge, resume, stop). */
  private wake: (() => void) | undefined;
  /** Polls that found the stream empty and nothing pending, counted from start. */
  private idlePolls = 0;
  private failed: Error | undefined;
  readonly stats: ReplicatorStats = { applied: 0, superseded: 0, writeErrors: 0, readErrors: 0 };

  constructor(private readonly options: ReplicatorOptions) {
    const { intervalMsMin, intervalMsMax } = options.poll;
    if (
      !(
        options.recordsMax >= 1 &&
        Number.isSafeInteger(intervalMsMin) &&
        intervalMsMin >= 1 &&
        Number.isSafeInteger(intervalMsMax) &&
        intervalMsMax >= intervalMsMin &&
        intervalMsMax <= POLL_INTERVAL_MS_MAX
      )
    ) {
      throw new Error(
        `a replicator needs recordsMax >= 1 and whole poll intervals 1 <= min <= max <= ${POLL_INTERVAL_MS_MAX} ms`,
      );
    }
    this.idleWaitMs = intervalMsMin;
  }

  get from(): string {
    return this.options.from;
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
    this.wake?.();
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
    this.nudge();
  }

  /**
   * Something was written to the source table, or someone waits for the replicator: poll now
   * (or right after the poll under way), and wait the minimum after the next idle poll.
   */
  nudge(): void {
    this.nudged = true;
    this.idleWaitMs = this.options.poll.intervalMsMin;
    this.wake?.();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Why the replicator stopped by itself (a record it cannot apply), or undefined. */
  get failure(): Error | undefined {
    return this.failed;
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
    try {
      await this.poll();
    } catch (error) {
      this.failed = new Error(`replicator ${this.name} stopped: ${(error as Error).message}`, {
        cause: error,
      });
      this.running = false;
    }
  }

  private async poll(): Promise<void> {
    const { intervalMsMin, intervalMsMax } = this.options.poll;
    while (this.running) {
      if (this.paused) {
        // resume() wakes it.
        await this.waitMs(intervalMsMax);
        continue;
      }
      this.nudged = false;
      const { read, failed } = await this.read();
      const applied = await this.applyDue();
      // Idle only when every shard answered "nothing new": a read that failed proves nothing.
      if (read === 0 && !failed && this.pending.length === 0) this.idlePolls += 1;
      if (read > 0 || applied > 0) {
        this.idleWaitMs = intervalMsMin;
        continue;
      }
      if (this.nudged) continue;
      const waitMs = Math.min(this.idleWaitMs, this.msUntilHeadDue() ?? intervalMsMax);
      this.idleWaitMs = Math.min(this.idleWaitMs * 2, intervalMsMax);
      await this.waitMs(waitMs);
    }
  }

  /** Ms until the first held record may be applied; undefined when none is held for the lag. */
  private msUntilHeadDue(): number | undefined {
    const head = this.pending[0];
    if (head === undefined) return undefined;
    const dueInMs = head.readAtMs + this.lagMs - Date.now();
    // Due already (its write failed, or it waits behind one): the link gets the idle waits.
    return dueInMs > 0 ? Math.ceil(dueInMs) : undefined;
  }

  /** Waits `ms`, or less when nudged, resumed or stopped meanwhile. */
  private waitMs(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
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
      let answer: GetRecordsCommandOutput;
      try {
        answer = await this.options.streams.send(
          new GetRecordsCommand({
            ShardIterator: iterator,
            Limit: Math.min(room, RECORDS_PER_READ),
          }),
        );
      } catch (error) {
        this.stats.readErrors += 1;
        this.stats.lastError = `read: ${errorText(error)}`;
        failed = true;
        continue;
      }
      // Outside the try: a record that does not parse stops the replicator (run), it is not a
      // failed read to retry. The iterator moves past the page only once all of it is taken.
      const readAtMs = Date.now();
      for (const raw of answer.Records ?? []) {
        const record = this.recordOf(raw);
        if (record !== undefined) this.pending.push({ record, readAtMs });
      }
      this.iterators[i] = answer.NextShardIterator;
      count += answer.Records?.length ?? 0;
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

  /**
   * One record onto the destination, last-writer-wins; false when the write failed (retried at
   * the next poll). An existing item is updated in place (its `ver` bumped, so a bank put that
   * read it before fails its own condition and starts over); an absent one is put whole — moto's
   * UpdateItem would first write the bare key, which a concurrent GetItem could see and whose
   * stream record is not a kv item.
   */
  private async apply(record: KvRecord): Promise<boolean> {
    for (let race = 0; race < APPLY_RACES_MAX; race += 1) {
      let outcome: 'applied' | 'superseded' | 'raced';
      try {
        outcome = (await this.updateExisting(record)) ?? (await this.putAbsent(record));
      } catch (error) {
        if (!isStoreFault(error)) throw error;
        this.stats.writeErrors += 1;
        this.stats.lastError = `write: ${errorText(error)}`;
        return false;
      }
      if (outcome === 'applied') this.stats.applied += 1;
      if (outcome === 'superseded') this.stats.superseded += 1;
      if (outcome !== 'raced') return true;
    }
    // Nothing deletes items here: absent on update, then present on put, again and again.
    throw new Error(`${record.key}: absent then present ${APPLY_RACES_MAX} times in a row`);
  }

  /** undefined when the item is absent. */
  private async updateExisting(record: KvRecord): Promise<'applied' | 'superseded' | undefined> {
    try {
      await this.options.destination.send(
        new UpdateItemCommand({
          TableName: this.options.table,
          Key: { pk: { S: record.key } },
          UpdateExpression: 'SET #val = :val, #ts = :ts, #origin = :origin, #ver = #ver + :one',
          ConditionExpression: `attribute_exists(#pk) AND (${OLDER_STORED_THAN_INCOMING})`,
          ExpressionAttributeNames: KV_NAMES,
          ExpressionAttributeValues: {
            ':val': { S: record.valueJson },
            ':ts': { N: String(record.tsUs) },
            ':origin': { S: record.origin },
            ':one': { N: '1' },
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'applied';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item === undefined ? undefined : 'superseded';
    }
  }

  private async putAbsent(record: KvRecord): Promise<'applied' | 'raced'> {
    try {
      await this.options.destination.send(
        new PutItemCommand({
          TableName: this.options.table,
          Item: {
            pk: { S: record.key },
            val: { S: record.valueJson },
            ts: { N: String(record.tsUs) },
            origin: { S: record.origin },
            ver: { N: '1' },
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk' },
        }),
      );
      return 'applied';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return 'raced';
    }
  }
}

/**
 * A write the link or the store failed (retried at the next poll), as opposed to one the store
 * refused as malformed (a 4xx other than throttling): that is a bug and stops the replicator.
 */
function isStoreFault(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
    ?.httpStatusCode;
  if (status === undefined || status < 400 || status >= 500) return true;
  return /Throttl|LimitExceeded/.test((error as { name?: string }).name ?? '');
}
