/**
 * Anomalies about one transfer/deposit/withdraw id against the ledger: lost-transfer,
 * duplicate-transfer, failed-transfer-applied, unbalanced-transfer. Built only when found.
 */
import type { Anomaly } from '../checker.ts';
import type { AccountTable } from './account-table.ts';
import { at, describeId, inRegionId, opsOf, signed } from './describe.ts';
import { type IdTable, KIND_DEPOSIT, KIND_NAMES, KIND_TRANSFER } from './id-table.ts';

function idDetails(ids: IdTable, accounts: AccountTable, slot: number): Record<string, unknown> {
  const details: Record<string, unknown> = {
    id: ids.ids[slot],
    f: KIND_NAMES[ids.kind.at(slot)],
    amount: ids.amount.at(slot),
  };
  const accountA = accounts.name(ids.accountA.at(slot));
  if (ids.kind.at(slot) === KIND_TRANSFER) {
    details.from = accountA;
    details.to = accounts.name(ids.accountB.at(slot));
  } else {
    details.account = accountA;
  }
  return details;
}

/** The first and last attempts' lines and the ledger lines holding the id. */
function attemptOps(ids: IdTable, slot: number): number[] {
  return opsOf(
    ids.firstInvoke.at(slot),
    ids.firstCompletion.at(slot),
    ids.lastInvoke.at(slot),
    ids.lastCompletion.at(slot),
    ids.ledgerLineFirst.at(slot),
    ids.ledgerLineLast.at(slot),
  );
}

export function lostTransfer(
  ids: IdTable,
  accounts: AccountTable,
  slot: number,
  ledgerLines: [number, number],
): Anomaly {
  const what = describeId(ids, accounts, slot);
  return {
    type: 'lost-transfer',
    message: `${what} was acknowledged at ${at(ids.okNs.at(slot))}${inRegionId(ids, ids.okRegion.at(slot))} but has no entry in the ledger read after recovery: an acknowledged payment was lost (RPO > 0)`,
    ops: opsOf(ids.okInvoke.at(slot), ids.okCompletion.at(slot), ...ledgerLines),
    ...idDetails(ids, accounts, slot),
  };
}

function outcomeWords(ids: IdTable, slot: number): string {
  if (ids.oks.at(slot) > 0) return 'it was acknowledged';
  if (ids.fails.at(slot) === ids.attempts.at(slot)) return 'it failed';
  return 'its outcome was unknown';
}

export function duplicateTransfer(
  ids: IdTable,
  accounts: AccountTable,
  slot: number,
  applications: number,
): Anomaly {
  const attempts = ids.attempts.at(slot);
  return {
    type: 'duplicate-transfer',
    message: `${describeId(ids, accounts, slot)} was applied ${applications} times in the ledger though an id applies at most once (${outcomeWords(ids, slot)}, after ${attempts} attempt${attempts === 1 ? '' : 's'}): a retry re-applied it, so check idempotency keys`,
    ops: attemptOps(ids, slot),
    ...idDetails(ids, accounts, slot),
    applications,
    attempts,
  };
}

export function failedTransferApplied(
  ids: IdTable,
  accounts: AccountTable,
  slot: number,
  entries: number,
): Anomaly {
  const attempts = ids.attempts.at(slot);
  const last = `${at(ids.lastNs.at(slot))}${inRegionId(ids, ids.lastRegion.at(slot))}`;
  return {
    type: 'failed-transfer-applied',
    message: `${describeId(ids, accounts, slot)} failed (${attempts === 1 ? 'its only attempt' : `all ${attempts} attempts`}, the last at ${last}) but the ledger holds ${entries} entr${entries === 1 ? 'y' : 'ies'} for it: a failure was reported for a payment that took effect`,
    ops: attemptOps(ids, slot),
    ...idDetails(ids, accounts, slot),
    entries,
  };
}

function expectedEntries(ids: IdTable, accounts: AccountTable, slot: number): string {
  const amount = ids.amount.at(slot);
  const accountA = accounts.name(ids.accountA.at(slot));
  const kind = ids.kind.at(slot);
  if (kind === KIND_TRANSFER) {
    return `${accountA} ${signed(-amount)} and ${accounts.name(ids.accountB.at(slot))} ${signed(amount)}`;
  }
  return `${accountA} ${signed(kind === KIND_DEPOSIT ? amount : -amount)}`;
}

export function unbalancedTransfer(ids: IdTable, accounts: AccountTable, slot: number): Anomaly {
  const samples = ids.badSamples.get(slot) ?? [];
  const shown = samples.map((s) => `${accounts.name(s.account)} ${signed(s.amount)}`).join(', ');
  const bad = ids.entriesBad.at(slot);
  const found =
    bad > 0
      ? `${bad === 1 ? '1 entry that matches' : `${bad} entries that match`} neither side${shown === '' ? '' : ` (${shown})`}`
      : `${ids.entriesMinus.at(slot)} debit and ${ids.entriesPlus.at(slot)} credit entries`;
  return {
    type: 'unbalanced-transfer',
    message: `${describeId(ids, accounts, slot)} has ledger entries that do not match it: expected ${expectedEntries(ids, accounts, slot)}, found ${found}, netting ${signed(ids.entriesNet.at(slot))}`,
    ops: attemptOps(ids, slot),
    ...idDetails(ids, accounts, slot),
    entriesNet: ids.entriesNet.at(slot),
    entriesMatchingDebit: ids.entriesMinus.at(slot),
    entriesMatchingCredit: ids.entriesPlus.at(slot),
    entriesOther: bad,
    samples: samples.map((s) => ({ account: accounts.name(s.account), amount: s.amount })),
  };
}
