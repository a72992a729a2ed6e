/**
 * A one-checkout history for hand-built cases: init (index 0), the checkout's invoke (1) and
 * completion (2, unless pending), then the sagas line and the ledger line when given.
 */
import type { LedgerEntry, SagaRecord, SagaStep } from '../../../../history/op.ts';
import { HistoryBuilder } from '../../../support/history-builder.ts';

export const C1 = { id: 'c1', from: 'a', to: 'm1', amount: 1200 };
export const ACCOUNTS = { a: 5000, m1: 0, hold: 0, escrow: 0 };
const S = 1_000_000_000;

export type ClientOutcome = 'ok' | 'fail' | 'info' | 'pending';

export const done = (name: string, atS: number): SagaStep => ({
  name,
  status: 'done',
  at: atS * S,
});
export const compensated = (name: string, atS: number, compensatedAtS: number): SagaStep => ({
  name,
  status: 'compensated',
  at: atS * S,
  compensatedAt: compensatedAtS * S,
});
export const failed = (name: string): SagaStep => ({ name, status: 'failed' });
export const pending = (name: string): SagaStep => ({ name, status: 'pending' });

export const saga = (status: SagaRecord['status'], steps: SagaStep[], id = 'c1'): SagaRecord => ({
  id,
  status,
  steps,
});

/** Entries of one step moving `amount` from one account to another under tx `id`. */
export function move(from: string, to: string, amount = C1.amount, tx = 'c1'): LedgerEntry[] {
  return [
    { tx, account: from, amount: -amount },
    { tx, account: to, amount },
  ];
}

/** The ledger of a completed c1: reserve a -> hold, capture hold -> escrow, credit escrow -> m1. */
export const COMPLETED_LEDGER = [
  ...move('a', 'hold'),
  ...move('hold', 'escrow'),
  ...move('escrow', 'm1'),
];

export const COMPLETED_STEPS = [done('reserve', 1), done('capture', 2), done('credit-merchant', 3)];

export interface OneCheckout {
  client: ClientOutcome;
  sagas: SagaRecord[] | null;
  ledger?: LedgerEntry[] | null;
}

/** Client op at 0.5 s, completion at 10 s, final lines from 20 s on. */
export function oneCheckout({ client, sagas, ledger = null }: OneCheckout): string {
  const h = new HistoryBuilder();
  h.init({ accounts: ACCOUNTS });
  h.invoke(0, 'checkout', C1, { timeNs: S / 2, region: 'ap-northeast-1' });
  if (client === 'ok') h.ok(0, 'checkout', undefined, { timeNs: 10 * S });
  if (client === 'fail') h.fail(0, 'checkout', undefined, { timeNs: 10 * S });
  if (client === 'info') h.info(0, 'checkout', undefined, { timeNs: 10 * S });
  if (sagas !== null) h.final('sagas', sagas, { timeNs: 20 * S });
  if (ledger !== null) h.final('ledger', { entries: ledger }, { timeNs: 21 * S });
  return h.text();
}
