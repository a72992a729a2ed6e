/**
 * The bank's tables in the SQL cluster (the Aurora global database) and the rows they hold. Rows
 * are JSON; every read goes through a parse function that throws on a row the bank did not write
 * (a corrupted table must stop the bank, not be guessed at).
 *
 * - `accounts`: account -> {balance, version}. The authoritative balances; `version` counts the
 *   updates of that account, so the projection can tell a newer balance from an older one.
 * - `ledger`: sequence key -> {tx, account, amount}. Double entry, one row per leg, in commit order.
 * - `outbox`: sequence key -> {account, balance, version}. One row per account update, drained
 *   by the projector into the key-value balances; deleted once projected.
 * - `idempotency`: op id -> the first outcome of a transfer/deposit/withdraw.
 * - `registers`: key -> {value}. The strongly consistent register table.
 * - `sagas`: saga id -> the saga log record; `sagas-pending`: saga id -> {} while it is pending.
 * - `meta`: `seq` -> {next}: the sequence behind ledger and outbox keys.
 */
import type { JsonValue } from './ports.ts';

export const TABLE = {
  accounts: 'accounts',
  ledger: 'ledger',
  outbox: 'outbox',
  idempotency: 'idempotency',
  registers: 'registers',
  sagas: 'sagas',
  sagasPending: 'sagas-pending',
  meta: 'meta',
} as const;

export const SEQ_KEY = 'seq';
/** Sequence keys are zero-padded so that key order is commit order. */
const SEQ_DIGITS = 12;

export function seqKey(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= 10 ** SEQ_DIGITS) {
    throw new Error(`sequence ${seq} is out of range`);
  }
  return String(seq).padStart(SEQ_DIGITS, '0');
}

export type AccountRow = { balance: number; version: number };
export type LedgerRow = { tx: string; account: string; amount: number };
export type OutboxRow = { account: string; balance: number; version: number };
export type IdempotencyRow = { outcome: 'ok' } | { outcome: 'rejected'; error: string };
export type RegisterRow = { value: string | number | null };

function record(row: JsonValue | undefined, what: string): { [key: string]: JsonValue } {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) {
    throw new Error(`${what}: not a row the bank wrote: ${JSON.stringify(row)}`);
  }
  return row;
}

function integer(row: { [key: string]: JsonValue }, field: string, what: string): number {
  const value = row[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new Error(`${what}: field ${field} is not an integer: ${JSON.stringify(value)}`);
  }
  return value;
}

function text(row: { [key: string]: JsonValue }, field: string, what: string): string {
  const value = row[field];
  if (typeof value !== 'string') {
    throw new Error(`${what}: field ${field} is not a string: ${JSON.stringify(value)}`);
  }
  return value;
}

export function parseAccountRow(row: JsonValue | undefined, account: string): AccountRow {
  const what = `accounts/${account}`;
  const r = record(row, what);
  return { balance: integer(r, 'balance', what), version: integer(r, 'version', what) };
}

export function parseLedgerRow(row: JsonValue, key: string): LedgerRow {
  const what = `ledger/${key}`;
  const r = record(row, what);
  return {
    tx: text(r, 'tx', what),
    account: text(r, 'account', what),
    amount: integer(r, 'amount', what),
  };
}

export function parseOutboxRow(row: JsonValue, key: string): OutboxRow {
  const what = `outbox/${key}`;
  const r = record(row, what);
  return {
    account: text(r, 'account', what),
    balance: integer(r, 'balance', what),
    version: integer(r, 'version', what),
  };
}

export function parseIdempotencyRow(row: JsonValue, id: string): IdempotencyRow {
  const what = `idempotency/${id}`;
  const r = record(row, what);
  if (r.outcome === 'ok') return { outcome: 'ok' };
  if (r.outcome === 'rejected') return { outcome: 'rejected', error: text(r, 'error', what) };
  throw new Error(`${what}: unknown outcome ${JSON.stringify(r.outcome)}`);
}

export function parseRegisterRow(row: JsonValue, key: string): RegisterRow {
  const what = `registers/${key}`;
  const value = record(row, what).value;
  if (value === null || typeof value === 'string' || typeof value === 'number') return { value };
  throw new Error(`${what}: not a register value: ${JSON.stringify(value)}`);
}

export function parseSeqRow(row: JsonValue | undefined): number {
  if (row === undefined) return 0;
  return integer(record(row, 'meta/seq'), 'next', 'meta/seq');
}
