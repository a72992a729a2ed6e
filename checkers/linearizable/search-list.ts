/**
 * The entry list of the WGL search, as in Porcupine: one call entry per op and one return entry
 * per op that must linearize, in time order, doubly linked in typed arrays so that linearizing an
 * op (lift) and undoing it (unlift) are O(1) with no allocation.
 *
 * Same-nanosecond rule: a call and a return at the same time are concurrent (the call sorts
 * first). A history's clock cannot order two events it stamped alike, and calling them ordered
 * would report a violation the run may not have had. Example: write 1 by process 1 is ok at
 * 100 ns and process 2 invokes a read at 100 ns that returns the initial null: the read may have
 * reached the store first, so the pair is linearizable (read, then write). Invoked at 101 ns,
 * the read must follow the write, and returning null is a violation.
 *
 * Memory: per op, 2 entries of 4 Int32 words.
 */

export interface TimedOp {
  readonly startNs: number;
  /** Infinity for an optional op: it may linearize at any point after its call, or never. */
  readonly endNs: number;
}

export const NIL = -1;
export const HEAD = 0;

export class SearchList {
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** For a call entry: its op's position. For a return entry: -1 - op position. */
  readonly opOf: Int32Array;
  /** For a call entry: its return entry, or NIL for an optional op. */
  readonly matchOf: Int32Array;

  constructor(ops: readonly TimedOp[]) {
    const events: number[] = [];
    for (let i = 0; i < ops.length; i += 1) {
      events.push(i);
      if (Number.isFinite((ops[i] as TimedOp).endNs)) events.push(-1 - i);
    }
    const timeOf = (event: number): number =>
      event >= 0 ? (ops[event] as TimedOp).startNs : (ops[-1 - event] as TimedOp).endNs;
    events.sort((a, b) => {
      const dt = timeOf(a) - timeOf(b);
      if (dt !== 0) return dt;
      if (a >= 0 !== b >= 0) return a >= 0 ? -1 : 1;
      return a >= 0 ? a - b : b - a;
    });
    const size = events.length + 1;
    this.next = new Int32Array(size);
    this.prev = new Int32Array(size);
    this.opOf = new Int32Array(size);
    this.matchOf = new Int32Array(size).fill(NIL);
    const callEntry = new Int32Array(ops.length).fill(NIL);
    this.opOf[HEAD] = NIL;
    for (let e = 0; e < size; e += 1) {
      this.next[e] = e + 1 < size ? e + 1 : NIL;
      this.prev[e] = e - 1;
    }
    for (let k = 0; k < events.length; k += 1) {
      const entry = k + 1;
      const event = events[k] as number;
      this.opOf[entry] = event;
      if (event >= 0) {
        callEntry[event] = entry;
        continue;
      }
      const call = callEntry[-1 - event] as number;
      if (call === NIL) throw new Error(`op ${-1 - event} returns before it is called`);
      this.matchOf[call] = entry;
    }
  }

  isCall(entry: number): boolean {
    return (this.opOf[entry] as number) >= 0;
  }

  /** Takes a call entry (and its return) out of the list. */
  lift(entry: number): void {
    this.unlink(entry);
    const match = this.matchOf[entry] as number;
    if (match !== NIL) this.unlink(match);
  }

  /** Puts back what `lift(entry)` took out; undo in the reverse order of lifts. */
  unlift(entry: number): void {
    const match = this.matchOf[entry] as number;
    if (match !== NIL) this.relink(match);
    this.relink(entry);
  }

  private unlink(entry: number): void {
    const before = this.prev[entry] as number;
    const after = this.next[entry] as number;
    this.next[before] = after;
    if (after !== NIL) this.prev[after] = before;
  }

  private relink(entry: number): void {
    const before = this.prev[entry] as number;
    const after = this.next[entry] as number;
    this.next[before] = entry;
    if (after !== NIL) this.prev[after] = entry;
  }
}
