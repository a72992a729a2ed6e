/**
 * Judges every transfer/deposit/withdraw id against the ledger. Expected applications: exactly
 * one if any attempt was ok, none if every attempt failed, none or one otherwise; more than one
 * is a duplicate whatever the outcome. Entries that are not whole applications are unbalanced.
 */
import type { AnomalyLog } from '../anomaly-log.ts';
import { BudgetExceeded, type Deadline } from '../deadline.ts';
import {
  duplicateTransfer,
  failedTransferApplied,
  lostTransfer,
  unbalancedTransfer,
} from './anomalies-id.ts';
import type { BalanceIntake } from './balance-intake.ts';
import { applicationsOf, entriesOf } from './id-attempts.ts';

const DEADLINE_POLL_IDS = 4096;

export interface IdVerdicts {
  lostAcknowledged: number;
  idsJudged: number;
  idsConflicting: number;
}

export function judgeIds(intake: BalanceIntake, log: AnomalyLog, deadline: Deadline): IdVerdicts {
  const { ids, accounts } = intake;
  const ledgerLines: [number, number] = [intake.ledgerLineFirst, intake.ledgerLineLast];
  const verdicts: IdVerdicts = { lostAcknowledged: 0, idsJudged: 0, idsConflicting: 0 };
  for (let slot = 0; slot < ids.size; slot += 1) {
    if (slot % DEADLINE_POLL_IDS === 0 && deadline.expired()) {
      throw new BudgetExceeded(`judging id ${slot} of ${ids.size} against the ledger`);
    }
    if (ids.conflicting.at(slot) !== 0) {
      verdicts.idsConflicting += 1;
      continue;
    }
    verdicts.idsJudged += 1;
    const entries = entriesOf(ids, slot);
    const acknowledged = ids.oks.at(slot) > 0;
    if (entries === 0) {
      if (acknowledged) {
        verdicts.lostAcknowledged += 1;
        log.add(lostTransfer(ids, accounts, slot, ledgerLines));
      }
      continue;
    }
    if (ids.fails.at(slot) === ids.attempts.at(slot)) {
      log.add(failedTransferApplied(ids, accounts, slot, entries));
    }
    const applications = applicationsOf(ids, slot);
    if (applications === -1) log.add(unbalancedTransfer(ids, accounts, slot));
    else if (applications > 1) log.add(duplicateTransfer(ids, accounts, slot, applications));
  }
  return verdicts;
}
