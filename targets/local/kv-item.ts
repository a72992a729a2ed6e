/**
 * How a key-value item of the bank lies in a DynamoDB table of the lab, shared by the bank's
 * adapter and the replicator: `pk` the key; `val` the value as JSON text; `ts` the last-writer-
 * wins timestamp (µs); `origin` the region whose write it is (the replicator forwards only its
 * source region's own writes, as global tables do, so nothing echoes back); `ver` a counter
 * bumped by every write in this replica, on which conditional writes are expressed.
 *
 * Order between versions is the simulator's (targets/sim/lww-version.ts): larger `ts` wins, a
 * tie goes to the larger `origin`. The condition expression below says the same to DynamoDB.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export interface KvRecord {
  key: string;
  /** JSON text. */
  valueJson: string;
  tsUs: number;
  origin: string;
  version: number;
}

export const KV_ATTR = { key: 'pk', value: 'val', ts: 'ts', origin: 'origin', version: 'ver' };

/**
 * Attribute names go through placeholders: some short words are reserved in DynamoDB's
 * expression language, and a name that is one today must not break the lab tomorrow.
 */
export const KV_NAMES = {
  '#pk': 'pk',
  '#val': 'val',
  '#ts': 'ts',
  '#origin': 'origin',
  '#ver': 'ver',
};

/** Holds when the stored item is older than (:ts, :origin) by last-writer-wins. */
export const OLDER_STORED_THAN_INCOMING = '#ts < :ts OR (#ts = :ts AND #origin < :origin)';

function text(item: Record<string, AttributeValue>, attr: string): string {
  const value = item[attr];
  if (value === undefined || !('S' in value) || value.S === undefined) {
    throw new Error(`kv item: attribute ${attr} is not a string: ${JSON.stringify(value)}`);
  }
  return value.S;
}

function integer(item: Record<string, AttributeValue>, attr: string): number {
  const value = item[attr];
  const n = value !== undefined && 'N' in value ? Number(value.N) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new Error(`kv item: attribute ${attr} is not an integer: ${JSON.stringify(value)}`);
  }
  return n;
}

/** Reads an item the bank or the replicator wrote; throws on anything else. */
export function kvRecordOf(item: Record<string, AttributeValue>): KvRecord {
  return {
    key: text(item, KV_ATTR.key),
    valueJson: text(item, KV_ATTR.value),
    tsUs: integer(item, KV_ATTR.ts),
    origin: text(item, KV_ATTR.origin),
    version: integer(item, KV_ATTR.version),
  };
}

/** Whether `incoming` beats `stored` under last-writer-wins. */
export function newerThan(
  incoming: { tsUs: number; origin: string },
  stored: { tsUs: number; origin: string } | undefined,
): boolean {
  if (stored === undefined) return true;
  if (incoming.tsUs !== stored.tsUs) return incoming.tsUs > stored.tsUs;
  return incoming.origin > stored.origin;
}
