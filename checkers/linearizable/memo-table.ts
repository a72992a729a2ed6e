/**
 * Lowe's memoisation for the WGL search: the set of configurations (ops linearized so far as a
 * bitset, model state) already explored and known to lead nowhere. Bitsets live in one pooled
 * Uint32Array; the table is keyed by a hash of the pair, collisions chained per bucket.
 *
 * Memory: per entry, ceil(ops / 32) words of bitset + one state reference + one bucket slot
 * (about 4 * ops / 32 + 40 bytes). The table is capped at `entriesMax`: a full table throws
 * BudgetExceeded, so a search that would exhaust memory ends as "unknown" instead.
 */
import { BudgetExceeded } from '../deadline.ts';

const POOL_ENTRIES_INITIAL = 1024;

export class MemoTable<State> {
  private readonly words: number;
  private pool: Uint32Array;
  private readonly states: State[] = [];
  /** Hash -> first slot; further slots with the same hash in `chains`. */
  private readonly buckets = new Map<number, number>();
  private readonly chains = new Map<number, number[]>();

  constructor(
    readonly opsCount: number,
    readonly entriesMax: number,
    private readonly equal: (a: State, b: State) => boolean,
    private readonly label: string,
  ) {
    if (!(entriesMax >= 1)) throw new Error(`memo entries max must be >= 1, got ${entriesMax}`);
    this.words = Math.max(1, Math.ceil(opsCount / 32));
    this.pool = new Uint32Array(this.words * Math.min(POOL_ENTRIES_INITIAL, entriesMax));
  }

  get size(): number {
    return this.states.length;
  }

  /** Adds the configuration; false when it was already there (explored before). */
  add(hash: number, bits: Uint32Array, state: State): boolean {
    const first = this.buckets.get(hash);
    if (first === undefined) {
      this.buckets.set(hash, this.store(bits, state));
      return true;
    }
    if (this.matches(first, bits, state)) return false;
    const chain = this.chains.get(hash);
    if (chain !== undefined) {
      for (const slot of chain) if (this.matches(slot, bits, state)) return false;
      chain.push(this.store(bits, state));
    } else {
      this.chains.set(hash, [this.store(bits, state)]);
    }
    return true;
  }

  private matches(slot: number, bits: Uint32Array, state: State): boolean {
    const base = slot * this.words;
    for (let w = 0; w < this.words; w += 1) if (this.pool[base + w] !== bits[w]) return false;
    return this.equal(this.states[slot] as State, state);
  }

  private store(bits: Uint32Array, state: State): number {
    const slot = this.states.length;
    if (slot >= this.entriesMax) {
      throw new BudgetExceeded(
        `${this.label}: the memo table reached its memory budget of ${this.entriesMax} entries`,
      );
    }
    if ((slot + 1) * this.words > this.pool.length) this.grow();
    this.pool.set(bits, slot * this.words);
    this.states.push(state);
    return slot;
  }

  private grow(): void {
    const entries = Math.min(this.entriesMax, (this.pool.length / this.words) * 2);
    const pool = new Uint32Array(entries * this.words);
    pool.set(this.pool);
    this.pool = pool;
  }
}
