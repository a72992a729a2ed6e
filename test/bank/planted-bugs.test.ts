/**
 * Each planted bug, in a situation built to show its one wrong thing, next to the correct bank
 * in the very same situation not doing it.
 */
import { describe, expect, it } from 'vitest';
import type { BugFlag } from '../../scenario-dsl/bug-flags.ts';
import {
  call,
  entriesOf,
  finalView,
  ledgerBalances,
  OSAKA,
  send,
  started,
  TOKYO,
  world,
} from './support/sim-bank.ts';

const bugged = (bug: BugFlag) => [bug];

describe('retry-without-idempotency', () => {
  async function retriedTransfer(bugs: BugFlag[]) {
    const w = await started(world({ bugs }));
    const transfer = { kind: 'transfer', id: 't1', from: 'alice', to: 'bob', amount: 100 } as const;
    expect(await call(w, TOKYO, transfer)).toEqual({ outcome: 'ok' });
    expect(await call(w, OSAKA, transfer)).toEqual({ outcome: 'ok' });
    await w.settle();
    return entriesOf((await finalView(w)).ledger, 't1');
  }

  it('applies a retried id twice', async () => {
    expect(await retriedTransfer(bugged('retry-without-idempotency'))).toHaveLength(4);
  });

  it('the correct bank applies it once', async () => {
    expect(await retriedTransfer([])).toEqual([
      { tx: 't1', account: 'alice', amount: -100 },
      { tx: 't1', account: 'bob', amount: 100 },
    ]);
  });
});

describe('async-commit-ack', () => {
  /** Replication to Osaka is paused, a transfer is sent, Tokyo fails over to Osaka. */
  async function transferThenFailover(bugs: BugFlag[]) {
    const w = await started(world({ bugs }));
    w.cluster.pauseReplication(TOKYO, OSAKA);
    const outcome = await call(w, TOKYO, {
      kind: 'transfer',
      id: 't1',
      from: 'alice',
      to: 'bob',
      amount: 100,
    });
    w.cluster.failover(TOKYO, OSAKA);
    w.cluster.rejoin(TOKYO);
    await w.settle();
    return { outcome, entries: entriesOf((await finalView(w)).ledger, 't1') };
  }

  it('acknowledges a transfer that the failover then loses', async () => {
    const { outcome, entries } = await transferThenFailover(bugged('async-commit-ack'));
    expect(outcome).toEqual({ outcome: 'ok' });
    expect(entries).toEqual([]);
  });

  it('the correct bank does not acknowledge what is not replicated', async () => {
    const { outcome, entries } = await transferThenFailover([]);
    expect(outcome.outcome).not.toBe('ok');
    expect(outcome.outcome).not.toBe('rejected');
    expect(entries).toEqual([]);
  });
});

describe('failover-without-fencing', () => {
  async function transferAfterFailover(bugs: BugFlag[]) {
    const w = await started(world({ bugs }));
    w.cluster.failover(TOKYO, OSAKA);
    const outcome = await call(w, TOKYO, {
      kind: 'deposit',
      id: 'd1',
      account: 'alice',
      amount: 100,
    });
    await w.settle();
    return { outcome, entries: entriesOf((await finalView(w)).ledger, 'd1') };
  }

  it('lets the old writer acknowledge a deposit the new writer never gets', async () => {
    const { outcome, entries } = await transferAfterFailover(bugged('failover-without-fencing'));
    expect(outcome).toEqual({ outcome: 'ok' });
    expect(entries).toEqual([]);
  });

  it('the correct bank is refused by the fenced writer and writes to the new one', async () => {
    const { outcome, entries } = await transferAfterFailover([]);
    expect(outcome).toEqual({ outcome: 'ok' });
    expect(entries).toEqual([{ tx: 'd1', account: 'alice', amount: 100 }]);
  });
});

describe('funds-check-on-replica', () => {
  /** Osaka's SQL replica lags 500 ms; two withdrawals of 800 from alice's 1000, 5 ms apart. */
  async function doubleWithdraw(bugs: BugFlag[]) {
    const w = await started(world({ bugs }));
    w.cluster.setReplicaLagMs(TOKYO, OSAKA, 500);
    const first = send(w, TOKYO, { kind: 'withdraw', id: 'w1', account: 'alice', amount: 800 });
    await w.runForMs(5);
    const second = send(w, OSAKA, { kind: 'withdraw', id: 'w2', account: 'alice', amount: 800 });
    await w.runForMs(3_000);
    const outcomes = [await first, await second];
    w.cluster.setReplicaLagMs(TOKYO, OSAKA, 0);
    const read = await call(w, TOKYO, { kind: 'balances', accounts: ['alice'], consistent: true });
    return { outcomes, read };
  }

  it('lets a withdrawal through on a stale balance: alice goes negative', async () => {
    const { outcomes, read } = await doubleWithdraw(bugged('funds-check-on-replica'));
    expect(outcomes).toEqual([{ outcome: 'ok' }, { outcome: 'ok' }]);
    expect(read).toEqual({
      outcome: 'ok',
      value: { balances: { alice: -600 }, consistent: true },
    });
  });

  it('the correct bank checks on the writer and rejects the second', async () => {
    const { outcomes, read } = await doubleWithdraw([]);
    expect(outcomes).toEqual([
      { outcome: 'ok' },
      { outcome: 'rejected', error: 'insufficient funds' },
    ]);
    expect(read).toMatchObject({ value: { balances: { alice: 200 } } });
  });
});

describe('lww-balance-update', () => {
  /** Deposits to alice from both regions while the balances table replicates 500 ms late. */
  async function concurrentDeposits(bugs: BugFlag[]) {
    const w = await started(world({ bugs }));
    w.balances.setReplicaLagMs(TOKYO, OSAKA, 500);
    w.balances.setReplicaLagMs(OSAKA, TOKYO, 500);
    const first = send(w, TOKYO, { kind: 'deposit', id: 'd1', account: 'alice', amount: 100 });
    const second = send(w, OSAKA, { kind: 'deposit', id: 'd2', account: 'alice', amount: 50 });
    await w.runForMs(3_000);
    expect([await first, await second]).toEqual([{ outcome: 'ok' }, { outcome: 'ok' }]);
    w.balances.setReplicaLagMs(TOKYO, OSAKA, 0);
    w.balances.setReplicaLagMs(OSAKA, TOKYO, 0);
    await w.settle();
    const view = await finalView(w);
    return {
      ledgerAlice: ledgerBalances(view.ledger).alice,
      projected: [...view.balancesByRegion.values()].map((b) => b.alice),
    };
  }

  it('keeps one region read-modify-write and loses the other', async () => {
    const { ledgerAlice, projected } = await concurrentDeposits(bugged('lww-balance-update'));
    expect(ledgerAlice).toBe(1_150);
    expect(projected[0]).toBe(projected[1]);
    expect(projected[0]).not.toBe(1_150);
  });

  it('the correct bank projects the ledger: 1150 everywhere', async () => {
    const { ledgerAlice, projected } = await concurrentDeposits([]);
    expect(ledgerAlice).toBe(1_150);
    expect(projected).toEqual([1_150, 1_150]);
  });
});

describe('skip-compensation-on-timeout', () => {
  async function timedOutCheckout(bugs: BugFlag[]) {
    const w = await started(
      world({ bugs, processor: { timeoutProbability: 1, declineProbability: 0 } }),
    );
    const outcome = await call(w, TOKYO, {
      kind: 'checkout',
      id: 'c1',
      from: 'alice',
      to: 'merchant',
      amount: 300,
    });
    await w.settle();
    const view = await finalView(w);
    const nets = ledgerBalances(entriesOf(view.ledger, 'c1'));
    return { outcome, saga: view.sagas.find((s) => s.id === 'c1'), nets };
  }

  it('closes the saga as compensated but leaves the reservation in the hold', async () => {
    const { outcome, saga, nets } = await timedOutCheckout(bugged('skip-compensation-on-timeout'));
    expect(outcome).toMatchObject({ outcome: 'rejected' });
    expect(saga).toMatchObject({
      status: 'compensated',
      steps: [
        { name: 'reserve', status: 'done' },
        { name: 'capture', status: 'failed' },
        { name: 'credit-merchant', status: 'pending' },
      ],
    });
    expect(nets.alice).toBe(1_000 - 300);
    expect(nets.hold).toBe(300);
  });

  it('the correct bank voids the capture and releases the hold', async () => {
    const { outcome, saga, nets } = await timedOutCheckout([]);
    expect(outcome).toMatchObject({ outcome: 'rejected' });
    expect(saga).toMatchObject({
      status: 'compensated',
      steps: [{ status: 'compensated' }, { status: 'failed' }, { status: 'pending' }],
    });
    expect(nets.alice).toBe(1_000);
    expect(nets.hold).toBe(0);
  });
});

describe('skewed-clock-lww', () => {
  /** Osaka's clock runs 5 s slow; Tokyo writes x, then about 2 s later Osaka writes x. */
  async function twoWrites(bugs: BugFlag[]) {
    const w = await started(world({ bugs }));
    w.clocks.setSkewMs(OSAKA, -5_000);
    const first = await call(w, TOKYO, {
      kind: 'write',
      table: 'eventual',
      key: 'x',
      value: 'tokyo',
    });
    await w.runForMs(100);
    const second = await call(w, OSAKA, {
      kind: 'write',
      table: 'eventual',
      key: 'x',
      value: 'osaka',
    });
    await w.settle();
    const reading = w.bank.readFinalState({ eventual: ['x'], strong: [] });
    await w.runForMs(1_000);
    const finals = (await reading).reads.map((read) => read.value.registers?.x);
    return { first, second, finals };
  }

  it('stamps with the slow clock: the later write loses everywhere', async () => {
    const { first, second, finals } = await twoWrites(bugged('skewed-clock-lww'));
    expect(finals).toEqual(['tokyo', 'tokyo']);
    const ts = (r: typeof first) => (r as { value: { ts: number } }).value.ts;
    expect(ts(second)).toBeLessThan(ts(first));
  });

  it('the correct bank lets the store stamp: the later write wins', async () => {
    const { finals } = await twoWrites([]);
    expect(finals).toEqual(['osaka', 'osaka']);
  });
});
