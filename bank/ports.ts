/**
 * The ports the bank is written against: a replicated key-value table (DynamoDB global table
 * seen from one region), a SQL cluster (Aurora global database seen from one region), and a
 * clock. The same bank code runs on the simulator's stores (targets/sim), on real engines
 * (targets/local: moto's DynamoDB API, PostgreSQL) and on AWS. Every call is async: it crosses a
 * network in every target.
 *
 * A port call that cannot complete throws StoreError; `definite` says whether the store surely did
 * not apply it (refused before doing anything) or might have (timed out after sending).
 */

import type { JsonValue } from '../history/json-value.ts';

export type { JsonValue };

export class StoreError extends Error {
  constructor(
    message: string,
    /** True when the store surely did not apply the call. */
    readonly definite: boolean,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface KvItem<V> {
  value: V;
  /** The item's replication (last-writer-wins) timestamp, microseconds. */
  tsUs: number;
}

export interface KvPutOptions<V> {
  /** Evaluated on this region's replica only, as DynamoDB does for global tables. */
  condition?: (current: V | undefined) => boolean;
  /**
   * The LWW timestamp to store. Normally absent: the store stamps writes with its own clock.
   * Only the planted bug 'skewed-clock-lww' passes the bank's (possibly skewed) region clock.
   */
  tsUs?: number;
}

export type KvWriteResult = { ok: true; tsUs: number } | { ok: false; reason: 'condition-failed' };

/** A DynamoDB global table as one region's bank instance sees it: its local replica. */
export interface KvTable<V extends JsonValue> {
  get(key: string): Promise<KvItem<V> | undefined>;
  put(key: string, value: V, options?: KvPutOptions<V>): Promise<KvWriteResult>;
}

/** A read-only view inside a SQL transaction. */
export interface SqlReadTx {
  get(table: string, key: string): Promise<JsonValue | undefined>;
  /** Rows in key order after `afterKey`, at most `limit` of them. */
  scan(
    table: string,
    options: { afterKey?: string; limit: number },
  ): Promise<[string, JsonValue][]>;
}

export interface SqlTx extends SqlReadTx {
  put(table: string, key: string, row: JsonValue): Promise<void>;
  delete(table: string, key: string): Promise<void>;
}

export interface SqlTransactionOptions {
  /**
   * Acknowledge only once every secondary region has applied the commit (Aurora managed RPO at
   * zero). The correct bank always waits; the planted bug 'async-commit-ack' does not.
   */
  waitForReplication: boolean;
  /**
   * Rows the function is expected to read, which an adapter may fetch with the transaction's
   * start instead of one round trip each (the lab's PostgreSQL does; the simulator ignores it). A
   * hint only: the function may read other rows, or fewer, and sees the same values either way.
   */
  reads?: readonly SqlRowRef[];
}

/** One row of the bank's SQL tables. */
export interface SqlRowRef {
  table: string;
  key: string;
}

/** The Aurora global database as one region's bank instance sees it. */
export interface SqlCluster {
  /**
   * Runs `fn` as one serializable transaction on the cluster's current writer, wherever it is
   * ("write global"). `fn` may run more than once (a serialization conflict retries it), so it
   * must have no effect outside the transaction. Throws StoreError when the writer cannot be
   * reached or refuses (read-only, fenced, killed).
   */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>, options: SqlTransactionOptions): Promise<T>;
  /** Reads on this region's node: the writer, or a secondary that may lag behind it. */
  readLocal<T>(fn: (tx: SqlReadTx) => Promise<T>): Promise<T>;
  /**
   * Whether this region's node accepts writes now (PostgreSQL: `NOT pg_is_in_recovery()`). The
   * projector and the saga recovery run only where it does, so that one of them works at a time.
   * An old writer left unfenced by a failover still says true: that is the planted bug.
   */
  localIsWriter(): Promise<boolean>;
}

/** The bank instance's view of time (the clock-skew fault moves it). */
export interface Clock {
  /** Microseconds on this region's clock. */
  nowUs(): number;
  sleep(delayMs: number): Promise<void>;
}

/** What the payment processor answered to a capture. */
export type CaptureResult = 'captured' | 'declined';

/**
 * The external payment processor a checkout saga captures at (a card network or PSP). Both
 * calls are idempotent per saga id. A void is sticky: a capture that arrives after the void of
 * its id is declined, and a void after a capture refunds it, so a saga that voids has surely
 * left nothing captured. A call that times out throws StoreError(definite: false): the capture
 * may or may not have happened.
 */
export interface PaymentProcessor {
  capture(sagaId: string, amount: number): Promise<CaptureResult>;
  void(sagaId: string): Promise<void>;
}
