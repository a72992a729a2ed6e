/**
 * Client process numbers (design.md): a process has at most one op in flight, and a process
 * whose op ended in `info` never invokes again. An op takes an idle process if there is one
 * (the most recently released, so numbers stay small and the choice is deterministic) or a
 * fresh number. The pool also enforces the cap on ops in flight: at the cap, `acquire` says no
 * and the caller counts the arrival as dropped — nothing is ever queued.
 *
 * Memory: one entry per idle process (at most opsInFlightMax of them).
 */
export type AttemptOutcome = 'ok' | 'fail' | 'info';

export class ProcessPool {
  private readonly idle: number[] = [];
  private readonly busy = new Set<number>();
  private processNext = 0;

  constructor(readonly opsInFlightMax: number) {
    if (!Number.isSafeInteger(opsInFlightMax) || opsInFlightMax < 1) {
      throw new Error(`opsInFlightMax must be a positive integer, got ${opsInFlightMax}`);
    }
  }

  get opsInFlight(): number {
    return this.busy.size;
  }

  /** How many process numbers have been handed out: the next fresh one. */
  get processesUsed(): number {
    return this.processNext;
  }

  /** A process for a new op, or null when opsInFlightMax ops are already in flight. */
  acquire(): number | null {
    if (this.busy.size >= this.opsInFlightMax) return null;
    const process = this.idle.pop() ?? this.processNext++;
    this.busy.add(process);
    return process;
  }

  /** The op of `process` completed: ok and fail free it for reuse, info retires it for good. */
  release(process: number, outcome: AttemptOutcome): void {
    if (!this.busy.delete(process)) throw new Error(`process ${process} has no op in flight`);
    if (outcome !== 'info') this.idle.push(process);
  }

  /** Every op in flight was left pending (the driver stopped): their processes are done. */
  abandonAll(): void {
    this.busy.clear();
  }
}
