/**
 * The faults of a history, from its nemesis lines: a window runs from a start line to the stop
 * line with the same fault and value (`start-X`/`stop-X`, `kill-cluster`/`restart-cluster`,
 * `crash-bank`/`restart-bank`); a `failover` is an instant. A fault never stopped runs to the end
 * of the history. Other nemesis names are counted and ignored.
 *
 * Memory: one Fault per fault line pair (at most FAULTS_MAX), plus the open ones by pairing key.
 */
import type { Op } from '../../history/op.ts';
import { valueKey } from '../../history/value-key.ts';

/** Fault windows in one history; more is bad input rather than a schedule. */
export const FAULTS_MAX = 10_000;

export interface Fault {
  f: string;
  value: unknown;
  startNs: number;
  startIndex: number;
  /** Infinity until its stop line is read (and for ever when there is none). */
  endNs: number;
  stopIndex: number | null;
  instant: boolean;
}

export type NemesisEvent =
  | { kind: 'start'; fault: Fault }
  | { kind: 'stop'; fault: Fault }
  | { kind: 'instant'; fault: Fault }
  | { kind: 'unpaired-stop'; op: Op }
  | { kind: 'ignored'; op: Op };

/** The family a start or stop belongs to, so that a stop finds its start. */
function edgeOf(f: string): { edge: 'start' | 'stop'; family: string } | null {
  if (f.startsWith('start-')) return { edge: 'start', family: f.slice('start-'.length) };
  if (f.startsWith('stop-')) return { edge: 'stop', family: f.slice('stop-'.length) };
  if (f === 'kill-cluster') return { edge: 'start', family: 'cluster-down' };
  if (f === 'restart-cluster') return { edge: 'stop', family: 'cluster-down' };
  if (f === 'crash-bank') return { edge: 'start', family: 'bank-down' };
  if (f === 'restart-bank') return { edge: 'stop', family: 'bank-down' };
  return null;
}

export class FaultBook {
  readonly faults: Fault[] = [];
  readonly failovers: Fault[] = [];
  /** Open faults by family and value; a stack each, in case a target nests them. */
  private readonly open = new Map<string, Fault[]>();

  onNemesis(op: Op): NemesisEvent {
    if (op.f === 'failover') {
      const fault = this.add(op, true);
      this.failovers.push(fault);
      return { kind: 'instant', fault };
    }
    const edge = edgeOf(op.f);
    if (edge === null) return { kind: 'ignored', op };
    const key = `${edge.family}\u0000${valueKey(op.value)}`;
    if (edge.edge === 'start') {
      const fault = this.add(op, false);
      const stack = this.open.get(key);
      if (stack === undefined) this.open.set(key, [fault]);
      else stack.push(fault);
      return { kind: 'start', fault };
    }
    const fault = this.open.get(key)?.pop();
    if (fault === undefined) return { kind: 'unpaired-stop', op };
    fault.endNs = op.time;
    fault.stopIndex = op.index;
    return { kind: 'stop', fault };
  }

  /** The first failover at or after `timeNs`, or null. Failovers are in time order. */
  failoverAtOrAfter(timeNs: number): Fault | null {
    let low = 0;
    let high = this.failovers.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.failovers[middle]!.startNs < timeNs) low = middle + 1;
      else high = middle;
    }
    return this.failovers[low] ?? null;
  }

  private add(op: Op, instant: boolean): Fault {
    if (this.faults.length >= FAULTS_MAX) {
      throw new Error(`more than ${FAULTS_MAX} faults (index ${op.index}): not a fault schedule`);
    }
    const fault: Fault = {
      f: op.f,
      value: op.value,
      startNs: op.time,
      startIndex: op.index,
      endNs: instant ? op.time : Number.POSITIVE_INFINITY,
      stopIndex: instant ? op.index : null,
      instant,
    };
    this.faults.push(fault);
    return fault;
  }
}

/** "start-isolate {"region":"ap-northeast-1"} at 20.000 s" style name for messages. */
export function faultName(fault: Fault): string {
  return fault.value === undefined ? fault.f : `${fault.f} ${JSON.stringify(fault.value)}`;
}
