/**
 * Runs several checkers over one read of a history. Every checker runs behind the same safety
 * wrapper (Jepsen's check-safe): an exception, or a time budget that runs out, turns its result
 * into "unknown" with the reason — a checker that crashes can neither crash the run nor claim the
 * history is valid, and adding a checker never touches the others.
 */

import type { ClientOp, Op } from '../history/op.ts';
import {
  type HistoryVisitor,
  type ReadOptions,
  readHistory,
  readHistoryText,
} from '../history/reader.ts';
import type { Checker, CheckerRun, CheckResult } from './checker.ts';
import { BudgetExceeded, Deadline } from './deadline.ts';
import { composeResults, type Results } from './verdict.ts';

export interface CheckOptions {
  checkers: readonly Checker[];
  /** Names from --checker: run exactly these. Undefined: every checker whose ops appear. */
  only?: readonly string[];
  timeoutS: number;
  anomaliesPerTypeMax?: number;
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

  constructor(options: CheckOptions) {
    this.runs = selectRuns(options);
  }

  onOp(op: Op): void {
    for (const run of this.runs) run.onOp(op);
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
    for (const run of this.runs) {
      const result = run.finish();
      if (result !== null) results[run.checker.name] = result;
    }
    const composed = composeResults(results);
    if (Object.keys(results).length === 0) composed.valid = 'unknown';
    return composed;
  }
}

export function checkHistoryFile(
  file: string,
  options: CheckOptions,
  read: ReadOptions = {},
): Results {
  const session = new CheckSession(options);
  readHistory(file, session, read);
  return session.finish();
}

export function checkHistoryText(
  name: string,
  text: string,
  options: CheckOptions,
  read: ReadOptions = {},
): Results {
  const session = new CheckSession(options);
  readHistoryText(name, text, session, read);
  return session.finish();
}
