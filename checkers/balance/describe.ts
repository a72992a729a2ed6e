/**
 * Words for messages: how to name an op id, a read, a place in the history. Called only when an
 * anomaly is found, never on the hot path.
 */
import { formatTimeNs } from '../format.ts';
import type { AccountTable } from './account-table.ts';
import { type IdTable, KIND_DEPOSIT, KIND_NAMES, KIND_TRANSFER } from './id-table.ts';

/** "transfer t17 (a -> b, 300)", "deposit d1 (a, +50)", "withdraw w1 (a, -50)". */
export function describeId(ids: IdTable, accounts: AccountTable, slot: number): string {
  const kind = ids.kind.at(slot);
  const id = ids.ids[slot] as string;
  const amount = ids.amount.at(slot);
  const accountA = accounts.name(ids.accountA.at(slot));
  if (kind === KIND_TRANSFER) {
    return `transfer ${id} (${accountA} -> ${accounts.name(ids.accountB.at(slot))}, ${amount})`;
  }
  const sign = kind === KIND_DEPOSIT ? '+' : '-';
  return `${KIND_NAMES[kind]} ${id} (${accountA}, ${sign}${amount})`;
}

/** " in ap-northeast-1" for a region id, or "". */
export function inRegionId(ids: IdTable, regionId: number): string {
  const region = ids.region(regionId);
  return region === undefined ? '' : ` in ${region}`;
}

/** "12.300 s", or "the end of the history" for an op still pending. */
export function at(timeNs: number): string {
  return formatTimeNs(timeNs);
}

/** "+250" / "-300": a signed amount as ledger entries read. */
export function signed(amount: number): string {
  return amount >= 0 ? `+${amount}` : `${amount}`;
}

/** Distinct non-negative indices in ascending order: anomaly `ops`. */
export function opsOf(...indices: number[]): number[] {
  const kept = indices.filter((index) => index >= 0);
  return [...new Set(kept)].sort((a, b) => a - b);
}
