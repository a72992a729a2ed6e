/**
 * Consistent `balances` reads whose request covers every init account (omitted accounts count
 * as 0), kept as columns until the end: a
 * read's legal total depends on whether deposits and withdrawals invoked before it completed
 * failed, which may be known only later in the file. At the end, every read is judged against
 * prefix sums over the deposits and withdrawals sorted by time (O((n + r) log n)).
 *
 * Memory: 7 columns, 48 bytes per covering consistent read; nothing per other op.
 */
import type { Op } from '../../history/op.ts';
import type { Deadline } from '../deadline.ts';
import { BudgetExceeded } from '../deadline.ts';
import { Float64Column, Int32Column } from './columns.ts';
import { type IdTable, KIND_DEPOSIT, KIND_WITHDRAW } from './id-table.ts';
import { SortedPrefixSums } from './sorted-prefix-sums.ts';

const DEADLINE_POLL_ROWS = 4096;

export interface LegalRange {
  lower: number;
  upper: number;
}

/** Deposits and withdrawals by when they surely applied (ok) and when they may have (invoke). */
export interface MoneyMovements {
  depositsDefinite: SortedPrefixSums;
  depositsPossible: SortedPrefixSums;
  withdrawalsDefinite: SortedPrefixSums;
  withdrawalsPossible: SortedPrefixSums;
}

function movementsOf(ids: IdTable, kind: number): [SortedPrefixSums, SortedPrefixSums] {
  let count = 0;
  for (let slot = 0; slot < ids.size; slot += 1) if (ids.kind.data[slot] === kind) count += 1;
  const okKeys = new Float64Array(count);
  const possibleKeys = new Float64Array(count);
  const amounts = new Float64Array(count);
  let row = 0;
  for (let slot = 0; slot < ids.size; slot += 1) {
    if (ids.kind.data[slot] !== kind) continue;
    okKeys[row] = ids.okNs.data[slot] as number;
    possibleKeys[row] = ids.possibleNs.data[slot] as number;
    amounts[row] = ids.amount.data[slot] as number;
    row += 1;
  }
  return [new SortedPrefixSums(okKeys, amounts), new SortedPrefixSums(possibleKeys, amounts)];
}

export function moneyMovementsOf(ids: IdTable): MoneyMovements {
  const [depositsDefinite, depositsPossible] = movementsOf(ids, KIND_DEPOSIT);
  const [withdrawalsDefinite, withdrawalsPossible] = movementsOf(ids, KIND_WITHDRAW);
  return { depositsDefinite, depositsPossible, withdrawalsDefinite, withdrawalsPossible };
}

/**
 * The totals a read over [invokeNs, endNs] may legally see, from `initial`, the range the total
 * before any op lies in (one value when init declares it). An ok completion at the very
 * nanosecond the read is invoked is not "before" it, and an invoke at the nanosecond the read
 * completes may be before it: ties widen the range, since the clock cannot order them.
 * Example: deposit d1 (50) ok at 5 s, read invoked at 5 s: d1 counts as possible, not definite,
 * so both T0 and T0 + 50 are legal.
 */
export function legalRange(
  movements: MoneyMovements,
  initial: LegalRange,
  invokeNs: number,
  endNs: number,
): LegalRange {
  const depositsDefinite = movements.depositsDefinite.sumBefore(invokeNs, true);
  const depositsPossible = movements.depositsPossible.sumBefore(endNs, false);
  const withdrawalsDefinite = movements.withdrawalsDefinite.sumBefore(invokeNs, true);
  const withdrawalsPossible = movements.withdrawalsPossible.sumBefore(endNs, false);
  return {
    lower: initial.lower + depositsDefinite - withdrawalsPossible,
    upper: initial.upper + depositsPossible - withdrawalsDefinite,
  };
}

export class ConsistentReads {
  readonly invokeNs = new Float64Column();
  readonly endNs = new Float64Column();
  readonly total = new Float64Column();
  readonly invokeIndex = new Int32Column();
  readonly completionIndex = new Int32Column();
  readonly process = new Float64Column();
  readonly region = new Int32Column();

  get size(): number {
    return this.total.length;
  }

  add(invoke: Op, completion: Op, total: number, regionId: number): void {
    if (typeof invoke.process !== 'number' || invoke.time > completion.time) {
      throw new Error(`read ${invoke.index}..${completion.index} is not a client op in time order`);
    }
    this.invokeNs.push(invoke.time);
    this.endNs.push(completion.time);
    this.total.push(total);
    this.invokeIndex.push(invoke.index);
    this.completionIndex.push(completion.index);
    this.process.push(invoke.process);
    this.region.push(regionId);
  }

  /** Calls `onWrong` for every read whose total lies outside its legal range. */
  settle(
    movements: MoneyMovements,
    initial: LegalRange,
    deadline: Deadline,
    onWrong: (row: number, range: LegalRange) => void,
  ): void {
    for (let row = 0; row < this.size; row += 1) {
      if (row % DEADLINE_POLL_ROWS === 0 && deadline.expired()) {
        throw new BudgetExceeded(`judging consistent read ${row} of ${this.size}`);
      }
      const range = legalRange(
        movements,
        initial,
        this.invokeNs.data[row] as number,
        this.endNs.data[row] as number,
      );
      const total = this.total.data[row] as number;
      if (total < range.lower || total > range.upper) onWrong(row, range);
    }
  }
}
