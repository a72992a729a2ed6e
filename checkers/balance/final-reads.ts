/**
 * The final reads that carry `accounts` (one per region, taken after quiescence), kept whole:
 * they are few (one per region) and every final-state rule compares them. Memory: 12 bytes per
 * account per final read.
 */
import type { Op } from '../../history/op.ts';

/** More final reads than this is not a run's final state but bad input. */
export const FINAL_READS_MAX = 1000;

export interface FinalRead {
  index: number;
  timeNs: number;
  region: string;
  accounts: Int32Array;
  balances: Float64Array;
  total: number;
  /**
   * True when it holds every account init declared: only then is its total judged. Without init
   * it is false, and `finalHeldToTotal` (judge-totals.ts) decides from the reference read.
   */
  complete: boolean;
}

export class FinalReads {
  readonly reads: FinalRead[] = [];

  add(op: Op, accounts: Int32Array, balances: Float64Array, complete: boolean): FinalRead {
    if (this.reads.length >= FINAL_READS_MAX) {
      throw new Error(`more than ${FINAL_READS_MAX} final reads with accounts`);
    }
    if (accounts.length !== balances.length) throw new Error('final read columns differ in length');
    let total = 0;
    for (let i = 0; i < balances.length; i += 1) total += balances[i] as number;
    const read: FinalRead = {
      index: op.index,
      timeNs: op.time,
      region: op.region ?? '?',
      accounts,
      balances,
      total,
      complete,
    };
    this.reads.push(read);
    return read;
  }
}
