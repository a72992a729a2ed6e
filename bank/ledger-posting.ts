/**
 * Posting money inside one SQL transaction: each leg updates the account's authoritative
 * balance, appends a ledger row and, for the projector, an outbox row. A transaction's legs are
 * its double entry: a transfer's two legs sum to zero, a deposit's one leg is +amount.
 */
import type { SqlTx } from './ports.ts';
import {
  type AccountRow,
  parseAccountRow,
  parseSeqRow,
  SEQ_KEY,
  seqKey,
  TABLE,
} from './sql-schema.ts';

/** A signed change of one account's balance. */
export interface Leg {
  account: string;
  amount: number;
}

export interface PostingOptions {
  /** Outbox rows feed the projector; the 'lww-balance-update' bank keeps balances otherwise. */
  outbox: boolean;
  /**
   * Where the legs posted are collected, for the 'lww-balance-update' bank to write the balances
   * itself once the transaction has committed. Create it inside the transaction's function: that
   * function may run more than once.
   */
  posted?: Leg[];
}

export async function readAccount(tx: SqlTx, account: string): Promise<AccountRow> {
  return parseAccountRow(await tx.get(TABLE.accounts, account), account);
}

/** The first debit leg the account's balance cannot cover, legs taken in order. */
export async function firstShortLeg(
  tx: Pick<SqlTx, 'get'>,
  legs: readonly Leg[],
): Promise<Leg | undefined> {
  const balances = new Map<string, number>();
  for (const leg of legs) {
    const balance =
      balances.get(leg.account) ??
      parseAccountRow(await tx.get(TABLE.accounts, leg.account), leg.account).balance;
    if (balance + leg.amount < 0) return leg;
    balances.set(leg.account, balance + leg.amount);
  }
  return undefined;
}

export async function postLegs(
  tx: SqlTx,
  txId: string,
  legs: readonly Leg[],
  options: PostingOptions,
): Promise<void> {
  let seq = parseSeqRow(await tx.get(TABLE.meta, SEQ_KEY));
  for (const leg of legs) {
    const before = await readAccount(tx, leg.account);
    const after: AccountRow = { balance: before.balance + leg.amount, version: before.version + 1 };
    await tx.put(TABLE.accounts, leg.account, after);
    await tx.put(TABLE.ledger, seqKey(seq), { tx: txId, account: leg.account, amount: leg.amount });
    seq += 1;
    if (options.outbox) {
      await tx.put(TABLE.outbox, seqKey(seq), { account: leg.account, ...after });
      seq += 1;
    }
  }
  options.posted?.push(...legs);
  await tx.put(TABLE.meta, SEQ_KEY, { next: seq });
}

/** The legs that undo `legs`, in reverse order. */
export function reversed(legs: readonly Leg[]): Leg[] {
  return [...legs].reverse().map((leg) => ({ account: leg.account, amount: -leg.amount }));
}
