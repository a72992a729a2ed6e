/**
 * Compact per-id records of `checkout` client ops: what the saga checker needs to judge a saga
 * against what its client was told, without keeping the ops themselves.
 *
 * Memory: one record per checkout id (~120 bytes plus two indices per kept attempt), and one
 * number per ok attempt for the duration percentiles.
 */
import type { ClientOp, Op, TransferValue } from '../../history/op.ts';

/** Attempts (same id, several invokes) whose indices are kept for anomaly `ops`; all are counted. */
export const ATTEMPTS_KEPT_MAX = 8;

/** What the client learned about a checkout id over all its attempts. */
export type CheckoutOutcome = 'acknowledged' | 'failed' | 'unknown';

export interface CheckoutRecord {
  id: string;
  from: string;
  to: string;
  amount: number;
  /** A retry named a different from/to/amount than the first attempt. */
  argsConflict: boolean;
  /** Invokes seen. */
  attempts: number;
  oks: number;
  fails: number;
  /** info completions, and attempts still pending at the end of the history. */
  infos: number;
  /** Invoke and completion indices of the first ATTEMPTS_KEPT_MAX attempts. */
  opIndices: number[];
  /** The first ok completion, for messages. */
  okAtNs: number | null;
  okRegion: string | undefined;
  /** The latest fail completion, for messages: the answer a client that never got ok was left with. */
  failAtNs: number | null;
  failRegion: string | undefined;
  /** The first ledger line had already been read when this id was first invoked. */
  afterLedger: boolean;
}

/** acknowledged if any attempt was ok; failed only if every attempt failed; else unknown. */
export function outcomeOf(record: CheckoutRecord): CheckoutOutcome {
  if (record.oks > 0) return 'acknowledged';
  if (record.fails === record.attempts) return 'failed';
  return 'unknown';
}

function sameArgs(record: CheckoutRecord, value: TransferValue): boolean {
  return record.from === value.from && record.to === value.to && record.amount === value.amount;
}

export class CheckoutBook {
  private readonly records = new Map<string, CheckoutRecord>();
  readonly durationsMs: number[] = [];
  readonly attemptsByOutcome = { ok: 0, fail: 0, info: 0 };

  get size(): number {
    return this.records.size;
  }

  get(id: string): CheckoutRecord | undefined {
    return this.records.get(id);
  }

  values(): IterableIterator<CheckoutRecord> {
    return this.records.values();
  }

  /** An invoke of `checkout`; the reader has validated its value's shape. */
  onInvoke(op: Op, afterLedger: boolean): CheckoutRecord {
    const value = op.value as TransferValue;
    let record = this.records.get(value.id);
    if (record === undefined) {
      record = {
        id: value.id,
        from: value.from,
        to: value.to,
        amount: value.amount,
        argsConflict: false,
        attempts: 0,
        oks: 0,
        fails: 0,
        infos: 0,
        opIndices: [],
        okAtNs: null,
        okRegion: undefined,
        failAtNs: null,
        failRegion: undefined,
        afterLedger,
      };
      this.records.set(value.id, record);
    } else if (!sameArgs(record, value)) {
      record.argsConflict = true;
    }
    record.attempts += 1;
    if (record.attempts <= ATTEMPTS_KEPT_MAX) record.opIndices.push(op.index);
    return record;
  }

  /** A checkout attempt resolved (completed, or pending at the end: info). */
  onResolved(clientOp: ClientOp): void {
    const id = (clientOp.invoke.value as TransferValue).id;
    const record = this.records.get(id);
    if (record === undefined) throw new Error(`checkout ${id} resolved but was never invoked`);
    const completion = clientOp.completion;
    if (completion !== null && record.opIndices.includes(clientOp.invoke.index)) {
      record.opIndices.push(completion.index);
    }
    this.attemptsByOutcome[clientOp.type] += 1;
    if (clientOp.type === 'fail') {
      record.fails += 1;
      if (record.failAtNs === null || clientOp.endNs >= record.failAtNs) {
        record.failAtNs = clientOp.endNs;
        record.failRegion = clientOp.invoke.region;
      }
    } else if (clientOp.type === 'info') record.infos += 1;
    else {
      record.oks += 1;
      this.durationsMs.push((clientOp.endNs - clientOp.startNs) / 1e6);
      if (record.okAtNs === null) {
        record.okAtNs = clientOp.endNs;
        record.okRegion = clientOp.invoke.region;
      }
    }
    if (record.oks + record.fails + record.infos > record.attempts) {
      throw new Error(`checkout ${id} has more outcomes than invokes`);
    }
  }
}
