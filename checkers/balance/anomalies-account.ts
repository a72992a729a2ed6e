/**
 * Anomalies about accounts and totals: unexpected-account, negative-balance, nil-balance,
 * wrong-total, divergence, ledger-mismatch. Built only when one is found.
 */
import type { Anomaly } from '../checker.ts';
import { formatTimeNs, inRegion } from '../format.ts';
import type { LegalRange } from './consistent-reads.ts';
import { opsOf } from './describe.ts';
import type { FinalRead } from './final-reads.ts';

export function unexpectedAccount(account: string, where: string, ops: number[]): Anomaly {
  return {
    type: 'unexpected-account',
    message: `account ${account}, which init never created, first appears in ${where}; declare it in init or find what invented it`,
    ops: opsOf(...ops),
    account,
  };
}

export function negativeBalance(
  account: string,
  balance: number,
  where: string,
  ops: number[],
): Anomaly {
  return {
    type: 'negative-balance',
    message: `account ${account} is ${balance} in ${where}: some debit was allowed without the funds to cover it`,
    ops: opsOf(...ops),
    account,
    balance,
  };
}

/** Jepsen's :nil-balance: a consistent read returned no balance (nil) for some accounts. */
export function nilBalance(accounts: readonly string[], where: string, ops: number[]): Anomaly {
  const named = accounts.map((account) => `account ${account}`).join(', ');
  return {
    type: 'nil-balance',
    message: `${named} ${accounts.length === 1 ? 'has' : 'have'} no balance (null) in ${where}, so its total was not checked: the bank lost the account or the read is not a snapshot of every account`,
    ops: opsOf(...ops),
    accounts: [...accounts],
  };
}

export interface ReadPlace {
  process: number;
  region: string | undefined;
  invokeNs: number;
  endNs: number;
  invokeIndex: number;
  completionIndex: number;
}

/**
 * What a total was judged from: init's total, or (no init declares accounts) the first
 * consistent read of every account, whose ops then belong to every wrong-total too.
 */
export type TotalBasis =
  | { initialTotal: number }
  | { reference: ReadPlace; referenceTotal: number };

function basisWords(basis: TotalBasis): string {
  if ('initialTotal' in basis) return `the initial total ${basis.initialTotal}`;
  const read = basis.reference;
  return `the total ${basis.referenceTotal} of the first consistent read of every account (process ${read.process}${inRegion(read.region)}, invoked ${formatTimeNs(read.invokeNs)}, completed ${formatTimeNs(read.endNs)}; no init declares the accounts)`;
}

function basisOps(basis: TotalBasis): number[] {
  if ('initialTotal' in basis) return [];
  return [basis.reference.invokeIndex, basis.reference.completionIndex];
}

function basisFields(basis: TotalBasis): Record<string, unknown> {
  if ('initialTotal' in basis) return { initialTotal: basis.initialTotal };
  return {
    referenceTotal: basis.referenceTotal,
    referenceOps: [basis.reference.invokeIndex, basis.reference.completionIndex],
  };
}

export function wrongTotalRead(
  place: ReadPlace,
  total: number,
  range: LegalRange,
  basis: TotalBasis,
): Anomaly {
  return {
    type: 'wrong-total',
    message: `the consistent balances read by process ${place.process}${inRegion(place.region)} (invoked ${formatTimeNs(place.invokeNs)}, completed ${formatTimeNs(place.endNs)}) sums to ${total}, outside the legal range [${range.lower}, ${range.upper}] from ${basisWords(basis)} and the deposits and withdrawals around it: money was created or destroyed, or the snapshot is torn`,
    ops: opsOf(place.invokeIndex, place.completionIndex, ...basisOps(basis)),
    total,
    lower: range.lower,
    upper: range.upper,
    ...basisFields(basis),
  };
}

export function wrongTotalFinal(read: FinalRead, range: LegalRange, basis: TotalBasis): Anomaly {
  return {
    type: 'wrong-total',
    message: `the final read in ${read.region} sums to ${read.total}, outside the legal range [${range.lower}, ${range.upper}] from ${basisWords(basis)}, the acknowledged deposits and withdrawals and those of unknown outcome: money was created or destroyed`,
    ops: opsOf(read.index, ...basisOps(basis)),
    region: read.region,
    total: read.total,
    lower: range.lower,
    upper: range.upper,
    ...basisFields(basis),
  };
}

export interface RegionBalance {
  region: string;
  index: number;
  /** null: the account is absent from that final read. */
  balance: number | null;
}

export function divergence(account: string, values: RegionBalance[]): Anomaly {
  const listed = values
    .map((v) => `${v.balance === null ? 'absent' : v.balance} in ${v.region}`)
    .join(', ');
  return {
    type: 'divergence',
    message: `account ${account} differs between regions after quiescence (${listed}): replication lost or reordered an update`,
    ops: opsOf(...values.map((v) => v.index)),
    account,
    balances: values.map((v) => ({ region: v.region, balance: v.balance })),
  };
}

export interface LedgerMismatchFacts {
  account: string;
  read: FinalRead;
  balance: number;
  initBalance: number;
  ledgerNet: number;
  ledgerLines: number[];
}

export function ledgerMismatch(facts: LedgerMismatchFacts): Anomaly {
  const expected = facts.initBalance + facts.ledgerNet;
  return {
    type: 'ledger-mismatch',
    message: `account ${facts.account} is ${facts.balance} in the final read in ${facts.read.region}, but its init balance ${facts.initBalance} plus its ledger entries (net ${facts.ledgerNet}) gives ${expected}: the balance and the ledger disagree by ${facts.balance - expected}`,
    ops: opsOf(facts.read.index, ...facts.ledgerLines),
    account: facts.account,
    region: facts.read.region,
    balance: facts.balance,
    initBalance: facts.initBalance,
    ledgerNet: facts.ledgerNet,
    expected,
  };
}
