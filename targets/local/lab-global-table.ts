/**
 * One DynamoDB global table of the lab: a table in every region's moto, a replicator per ordered
 * region pair (each reading its source's stream directly and writing through the lab's
 * `replication-A-to-B` link), and the faults on replication: lag, pause/resume. Quiescence is
 * bounded: a table whose replicators do not all go idle in time is reported by name.
 */
import type { DynamoDbCallCounts } from './dynamodb-call-counts.ts';
import { dynamoDbClient, dynamoDbStreamsClient } from './dynamodb-client.ts';
import { ensureKvTable } from './dynamodb-tables.ts';
import type { LabState } from './lab.ts';
import { linkPort, replicationLink } from './lab-links.ts';
import { type PollIntervals, Replicator } from './replicator.ts';
import { sleepMs } from './wait-until.ts';

export interface LabGlobalTableOptions {
  table: string;
  requestTimeoutMs: number;
  poll: PollIntervals;
  recordsMax: number;
  /** Where the replicators' calls are counted (the bench's calls per transfer). */
  calls?: DynamoDbCallCounts;
}

export class LabGlobalTable {
  private readonly replicators = new Map<string, Replicator>();

  private constructor(readonly table: string) {}

  /** Creates the table in every region and starts its replicators. */
  static async start(state: LabState, options: LabGlobalTableOptions): Promise<LabGlobalTable> {
    const global = new LabGlobalTable(options.table);
    const { requestTimeoutMs } = options;
    const calls =
      options.calls === undefined
        ? undefined
        : { counts: options.calls, caller: 'replicator' as const };
    const arns = new Map<string, string>();
    for (const region of state.regions) {
      const endpoint = state.moto[region]!.url;
      const client = dynamoDbClient({ endpoint, region, requestTimeoutMs });
      arns.set(region, await ensureKvTable(client, options.table));
      client.destroy();
    }
    for (const from of state.regions) {
      for (const to of state.regions) {
        if (from === to) continue;
        const link = state.links[replicationLink(from, to)];
        if (link === undefined) throw new Error(`the lab has no link ${replicationLink(from, to)}`);
        const replicator = new Replicator({
          from,
          to,
          table: options.table,
          streams: dynamoDbStreamsClient({
            endpoint: state.moto[from]!.url,
            region: from,
            requestTimeoutMs,
            calls,
          }),
          streamArn: arns.get(from)!,
          destination: dynamoDbClient({
            endpoint: `http://127.0.0.1:${linkPort(link)}`,
            region: to,
            requestTimeoutMs,
            calls,
          }),
          poll: options.poll,
          recordsMax: options.recordsMax,
        });
        await replicator.start();
        global.replicators.set(`${from}->${to}`, replicator);
      }
    }
    return global;
  }

  replicator(from: string, to: string): Replicator {
    const replicator = this.replicators.get(`${from}->${to}`);
    if (replicator === undefined) throw new Error(`${this.table}: no replication ${from} -> ${to}`);
    return replicator;
  }

  setReplicaLagMs(from: string, to: string, lagMs: number): void {
    this.replicator(from, to).setLagMs(lagMs);
  }

  pauseReplication(from: string, to: string): void {
    this.replicator(from, to).pause();
  }

  resumeReplication(from: string, to: string): void {
    this.replicator(from, to).resume();
  }

  /** A write was just made to `region`'s table: its replicators poll now (replicator.ts). */
  written(region: string): void {
    for (const replicator of this.replicators.values()) {
      if (replicator.from === region) replicator.nudge();
    }
  }

  /**
   * Waits until every replicator has polled its stream empty with nothing pending (heal every
   * fault first: a paused replicator never quiesces). Throws naming the table otherwise, and at
   * once when a replicator stopped on a record it cannot apply.
   */
  async waitQuiesced(timeoutMs: number): Promise<void> {
    const marks = new Map([...this.replicators].map(([key, r]) => [key, r.idleMark()]));
    // Backed off, a replicator would take its longest waits to poll idle twice.
    for (const replicator of this.replicators.values()) replicator.nudge();
    const deadlineMs = Date.now() + timeoutMs;
    for (;;) {
      const failure = [...this.replicators.values()].find((r) => r.failure !== undefined)?.failure;
      if (failure !== undefined) throw new Error(`table ${this.table}: ${failure.message}`);
      const busy = [...this.replicators].filter(([key, r]) => !r.idleSince(marks.get(key)!));
      if (busy.length === 0) return;
      if (Date.now() >= deadlineMs) {
        const detail = busy
          .map(([key, r]) => {
            const { writeErrors, readErrors, lastError } = r.stats;
            const errors =
              writeErrors + readErrors === 0
                ? ''
                : `, ${writeErrors} write and ${readErrors} read errors, last ${lastError}`;
            return `${key} backlog ${r.backlog}${r.isPaused ? ' (paused)' : ''}${errors}`;
          })
          .join(', ');
        throw new Error(`table ${this.table} did not converge within ${timeoutMs} ms: ${detail}`);
      }
      await sleepMs(20);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.replicators.values()].map((r) => r.stop()));
  }
}
