/**
 * The checker protocol, after Jepsen's: a checker reads a history and returns a result whose
 * only required verdict is `valid`; everything else is detail for people. To read a history
 * once for all checkers, a checker is a fold: `start` it, feed it every op, then `finish`.
 * Checkers are pure over the history: they never talk to a target and never mutate an op.
 */
import type { ClientOp, Op } from '../history/op.ts';
import type { BalanceDigestReader } from './balance/balance-digest.ts';
import type { Deadline } from './deadline.ts';

/** Three-valued, composed worst-first: false > "unknown" > true. */
export type Validity = true | false | 'unknown';

export interface Anomaly {
  /** One of the anomaly names of design.md (docs/anomalies.md). */
  type: string;
  /** One sentence a person can act on. */
  message: string;
  /** History indices of the ops involved. */
  ops: number[];
  [detail: string]: unknown;
}

export interface CheckResult {
  valid: Validity;
  anomalies: Anomaly[];
  stats: Record<string, unknown>;
  /** Why the verdict is "unknown" when it is: a budget ran out, or the checker failed. */
  error?: string;
}

export interface CheckContext {
  /** The checker's time budget; long loops poll it and give up with "unknown". */
  deadline: Deadline;
  /** True when the user named this checker with --checker (not picked by default). */
  explicit: boolean;
  /** Cap on anomalies kept per type; the rest are counted in stats.anomalyCounts. */
  anomaliesPerTypeMax: number;
}

export interface CheckerRun {
  /** Every line of the history, in file order. */
  onOp(op: Op): void;
  /** A client op once resolved: after its completion line, or after the last line if pending. */
  onClientOp(clientOp: ClientOp): void;
  /** Whether the history held any op this checker judges (decides default selection). */
  applies(): boolean;
  /** The verdict, once every op has been seen. */
  finish(): CheckResult;
  /**
   * Optional, for a parallel read (checkers/parallel): replays the events of a segment's digest
   * that lie before `beforeLine`, as if their lines had been fed. Only balance has a digest.
   */
  replayDigest?(digest: BalanceDigestReader, beforeLine: number): void;
}

/**
 * How a checker treats one line, for a parallel read that hands each checker only what it
 * reads: `reads` — it may change the checker's state; `context` — the checker reads it only to
 * judge other ops, so when nothing else made the checker apply, skipping it changes nothing;
 * `ignores` — it never changes the checker's state. A client op counts by its invoke.
 */
export type LineInterest = 'reads' | 'context' | 'ignores';
export type InterestOf = (op: Op) => LineInterest;

export interface Checker {
  readonly name: string;
  /** One line for `--help` and the docs. */
  readonly description: string;
  start(context: CheckContext): CheckerRun;
  /**
   * Optional: which lines after the prelude (every line before the first client op) this
   * checker reads. A history is read on both cores only when every checker selected says so;
   * it must err towards `reads`, never the other way.
   */
  interest?(prelude: readonly Op[], explicit: boolean): InterestOf | 'every-line';
}
