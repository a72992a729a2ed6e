/**
 * Recovery point: how far back acknowledged payments were lost. An acknowledged payment is an ok
 * transfer, deposit or withdraw; it is lost when its id has no ledger entry (the balance
 * checker's lost-transfer rule). Each lost payment was lost at the first failover at or after its
 * acknowledgement, or, when there is none, at the end of the load (the last client line): RPO is
 * the longest such gap, per region the payment was sent to, and 0 when nothing was lost.
 *
 * Example: t1 ok at 18.2 s and t2 ok at 24.0 s, failover at 25.0 s, neither in the ledger:
 * RPO = 25.0 - 18.2 = 6.8 s.
 *
 * Memory: one AckRecord per acknowledged payment id until a ledger entry names it (about 120
 * bytes with its id string); ledger entries are not kept. Acknowledgements read after the first
 * ledger line are counted but not judged: the ledger was read before they were acknowledged.
 */
import { type ClientOp, isPaymentF, type LedgerEntry, type Op } from '../../history/op.ts';
import type { FaultBook } from './fault-book.ts';

export interface AckRecord {
  id: string;
  op: ClientOp;
  ackNs: number;
}

export interface LostPayment extends AckRecord {
  lostAtNs: number;
  /** The failover line it was lost at, or null for the end of the load. */
  failoverIndex: number | null;
}

export interface RegionRpo {
  rpoNs: number;
  lost: LostPayment[];
}

export class RpoTracker {
  private readonly acks = new Map<string, AckRecord>();
  ledgerLines = 0;
  acksAfterLedger = 0;
  acknowledged = 0;

  onResolved(clientOp: ClientOp): void {
    if (clientOp.type !== 'ok' || !isPaymentF(clientOp.invoke.f)) return;
    const completion = clientOp.completion;
    const id = (clientOp.invoke.value as { id?: unknown } | null)?.id;
    if (completion === null || typeof id !== 'string') return;
    this.acknowledged += 1;
    if (this.ledgerLines > 0) {
      this.acksAfterLedger += 1;
      return;
    }
    // An id acknowledged twice (a retry with its idempotency key) keeps its first ack.
    if (!this.acks.has(id)) this.acks.set(id, { id, op: clientOp, ackNs: completion.time });
  }

  onLedgerLine(op: Op): void {
    this.ledgerLines += 1;
    for (const entry of (op.value as { entries: LedgerEntry[] }).entries)
      this.acks.delete(entry.tx);
  }

  /** Lost payments by the region they were sent to, with each region's RPO. */
  byRegion(faults: FaultBook, loadEndNs: number): Map<string, RegionRpo> {
    const result = new Map<string, RegionRpo>();
    for (const ack of this.acks.values()) {
      const failover = faults.failoverAtOrAfter(ack.ackNs);
      const lostAtNs = failover?.startNs ?? Math.max(loadEndNs, ack.ackNs);
      const lost: LostPayment = {
        ...ack,
        lostAtNs,
        failoverIndex: failover?.startIndex ?? null,
      };
      const region = typeof ack.op.invoke.region === 'string' ? ack.op.invoke.region : '';
      const entry = result.get(region) ?? { rpoNs: 0, lost: [] };
      entry.rpoNs = Math.max(entry.rpoNs, lostAtNs - ack.ackNs);
      entry.lost.push(lost);
      result.set(region, entry);
    }
    for (const entry of result.values()) {
      entry.lost.sort((a, b) => b.lostAtNs - b.ackNs - (a.lostAtNs - a.ackNs) || a.ackNs - b.ackNs);
    }
    return result;
  }

  get lostCount(): number {
    return this.acks.size;
  }
}
