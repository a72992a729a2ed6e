/**
 * Lowe's memoisation for the WGL search: the set of configurations (ops linearized so far, model
 * state) already explored and known to lead nowhere. The linearized set is an InternedBitset root
 * id, so an entry is two values: the table is keyed by a hash of the pair, collisions chained.
 *
 * Memory: per entry, a root id and a chain link (8 bytes), a state reference, and a map slot for
 * its hash (about 50 bytes in all). Capped at `entriesMax`: a full table throws BudgetExceeded,
 * so a search that would exhaust memory ends as "unknown" instead.
 */
import { BudgetExceeded } from '../deadline.ts';

const ENTRIES_INITIAL = 1024;

function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class MemoTable<State> {
  private roots = new Int32Array(ENTRIES_INITIAL);
  private chainNext = new Int32Array(ENTRIES_INITIAL);
  private readonly states: State[] = [];
  private readonly buckets = new Map<number, number>();

  constructor(
    readonly entriesMax: number,
    private readonly hashState: (state: State) => number,
    private readonly equal: (a: State, b: State) => boolean,
    private readonly label: string,
  ) {
    if (!(entriesMax >= 1)) throw new Error(`memo entries max must be >= 1, got ${entriesMax}`);
  }

  get size(): number {
    return this.states.length;
  }

  /** Adds the configuration; false when it was already there (explored before). */
  add(root: number, state: State): boolean {
    const h = mix32(root ^ Math.imul(this.hashState(state), 0x27d4eb2f));
    const first = this.buckets.get(h);
    for (let slot = first ?? -1; slot !== -1; slot = this.chainNext[slot] as number) {
      if (this.roots[slot] === root && this.equal(this.states[slot] as State, state)) return false;
    }
    const slot = this.states.length;
    if (slot >= this.entriesMax) {
      throw new BudgetExceeded(
        `${this.label}: the memo table reached its memory budget of ${this.entriesMax} entries`,
      );
    }
    if (slot >= this.roots.length) this.grow();
    this.roots[slot] = root;
    this.chainNext[slot] = first ?? -1;
    this.states.push(state);
    this.buckets.set(h, slot);
    return true;
  }

  private grow(): void {
    const entries = Math.min(this.entriesMax, this.roots.length * 2);
    const roots = new Int32Array(entries);
    roots.set(this.roots);
    this.roots = roots;
    const chainNext = new Int32Array(entries);
    chainNext.set(this.chainNext);
    this.chainNext = chainNext;
  }
}
