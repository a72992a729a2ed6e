/**
 * The windows the slo checker judges a steady-state hypothesis in: `before` the first fault,
 * `during` faults, and `after` them. Overlapping or touching faults merge into one `during`
 * window; the quiet time between two faults is `after` (the system should have recovered from
 * the first), and a run with no fault is one `before` window. A failover is instantaneous: it
 * ends `before` and starts `after` with no `during` window of its own.
 *
 * Example, a 60 s run with isolate 10s-20s, partition 15s-25s and failover at 40s:
 * before [0, 10s), during [10s, 25s), after [25s, 60s). Adjacent windows of one phase are one
 * window, so the result alternates and covers [0, runMs) exactly.
 */
import type { NemesisAction } from './nemesis-action.ts';

export type PhaseName = 'before' | 'during' | 'after';
export const PHASE_NAMES: readonly PhaseName[] = ['before', 'during', 'after'];

/** A half-open window [startMs, endMs) of the run. */
export interface PhaseWindow {
  phase: PhaseName;
  startMs: number;
  endMs: number;
}

interface Interval {
  startMs: number;
  endMs: number;
}

export function phasesOf(schedule: readonly NemesisAction[], runMs: number): PhaseWindow[] {
  if (!Number.isInteger(runMs) || runMs <= 0) {
    throw new Error(`phasesOf: runMs must be a positive integer, got ${runMs}`);
  }
  const windows: PhaseWindow[] = [];
  let cursorMs = 0;
  let faultSeen = false;
  const push = (phase: PhaseName, startMs: number, endMs: number): void => {
    if (endMs <= startMs) return;
    const last = windows.at(-1);
    if (last !== undefined && last.phase === phase && last.endMs === startMs) last.endMs = endMs;
    else windows.push({ phase, startMs, endMs });
  };
  for (const interval of mergedIntervals(schedule, runMs)) {
    push(faultSeen ? 'after' : 'before', cursorMs, interval.startMs);
    push('during', interval.startMs, interval.endMs);
    cursorMs = interval.endMs;
    faultSeen = true;
  }
  push(faultSeen ? 'after' : 'before', cursorMs, runMs);
  return windows;
}

/** Each fault's [first action, last action], merged where they overlap or touch. */
function mergedIntervals(schedule: readonly NemesisAction[], runMs: number): Interval[] {
  const byFault = new Map<number, Interval>();
  for (const action of schedule) {
    if (action.atMs < 0 || action.atMs > runMs) {
      throw new Error(
        `phasesOf: ${action.f} at ${action.atMs} ms is outside the run (${runMs} ms)`,
      );
    }
    const interval = byFault.get(action.faultIndex);
    if (interval === undefined) {
      byFault.set(action.faultIndex, { startMs: action.atMs, endMs: action.atMs });
    } else {
      interval.startMs = Math.min(interval.startMs, action.atMs);
      interval.endMs = Math.max(interval.endMs, action.atMs);
    }
  }
  const sorted = [...byFault.values()].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && interval.startMs <= last.endMs) {
      last.endMs = Math.max(last.endMs, interval.endMs);
    } else {
      merged.push({ ...interval });
    }
  }
  return merged;
}
