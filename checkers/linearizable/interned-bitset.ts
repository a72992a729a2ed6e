/**
 * The set of ops linearized so far, as a hash-consed tree of bit words (fanout 8): equal subtrees
 * are one node, so the whole set is named by its root's id, and two sets are equal exactly when
 * their roots are. Flipping one bit re-interns one path (depth log8(ops / 32) + 1 nodes), and the
 * memo stores a root id instead of a copy of the bitset — Porcupine copies the bitset per memo
 * entry, which makes memory grow with ops x entries and exhausts it on keys of ~10^4 ops.
 *
 * Memory: 9 Int32 words + one chain word + one map slot per distinct node ever built (about
 * 60 bytes); nodes are shared by every configuration that contains them. Capped at `nodesMax`:
 * beyond it, BudgetExceeded.
 */
import { BudgetExceeded } from '../deadline.ts';

const FANOUT = 8;
/** Per node: its level, then 8 words (a leaf) or 8 child ids (an inner node; -1 when absent). */
const NODE_INTS = FANOUT + 1;
const POOL_NODES_INITIAL = 256;

function mixStep(h: number, value: number): number {
  const k = Math.imul(value, 0xcc9e2d51);
  return Math.imul(h ^ ((k << 15) | (k >>> 17)), 0x1b873593) + 0xe6546b64;
}

export class InternedBitset {
  private readonly words: Uint32Array;
  /** levels[k][i]: id of the i-th node at level k (0 = leaves), padded with -1 to a multiple of 8. */
  private readonly levels: Int32Array[] = [];
  private pool = new Int32Array(POOL_NODES_INITIAL * NODE_INTS);
  private chainNext = new Int32Array(POOL_NODES_INITIAL);
  private readonly buckets = new Map<number, number>();
  private nodesCount = 0;

  constructor(
    bitsCount: number,
    private readonly nodesMax: number,
    private readonly label: string,
  ) {
    let count = Math.max(1, Math.ceil(Math.ceil(bitsCount / 32) / FANOUT));
    this.words = new Uint32Array(count * FANOUT);
    for (;;) {
      this.levels.push(new Int32Array(Math.ceil(count / FANOUT) * FANOUT).fill(-1));
      if (count === 1) break;
      count = Math.ceil(count / FANOUT);
    }
    for (let w = 0; w < this.words.length; w += FANOUT) this.rebuildPath(w);
  }

  /** The id of the current set: equal ids, equal sets. */
  get root(): number {
    return this.levels[this.levels.length - 1]?.[0] as number;
  }

  get size(): number {
    return this.nodesCount;
  }

  flip(bit: number): void {
    const w = bit >>> 5;
    if (!(w < this.words.length)) throw new Error(`bit ${bit} outside the set`);
    this.words[w] = (this.words[w] as number) ^ (1 << (bit & 31));
    this.rebuildPath(w);
  }

  private rebuildPath(word: number): void {
    let index = Math.floor(word / FANOUT);
    let id = this.intern(0, this.words, index * FANOUT);
    (this.levels[0] as Int32Array)[index] = id;
    for (let level = 1; level < this.levels.length; level += 1) {
      index = Math.floor(index / FANOUT);
      id = this.intern(level, this.levels[level - 1] as Int32Array, index * FANOUT);
      (this.levels[level] as Int32Array)[index] = id;
    }
  }

  private intern(level: number, source: Uint32Array | Int32Array, offset: number): number {
    let h = mixStep(0x2545f491, level);
    for (let j = 0; j < FANOUT; j += 1) h = mixStep(h, (source[offset + j] as number) | 0);
    h = h >>> 0;
    const first = this.buckets.get(h);
    for (let id = first ?? -1; id !== -1; id = this.chainNext[id] as number) {
      if (this.matches(id, level, source, offset)) return id;
    }
    const id = this.store(level, source, offset);
    this.chainNext[id] = first ?? -1;
    this.buckets.set(h, id);
    return id;
  }

  private matches(
    id: number,
    level: number,
    source: Uint32Array | Int32Array,
    offset: number,
  ): boolean {
    const base = id * NODE_INTS;
    if (this.pool[base] !== level) return false;
    for (let j = 0; j < FANOUT; j += 1) {
      if (this.pool[base + 1 + j] !== ((source[offset + j] as number) | 0)) return false;
    }
    return true;
  }

  private store(level: number, source: Uint32Array | Int32Array, offset: number): number {
    const id = this.nodesCount;
    if (id >= this.nodesMax) {
      throw new BudgetExceeded(
        `${this.label}: the linearized-set nodes reached their memory budget of ${this.nodesMax}`,
      );
    }
    if (id >= this.chainNext.length) this.grow();
    const base = id * NODE_INTS;
    this.pool[base] = level;
    for (let j = 0; j < FANOUT; j += 1)
      this.pool[base + 1 + j] = (source[offset + j] as number) | 0;
    this.nodesCount += 1;
    return id;
  }

  private grow(): void {
    const nodes = Math.min(this.nodesMax, this.chainNext.length * 2);
    const pool = new Int32Array(nodes * NODE_INTS);
    pool.set(this.pool);
    this.pool = pool;
    const chainNext = new Int32Array(nodes);
    chainNext.set(this.chainNext);
    this.chainNext = chainNext;
  }
}
