/**
 * How the PostgreSQL adapter reads a failure: a serialization conflict (run the transaction
 * again), a bug in our own SQL (surface it as it is), a read-only node, or the store failing us
 * (connection or server gone: a StoreError whose definiteness depends on when it happened).
 */
import pg from 'pg';
import type { WallTime } from '../../../targets/local/wall-time.ts';

/**
 * Times a transaction runs before serialization conflicts make it give up. The writer's queue
 * (WRITER_QUEUE_LOCK) runs the bank's transactions one batch at a time, so conflicts are rare;
 * a read-only transaction on a replica may still meet recovery conflicts.
 */
export const CONFLICT_RETRIES_MAX = 32;
/** A retry waits a random 0..min(attempt * step, max) ms, so that the losers spread out. */
const CONFLICT_BACKOFF_STEP_MS = 2;
const CONFLICT_BACKOFF_MS_MAX = 50;

const SERIALIZATION_CODES = new Set(['40001', '40P01']);
const READ_ONLY_CODE = '25006';

export function sqlState(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}

export function isDatabaseError(error: unknown): boolean {
  return error instanceof pg.DatabaseError;
}

export function isConflict(error: unknown): boolean {
  return SERIALIZATION_CODES.has(sqlState(error) ?? '');
}

export function isReadOnlyRefusal(error: unknown): boolean {
  return sqlState(error) === READ_ONLY_CODE;
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A server-side error that is no fault of the store: a bug in our SQL. */
export function isOurBug(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && /^(42|22|23)/.test(code);
}

/**
 * Errors the pg driver raises when the connection or the server fails (as opposed to a bug in
 * the bank's transaction function, which must surface as it is).
 */
export function isStoreFailure(error: Error): boolean {
  return (
    error instanceof pg.DatabaseError ||
    /Connection terminated|Query read timeout|timeout exceeded|ECONNRESET|ECONNREFUSED|EPIPE|not queryable|Client has encountered a connection error/i.test(
      error.message,
    ) ||
    (error as NodeJS.ErrnoException).code !== undefined
  );
}

/**
 * The driver refused the query without sending it: the connection had already failed (pg's
 * client checks this before it queues a query), so the server never saw it.
 */
export function wasNeverSent(error: unknown): boolean {
  return error instanceof Error && /is not queryable/.test(error.message);
}

export function conflictBackoff(time: WallTime, attempt: number): Promise<void> {
  const boundMs = Math.min((attempt + 1) * CONFLICT_BACKOFF_STEP_MS, CONFLICT_BACKOFF_MS_MAX);
  return time.sleepMs(time.random() * boundMs);
}
