/**
 * The 'lww-balance-update' bank runs no projector, so its checkout sagas must keep the key-value
 * balances themselves, as its payments do: before this was so, every saga's outbox rows stayed
 * undrained and the bank never settled. Alone (no concurrent update to lose) a saga's balances
 * come out right; the bug shows only when two regions race, as planted-bugs.test.ts shows.
 */
import { describe, expect, it } from 'vitest';
import type { BugFlag } from '../../scenario-dsl/bug-flags.ts';
import {
  call,
  finalView,
  ledgerBalances,
  OSAKA,
  started,
  TOKYO,
  world,
} from './support/sim-bank.ts';

const BUGS: BugFlag[] = ['lww-balance-update'];

async function oneCheckout(processor: { timeoutProbability: number; declineProbability: number }) {
  const w = await started(world({ bugs: BUGS, processor }));
  const outcome = await call(w, OSAKA, {
    kind: 'checkout',
    id: 'c1',
    from: 'alice',
    to: 'merchant',
    amount: 300,
  });
  await w.settle();
  const view = await finalView(w);
  return { outcome, view, expected: ledgerBalances(view.ledger) };
}

describe('lww-balance-update: checkout sagas', () => {
  it('a completed saga settles and its balances reach every region', async () => {
    const { outcome, view, expected } = await oneCheckout({
      timeoutProbability: 0,
      declineProbability: 0,
    });
    expect(outcome).toEqual({ outcome: 'ok' });
    expect(expected).toMatchObject({ alice: 700, merchant: 300, hold: 0 });
    for (const region of [TOKYO, OSAKA]) {
      expect(view.balancesByRegion.get(region)).toMatchObject({
        alice: 700,
        merchant: 300,
        hold: 0,
      });
    }
  });

  it('a compensated saga settles and its balances are restored in every region', async () => {
    const { outcome, view, expected } = await oneCheckout({
      timeoutProbability: 0,
      declineProbability: 1,
    });
    expect(outcome).toMatchObject({ outcome: 'rejected' });
    expect(expected).toMatchObject({ alice: 1_000, merchant: 0, hold: 0 });
    for (const region of [TOKYO, OSAKA]) {
      expect(view.balancesByRegion.get(region)).toMatchObject({
        alice: 1_000,
        merchant: 0,
        hold: 0,
      });
    }
  });
});
