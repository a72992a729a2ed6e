/**
 * The writer's batches (group commit): the bank's write transactions that one region sends to
 * one writer node wait here while that region's previous batch runs, then run together as one
 * SERIALIZABLE PostgreSQL transaction, one after the other, and commit together.
 *
 * Why: every bank transaction takes the ledger's sequence row, so the writer runs them one at a
 * time whatever happens (the writer's queue, WRITER_QUEUE_LOCK), and each paid its round trips
 * through the lab's links and COMMIT's wait for the replica in that serial section. Measured on
 * the lab at 150 transfers/s: the section took ~8 ms per transfer (p50), more than the 6.7 ms a
 * transfer may take at that rate, and the waits for it held the p99 at 0.7-2 s. A batch pays the
 * queue, the start with its rows read in advance, and COMMIT with every write once for all its
 * members.
 *
 * What a member sees is what it would see run alone after the members before it: they run in
 * turn on one transaction, each reading the writes of those before (pg-tx.ts's member layers).
 * What a member's caller is told:
 * - the batch committed: its result (COMMIT waited for the replicas if the batch's mode says so);
 * - COMMIT failed or timed out: unknown (StoreError definite: false), as for every member;
 * - anything failed before COMMIT was sent: a definite StoreError (nothing of the batch happened),
 *   or, after a serialization conflict, the whole batch runs again (a transaction function may run
 *   more than once);
 * - its own function threw: that error, and the others run without it (again from the start, if
 *   its writes had already been sent or its query aborted the transaction).
 */
import type pg from 'pg';
import type { WallTime } from '../../../targets/local/wall-time.ts';
import { type SqlRowRef, type SqlTx, StoreError } from '../../ports.ts';
import {
  CONFLICT_RETRIES_MAX,
  conflictBackoff,
  describe,
  isConflict,
  isDatabaseError,
  isOurBug,
  isReadOnlyRefusal,
  isStoreFailure,
  wasNeverSent,
} from './pg-errors.ts';
import { ROWS_TABLE } from './pg-schema.ts';
import { PgTx } from './pg-tx.ts';
import type { SqlCallTimings, SqlPhase } from './sql-call-timings.ts';

/**
 * The writer's queue: a session-level advisory lock every batch takes before its snapshot and
 * lets go after COMMIT. Every bank transaction takes the ledger's sequence row, so two of them
 * never commit side by side anyway; without the queue, SERIALIZABLE ran them side by side and
 * aborted all but one at the sequence row (measured on the lab at 50 transfers/s: 93% of attempts
 * aborted, 4 commits/s). Queued, each runs once. A key of our own: nothing else on these nodes
 * takes advisory locks.
 */
export const WRITER_QUEUE_LOCK = 7_094_628_341;
/**
 * Members one batch takes: the bank's HTTP service answers at most 64 requests at a time per
 * region (run/targets/local/region-services.ts), and the projector and saga recovery add a few.
 */
export const BATCH_MEMBERS_MAX = 64;
/** Members that may wait for a batch: beyond, a definite refusal (the writer is overloaded). */
export const MEMBERS_WAITING_MAX = 1_024;
/** Rows one member may name to be read in advance (a transfer names four). */
export const READS_PER_MEMBER_MAX = 16;

export type CommitMode = 'remote_apply' | 'local';

export interface WriteBatcherOptions {
  /** The writer node's region, for messages. */
  node: string;
  /** `synchronous_commit` of this batcher's transactions: remote_apply waits for the replicas. */
  commitMode: CommitMode;
  /** A connection to the node; throws a definite StoreError when there is none. */
  connect: () => Promise<pg.PoolClient>;
  /** How long a member may wait for its batch to hold the writer's queue before it gives up. */
  queueWaitMsMax: number;
  time: WallTime;
  timings: SqlCallTimings;
}

interface Member {
  fn: (tx: SqlTx) => Promise<unknown>;
  reads: readonly SqlRowRef[];
  submittedMs: number;
  settled: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A member's function failed the batch: its query aborted the transaction or its writes were sent. */
class MemberFailure {
  constructor(
    readonly member: Member,
    readonly cause: unknown,
    /** The server aborted the transaction (not only the function's own throw). */
    readonly byServer: boolean,
  ) {}
}

export class WriteBatcher {
  private readonly waiting: Member[] = [];
  private running = false;

  constructor(private readonly options: WriteBatcherOptions) {
    if (!(Number.isSafeInteger(options.queueWaitMsMax) && options.queueWaitMsMax >= 1)) {
      throw new Error(`queueWaitMsMax must be a whole number of ms >= 1`);
    }
  }

  submit<T>(fn: (tx: SqlTx) => Promise<T>, reads: readonly SqlRowRef[]): Promise<T> {
    if (reads.length > READS_PER_MEMBER_MAX) {
      throw new Error(`a transaction may name at most ${READS_PER_MEMBER_MAX} rows to read`);
    }
    if (this.waiting.length >= MEMBERS_WAITING_MAX) {
      return Promise.reject(
        new StoreError(
          `sql transaction at ${this.options.node}: ${MEMBERS_WAITING_MAX} transactions already wait`,
          true,
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        fn,
        reads,
        submittedMs: this.options.time.nowMs(),
        settled: false,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!this.running) {
        this.running = true;
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      // The requests that arrived in the same turn as the first go in its batch.
      await this.options.time.nextTurn();
      while (this.waiting.length > 0) {
        const members = this.waiting.splice(0, BATCH_MEMBERS_MAX);
        try {
          await this.runBatch(members);
        } catch (error) {
          // A bug of ours in the batch itself: every member hears of it.
          for (const member of members) settle(member, 'reject', error);
        }
        const unsettled = members.filter((member) => !member.settled).length;
        if (unsettled > 0) throw new Error(`a batch left ${unsettled} members unanswered`);
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(members: Member[]): Promise<void> {
    const { time, timings, node } = this.options;
    let phaseStartMs = time.nowMs();
    for (const member of members) timings.record('wait', phaseStartMs - member.submittedMs);
    const phaseEnds = (phase: SqlPhase) => {
      const nowMs = time.nowMs();
      timings.record(phase, nowMs - phaseStartMs);
      phaseStartMs = nowMs;
    };
    let client: pg.PoolClient;
    try {
      client = await this.options.connect();
    } catch (error) {
      for (const member of members) settle(member, 'reject', error);
      return;
    }
    phaseEnds('pool');
    let live = members;
    let queued = false;
    let broken = false;
    let conflicts = 0;
    try {
      // Bounded: each round either commits, settles every member, removes a member, or counts a
      // conflict (at most CONFLICT_RETRIES_MAX).
      for (;;) {
        live = live.filter((member) => !member.settled);
        if (live.length === 0) return;
        let committing = false;
        try {
          const queue = queued ? '' : this.queueStatements(live);
          const reads = distinctReads(live);
          const started = await client.query(
            `${queue}BEGIN ISOLATION LEVEL SERIALIZABLE; ` +
              `SET LOCAL synchronous_commit = ${this.options.commitMode}; ` +
              prefetchStatement(client, reads),
          );
          queued = true;
          phaseEnds('queue');
          live = this.withoutExpired(live);
          const tx = new PgTx(client, true);
          knowPrefetched(tx, reads, started);
          const done: [Member, unknown][] = [];
          for (const member of live) {
            const value = await runMember(tx, member);
            if (value !== DROPPED) done.push([member, value]);
          }
          const writes = tx.takeWriteStatements();
          phaseEnds('body');
          // The writes and COMMIT in one round trip: a failure in it is unknown (below) unless
          // PostgreSQL says it refused: a conflict or a read-only node stop the query before
          // COMMIT runs.
          committing = true;
          await client.query(`${writes}COMMIT; SELECT pg_advisory_unlock(${WRITER_QUEUE_LOCK})`);
          queued = false;
          phaseEnds('commit');
          for (const [member, value] of done) settle(member, 'resolve', value);
          return;
        } catch (caught) {
          const culprit = caught instanceof MemberFailure ? caught : undefined;
          const error = culprit === undefined ? caught : culprit.cause;
          // A refusal in the last round trip may have stopped it before COMMIT ran, leaving the
          // transaction open (a ROLLBACK after a COMMIT that ran only warns).
          if (!committing || isDatabaseError(error)) {
            await client.query('ROLLBACK').catch(() => {
              broken = true;
            });
          }
          // The function's own error, or our SQL's bug in its query: it alone hears of it.
          if (culprit !== undefined && (!culprit.byServer || isOurBug(error))) {
            settle(culprit.member, 'reject', error);
            live = live.filter((member) => member !== culprit.member);
            continue;
          }
          if (isConflict(error)) {
            conflicts += 1;
            this.options.timings.conflicts += 1;
            if (conflicts >= CONFLICT_RETRIES_MAX) {
              const refusal = new StoreError(
                `sql transaction at ${node}: ${CONFLICT_RETRIES_MAX} conflicts`,
                true,
              );
              for (const member of live) settle(member, 'reject', refusal);
              return;
            }
            await conflictBackoff(time, conflicts);
            phaseStartMs = time.nowMs();
            continue;
          }
          if (!(error instanceof Error) || error instanceof StoreError || isOurBug(error)) {
            for (const member of live) settle(member, 'reject', error);
            return;
          }
          // Neither the store nor PostgreSQL: a bug of ours, surfaced as it is.
          if (!isStoreFailure(error)) {
            broken = true;
            for (const member of live) settle(member, 'reject', error);
            return;
          }
          if (!isDatabaseError(error)) broken = true;
          const refusal = new StoreError(
            `sql transaction at ${node}: ${describe(error)}`,
            isReadOnlyRefusal(error) || wasNeverSent(error) || !committing,
          );
          for (const member of live) settle(member, 'reject', refusal);
          return;
        }
      }
    } finally {
      // A connection that is destroyed ends its session, and the server lets its lock go then.
      if (queued && !broken) {
        await client.query(`SELECT pg_advisory_unlock(${WRITER_QUEUE_LOCK})`).catch(() => {
          broken = true;
        });
      }
      client.release(broken);
    }
  }

  /**
   * The statements that take the writer's queue, waiting at most what the most patient member
   * has left of queueWaitMsMax (lock_timeout, for this implicit transaction only); none left: a
   * definite refusal before anything is sent.
   */
  private queueStatements(live: readonly Member[]): string {
    const nowMs = this.options.time.nowMs();
    const leftMs = Math.floor(
      Math.max(...live.map((m) => this.options.queueWaitMsMax - (nowMs - m.submittedMs))),
    );
    if (leftMs < 1) {
      throw new StoreError(
        `sql transaction at ${this.options.node}: no turn within ${this.options.queueWaitMsMax} ms`,
        true,
      );
    }
    return `SET LOCAL lock_timeout = ${leftMs}; SELECT pg_advisory_lock(${WRITER_QUEUE_LOCK}); COMMIT; `;
  }

  /** Members whose wait ran out while the batch waited for its turn: refused, nothing was sent. */
  private withoutExpired(live: Member[]): Member[] {
    const { queueWaitMsMax, node } = this.options;
    const nowMs = this.options.time.nowMs();
    return live.filter((member) => {
      if (nowMs - member.submittedMs <= queueWaitMsMax) return true;
      settle(
        member,
        'reject',
        new StoreError(`sql transaction at ${node}: no turn within ${queueWaitMsMax} ms`, true),
      );
      return false;
    });
  }
}

const DROPPED = Symbol('dropped');

/**
 * Runs one member's function in its layer. Its own throw drops its writes and answers it at
 * once, unless its writes were sent (a scan flushed them) or the server aborted the transaction:
 * then the batch has to start over (MemberFailure).
 */
async function runMember(tx: PgTx, member: Member): Promise<unknown> {
  tx.startMember();
  let value: unknown;
  try {
    value = await member.fn(tx);
  } catch (error) {
    if (tx.serverFailure !== undefined) throw new MemberFailure(member, tx.serverFailure, true);
    if (tx.memberFlushed) throw new MemberFailure(member, error, false);
    tx.dropMember();
    settle(member, 'reject', error);
    return DROPPED;
  }
  // A function that caught a failed query and went on: the transaction is aborted all the same.
  if (tx.serverFailure !== undefined) throw new MemberFailure(member, tx.serverFailure, true);
  tx.keepMember();
  return value;
}

function settle(member: Member, how: 'resolve' | 'reject', value: unknown): void {
  if (member.settled) return;
  member.settled = true;
  if (how === 'resolve') member.resolve(value);
  else member.reject(value);
}

function distinctReads(members: readonly Member[]): SqlRowRef[] {
  const byId = new Map<string, SqlRowRef>();
  for (const member of members) {
    for (const read of member.reads) byId.set(`${read.table}\u0000${read.key}`, read);
  }
  return [...byId.values()];
}

/** The rows named in advance, read in the transaction's first round trip (its snapshot). */
function prefetchStatement(client: pg.ClientBase, reads: readonly SqlRowRef[]): string {
  if (reads.length === 0)
    return 'SELECT NULL::text AS tbl, NULL::text AS k, NULL::text AS v WHERE false';
  const pairs = reads
    .map((read) => `(${client.escapeLiteral(read.table)}, ${client.escapeLiteral(read.key)})`)
    .join(', ');
  return `SELECT tbl, k, v::text AS v FROM ${ROWS_TABLE} WHERE (tbl, k) IN (VALUES ${pairs})`;
}

type PrefetchRow = { tbl: string; k: string; v: string };

/** The prefetch's rows into the transaction, and the rows it did not find as absent. */
function knowPrefetched(tx: PgTx, reads: readonly SqlRowRef[], started: unknown): void {
  const results = started as pg.QueryResult<PrefetchRow>[];
  if (!Array.isArray(results) || results.length === 0) {
    throw new Error('the batch start answered no result for its prefetch');
  }
  const found = new Map<string, string>();
  for (const row of results[results.length - 1]!.rows) found.set(`${row.tbl}\u0000${row.k}`, row.v);
  for (const read of reads)
    tx.know(read.table, read.key, found.get(`${read.table}\u0000${read.key}`));
}
