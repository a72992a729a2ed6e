/** Counts of bank client ops by f and outcome, for stats: a fixed 16-cell table, no maps. */
import { BANK_FS, type ClientOp } from '../../history/op.ts';

const FS = BANK_FS;
const OUTCOMES = ['ok', 'fail', 'info', 'pending'] as const;

export class OpCounts {
  private readonly cells = new Float64Array(FS.length * OUTCOMES.length);

  add(fIndex: number, clientOp: ClientOp): void {
    if (clientOp.completion === null) this.addOutcome(fIndex, 3);
    else this.addCompleted(fIndex, clientOp.type);
  }

  /** An op that completed (not one still pending at the end). */
  addCompleted(fIndex: number, type: ClientOp['type']): void {
    this.addOutcome(fIndex, type === 'fail' ? 1 : type === 'info' ? 2 : 0);
  }

  private addOutcome(fIndex: number, outcome: number): void {
    if (fIndex < 0 || fIndex >= FS.length) throw new Error(`no bank op number ${fIndex}`);
    const cell = fIndex * OUTCOMES.length + outcome;
    this.cells[cell] = (this.cells[cell] as number) + 1;
  }

  get total(): number {
    let total = 0;
    for (const count of this.cells) total += count;
    return total;
  }

  /** `{transfer: {ok, fail, info, pending}, ...}`, only for fs that occurred. */
  toStats(): Record<string, Record<string, number>> {
    const stats: Record<string, Record<string, number>> = {};
    for (let f = 0; f < FS.length; f += 1) {
      const row: Record<string, number> = {};
      let any = 0;
      for (let outcome = 0; outcome < OUTCOMES.length; outcome += 1) {
        const count = this.cells[f * OUTCOMES.length + outcome] as number;
        row[OUTCOMES[outcome] as string] = count;
        any += count;
      }
      if (any > 0) stats[FS[f] as string] = row;
    }
    return stats;
  }
}

/** The row of a bank f in OpCounts, or -1 for any other f. */
export function bankOpIndex(f: string): number {
  switch (f) {
    case 'transfer':
      return 0;
    case 'deposit':
      return 1;
    case 'withdraw':
      return 2;
    case 'balances':
      return 3;
    default:
      return -1;
  }
}
