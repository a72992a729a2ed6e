/**
 * Per-id state of transfers, deposits and withdrawals: the arguments, how its attempts ended
 * (a client may retry one id on a fresh process), and what the ledger holds for it.
 *
 * Memory: the id string, ~16 bytes of index (id-index.ts) plus 25 columns (20 of 4 bytes, 5 of 8),
 * 120 bytes per id; nothing per attempt beyond counters. Unbalanced ids also keep up to
 * BAD_SAMPLES_PER_ID entries each, for at most BAD_SAMPLE_IDS_MAX ids, to show in messages.
 */
import { PAYMENT_FS } from '../../history/op.ts';
import { Float64Column, Int32Column } from './columns.ts';
import { IdIndex } from './id-index.ts';

export const KIND_TRANSFER = 1;
export const KIND_DEPOSIT = 2;
export const KIND_WITHDRAW = 3;
export type Kind = typeof KIND_TRANSFER | typeof KIND_DEPOSIT | typeof KIND_WITHDRAW;

export const KIND_NAMES = ['', ...PAYMENT_FS] as const;

export const BAD_SAMPLES_PER_ID = 4;
export const BAD_SAMPLE_IDS_MAX = 1000;

export interface EntrySample {
  account: number;
  amount: number;
}

export class IdTable {
  private readonly index = new IdIndex();
  readonly ids: string[] = [];
  readonly kind = new Int32Column();
  /** `from` of a transfer, `account` of a deposit/withdraw. */
  readonly accountA = new Int32Column();
  /** `to` of a transfer; -1 otherwise. */
  readonly accountB = new Int32Column();
  readonly amount = new Float64Column();
  /** Set when a later attempt reused the id with other arguments: the id is not judged. */
  readonly conflicting = new Int32Column();
  readonly attempts = new Int32Column();
  readonly oks = new Int32Column();
  readonly fails = new Int32Column();
  readonly firstInvoke = new Int32Column();
  readonly firstCompletion = new Int32Column();
  readonly lastInvoke = new Int32Column();
  readonly lastCompletion = new Int32Column();
  readonly lastRegion = new Int32Column();
  readonly lastNs = new Float64Column();
  /** The first ok attempt: its lines, region and completion time (Infinity: none). */
  readonly okInvoke = new Int32Column();
  readonly okCompletion = new Int32Column();
  readonly okRegion = new Int32Column();
  readonly okNs = new Float64Column();
  /** Earliest invoke time of an attempt that did not fail (Infinity: none): when it may apply. */
  readonly possibleNs = new Float64Column();
  /** Ledger entries matching the op: `from`/`account` side, `to` side, and any other entry. */
  readonly entriesMinus = new Int32Column();
  readonly entriesPlus = new Int32Column();
  readonly entriesBad = new Int32Column();
  readonly entriesNet = new Float64Column();
  readonly ledgerLineFirst = new Int32Column();
  readonly ledgerLineLast = new Int32Column();
  readonly badSamples = new Map<number, EntrySample[]>();
  readonly regions: string[] = [];
  private readonly regionIds = new Map<string, number>();
  /**
   * Every column, split by type so that growing a row touches each through a monomorphic loop:
   * a new row starts at 0 in each, then some are set below.
   */
  private readonly intColumns: readonly Int32Column[] = [
    this.kind,
    this.accountA,
    this.accountB,
    this.conflicting,
    this.attempts,
    this.oks,
    this.fails,
    this.firstInvoke,
    this.firstCompletion,
    this.lastInvoke,
    this.lastCompletion,
    this.lastRegion,
    this.okInvoke,
    this.okCompletion,
    this.okRegion,
    this.entriesMinus,
    this.entriesPlus,
    this.entriesBad,
    this.ledgerLineFirst,
    this.ledgerLineLast,
  ];
  private readonly floatColumns: readonly Float64Column[] = [
    this.amount,
    this.lastNs,
    this.okNs,
    this.possibleNs,
    this.entriesNet,
  ];
  /** Columns a new row starts at -1: no line, no region. */
  private readonly unset: readonly Int32Column[] = [
    this.firstInvoke,
    this.firstCompletion,
    this.lastInvoke,
    this.lastCompletion,
    this.lastRegion,
    this.okInvoke,
    this.okCompletion,
    this.okRegion,
    this.ledgerLineFirst,
    this.ledgerLineLast,
  ];

  /** Rows every column has room for: they grow together, doubling, not a row at a time. */
  private capacity = 0;

  get size(): number {
    return this.ids.length;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    for (const column of this.intColumns) column.reserve(capacity);
    for (const column of this.floatColumns) column.reserve(capacity);
    this.capacity = capacity;
  }

  slotOf(id: string): number | undefined {
    const slot = this.index.find(id, this.ids);
    return slot === -1 ? undefined : slot;
  }

  /** The slot of `id`, created with these arguments, or checked against them if it exists. */
  register(id: string, kind: Kind, accountA: number, accountB: number, amount: number): number {
    const found = this.index.findOrAdd(id, this.ids);
    if (found >= 0) {
      const same =
        this.kind.data[found] === kind &&
        this.accountA.data[found] === accountA &&
        this.accountB.data[found] === accountB &&
        this.amount.data[found] === amount;
      if (!same) this.conflicting.data[found] = 1;
      return found;
    }
    const slot = -1 - found;
    this.ids.push(id);
    if (slot !== this.ids.length - 1)
      throw new Error(`id index slot ${slot} != row ${this.ids.length - 1}`);
    if (slot >= this.capacity) this.grow();
    for (const column of this.intColumns) column.length = slot + 1;
    for (const column of this.floatColumns) column.length = slot + 1;
    this.kind.data[slot] = kind;
    this.accountA.data[slot] = accountA;
    this.accountB.data[slot] = accountB;
    this.amount.data[slot] = amount;
    for (const column of this.unset) column.data[slot] = -1;
    this.okNs.data[slot] = Number.POSITIVE_INFINITY;
    this.possibleNs.data[slot] = Number.POSITIVE_INFINITY;
    return slot;
  }

  internRegion(region: unknown): number {
    if (typeof region !== 'string') return -1;
    const known = this.regionIds.get(region);
    if (known !== undefined) return known;
    this.regionIds.set(region, this.regions.length);
    this.regions.push(region);
    return this.regions.length - 1;
  }

  region(regionId: number): string | undefined {
    return regionId < 0 ? undefined : this.regions[regionId];
  }

  addBadSample(slot: number, account: number, amount: number): void {
    let samples = this.badSamples.get(slot);
    if (samples === undefined) {
      if (this.badSamples.size >= BAD_SAMPLE_IDS_MAX) return;
      samples = [];
      this.badSamples.set(slot, samples);
    }
    if (samples.length < BAD_SAMPLES_PER_ID) samples.push({ account, amount });
  }
}
