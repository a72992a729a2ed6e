/**
 * Whether a history holds everything its run promised. A run says at its start which final reads
 * it will take (a `plan` setup line) and seals them once written (an `end` final line). A history
 * with the promise and without the seal was cut short — Ctrl-C, SIGKILL, a crash — and its end
 * state was never compared: whatever the checkers say of the rest, it must not pass. A run that a
 * signal stopped early but that still read its final state seals it with `interrupted`: what it
 * recorded is judged soundly, but the scenario did not run to its end, so it does not pass either.
 *
 * A history with no plan (imported from Jepsen, written by hand) promised nothing and is judged as
 * it always was. This is a property of the history, not of one checker: the check session always
 * runs it, whatever `--checker` names. docs/history-format.md.
 */
import {
  END_FINAL_F,
  type EndValue,
  type Op,
  PLAN_SETUP_F,
  type PlannedRead,
  type PlanValue,
} from '../history/op.ts';
import type { CheckResult } from './checker.ts';
import { formatTimeNs } from './format.ts';

/** Its name in results.json, beside the checkers'. */
export const COMPLETENESS = 'completeness';

/** The line that seals a final state: a parallel read sends it to main whole (segment-scan.ts). */
export function isEndLine(op: Op): boolean {
  return op.process === 'final' && op.f === END_FINAL_F;
}

function describeRead(read: PlannedRead): string {
  return read.region === undefined ? read.f : `${read.f} in ${read.region}`;
}

export class Completeness {
  private plan: PlanValue | null = null;
  private end: EndValue | null = null;
  private lastTimeNs = 0;

  onOp(op: Op): void {
    if (typeof op.process === 'number') return;
    if (op.process === 'setup' && op.f === PLAN_SETUP_F) this.plan = op.value as PlanValue;
    else if (isEndLine(op)) this.end = (op.value ?? {}) as EndValue;
  }

  /** The time of the history's last line, once it has been read. */
  onHistoryEnd(lastTimeNs: number): void {
    this.lastTimeNs = lastTimeNs;
  }

  /** The history promised a final state and ends before its seal. */
  cutShort(): boolean {
    return this.plan !== null && this.end === null;
  }

  /** Null when the history promised nothing: there is nothing to judge. */
  result(): CheckResult | null {
    const plan = this.plan;
    if (plan === null) return null;
    const promised = plan.final.map(describeRead);
    const stats = { finalReadsPromised: promised.length, sealed: this.end !== null };
    if (this.end === null) {
      return {
        valid: 'unknown',
        anomalies: [],
        stats: { ...stats, lastLineNs: this.lastTimeNs },
        error: `the history ends before its final state was read: the run was interrupted at ${formatTimeNs(this.lastTimeNs)} (its last line), before it sealed the final reads it promised (${promised.join(', ') || 'none'})`,
      };
    }
    const interrupted = this.end.interrupted;
    if (interrupted === undefined) return { valid: true, anomalies: [], stats };
    return {
      valid: 'unknown',
      anomalies: [],
      stats: { ...stats, interruptedBy: interrupted.signal, interruptedAtNs: interrupted.atNs },
      error: `the run was interrupted (${interrupted.signal}) at ${formatTimeNs(interrupted.atNs)}, before its load ran out; its final state was read, so any anomaly reported stands, but the rest of its scenario never ran`,
    };
  }
}
