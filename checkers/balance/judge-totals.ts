/**
 * Judges totals: every covering consistent read against the deposits and withdrawals around it,
 * and every complete final read against the acknowledged and unknown ones. Transfers never
 * change the total, so only deposits and withdrawals move the legal range.
 */
import type { AnomalyLog } from '../anomaly-log.ts';
import type { Deadline } from '../deadline.ts';
import { wrongTotalFinal, wrongTotalRead } from './anomalies-account.ts';
import type { BalanceIntake } from './balance-intake.ts';
import { type LegalRange, moneyMovementsOf } from './consistent-reads.ts';
import { KIND_DEPOSIT, KIND_WITHDRAW } from './id-table.ts';

export function judgeReadTotals(intake: BalanceIntake, log: AnomalyLog, deadline: Deadline): void {
  const { reads, ids } = intake;
  const initialTotal = intake.accounts.initTotal;
  const movements = moneyMovementsOf(ids);
  reads.settle(movements, initialTotal, deadline, (row, range) => {
    const place = {
      process: reads.process.at(row),
      region: ids.region(reads.region.at(row)),
      invokeNs: reads.invokeNs.at(row),
      endNs: reads.endNs.at(row),
      invokeIndex: reads.invokeIndex.at(row),
      completionIndex: reads.completionIndex.at(row),
    };
    log.add(wrongTotalRead(place, reads.total.at(row), range, initialTotal));
  });
}

/**
 * [T0 + ok deposits - ok withdrawals - unknown withdrawals,
 *  T0 + ok deposits + unknown deposits - ok withdrawals]: an id is ok if any attempt was ok,
 * failed if every attempt failed, unknown otherwise.
 */
export function finalLegalRange(intake: BalanceIntake): LegalRange {
  const { ids } = intake;
  let lower = intake.accounts.initTotal;
  let upper = lower;
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

/** Returns how many final reads were held to the total. */
export function judgeFinalTotals(intake: BalanceIntake, log: AnomalyLog): number {
  const range = finalLegalRange(intake);
  let checked = 0;
  for (const read of intake.finals.reads) {
    if (!read.complete) continue;
    checked += 1;
    if (read.total < range.lower || read.total > range.upper) {
      log.add(wrongTotalFinal(read, range, intake.accounts.initTotal));
    }
  }
  return checked;
}
