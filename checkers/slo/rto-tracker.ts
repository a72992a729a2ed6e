/**
 * Recovery time per region (or per client home) and fault. A fault is judged for a region that
 * was serving when it started: the last op the region's clients saw complete before the fault's
 * line was a success (ok, or a business rejection). Then:
 *   - the first failure is the first op (in completion order) that failed to be served and was
 *     invoked before the fault ended (for a failover, an op in flight at it);
 *   - recovery is the first ok op invoked at or after that failure completed;
 *   - RTO = recovery's completion - the fault's start; 0 when no failure hit the region.
 * Ops still pending at the end were never seen by a client and take no part.
 *
 * Example: isolate at 20 s; a transfer invoked at 20.1 s times out at 21.1 s (first failure);
 * a read invoked at 21.0 s (before the failure completed) comes back ok at 21.2 s: not yet a
 * recovery; a transfer invoked at 41.0 s is ok at 41.3 s: RTO 21.3 s.
 *
 * Memory: per key, the last outcome, the ops in flight (invoke index -> time, to know when no op
 * invoked during a fault can still fail) and the open watches; one Watch per (fault, key).
 * A watch closes at recovery, or when its fault has ended and no op invoked before the end is in
 * flight, so each op costs O(watches open for its key): the faults active around it.
 */
import type { ClientOp, Op } from '../../history/op.ts';
import type { Fault } from './fault-book.ts';
import type { Outcome } from './op-outcome.ts';

export interface WatchPoint {
  op: ClientOp;
  timeNs: number;
}

export interface Watch {
  key: string;
  fault: Fault;
  failure: WatchPoint | null;
  recovery: WatchPoint | null;
}

/** Keys (regions or homes) tracked; more is bad input. */
const KEYS_MAX = 1_000;

interface KeyState {
  lastSuccess: boolean | null;
  /** Invoke index -> invoke time of the key's ops in flight, oldest first (Map keeps order). */
  inFlight: Map<number, number>;
  open: Watch[];
}

export class RtoTracker {
  readonly watches: Watch[] = [];
  /** Faults a key was not serving at (no op seen yet, or the last one failed). */
  readonly notServing: { key: string; fault: Fault }[] = [];
  private readonly keys = new Map<string, KeyState>();

  onInvoke(key: string, invoke: Op): void {
    this.state(key).inFlight.set(invoke.index, invoke.time);
  }

  onFaultStart(fault: Fault): void {
    for (const [key, state] of this.keys) {
      if (state.lastSuccess === true) {
        const watch: Watch = { key, fault, failure: null, recovery: null };
        this.watches.push(watch);
        state.open.push(watch);
      } else {
        this.notServing.push({ key, fault });
      }
    }
  }

  onResolved(key: string, clientOp: ClientOp, outcome: Outcome): void {
    const state = this.state(key);
    state.inFlight.delete(clientOp.invoke.index);
    const completion = clientOp.completion;
    if (completion === null) return;
    const invokeNs = clientOp.invoke.time;
    for (const watch of state.open) {
      if (watch.failure === null) {
        if (outcome === 'unavailable' && invokeNs <= watch.fault.endNs) {
          watch.failure = { op: clientOp, timeNs: completion.time };
        }
      } else if (outcome === 'ok' && invokeNs >= watch.failure.timeNs) {
        watch.recovery = { op: clientOp, timeNs: completion.time };
      }
    }
    state.lastSuccess = outcome !== 'unavailable';
    state.open = state.open.filter((watch) => !this.closed(watch, state));
  }

  private closed(watch: Watch, state: KeyState): boolean {
    if (watch.recovery !== null) return true;
    if (watch.failure !== null) return false;
    const oldest = state.inFlight.values().next();
    const oldestNs = oldest.done === true ? Number.POSITIVE_INFINITY : oldest.value;
    return oldestNs > watch.fault.endNs;
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (state === undefined) {
      if (this.keys.size >= KEYS_MAX) throw new Error(`more than ${KEYS_MAX} regions or homes`);
      state = { lastSuccess: null, inFlight: new Map(), open: [] };
      this.keys.set(key, state);
    }
    return state;
  }
}

/** The RTO of a watch in ns: 0 without failure, null while unrecovered. */
export function rtoNsOf(watch: Watch): number | null {
  if (watch.failure === null) return 0;
  if (watch.recovery === null) return null;
  return watch.recovery.timeNs - watch.fault.startNs;
}
