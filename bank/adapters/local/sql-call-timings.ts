/**
 * Where a SQL adapter's transactions spend their time, summed over its calls: each transaction
 * waiting for its batch to start (pg-write-batch.ts; one count per transaction), and each batch
 * (one count per batch) waiting for a pooled connection, waiting in the writer's queue (pg-sql-cluster.ts), running the bank's
 * function (its reads and the flush of its writes), and COMMIT (which waits for the replicas'
 * apply). For the bench's breakdown and the local target's log of a slow heal; never part of a
 * result the checkers see.
 */
import { DurationHistogram, type DurationSummaryMs } from '../../../lib/duration-histogram.ts';

export const SQL_PHASES = ['wait', 'pool', 'queue', 'body', 'commit'] as const;
export type SqlPhase = (typeof SQL_PHASES)[number];

export interface SqlPhaseTotals {
  count: number;
  ms: number;
  msMax: number;
}

export class SqlCallTimings {
  private readonly totals = new Map<SqlPhase, SqlPhaseTotals>(
    SQL_PHASES.map((phase) => [phase, { count: 0, ms: 0, msMax: 0 }]),
  );
  private readonly windows = new Map<SqlPhase, DurationHistogram>(
    SQL_PHASES.map((phase) => [phase, new DurationHistogram()]),
  );
  conflicts = 0;

  record(phase: SqlPhase, ms: number): void {
    const totals = this.totals.get(phase)!;
    totals.count += 1;
    totals.ms += ms;
    totals.msMax = Math.max(totals.msMax, ms);
    this.windows.get(phase)!.recordMs(ms);
  }

  /** Each phase's durations since the last take (the bench's steps); the totals go on. */
  takeWindow(): Record<SqlPhase, DurationSummaryMs> {
    return Object.fromEntries(
      [...this.windows].map(([phase, window]) => [phase, window.takeSummaryMs()]),
    ) as Record<SqlPhase, DurationSummaryMs>;
  }

  snapshot(): Record<SqlPhase, SqlPhaseTotals> & { conflicts: number } {
    const copy = Object.fromEntries([...this.totals].map(([phase, t]) => [phase, { ...t }]));
    return { ...(copy as Record<SqlPhase, SqlPhaseTotals>), conflicts: this.conflicts };
  }
}
