/**
 * Finds an id's slot by its string: an open-addressing hash table of slot numbers (linear
 * probing, at most half full) over FNV-1a hashes kept per slot. It replaces a Map<string,
 * number> on the balance checker's hottest path: with 10^5-10^6 ids the Map spent most of its
 * time on cache misses and on hashing strings fresh from another thread (bench/RESULTS.md);
 * integer probes over two typed arrays cost a third of that.
 *
 * Memory: 4 bytes per slot for its hash, 8-16 bytes per slot of table.
 */
import { COLUMN_ROWS_MAX } from './columns.ts';

const TABLE_SIZE_INITIAL = 2048;
const EMPTY = -1;

/** FNV-1a over the UTF-16 code units: cheap, and spreads short ids like "t17" well. */
export function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash | 0;
}

export class IdIndex {
  private table = new Int32Array(TABLE_SIZE_INITIAL).fill(EMPTY);
  private mask = TABLE_SIZE_INITIAL - 1;
  private hashes = new Int32Array(TABLE_SIZE_INITIAL / 2);
  private slotsCount = 0;

  /** The slot whose id is `id` (as given to `add` with `ids`), or -1. */
  find(id: string, ids: readonly string[]): number {
    const hash = idHash(id);
    let at = hash & this.mask;
    for (;;) {
      const slot = this.table[at] as number;
      if (slot === EMPTY) return -1;
      if (this.hashes[slot] === hash && ids[slot] === id) return slot;
      at = (at + 1) & this.mask;
    }
  }

  /**
   * The slot of `id` when `ids` holds it already; otherwise indexes the next slot for it and
   * returns `-1 - slot` (the caller stores `id` at `slot` in `ids`). One hash, one probe run.
   */
  findOrAdd(id: string, ids: readonly string[]): number {
    const hash = idHash(id);
    let at = hash & this.mask;
    for (;;) {
      const slot = this.table[at] as number;
      if (slot === EMPTY) break;
      if (this.hashes[slot] === hash && ids[slot] === id) return slot;
      at = (at + 1) & this.mask;
    }
    const slot = this.slotsCount;
    if (slot >= COLUMN_ROWS_MAX) throw new Error(`more than ${COLUMN_ROWS_MAX} ids`);
    if (slot >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[slot] = hash;
    this.slotsCount = slot + 1;
    if (this.slotsCount * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.table[at] = slot;
    return -1 - slot;
  }

  private place(slot: number, hash: number): void {
    let at = hash & this.mask;
    while (this.table[at] !== EMPTY) at = (at + 1) & this.mask;
    this.table[at] = slot;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    for (let slot = 0; slot < this.slotsCount; slot += 1) {
      this.place(slot, this.hashes[slot] as number);
    }
  }
}
