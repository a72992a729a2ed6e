/**
 * Ledger sums per (saga id, account), read from `ledger` final lines, for the saga-leak rule.
 *
 * Only tx ids the checker cares about are summed: checkout ids and saga ids already seen. A saga
 * record may come after the ledger lines, and a saga need not have a checkout op, so entries of
 * other tx ids are kept too, but only for the first ORPHAN_TXS_MAX such ids ("orphans"); past that
 * they are dropped and counted. Whoever judges a saga that became known only after the ledger had
 * started must then say it cannot judge it (see `mayBePartial`).
 *
 * Memory: per summed tx, one small map of account -> net amount plus up to LINES_KEPT_MAX line
 * indices; at most ORPHAN_TXS_MAX orphans.
 */
import type { LedgerEntry, Op } from '../../history/op.ts';

export const ORPHAN_TXS_MAX = 100_000;
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
  private orphanTxs = 0;
  /** Entries of new orphan txs dropped once ORPHAN_TXS_MAX orphans were kept. */
  orphanEntriesDropped = 0;
  linesSeen = 0;
  entriesSeen = 0;

  constructor(
    private readonly isTracked: (tx: string) => boolean,
    private readonly orphanTxsMax = ORPHAN_TXS_MAX,
  ) {}

  addLine(op: Op): void {
    const entries = (op.value as { entries: LedgerEntry[] }).entries;
    this.linesSeen += 1;
    for (const entry of entries) this.addEntry(entry, op.index);
  }

  sumsOf(tx: string): TxSums | undefined {
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
    let sums = this.sums.get(entry.tx);
    if (sums === undefined) {
      if (!this.isTracked(entry.tx)) {
        if (this.orphanTxs >= this.orphanTxsMax) {
          this.orphanEntriesDropped += 1;
          return;
        }
        this.orphanTxs += 1;
      }
      sums = { netByAccount: new Map(), entries: 0, lineIndices: [] };
      this.sums.set(entry.tx, sums);
    }
    const net = (sums.netByAccount.get(entry.account) ?? 0) + entry.amount;
    if (!Number.isSafeInteger(net)) {
      throw new Error(`ledger net of tx ${entry.tx} on ${entry.account} overflows: ${net}`);
    }
    sums.netByAccount.set(entry.account, net);
    sums.entries += 1;
    const lastLine = sums.lineIndices[sums.lineIndices.length - 1];
    if (lastLine !== lineIndex && sums.lineIndices.length < LINES_KEPT_MAX) {
      sums.lineIndices.push(lineIndex);
    }
  }
}
