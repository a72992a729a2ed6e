import { describe, expect, it } from 'vitest';
import type { BankRequest } from '../../bank/api.ts';
import { BankGenerator } from '../../load/bank-generator.ts';
import { CheckoutGenerator } from '../../load/checkout-generator.ts';
import { IdSource } from '../../load/id-source.ts';
import { loadInitValue } from '../../load/init-value.ts';
import { RegistersGenerator, registerKeys } from '../../load/registers-generator.ts';
import { Prng } from '../../targets/sim/prng.ts';
import { ACCOUNTS } from './support/fake-transport.ts';
import { bankWorkload, checkoutWorkload, registersWorkload, TOKYO } from './support/run-load.ts';

const DRAWS = 5000;

function context(seed = 1) {
  return { region: TOKYO, prng: new Prng(seed), ids: new IdSource(), accounts: ACCOUNTS };
}

function draw(generator: { next(): BankRequest }, count = DRAWS): BankRequest[] {
  return Array.from({ length: count }, () => generator.next());
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

describe('bank generator', () => {
  const workload = bankWorkload({ [TOKYO]: 1 }, { amount: { min: 5, max: 9 } });

  it('follows the mix; transfers move between two distinct accounts, hot ones most', () => {
    const requests = draw(new BankGenerator(workload, context()));
    const kinds = countBy(requests, (r) =>
      r.kind === 'balances' ? (r.consistent ? 'consistentRead' : 'eventualRead') : r.kind,
    );
    for (const [kind, fraction] of Object.entries(workload.mix)) {
      expect(Math.abs((kinds.get(kind) ?? 0) / DRAWS - fraction)).toBeLessThan(0.02);
    }
    const transfers = requests.filter((r) => r.kind === 'transfer');
    expect(
      transfers.every(
        (t) => t.from !== t.to && ACCOUNTS.includes(t.from) && ACCOUNTS.includes(t.to),
      ),
    ).toBe(true);
    const froms = countBy(transfers, (t) => t.from);
    expect(froms.get('acct-0')).toBeGreaterThan(froms.get('acct-3') ?? 0);
  });

  it('gives every payment a unique id and an amount in range', () => {
    const requests = draw(new BankGenerator(workload, context()));
    const payments = requests.filter(
      (r) => r.kind === 'transfer' || r.kind === 'deposit' || r.kind === 'withdraw',
    );
    expect(new Set(payments.map((p) => p.id)).size).toBe(payments.length);
    expect(payments.every((p) => p.amount >= 5 && p.amount <= 9)).toBe(true);
    expect(payments.find((p) => p.kind === 'transfer')?.id).toMatch(/^t-ap-northeast-1-\d+$/);
  });

  it('retries with the same id when idempotency keys are on and a new one when off', () => {
    const generator = new BankGenerator(workload, context());
    const transfer = draw(generator, 50).find((r) => r.kind === 'transfer');
    if (transfer?.kind !== 'transfer') throw new Error('no transfer drawn');
    expect(generator.retry(transfer, true)).toBe(transfer);
    const fresh = generator.retry(transfer, false);
    expect(fresh).toEqual({ ...transfer, id: expect.not.stringMatching(`^${transfer.id}$`) });
  });

  it('refuses transfers with fewer than two accounts', () => {
    expect(() => new BankGenerator(workload, { ...context(), accounts: ['acct-0'] })).toThrow(
      'at least 2 accounts',
    );
  });

  it('two workloads sharing an IdSource never repeat an id', () => {
    const ids = new IdSource();
    const a = draw(new BankGenerator(workload, { ...context(1), ids }), 500);
    const b = draw(new BankGenerator(workload, { ...context(2), ids }), 500);
    const payments = [...a, ...b].flatMap((r) => ('id' in r ? [r.id] : []));
    expect(new Set(payments).size).toBe(payments.length);
  });
});

describe('registers generator', () => {
  it('names keys e0.. and s0.., picks tables by key count, writes values unique in the run', () => {
    const workload = registersWorkload({ [TOKYO]: 1 }, { keys: { eventual: 3, strong: 2 } });
    expect(registerKeys(workload.keys)).toEqual({
      eventual: ['e0', 'e1', 'e2'],
      strong: ['s0', 's1'],
    });
    const requests = draw(new RegistersGenerator(workload, context()));
    const strong = requests.filter((r) => 'table' in r && r.table === 'strong');
    expect(Math.abs(strong.length / DRAWS - 2 / 5)).toBeLessThan(0.02);
    expect(strong.every((r) => 'key' in r && r.key.startsWith('s'))).toBe(true);
    const written = requests.flatMap((r) =>
      r.kind === 'write' ? [r.value] : r.kind === 'cas' ? [r.to] : [],
    );
    expect(new Set(written).size).toBe(written.length);
  });

  it('a cas expects the value last written or read on its key, null at first', () => {
    const onlyKey = { keys: { eventual: 1, strong: 0 } };
    const casOnly = new RegistersGenerator(
      registersWorkload({ [TOKYO]: 1 }, { ...onlyKey, mix: { write: 0, read: 0, cas: 1 } }),
      context(),
    );
    const first = casOnly.next();
    expect(first).toMatchObject({ kind: 'cas', key: 'e0', from: null });
    casOnly.observe(
      { kind: 'read', table: 'eventual', key: 'e0' },
      { outcome: 'ok', value: 'v-x-1' },
    );
    expect(casOnly.next()).toMatchObject({ from: 'v-x-1' });
    const swapped = casOnly.next();
    casOnly.observe(swapped, { outcome: 'ok' });
    expect(casOnly.next()).toMatchObject({ from: swapped.kind === 'cas' ? swapped.to : 'no' });
    // A rejected cas teaches nothing.
    const refused = casOnly.next();
    casOnly.observe(refused, { outcome: 'rejected', error: 'compare failed' });
    expect(casOnly.next()).toMatchObject({ from: swapped.kind === 'cas' ? swapped.to : 'no' });
  });

  it('retries a read as is, a write and a cas with a fresh written value', () => {
    const generator = new RegistersGenerator(registersWorkload({ [TOKYO]: 1 }), context());
    const read: BankRequest = { kind: 'read', table: 'eventual', key: 'e0' };
    const write: BankRequest = { kind: 'write', table: 'strong', key: 's0', value: 'v-a-0' };
    const cas: BankRequest = {
      kind: 'cas',
      table: 'strong',
      key: 's0',
      from: 'v-a-0',
      to: 'v-a-1',
    };
    expect(generator.retry(read, true)).toBe(read);
    expect(generator.retry(write, true)).toMatchObject({ key: 's0', value: 'v-ap-northeast-1-0' });
    expect(generator.retry(cas, true)).toMatchObject({ from: 'v-a-0', to: 'v-ap-northeast-1-1' });
  });

  it('init lists the strong keys and every account', () => {
    const accounts = ACCOUNTS.map((name) => ({ name, balance: 7, home: TOKYO }));
    expect(
      loadInitValue(accounts, [
        registersWorkload({ [TOKYO]: 1 }, { keys: { eventual: 1, strong: 2 } }),
      ]),
    ).toEqual({
      accounts: { 'acct-0': 7, 'acct-1': 7, 'acct-2': 7, 'acct-3': 7 },
      strong: ['s0', 's1'],
    });
    expect(loadInitValue(accounts, [bankWorkload({ [TOKYO]: 1 })]).strong).toBeUndefined();
  });
});

describe('checkout generator', () => {
  it('pays a Zipf-picked merchant from another account, with unique ids', () => {
    const requests = draw(
      new CheckoutGenerator(checkoutWorkload({ [TOKYO]: 1 }, { skew: 1.5 }), context()),
    );
    const checkouts = requests.filter((r) => r.kind === 'checkout');
    expect(checkouts).toHaveLength(DRAWS);
    expect(checkouts.every((c) => c.from !== c.to && c.amount >= 1 && c.amount <= 500)).toBe(true);
    expect(new Set(checkouts.map((c) => c.id)).size).toBe(DRAWS);
    const merchants = countBy(checkouts, (c) => c.to);
    expect((merchants.get('acct-0') ?? 0) / DRAWS).toBeGreaterThan(0.5);
    // Customers are uniform over the other accounts: every account pays sometimes.
    expect(countBy(checkouts, (c) => c.from).size).toBe(ACCOUNTS.length);
  });

  it('retries with the same id only when idempotency keys are on', () => {
    const generator = new CheckoutGenerator(checkoutWorkload({ [TOKYO]: 1 }), context());
    const checkout = generator.next();
    expect(generator.retry(checkout, true)).toBe(checkout);
    expect(generator.retry(checkout, false)).toMatchObject({ id: 'c-ap-northeast-1-1' });
  });
});
