/**
 * The KvTable port over a real DynamoDB API (moto in the lab), one region's replica of a global
 * table. A put reads the item, evaluates the bank's condition on it, stamps the last-writer-wins
 * timestamp with the region's store clock (raised past the stored one, as the simulator does), and
 * writes conditionally on the item's version attribute being what it read: a write that raced in
 * between (a local one, or the replicator's) fails that condition and the put starts over, at
 * most CONDITION_RACES_MAX times. So the bank's condition is evaluated on the replica as it is
 * when the write lands, as DynamoDB's condition expressions are.
 *
 * One call per put where it can (issue 11: moto's CPU goes per request): the adapter remembers
 * the last version of each item it read or wrote, and a put starts from that instead of a
 * GetItem. That is safe because `ver` rises with every write of an item in a replica (the bank's
 * and the replicator's alike; nothing deletes), so a write conditional on `ver = :seen` lands only
 * on exactly the item the condition was evaluated on; a write whose remembered version is stale
 * fails that condition and gets the stored item back with the failure
 * (ReturnValuesOnConditionCheckFailure), and starts over from it. A condition that fails on a
 * remembered item is checked against a fresh read before the put is refused.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type KvRecord, kvRecordOf, newerThan } from '../../../targets/local/kv-item.ts';
import {
  type JsonValue,
  type KvItem,
  type KvPutOptions,
  type KvTable,
  type KvWriteResult,
  StoreError,
} from '../../ports.ts';
import { storeErrorOfAws } from './store-call.ts';

/** Writes that may race one put before it gives up (definite: it wrote nothing). */
const CONDITION_RACES_MAX = 8;
/** Items whose last version is remembered; beyond, the least recently used is forgotten. */
const KNOWN_ITEMS_MAX = 100_000;

export interface DynamoDbKvTableOptions {
  client: DynamoDBClient;
  table: string;
  region: string;
  /** The region's store clock, µs (LabClocks.nowUs). */
  nowUs: () => number;
  /** Called after each write this adapter made (the lab's replicators poll at once). */
  onWritten?: () => void;
}

/** What a put starts from: the stored item as read, or as remembered (maybe stale). */
interface Seen {
  record: KvRecord | undefined;
  remembered: boolean;
}

export class DynamoDbKvTable<V extends JsonValue> implements KvTable<V> {
  /** The newest version of each item this adapter read or wrote, least recently used first. */
  private readonly known = new Map<string, KvRecord>();

  constructor(private readonly options: DynamoDbKvTableOptions) {}

  async get(key: string): Promise<KvItem<V> | undefined> {
    const record = await this.read(key);
    return record === undefined ? undefined : { value: parseValue<V>(record), tsUs: record.tsUs };
  }

  async put(key: string, value: V, options: KvPutOptions<V> = {}): Promise<KvWriteResult> {
    const { region } = this.options;
    const remembered = this.known.get(key);
    let seen: Seen =
      remembered === undefined
        ? { record: await this.read(key), remembered: false }
        : { record: remembered, remembered: true };
    // A stale remembered item costs one attempt more than the races allowed.
    for (let attempt = 0; attempt <= CONDITION_RACES_MAX; attempt += 1) {
      const current = seen.record;
      if (options.condition !== undefined && !options.condition(storedValue<V>(current))) {
        if (!seen.remembered) return { ok: false, reason: 'condition-failed' };
        const fresh = await this.read(key);
        // Unchanged since remembered: the condition was evaluated on the stored item.
        if (fresh?.version === current?.version) return { ok: false, reason: 'condition-failed' };
        seen = { record: fresh, remembered: false };
        continue;
      }
      const tsUs = this.stampUs(current, options.tsUs);
      // A caller's timestamp older than the stored version loses at once, as in the simulator.
      // (Versions only rise: older than a remembered one is older than the stored one too.)
      if (!newerThan({ tsUs, origin: region }, current)) return { ok: true, tsUs };
      const stored = await this.write(key, value, tsUs, current);
      if (stored === 'written') return { ok: true, tsUs };
      seen = { record: stored.record, remembered: false };
    }
    throw new StoreError(
      `${this.options.table} put ${key}: ${CONDITION_RACES_MAX} concurrent writes raced it`,
      true,
    );
  }

  private stampUs(current: KvRecord | undefined, callerTsUs: number | undefined): number {
    if (callerTsUs !== undefined) {
      if (!Number.isSafeInteger(callerTsUs)) throw new Error(`tsUs must be an integer`);
      return callerTsUs;
    }
    const nowUs = this.options.nowUs();
    const { region } = this.options;
    if (current === undefined || newerThan({ tsUs: nowUs, origin: region }, current)) return nowUs;
    return current.tsUs + 1;
  }

  private async read(key: string): Promise<KvRecord | undefined> {
    const { client, table } = this.options;
    try {
      const answer = await client.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: key } }, ConsistentRead: true }),
      );
      if (answer.Item === undefined) return undefined;
      return this.remember(kvRecordOf(answer.Item));
    } catch (error) {
      throw storeErrorOfAws(`${table} get ${key}`, error);
    }
  }

  /** Keeps the newest version seen (answers to concurrent calls may arrive out of order). */
  private remember(record: KvRecord): KvRecord {
    const known = this.known.get(record.key);
    if (known !== undefined && known.version > record.version) return record;
    this.known.delete(record.key);
    if (this.known.size >= KNOWN_ITEMS_MAX) {
      this.known.delete(this.known.keys().next().value!);
    }
    this.known.set(record.key, record);
    return record;
  }

  /** 'written', or the item as stored when it changed since `current` (undefined: absent). */
  private async write(
    key: string,
    value: V,
    tsUs: number,
    current: KvRecord | undefined,
  ): Promise<'written' | { record: KvRecord | undefined }> {
    const { client, table, region } = this.options;
    const written: KvRecord = {
      key,
      valueJson: JSON.stringify(value),
      tsUs,
      origin: region,
      version: (current?.version ?? 0) + 1,
    };
    try {
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            pk: { S: key },
            val: { S: written.valueJson },
            ts: { N: String(tsUs) },
            origin: { S: region },
            ver: { N: String(written.version) },
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ...(current === undefined
            ? {
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': 'pk' },
              }
            : {
                ConditionExpression: '#ver = :ver',
                ExpressionAttributeNames: { '#ver': 'ver' },
                ExpressionAttributeValues: { ':ver': { N: String(current.version) } },
              }),
        }),
      );
      this.remember(written);
      this.options.onWritten?.();
      return 'written';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw storeErrorOfAws(`${table} put ${key}`, error);
      }
      if (error.Item === undefined) {
        // Absent (moto returns no item then): what was remembered is gone, start from nothing.
        this.known.delete(key);
        return { record: undefined };
      }
      return { record: this.remember(kvRecordOf(error.Item)) };
    }
  }
}

function parseValue<V>(record: KvRecord): V {
  return JSON.parse(record.valueJson) as V;
}

function storedValue<V>(record: KvRecord | undefined): V | undefined {
  return record === undefined ? undefined : parseValue<V>(record);
}
