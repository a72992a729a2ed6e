/**
 * saga-leak: a saga's ledger entries (tx = saga id) against what its final status says they must
 * net to, per account. Judged only when the history has a ledger line.
 *
 * - compensated or failed: every account nets 0 (everything done was undone).
 * - completed, with its checkout op: `from` nets -amount, `to` nets +amount, every other account
 *   (holds, escrow, fees) nets 0. from == to nets 0.
 * - completed, no checkout op: the amount is unknown, so only the total must net 0 (no money
 *   created or destroyed).
 * - pending: not judged (stuck-saga already says so; its money may be anywhere).
 * - a checkout with no saga record that was not acknowledged: nothing may have moved, so every
 *   account nets 0. (An acknowledged one is already wrong-outcome.)
 */
import type { Anomaly } from '../checker.ts';
import type { CheckoutRecord } from './checkout-book.ts';
import type { TxSums } from './ledger-sums.ts';
import { describeSaga, describeStatus, opsOf } from './saga-describe.ts';
import type { SagaSummary } from './saga-summary.ts';

/** Accounts named in a message; the details carry them all. */
const ACCOUNTS_IN_MESSAGE_MAX = 4;

type Nets = Map<string, number>;

/** A leak anomaly, nothing wrong (null), or the reason the leak could not be judged. */
export type LeakJudgement = { anomaly: Anomaly } | { cannotJudge: string } | null;

function expectedCompleted(checkout: CheckoutRecord): Nets {
  const nets: Nets = new Map();
  nets.set(checkout.from, -checkout.amount);
  nets.set(checkout.to, (nets.get(checkout.to) ?? 0) + checkout.amount);
  return nets;
}

function signed(amount: number): string {
  return amount > 0 ? `+${amount}` : String(amount);
}

/** Accounts whose net differs from the expected one, sorted by name. */
function mismatches(expected: Nets, got: Nets): string[] {
  const accounts = new Set([...expected.keys(), ...got.keys()]);
  return [...accounts]
    .filter((account) => (expected.get(account) ?? 0) !== (got.get(account) ?? 0))
    .sort();
}

function describeMismatches(accounts: string[], expected: Nets, got: Nets): string {
  const shown = accounts.slice(0, ACCOUNTS_IN_MESSAGE_MAX).map((account) => {
    return `${account} nets ${signed(got.get(account) ?? 0)} (expected ${signed(expected.get(account) ?? 0)})`;
  });
  const more = accounts.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more account(s)` : '');
}

function leakAnomaly(
  what: string,
  expected: Nets,
  got: Nets,
  ops: number[],
  extra: Record<string, unknown>,
): Anomaly | null {
  const accounts = mismatches(expected, got);
  if (accounts.length === 0) return null;
  return {
    type: 'saga-leak',
    message: `${what} but its ledger entries leave ${describeMismatches(accounts, expected, got)}: post the entries that bring each account to its expected net`,
    ops,
    ...extra,
    accounts,
    expected: Object.fromEntries(accounts.map((a) => [a, expected.get(a) ?? 0])),
    got: Object.fromEntries(accounts.map((a) => [a, got.get(a) ?? 0])),
  };
}

function totalOf(nets: Nets): number {
  let total = 0;
  for (const net of nets.values()) total += net;
  return total;
}

export function judgeSagaLeak(
  summary: SagaSummary,
  checkout: CheckoutRecord | undefined,
  sums: TxSums | undefined,
): LeakJudgement {
  if (summary.status === 'pending') return null;
  const got: Nets = sums?.netByAccount ?? new Map();
  const ops = opsOf(checkout?.opIndices ?? [], [summary.lineIndex], sums?.lineIndices ?? []);
  const what = `${describeSaga(summary.id, checkout)} ${describeStatus(summary.status)}`;
  const extra = { saga: summary.id, sagaStatus: summary.status, entries: sums?.entries ?? 0 };
  if (summary.status !== 'completed') {
    const anomaly = leakAnomaly(what, new Map(), got, ops, extra);
    return anomaly === null ? null : { anomaly };
  }
  if (checkout === undefined) {
    const total = totalOf(got);
    if (total === 0) return null;
    const totals = new Map([['(all accounts)', total]]);
    const anomaly = leakAnomaly(what, new Map(), totals, ops, extra);
    return anomaly === null ? null : { anomaly };
  }
  if (checkout.argsConflict) {
    return {
      cannotJudge: `checkout ${checkout.id} was retried with different from/to/amount, so what its completed saga should have moved is unknown`,
    };
  }
  const anomaly = leakAnomaly(what, expectedCompleted(checkout), got, ops, {
    ...extra,
    from: checkout.from,
    to: checkout.to,
    amount: checkout.amount,
  });
  return anomaly === null ? null : { anomaly };
}

/** A checkout with no saga record: unless acknowledged (wrong-outcome), nothing may have moved. */
export function judgeRecordlessLeak(checkout: CheckoutRecord, sums: TxSums): Anomaly | null {
  const what = `checkout ${checkout.id} (${checkout.from} -> ${checkout.to}, ${checkout.amount}) has no saga record`;
  const ops = opsOf(checkout.opIndices, sums.lineIndices);
  return leakAnomaly(what, new Map(), sums.netByAccount, ops, {
    saga: checkout.id,
    sagaStatus: null,
    entries: sums.entries,
  });
}
