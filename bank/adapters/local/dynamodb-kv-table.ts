/**
 * The KvTable port over a real DynamoDB API (moto in the lab), one region's replica of a global
 * table. A put reads the item, evaluates the bank's condition on it, stamps the last-writer-wins
 * timestamp with the region's store clock (raised past the stored one, as the simulator does), and
 * writes conditionally on the item's version attribute being what it read: a write that raced in
 * between (a local one, or the replicator's) fails that condition and the put starts over, at
 * most CONDITION_RACES_MAX times. So the bank's condition is evaluated on the replica as it is
 * when the write lands, as DynamoDB's condition expressions are.
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

export interface DynamoDbKvTableOptions {
  client: DynamoDBClient;
  table: string;
  region: string;
  /** The region's store clock, µs (LabClocks.nowUs). */
  nowUs: () => number;
}

export class DynamoDbKvTable<V extends JsonValue> implements KvTable<V> {
  constructor(private readonly options: DynamoDbKvTableOptions) {}

  async get(key: string): Promise<KvItem<V> | undefined> {
    const record = await this.read(key);
    return record === undefined ? undefined : { value: parseValue<V>(record), tsUs: record.tsUs };
  }

  async put(key: string, value: V, options: KvPutOptions<V> = {}): Promise<KvWriteResult> {
    const { region } = this.options;
    for (let race = 0; race < CONDITION_RACES_MAX; race += 1) {
      const current = await this.read(key);
      const currentValue = current === undefined ? undefined : parseValue<V>(current);
      if (options.condition !== undefined && !options.condition(currentValue)) {
        return { ok: false, reason: 'condition-failed' };
      }
      const tsUs = this.stampUs(current, options.tsUs);
      // A caller's timestamp older than the stored version loses at once, as in the simulator.
      if (!newerThan({ tsUs, origin: region }, current)) return { ok: true, tsUs };
      if (await this.write(key, value, tsUs, current)) return { ok: true, tsUs };
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
      return answer.Item === undefined ? undefined : kvRecordOf(answer.Item);
    } catch (error) {
      throw storeErrorOfAws(`${table} get ${key}`, error);
    }
  }

  /** False when the item changed since `current` was read. */
  private async write(
    key: string,
    value: V,
    tsUs: number,
    current: KvRecord | undefined,
  ): Promise<boolean> {
    const { client, table, region } = this.options;
    const version = (current?.version ?? 0) + 1;
    try {
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            pk: { S: key },
            val: { S: JSON.stringify(value) },
            ts: { N: String(tsUs) },
            origin: { S: region },
            ver: { N: String(version) },
          },
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
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw storeErrorOfAws(`${table} put ${key}`, error);
    }
  }
}

function parseValue<V>(record: KvRecord): V {
  return JSON.parse(record.valueJson) as V;
}
