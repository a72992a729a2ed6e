/**
 * Ledger sums per (saga id, account), read from `ledger` final lines, for the saga-leak rule.
 *
 * Only tx ids the checker cares about are summed as they stream by: checkout ids and saga ids
 * already seen. A saga record may come after the ledger lines, and a saga need not have a
 * checkout op, so entries of other tx ids ("orphans") are buffered as flat columns — no object
 * per tx, since in a plain bank history every entry is an orphan — for the first
 * ORPHAN_ENTRIES_MAX entries; past that they are dropped and counted. When a saga known only
 * after the ledger asks for its sums, the buffer is indexed once and its entries summed then.
 * Whoever judges such a saga must say it cannot judge it if orphans were dropped (`mayBePartial`).
 *
 * Memory: per summed tx, one small map of account -> net amount plus up to LINES_KEPT_MAX line
 * indices; three array slots per buffered orphan entry, at most ORPHAN_ENTRIES_MAX.
 */
import type { LedgerEntry, Op } from '../../history/op.ts';

export const ORPHAN_ENTRIES_MAX = 400_000;
/** Ledger line indices kept per tx for anomaly `ops`. */
const LINES_KEPT_MAX = 4;

export interface TxSums {
  /** Net amount per account. */
  netByAccount: Map<string, number>;
  entries: number;
  /** Indices of the ledger lines holding this tx's entries (the first few). */
  lineIndices: number[];
}

export class LedgerSums {
  private readonly sums = new Map<string, TxSums>();
  private readonly orphanTx: string[] = [];
  private readonly orphanAccount: string[] = [];
  private readonly orphanAmount: number[] = [];
  private readonly orphanLine: number[] = [];
  /** Orphan entry positions by tx, built on the first lookup of a tx not summed as it streamed. */
  private orphanIndex: Map<string, number[]> | null = null;
  private readonly orphansMerged = new Set<string>();
  /** Orphan entries dropped once ORPHAN_ENTRIES_MAX were buffered. */
  orphanEntriesDropped = 0;
  linesSeen = 0;
  entriesSeen = 0;

  constructor(
    private readonly isTracked: (tx: string) => boolean,
    private readonly orphanEntriesMax = ORPHAN_ENTRIES_MAX,
  ) {}

  addLine(op: Op): void {
    const entries = (op.value as { entries: LedgerEntry[] }).entries;
    this.linesSeen += 1;
    for (const entry of entries) this.addEntry(entry, op.index);
  }

  /**
   * The sums of `tx`: what was summed as the ledger streamed, plus its buffered orphan entries
   * (a tx can have both when it became known halfway through the ledger). Call after the last
   * ledger line.
   */
  sumsOf(tx: string): TxSums | undefined {
    if (this.orphanTx.length === 0 || this.orphansMerged.has(tx)) return this.sums.get(tx);
    this.orphansMerged.add(tx);
    for (const i of this.indexOrphans().get(tx) ?? []) {
      this.sumEntry(tx, this.orphanAccount[i]!, this.orphanAmount[i]!, this.orphanLine[i]!);
    }
    return this.sums.get(tx);
  }

  /**
   * True when entries of a tx that became known only after the ledger started may have been
   * dropped as orphans, so its sums cannot be trusted.
   */
  mayBePartial(knownOnlyAfterLedger: boolean): boolean {
    return knownOnlyAfterLedger && this.orphanEntriesDropped > 0;
  }

  private addEntry(entry: LedgerEntry, lineIndex: number): void {
    this.entriesSeen += 1;
    if (this.sums.has(entry.tx) || this.isTracked(entry.tx)) {
      this.sumEntry(entry.tx, entry.account, entry.amount, lineIndex);
      return;
    }
    if (this.orphanTx.length >= this.orphanEntriesMax) {
      this.orphanEntriesDropped += 1;
      return;
    }
    if (this.orphanIndex !== null)
      throw new Error('ledger line read after orphan sums were indexed');
    this.orphanTx.push(entry.tx);
    this.orphanAccount.push(entry.account);
    this.orphanAmount.push(entry.amount);
    this.orphanLine.push(lineIndex);
  }

  private sumEntry(tx: string, account: string, amount: number, lineIndex: number): void {
    let sums = this.sums.get(tx);
    if (sums === undefined) {
      sums = { netByAccount: new Map(), entries: 0, lineIndices: [] };
      this.sums.set(tx, sums);
    }
    const net = (sums.netByAccount.get(account) ?? 0) + amount;
    if (!Number.isSafeInteger(net)) {
      throw new Error(`ledger net of tx ${tx} on ${account} overflows: ${net}`);
    }
    sums.netByAccount.set(account, net);
    sums.entries += 1;
    const lastLine = sums.lineIndices[sums.lineIndices.length - 1];
    if (lastLine !== lineIndex && sums.lineIndices.length < LINES_KEPT_MAX) {
      sums.lineIndices.push(lineIndex);
    }
  }

  private indexOrphans(): Map<string, number[]> {
    if (this.orphanIndex !== null) return this.orphanIndex;
    const index = new Map<string, number[]>();
    for (let i = 0; i < this.orphanTx.length; i += 1) {
      const tx = this.orphanTx[i]!;
      const positions = index.get(tx);
      if (positions === undefined) index.set(tx, [i]);
      else positions.push(i);
    }
    this.orphanIndex = index;
    return index;
  }
}
