/**
 * Runs several checkers over one read of a history. Every checker runs behind the same safety
 * wrapper (Jepsen's check-safe): an exception, or a time budget that runs out, turns its result
 * into "unknown" with the reason — a checker that crashes can neither crash the run nor claim the
 * history is valid, and adding a checker never touches the others.
 */

import { performance } from 'node:perf_hooks';
import type { ClientOp, Op } from '../history/op.ts';
import {
  type HistoryVisitor,
  type ReadOptions,
  readHistory,
  readHistoryText,
} from '../history/reader.ts';
import type { Checker, CheckerRun, CheckResult } from './checker.ts';
import { COMPLETENESS, Completeness } from './completeness.ts';
import { BudgetExceeded, Deadline } from './deadline.ts';
import { composeResults, type Results } from './verdict.ts';

export interface CheckOptions {
  checkers: readonly Checker[];
  /** Names from --checker: run exactly these. Undefined: every checker whose ops appear. */
  only?: readonly string[];
  timeoutS: number;
  anomaliesPerTypeMax?: number;
  /**
   * `ignored`: checkers are not shown the final lines (process "final"). For a history cut
   * inside its final state, whose partial ledger or saga log would make anomalies of its own.
   */
  finalLines?: 'judged' | 'ignored';
}

export const TIMEOUT_S_DEFAULT = 60;
export const ANOMALIES_PER_TYPE_MAX_DEFAULT = 100;
/** How often (in ops fed) a checker's deadline is polled while the history is read. */
const DEADLINE_POLL_OPS = 4096;

function unknownResult(error: string): CheckResult {
  return { valid: 'unknown', anomalies: [], stats: {}, error };
}

function describeFailure(
  checker: string,
  error: unknown,
  deadline: Deadline,
  opsFed: number,
): string {
  if (error instanceof BudgetExceeded) {
    return `${checker} ran out of its ${deadline.describe()} time budget (${error.message})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${checker} failed after ${opsFed} ops: ${message}`;
}

class SafeRun {
  private run: CheckerRun | null = null;
  private failure: string | null = null;
  private opsFed = 0;
  readonly deadline: Deadline;

  constructor(
    readonly checker: Checker,
    readonly explicit: boolean,
    timeoutS: number,
    anomaliesPerTypeMax: number,
  ) {
    this.deadline = new Deadline(timeoutS * 1000);
    this.guard(() => {
      this.run = checker.start({ deadline: this.deadline, explicit, anomaliesPerTypeMax });
    });
  }

  // The two hot paths catch inline rather than through `guard`: a closure per op per checker
  // costs more than the checkers' own work on a large history.
  onOp(op: Op): void {
    const run = this.run;
    if (run === null) return;
    this.opsFed += 1;
    if (this.opsFed % DEADLINE_POLL_OPS === 0 && this.deadline.expired()) {
      this.fail(new BudgetExceeded(`after reading ${this.opsFed} ops`));
      return;
    }
    try {
      run.onOp(op);
    } catch (error) {
      this.fail(error);
    }
  }

  onClientOp(clientOp: ClientOp): void {
    const run = this.run;
    if (run === null) return;
    try {
      run.onClientOp(clientOp);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Named with --checker, or applies so far: a parallel read hands it every line it reads. */
  isActive(): boolean {
    const run = this.run;
    if (this.explicit) return true;
    if (run === null) return false;
    try {
      return run.applies();
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  replayDigest(digest: unknown, beforeLine: number): void {
    const run = this.run;
    if (run === null) return;
    if (run.replayDigest === undefined) {
      this.fail(new Error(`${this.checker.name} was handed a digest it cannot read`));
      return;
    }
    try {
      run.replayDigest(digest, beforeLine);
    } catch (error) {
      this.fail(error);
    }
  }

  /** The result, or null when the checker did not apply and was not named. */
  finish(): CheckResult | null {
    const run = this.run;
    if (run === null) return unknownResult(this.failure ?? `${this.checker.name} did not start`);
    let applies = true;
    this.guard(() => {
      applies = run.applies();
    });
    if (!applies && !this.explicit) return null;
    let result: CheckResult | null = null;
    this.guard(() => {
      result = run.finish();
    });
    return result ?? unknownResult(this.failure ?? `${this.checker.name} returned no result`);
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.failure = describeFailure(this.checker.name, error, this.deadline, this.opsFed);
    this.run = null;
  }
}

function selectRuns(options: CheckOptions): SafeRun[] {
  const anomaliesMax = options.anomaliesPerTypeMax ?? ANOMALIES_PER_TYPE_MAX_DEFAULT;
  const byName = new Map(options.checkers.map((checker) => [checker.name, checker]));
  if (options.only === undefined) {
    return options.checkers.map((c) => new SafeRun(c, false, options.timeoutS, anomaliesMax));
  }
  return options.only.map((name) => {
    const checker = byName.get(name);
    if (checker === undefined) throw new Error(`unknown checker "${name}"`);
    return new SafeRun(checker, true, options.timeoutS, anomaliesMax);
  });
}

export class CheckSession implements HistoryVisitor {
  private readonly runs: SafeRun[];
  private readonly completeness = new Completeness();
  private readonly finalLinesIgnored: boolean;

  constructor(options: CheckOptions) {
    this.runs = selectRuns(options);
    this.finalLinesIgnored = options.finalLines === 'ignored';
  }

  onOp(op: Op): void {
    this.completeness.onOp(op);
    if (this.finalLinesIgnored && op.process === 'final') return;
    for (const run of this.runs) run.onOp(op);
  }

  onHistoryEnd(lastTimeNs: number): void {
    this.completeness.onHistoryEnd(lastTimeNs);
  }

  /** The checkers selected, for a parallel read. */
  selected(): { checker: Checker; explicit: boolean }[] {
    return this.runs.map((run) => ({ checker: run.checker, explicit: run.explicit }));
  }

  isActive(name: string): boolean {
    return this.runs.some((run) => run.checker.name === name && run.isActive());
  }

  /** Replays a segment's digest, made by `checker`'s parallel read, up to `beforeLine` (Infinity: all). */
  replayDigest(checker: Checker, digest: unknown, beforeLine: number): void {
    for (const run of this.runs) {
      if (run.checker === checker) run.replayDigest(digest, beforeLine);
    }
  }

  onClientOp(clientOp: ClientOp): void {
    for (const run of this.runs) run.onClientOp(clientOp);
  }

  /**
   * Composes the results. When no checker applied, the verdict is "unknown": a history with
   * nothing any checker judges proves nothing, and CI should not read it as a pass.
   */
  finish(): Results {
    const results: Record<string, CheckResult> = {};
    // The checkers judge one after another: each one's budget covers the read they shared and
    // its own judging, not the judging of those before it (a linearizable search that used its
    // whole budget left none to slo, which needs a few seconds).
    const judgingStartedMs = performance.now();
    for (const run of this.runs) {
      run.deadline.extendByMs(performance.now() - judgingStartedMs);
      const result = run.finish();
      if (result !== null) results[run.checker.name] = result;
    }
    const applied = Object.keys(results).length;
    const completeness = this.completeness.result();
    if (completeness !== null) results[COMPLETENESS] = completeness;
    const composed = composeResults(results);
    if (applied === 0) composed.valid = 'unknown';
    return composed;
  }

  /**
   * A history cut inside its final state (a partial ledger, a saga log without its last page)
   * can show anomalies that are only the cut: an acknowledged transfer whose entries were on the
   * page never written looks lost. When such a history shows any, it is read again with its final
   * lines hidden from the checkers, so what is reported stands on what the run did record.
   */
  mustRereadWithoutFinalLines(results: Results): boolean {
    return !this.finalLinesIgnored && results.valid === false && this.completeness.cutShort();
  }
}

/** The second read of a history cut short: its warnings were said by the first. */
function rereadOptions(options: CheckOptions, read: ReadOptions): [CheckOptions, ReadOptions] {
  const quiet: ReadOptions = { onWarning: () => {} };
  if (read.lineBytesMax !== undefined) quiet.lineBytesMax = read.lineBytesMax;
  return [{ ...options, finalLines: 'ignored' }, quiet];
}

export function checkHistoryFile(
  file: string,
  options: CheckOptions,
  read: ReadOptions = {},
): Results {
  const session = new CheckSession(options);
  readHistory(file, session, read);
  return rereadIfCutShort(session, session.finish(), file, options, read);
}

/**
 * After a read of `file` by other means (two cores): the serial reread of a history cut inside
 * its final state, or the results as they are.
 */
export function rereadIfCutShort(
  session: CheckSession,
  results: Results,
  file: string,
  options: CheckOptions,
  read: ReadOptions,
): Results {
  return session.mustRereadWithoutFinalLines(results)
    ? checkHistoryFile(file, ...rereadOptions(options, read))
    : results;
}

export function checkHistoryText(
  name: string,
  text: string,
  options: CheckOptions,
  read: ReadOptions = {},
): Results {
  const session = new CheckSession(options);
  readHistoryText(name, text, session, read);
  const results = session.finish();
  return session.mustRereadWithoutFinalLines(results)
    ? checkHistoryText(name, text, ...rereadOptions(options, read))
    : results;
}
