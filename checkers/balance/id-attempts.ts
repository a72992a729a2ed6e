/**
 * What happened to one id: its attempts' outcomes (recorded when each resolves) and the ledger
 * entries that name it (recorded as ledger lines are read). Pure updates of IdTable columns.
 */
import type { ClientOp } from '../../history/op.ts';
import { type IdTable, KIND_DEPOSIT, KIND_TRANSFER, KIND_WITHDRAW } from './id-table.ts';

export function recordAttempt(ids: IdTable, slot: number, clientOp: ClientOp): void {
  const completion = clientOp.completion;
  recordAttemptOf(
    ids,
    slot,
    clientOp.type,
    clientOp.invoke.index,
    clientOp.startNs,
    clientOp.invoke.region,
    completion === null ? -1 : completion.index,
    completion === null ? Number.NaN : completion.time,
  );
}

/** `recordAttempt` from the fields it reads (a parallel read's digest has no ClientOp). */
export function recordAttemptOf(
  ids: IdTable,
  slot: number,
  type: ClientOp['type'],
  invokeIndex: number,
  startNs: number,
  region: unknown,
  completionIndex: number,
  completionNs: number,
): void {
  const completed = completionIndex !== -1;
  ids.attempts.data[slot] = (ids.attempts.data[slot] as number) + 1;
  // Pending attempts arrive after the last line, so "first" and "last" go by invoke index.
  const first = ids.firstInvoke.data[slot] as number;
  if (first === -1 || invokeIndex < first) {
    ids.firstInvoke.data[slot] = invokeIndex;
    ids.firstCompletion.data[slot] = completionIndex;
  }
  if (invokeIndex >= (ids.lastInvoke.data[slot] as number)) {
    ids.lastInvoke.data[slot] = invokeIndex;
    ids.lastCompletion.data[slot] = completionIndex;
    ids.lastRegion.data[slot] = ids.internRegion(region);
    ids.lastNs.data[slot] = completed ? completionNs : startNs;
  }
  if (type === 'fail') {
    ids.fails.data[slot] = (ids.fails.data[slot] as number) + 1;
    return;
  }
  if (startNs < (ids.possibleNs.data[slot] as number)) {
    ids.possibleNs.data[slot] = startNs;
  }
  if (type !== 'ok' || !completed) return;
  ids.oks.data[slot] = (ids.oks.data[slot] as number) + 1;
  if (completionNs < (ids.okNs.data[slot] as number)) {
    ids.okNs.data[slot] = completionNs;
    ids.okInvoke.data[slot] = invokeIndex;
    ids.okCompletion.data[slot] = completionIndex;
    ids.okRegion.data[slot] = ids.internRegion(region);
  }
}

/**
 * Files one ledger entry under its id: an entry that is exactly the op's debit counts on the
 * minus side, exactly its credit on the plus side, anything else is bad. A transfer from an
 * account to itself (or of 0) has entries matching both sides; they go to the emptier side, so
 * that one correct application still counts as one.
 */
export function recordEntry(
  ids: IdTable,
  slot: number,
  account: number,
  amount: number,
  lineIndex: number,
): void {
  ids.entriesNet.data[slot] = (ids.entriesNet.data[slot] as number) + amount;
  if (ids.ledgerLineFirst.data[slot] === -1) ids.ledgerLineFirst.data[slot] = lineIndex;
  ids.ledgerLineLast.data[slot] = lineIndex;
  const kind = ids.kind.data[slot];
  const expected = ids.amount.data[slot] as number;
  const onA = ids.accountA.data[slot] === account;
  const minus = onA && (kind === KIND_TRANSFER || kind === KIND_WITHDRAW) && amount === -expected;
  const plus =
    (kind === KIND_TRANSFER && ids.accountB.data[slot] === account && amount === expected) ||
    (kind === KIND_DEPOSIT && onA && amount === expected);
  const minusCount = ids.entriesMinus.data[slot] as number;
  const plusCount = ids.entriesPlus.data[slot] as number;
  if (minus && (!plus || minusCount <= plusCount)) {
    ids.entriesMinus.data[slot] = minusCount + 1;
  } else if (plus) {
    ids.entriesPlus.data[slot] = plusCount + 1;
  } else {
    ids.entriesBad.data[slot] = (ids.entriesBad.data[slot] as number) + 1;
    ids.addBadSample(slot, account, amount);
  }
}

/** Entries of any kind recorded for the id. */
export function entriesOf(ids: IdTable, slot: number): number {
  return (
    (ids.entriesMinus.data[slot] as number) +
    (ids.entriesPlus.data[slot] as number) +
    (ids.entriesBad.data[slot] as number)
  );
}

/**
 * How many times the ledger applied the id, or -1 when its entries are not whole applications
 * (a wrong amount or account, a debit without its credit).
 */
export function applicationsOf(ids: IdTable, slot: number): number {
  if ((ids.entriesBad.data[slot] as number) > 0) return -1;
  const minus = ids.entriesMinus.data[slot] as number;
  const plus = ids.entriesPlus.data[slot] as number;
  const kind = ids.kind.data[slot];
  if (kind === KIND_TRANSFER) return minus === plus ? minus : -1;
  return kind === KIND_DEPOSIT ? plus : minus;
}
