/**
 * The checker protocol, after Jepsen's: a checker reads a history and returns a result whose
 * only required verdict is `valid`; everything else is detail for people. To read a history
 * once for all checkers, a checker is a fold: `start` it, feed it every op, then `finish`.
 * Checkers are pure over the history: they never talk to a target and never mutate an op.
 */
import type { ClientOp, Op } from '../history/op.ts';
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
   * For a checker whose ParallelRead has a digest: replays the events of a segment's digest
   * (what its `LineDigest.readerFor` made) that lie before `beforeLine`, as if their lines had
   * been fed.
   */
  replayDigest?(digest: unknown, beforeLine: number): void;
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
   * Optional, declared in the checker's own folder: its part in a parallel read
   * (checkers/parallel/). A history is read on both cores only when every checker selected
   * declares one; a checker without it still works, on one core.
   */
  readonly parallelRead?: ParallelRead;
}

export interface ParallelRead {
  /**
   * Which lines after the prelude (every line before the first client op) the checker reads, or
   * `'every-line'` when it reads them all (then a second core cannot help: every line would
   * travel back as text). It must err towards `reads`, never the other way.
   */
  interest(prelude: readonly Op[], explicit: boolean): InterestOf | 'every-line';
  /** Optional: a compact digest of the lines only this checker reads, sent instead of their text. */
  digest?: LineDigest;
}

/**
 * A digest travels between threads as plain data: what the worker's writer makes of a segment's
 * lines, and what main's reader replays into the checker's run (CheckerRun.replayDigest).
 */
export interface LineDigest {
  /** Whether a line the checker reads can travel in the digest; if not, it travels as text. */
  digestible(op: Op): boolean;
  /** Worker side, once per read: makes the writer of each segment's digest. */
  writerFor(prelude: readonly Op[]): () => DigestWriter;
  /** Main side, once per read: turns a segment's digest data into what replayDigest takes. */
  readerFor(prelude: readonly Op[]): (data: unknown) => unknown;
  /** The buffers of a segment's digest data, moved rather than copied to main. */
  transfer(data: unknown): ArrayBuffer[];
}

/** Fed a segment's digestible lines in line order, as the serial reader would feed the checker. */
export interface DigestWriter {
  /** A line that is not a client op. */
  line(op: Op, line: number): void;
  /** A client invoke; returns a handle for `cancel`, or -1 when it recorded nothing. */
  invoke(op: Op, line: number): number;
  /** A client op completed within the segment (its invoke went to this digest too). */
  resolved(clientOp: ClientOp, line: number): void;
  /** Forgets an invoke still in flight at the segment's end: it travels as text instead. */
  cancel(handle: number): void;
  finish(): unknown;
}
