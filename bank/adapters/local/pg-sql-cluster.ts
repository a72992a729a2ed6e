/**
 * The SqlCluster port over PostgreSQL nodes (the lab's Aurora stand-in), as one region's bank
 * sees them: a connection pool per node, each through the lab's `sql-R-to-N` link. Transactions
 * run SERIALIZABLE on the writer it knows, as a driver keeps its connection: a definite refusal
 * (read-only node, connection refused) makes it ask the global writer endpoint again and retry
 * once there; an unfenced old writer never refuses, so a bank that knew it keeps writing there
 * (the planted bug 'failover-without-fencing' needs nothing more).
 *
 * Waiting for replication is PostgreSQL's own: `synchronous_commit = remote_apply` for the
 * transaction, with `synchronous_standby_names = '*'` on the writer while it has a replica
 * (targets/local/lab.ts, lab-aurora.ts); a commit that must not wait says `local`. (Polling pg_stat_replication instead is slow: a replica
 * reports its replay position only every wal_receiver_status_interval unless a remote_apply
 * commit asks it to report at once.)
 *
 * Outcomes: anything that fails before COMMIT is sent did nothing (PostgreSQL aborts a
 * transaction whose connection is lost); a failure during COMMIT, or a commit that does not reach
 * the replicas within the timeout, is unknown (StoreError definite: false). The timeout is the
 * driver's own and closes the connection: a server-side cancel of a commit waiting for its
 * replica would report success with a warning, which must never read as durable.
 */
import pg from 'pg';
import type { WallTime } from '../../../targets/local/wall-time.ts';
import {
  type SqlCluster,
  type SqlReadTx,
  type SqlTransactionOptions,
  type SqlTx,
  StoreError,
} from '../../ports.ts';
import { PgTx } from './pg-tx.ts';
import { SqlCallTimings, type SqlPhase } from './sql-call-timings.ts';

/**
 * Times a transaction function runs before serialization conflicts make it give up. Every bank
 * transaction takes the sequence row, so N concurrent ones need about N rounds: each round one
 * commits and the others fail at their first touch of that row.
 */
const CONFLICT_RETRIES_MAX = 32;
/** A retry waits a random 0..min(attempt * step, max) ms, so that the losers spread out. */
const CONFLICT_BACKOFF_STEP_MS = 2;
const CONFLICT_BACKOFF_MS_MAX = 50;
/**
 * The writer's queue: a session-level advisory lock every transaction of the bank takes before
 * its snapshot and lets go after COMMIT. Every bank transaction takes the ledger's sequence row,
 * so two of them never commit side by side anyway; without the queue, SERIALIZABLE ran them
 * side by side and aborted all but one at the sequence row (measured on the lab at 50
 * transfers/s: 93% of attempts aborted, 4 commits/s). Queued, each runs once. A key of our own:
 * nothing else on these nodes takes advisory locks.
 */
export const WRITER_QUEUE_LOCK = 7_094_628_341;
/** Writers one call tries: the one it knew, then the one it finds. */
const WRITER_HOPS_MAX = 2;

const SERIALIZATION_CODES = new Set(['40001', '40P01']);
const READ_ONLY_CODE = '25006';

export interface PgSqlClusterOptions {
  region: string;
  /** Port of this region's link to each node (the `sql-R-to-N` proxies), by node region. */
  nodePorts: Record<string, number>;
  /** The global writer endpoint: the node that is the writer now. */
  writerRegion: () => string;
  /**
   * Bound on connecting and on every query, COMMIT included: a commit that waits for replication
   * and does not get it in time is an unknown outcome.
   */
  timeoutMs: number;
  poolMax: number;
  /**
   * How long a write transaction may wait for a connection and its turn in the writer's queue
   * before it gives up, definitely (it did nothing). Give it the clients' timeout: past it the
   * client has stopped waiting, and a backlog it left would keep the bank busy long after the
   * load (the local target's heal once waited 14-31 s for such requests).
   */
  queueWaitMsMax: number;
  /** The wall clock, timers and randomness (WALL_TIME): bank/ may not reach them itself. */
  time: WallTime;
}

function sqlState(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A server-side error that is no fault of the store: a bug in our SQL. */
function isOurBug(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && /^(42|22|23)/.test(code);
}

/** Clients that already carry the listener of `connect`: a pooled client is checked out often. */
const CHECKED_OUT_LISTENED = new WeakSet<pg.PoolClient>();

export class PgSqlCluster implements SqlCluster {
  private readonly pools = new Map<string, pg.Pool>();
  private writerKnown: string;
  /** Where this region's write transactions spent their time (sql-call-timings.ts). */
  readonly timings = new SqlCallTimings();

  constructor(private readonly options: PgSqlClusterOptions) {
    for (const [node, port] of Object.entries(options.nodePorts)) {
      const pool = new pg.Pool({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        database: 'postgres',
        max: options.poolMax,
        connectionTimeoutMillis: options.timeoutMs,
        query_timeout: options.timeoutMs,
        idleTimeoutMillis: 10_000,
      });
      // An idle connection that a fault cuts must not crash the process; the next user reconnects.
      pool.on('error', () => {});
      this.pools.set(node, pool);
    }
    if (!this.pools.has(options.region)) throw new Error(`no SQL node in ${options.region}`);
    if (!(Number.isSafeInteger(options.queueWaitMsMax) && options.queueWaitMsMax >= 1)) {
      throw new Error(`queueWaitMsMax must be a whole number of ms >= 1`);
    }
    this.writerKnown = options.writerRegion();
  }

  async transaction<T>(fn: (tx: SqlTx) => Promise<T>, options: SqlTransactionOptions): Promise<T> {
    for (let hop = 0; hop < WRITER_HOPS_MAX; hop += 1) {
      const writer = this.writerKnown;
      try {
        return await this.runAt(writer, fn, options);
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        this.writerKnown = this.options.writerRegion();
        if (!error.definite || this.writerKnown === writer) throw error;
      }
    }
    throw new StoreError('the SQL writer moved twice during one call', true);
  }

  async readLocal<T>(fn: (tx: SqlReadTx) => Promise<T>): Promise<T> {
    const region = this.options.region;
    const client = await this.connect(region);
    let broken = false;
    try {
      for (let attempt = 0; attempt < CONFLICT_RETRIES_MAX; attempt += 1) {
        try {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          const value = await fn(new PgTx(client, false));
          await client.query('COMMIT');
          return value;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
          if (SERIALIZATION_CODES.has(sqlState(error) ?? '')) {
            await this.backoff(attempt);
            continue;
          }
          if (error instanceof StoreError || !(error instanceof Error) || isOurBug(error)) {
            throw error;
          }
          if (!(error instanceof pg.DatabaseError)) broken = true;
          // A read has no effect: whatever broke it, nothing happened.
          throw new StoreError(`sql read at ${region}: ${describe(error)}`, true);
        }
      }
      throw new StoreError(`sql read at ${region}: ${CONFLICT_RETRIES_MAX} conflicts`, true);
    } finally {
      client.release(broken);
    }
  }

  async localIsWriter(): Promise<boolean> {
    const region = this.options.region;
    const client = await this.connect(region);
    let broken = false;
    try {
      const result = await client.query<{ writer: boolean }>(
        'SELECT NOT pg_is_in_recovery() AS writer',
      );
      return result.rows[0]!.writer;
    } catch (error) {
      broken = true;
      throw new StoreError(`sql role at ${region}: ${describe(error)}`, true);
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
  }

  private async connect(node: string): Promise<pg.PoolClient> {
    const pool = this.pools.get(node);
    if (pool === undefined) throw new Error(`no SQL node in ${node}`);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new StoreError(`sql connect to ${node}: ${describe(error)}`, true);
    }
    // pg-pool listens for a client's 'error' only while it is idle. Seen once in a
    // `--target local` run with a region isolated: "Connection terminated unexpectedly" emitted
    // on a checked-out client with no listener crashed the harness. Its query fails anyway, and
    // that failure is classified; the event itself must not be fatal. (The adapter's test of a
    // cut connection did not reproduce the crash without this listener.)
    if (!CHECKED_OUT_LISTENED.has(client)) {
      CHECKED_OUT_LISTENED.add(client);
      client.on('error', () => {});
    }
    return client;
  }

  private async runAt<T>(
    writer: string,
    fn: (tx: SqlTx) => Promise<T>,
    options: SqlTransactionOptions,
  ): Promise<T> {
    const clock = this.options.time;
    const startedMs = clock.nowMs();
    let phaseStartMs = startedMs;
    const phaseEnds = (phase: SqlPhase) => {
      const nowMs = clock.nowMs();
      this.timings.record(phase, nowMs - phaseStartMs);
      phaseStartMs = nowMs;
    };
    const client = await this.connect(writer);
    phaseEnds('pool');
    let broken = false;
    let queued = false;
    const syncCommit = options.waitForReplication ? 'remote_apply' : 'local';
    try {
      for (let attempt = 0; attempt < CONFLICT_RETRIES_MAX; attempt += 1) {
        let committing = false;
        try {
          // One round trip: the writer's queue (WRITER_QUEUE_LOCK, taken once, before the
          // snapshot, so that the snapshot sees the previous transaction's commit), the
          // transaction, and its commit mode. The primary lists its replicas in
          // synchronous_standby_names (lab-aurora.ts); remote_apply makes COMMIT return once they have
          // applied it, and has them report at once.
          // (A statement before BEGIN in one query string opens an implicit transaction, which
          // would refuse the isolation level: the COMMIT ends it; the session's lock stays.)
          const queue = queued ? '' : this.queueStatements(startedMs);
          await client.query(
            `${queue}BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL synchronous_commit = ${syncCommit}`,
          );
          queued = true;
          phaseEnds('queue');
          const tx = new PgTx(client, true);
          const value = await fn(tx);
          await tx.flush();
          phaseEnds('body');
          committing = true;
          await client.query(`COMMIT; SELECT pg_advisory_unlock(${WRITER_QUEUE_LOCK})`);
          queued = false;
          phaseEnds('commit');
          return value;
        } catch (error) {
          if (error instanceof StoreError) throw error;
          if (!committing) {
            await client.query('ROLLBACK').catch(() => {
              broken = true;
            });
          }
          // A serialization failure, at COMMIT too, aborted the transaction: run it again.
          if (SERIALIZATION_CODES.has(sqlState(error) ?? '')) {
            this.timings.conflicts += 1;
            await this.backoff(attempt);
            phaseStartMs = clock.nowMs();
            continue;
          }
          if (!(error instanceof Error) || isOurBug(error)) throw error;
          if (!(error instanceof pg.DatabaseError)) broken = true;
          if (!(error instanceof pg.DatabaseError) && !isStoreFailure(error)) throw error;
          const readOnly = sqlState(error) === READ_ONLY_CODE;
          throw new StoreError(
            `sql transaction at ${writer}: ${describe(error)}`,
            readOnly || !committing,
          );
        }
      }
      throw new StoreError(`sql transaction at ${writer}: ${CONFLICT_RETRIES_MAX} conflicts`, true);
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
   * The statements that take the writer's queue, waiting at most what is left of
   * queueWaitMsMax (lock_timeout, for this implicit transaction only); none left: a definite
   * refusal before anything is sent.
   */
  private queueStatements(startedMs: number): string {
    const leftMs = Math.floor(
      this.options.queueWaitMsMax - (this.options.time.nowMs() - startedMs),
    );
    if (leftMs < 1) {
      throw new StoreError(
        `sql transaction: no connection within ${this.options.queueWaitMsMax} ms`,
        true,
      );
    }
    return `SET LOCAL lock_timeout = ${leftMs}; SELECT pg_advisory_lock(${WRITER_QUEUE_LOCK}); COMMIT; `;
  }

  private backoff(attempt: number): Promise<void> {
    const boundMs = Math.min((attempt + 1) * CONFLICT_BACKOFF_STEP_MS, CONFLICT_BACKOFF_MS_MAX);
    return this.options.time.sleepMs(this.options.time.random() * boundMs);
  }
}

/**
 * Errors the pg driver raises when the connection or the server fails (as opposed to a bug in
 * the bank's transaction function, which must surface as it is).
 */
function isStoreFailure(error: Error): boolean {
  return (
    /Connection terminated|Query read timeout|timeout exceeded|ECONNRESET|ECONNREFUSED|EPIPE|not queryable|Client has encountered a connection error/i.test(
      error.message,
    ) || (error as NodeJS.ErrnoException).code !== undefined
  );
}
