/**
 * Judges totals: every covering consistent read against the deposits and withdrawals around it,
 * and every complete final read against the acknowledged and unknown ones. Transfers never
 * change the total, so only deposits and withdrawals move the legal range.
 *
 * The total before any op comes from init when it declares accounts. Without one (a raw Jepsen
 * bank history keeps its total in the test map), the first consistent read of every account is
 * the reference: see `totalReference`.
 */
import type { AnomalyLog } from '../anomaly-log.ts';
import type { Deadline } from '../deadline.ts';
import {
  type ReadPlace,
  type TotalBasis,
  wrongTotalFinal,
  wrongTotalRead,
} from './anomalies-account.ts';
import type { BalanceIntake } from './balance-intake.ts';
import { type LegalRange, legalRange, type MoneyMovements } from './consistent-reads.ts';
import type { FinalRead } from './final-reads.ts';
import { KIND_DEPOSIT, KIND_WITHDRAW } from './id-table.ts';

/** Where totals are judged from. */
export interface TotalReference {
  /** The range the total before any op lies in: one value when init declares it. */
  initial: LegalRange;
  basis: TotalBasis;
}

function readPlace(intake: BalanceIntake, row: number): ReadPlace {
  const { reads, ids } = intake;
  return {
    process: reads.process.at(row),
    region: ids.region(reads.region.at(row)),
    invokeNs: reads.invokeNs.at(row),
    endNs: reads.endNs.at(row),
    invokeIndex: reads.invokeIndex.at(row),
    completionIndex: reads.completionIndex.at(row),
  };
}

/**
 * Init's total T0 when init declares accounts. Otherwise the first covering consistent read (in
 * completion order): its total R1 and what the deposits and withdrawals around it may have
 * added, [lower1, upper1], put T0 in [R1 - upper1, R1 - lower1]; null when there is no such read.
 * Example: no init; deposit d1 (50) invoked at 1 s, info; read 1 over [2 s, 2.1 s] sums 150, so
 * T0 is in [100, 150]; read 2 at 3 s may sum to anything in [100, 200]: 90 is wrong-total.
 */
export function totalReference(
  intake: BalanceIntake,
  movements: MoneyMovements,
): TotalReference | null {
  const accounts = intake.accounts;
  if (accounts.declared) {
    const total = accounts.initTotal;
    return { initial: { lower: total, upper: total }, basis: { initialTotal: total } };
  }
  const reads = intake.reads;
  if (reads.size === 0) return null;
  const read = readPlace(intake, 0);
  const total = reads.total.at(0);
  const around = legalRange(movements, { lower: 0, upper: 0 }, read.invokeNs, read.endNs);
  return {
    initial: { lower: total - around.upper, upper: total - around.lower },
    basis: { reference: read, referenceTotal: total },
  };
}

export function judgeReadTotals(
  intake: BalanceIntake,
  log: AnomalyLog,
  deadline: Deadline,
  reference: TotalReference,
  movements: MoneyMovements,
): void {
  const { reads } = intake;
  reads.settle(movements, reference.initial, deadline, (row, range) => {
    log.add(wrongTotalRead(readPlace(intake, row), reads.total.at(row), range, reference.basis));
  });
}

/**
 * [T0 + ok deposits - ok withdrawals - unknown withdrawals,
 *  T0 + ok deposits + unknown deposits - ok withdrawals]: an id is ok if any attempt was ok,
 * failed if every attempt failed, unknown otherwise. T0 may be a range (no init).
 */
export function finalLegalRange(intake: BalanceIntake, initial: LegalRange): LegalRange {
  const { ids } = intake;
  let lower = initial.lower;
  let upper = initial.upper;
  for (let slot = 0; slot < ids.size; slot += 1) {
    const kind = ids.kind.at(slot);
    if (kind !== KIND_DEPOSIT && kind !== KIND_WITHDRAW) continue;
    const amount = ids.amount.at(slot);
    const acknowledged = ids.oks.at(slot) > 0;
    if (!acknowledged && ids.fails.at(slot) === ids.attempts.at(slot)) continue;
    if (kind === KIND_DEPOSIT) {
      upper += amount;
      if (acknowledged) lower += amount;
    } else {
      lower -= amount;
      if (acknowledged) upper -= amount;
    }
  }
  return { lower, upper };
}

/**
 * Whether a final read's total is judged: it holds every account init declared or, without
 * init, every account the reference read returned.
 */
export function finalHeldToTotal(intake: BalanceIntake, read: FinalRead): boolean {
  if (intake.accounts.declared) return read.complete;
  const referenceAccounts = intake.referenceAccounts;
  if (referenceAccounts === null) return false;
  const held = new Set(read.accounts);
  return referenceAccounts.every((account) => held.has(account));
}

/** Returns how many final reads were held to the total. */
export function judgeFinalTotals(
  intake: BalanceIntake,
  log: AnomalyLog,
  reference: TotalReference,
): number {
  const range = finalLegalRange(intake, reference.initial);
  let checked = 0;
  for (const read of intake.finals.reads) {
    if (!finalHeldToTotal(intake, read)) continue;
    checked += 1;
    if (read.total < range.lower || read.total > range.upper) {
      log.add(wrongTotalFinal(read, range, reference.basis));
    }
  }
  return checked;
}
