/**
 * Calls to the lab's DynamoDB API (moto), counted by who made them and which command: moto's CPU
 * goes per request, so calls per transfer is the cost the bench compares, and unlike a rate it
 * does not move with the machine's other load. Counted as each request is sent (the clients make
 * one attempt per call: dynamodb-client.ts).
 */

/** Who sends the calls: the bank's adapter, a replicator, the bench's probes. */
export type DynamoDbCaller = 'bank' | 'replicator' | 'probe';

/** Distinct caller and command pairs: a handful of each; more is a bug in whoever counts. */
const KEYS_MAX = 256;

export class DynamoDbCallCounts {
  private readonly counts = new Map<string, number>();

  add(caller: DynamoDbCaller, command: string): void {
    const key = `${caller} ${command}`;
    const count = this.counts.get(key);
    if (count === undefined && this.counts.size >= KEYS_MAX) {
      throw new Error(`over ${KEYS_MAX} kinds of DynamoDB call counted (at ${key})`);
    }
    this.counts.set(key, (count ?? 0) + 1);
  }

  /** Calls so far by `caller command`. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** The calls made between two snapshots, by `caller command`, busiest first. */
export function callsBetween(
  before: Record<string, number>,
  after: Record<string, number>,
): [string, number][] {
  return Object.entries(after)
    .map(([key, n]): [string, number] => [key, n - (before[key] ?? 0)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}
