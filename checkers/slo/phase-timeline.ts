/**
 * The phases of a run, built as its nemesis lines stream by, with the rule of faults/phases.ts:
 * `before` the first fault, `during` while any fault is active (overlapping or touching windows
 * merge into one), `after` once one has started and none is active. A failover is an instant: it
 * ends `before` and has no `during` of its own. Windows are half-open [start, end), in ns.
 *
 * An op is asked about when it resolves, after its invoke; since lines are in time order every
 * nemesis line up to the op's start has been read by then, so the answer is final.
 *
 * Memory: one closed window per merged fault window (at most FAULTS_MAX).
 */
import type { PhaseName } from './slo-budgets.ts';

interface Window {
  startNs: number;
  endNs: number;
}

export interface PhaseWindowNs {
  phase: PhaseName;
  startNs: number;
  endNs: number;
}

export class PhaseTimeline {
  private firstFaultNs: number | null = null;
  private readonly closed: Window[] = [];
  private openStartNs: number | null = null;
  private active = 0;

  onStart(timeNs: number): void {
    this.firstFaultNs ??= timeNs;
    if (this.active === 0) {
      const last = this.closed.at(-1);
      // Touching windows merge: reopen the last one rather than start a new one.
      if (last !== undefined && last.endNs === timeNs) {
        this.closed.pop();
        this.openStartNs = last.startNs;
      } else {
        this.openStartNs = timeNs;
      }
    }
    this.active += 1;
  }

  onStop(timeNs: number): void {
    if (this.active <= 0 || this.openStartNs === null) {
      throw new Error(`phase timeline: a stop at ${timeNs} ns with no fault active`);
    }
    this.active -= 1;
    if (this.active > 0) return;
    if (timeNs > this.openStartNs) this.closed.push({ startNs: this.openStartNs, endNs: timeNs });
    this.openStartNs = null;
  }

  onInstant(timeNs: number): void {
    this.firstFaultNs ??= timeNs;
  }

  phaseAt(timeNs: number): PhaseName {
    if (this.firstFaultNs === null || timeNs < this.firstFaultNs) return 'before';
    if (this.openStartNs !== null && timeNs >= this.openStartNs) return 'during';
    let low = 0;
    let high = this.closed.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.closed[middle]!.endNs <= timeNs) low = middle + 1;
      else high = middle;
    }
    const window = this.closed[low];
    return window !== undefined && window.startNs <= timeNs ? 'during' : 'after';
  }

  /** The windows covering [0, endNs), alternating, as faults/phases.ts gives them. */
  windows(endNs: number): PhaseWindowNs[] {
    const result: PhaseWindowNs[] = [];
    const push = (phase: PhaseName, startNs: number, windowEndNs: number): void => {
      if (windowEndNs > startNs) result.push({ phase, startNs, endNs: windowEndNs });
    };
    const during = [...this.closed];
    if (this.openStartNs !== null) during.push({ startNs: this.openStartNs, endNs });
    let cursorNs = 0;
    if (this.firstFaultNs !== null) {
      push('before', 0, this.firstFaultNs);
      cursorNs = this.firstFaultNs;
    }
    for (const window of during) {
      push('after', cursorNs, window.startNs);
      push('during', window.startNs, Math.min(window.endNs, endNs));
      cursorNs = window.endNs;
    }
    push(this.firstFaultNs === null ? 'before' : 'after', cursorNs, endNs);
    return result;
  }
}
