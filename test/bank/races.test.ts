/**
 * Race exploration inside the bank's own async code. The SQL port the payment handlers talk to is
 * wrapped with fast-check's scheduler: every read a transaction takes, every commit and every read
 * on the local node waits until the scheduler lets it go, so fast-check chooses how concurrent
 * payments interleave (and shrinks to the fewest payments and the shortest interleaving). Under
 * it sits the simulator's SQL cluster, one region, no network: the scheduler is the only source
 * of concurrency.
 *
 * `funds-check-on-replica` checks funds in one read and debits blind in a later transaction:
 * two withdrawals whose checks both run before either debit overdraw the account. The correct
 * bank checks inside the serializable transaction: the second commit finds its read stale, runs
 * again and is rejected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NodeReader, OptimisticTx } from '../../bank/adapters/sim/optimistic-tx.ts';
import type { BankRequest, BankResponse } from '../../bank/api.ts';
import { bankConfig } from '../../bank/bank-config.ts';
import { handlePayment } from '../../bank/payments.ts';
import {
  type SqlCluster as SqlPort,
  type SqlReadTx,
  type SqlTransactionOptions,
  type SqlTx,
  StoreError,
} from '../../bank/ports.ts';
import type { InstanceContext, RegionPorts } from '../../bank/region-ports.ts';
import { parseAccountRow, TABLE } from '../../bank/sql-schema.ts';
import type { BugFlag } from '../../scenario-dsl/bug-flags.ts';
import { SimNetwork } from '../../targets/sim/network.ts';
import { Prng } from '../../targets/sim/prng.ts';
import { Scheduler } from '../../targets/sim/scheduler.ts';
import { SqlCluster } from '../../targets/sim/sql-cluster.ts';

const TOKYO = 'ap-northeast-1';
const ACCOUNTS = [
  { name: 'alice', balance: 1_000, home: TOKYO },
  { name: 'bob', balance: 0, home: TOKYO },
];
/** Times a transaction function runs before its conflicts give up (the sim adapter's bound). */
const CONFLICT_RETRIES_MAX = 8;

/** The SQL port with each store access released by fast-check's scheduler. */
class ScheduledSql implements SqlPort {
  constructor(
    private readonly s: fc.Scheduler,
    private readonly cluster: SqlCluster,
  ) {}

  async transaction<T>(fn: (tx: SqlTx) => Promise<T>, options: SqlTransactionOptions): Promise<T> {
    for (let attempt = 0; attempt < CONFLICT_RETRIES_MAX; attempt += 1) {
      const tx = new OptimisticTx(this.reader('tx read'), true);
      const value = await fn(tx);
      await this.s.schedule(Promise.resolve(), 'commit');
      let valid = false;
      const result = await this.cluster.transaction(
        TOKYO,
        (node) => {
          valid = tx.stillValid(node);
          if (valid) tx.applyTo(node);
        },
        options,
      );
      if (!result.ok) throw new StoreError(`sql ${result.reason}`, false);
      if (valid) return value;
    }
    throw new StoreError(`${CONFLICT_RETRIES_MAX} conflicts`, true);
  }

  async readLocal<T>(fn: (tx: SqlReadTx) => Promise<T>): Promise<T> {
    return fn(new OptimisticTx(this.reader('local read'), false));
  }

  async localIsWriter(): Promise<boolean> {
    return true;
  }

  private reader(label: string): NodeReader {
    return async (fn) => {
      await this.s.schedule(Promise.resolve(), label);
      const result = await this.cluster.read(TOKYO, fn);
      if (!result.ok) throw new StoreError(`sql ${result.reason}`, true);
      return result.value;
    };
  }
}

function unused(port: string): never {
  throw new Error(`payments do not use the ${port} port`);
}

async function seededCluster(): Promise<SqlCluster> {
  const scheduler = new Scheduler();
  const latency = { baseNs: 0, jitterMeanNs: 0 };
  const network = new SimNetwork(scheduler, new Prng(1), {
    regions: [TOKYO],
    local: latency,
    crossRegion: latency,
    client: latency,
  });
  const cluster = new SqlCluster(scheduler, network, {
    regions: [TOKYO],
    writerRegion: TOKYO,
    fencing: true,
    replicationQueueMax: 100,
  });
  await cluster.transaction(
    TOKYO,
    (node) => {
      for (const { name, balance } of ACCOUNTS)
        node.put(TABLE.accounts, name, { balance, version: 0 });
    },
    { waitForReplication: true },
  );
  return cluster;
}

function contextOf(sql: SqlPort, bugs: readonly BugFlag[]): InstanceContext {
  const ports: RegionPorts = {
    sql,
    balances: { get: () => unused('balances'), put: () => unused('balances') },
    registers: { get: () => unused('registers'), put: () => unused('registers') },
    clock: { nowUs: () => unused('clock'), sleep: () => unused('clock') },
    processor: { capture: () => unused('processor'), void: () => unused('processor') },
  };
  return { region: TOKYO, config: bankConfig(ACCOUNTS, bugs, TOKYO), ports, running: () => true };
}

const paymentArbitrary: fc.Arbitrary<BankRequest> = fc
  .oneof(
    fc.record({
      kind: fc.constant('withdraw' as const),
      account: fc.constant('alice'),
      amount: fc.integer({ min: 300, max: 900 }),
    }),
    fc.record({
      kind: fc.constant('transfer' as const),
      from: fc.constant('alice'),
      to: fc.constant('bob'),
      amount: fc.integer({ min: 300, max: 900 }),
    }),
  )
  .map((payment) => ({ ...payment, id: '' }));

/** Concurrent payments, the scheduler choosing the interleaving; the balances they leave. */
async function balancesAfter(
  s: fc.Scheduler,
  payments: readonly BankRequest[],
  bugs: readonly BugFlag[],
): Promise<{ balances: Map<string, number>; responses: BankResponse[] }> {
  const cluster = await seededCluster();
  const ctx = contextOf(new ScheduledSql(s, cluster), bugs);
  const pending = payments.map((payment, i) =>
    handlePayment(ctx, { ...payment, id: `p${i}` } as Parameters<typeof handlePayment>[1]),
  );
  await s.waitIdle();
  const responses = await Promise.all(pending);
  const read = await cluster.read(TOKYO, (tx) =>
    ACCOUNTS.map(
      ({ name }) => [name, parseAccountRow(tx.get(TABLE.accounts, name), name).balance] as const,
    ),
  );
  if (!read.ok) throw new Error(`final read refused: ${read.reason}`);
  return { balances: new Map(read.value), responses };
}

function noOverdraft(bugs: readonly BugFlag[]) {
  return fc.asyncProperty(
    fc.scheduler(),
    fc.array(paymentArbitrary, { minLength: 1, maxLength: 4 }),
    async (s, payments) => {
      const { balances } = await balancesAfter(s, payments, bugs);
      for (const [account, balance] of balances) {
        if (balance < 0) throw new Error(`${account} overdrawn to ${balance}`);
      }
    },
  );
}

describe('payment races under fast-check scheduling', () => {
  it('find the funds-check race in the funds-check-on-replica bank, shrunk to two payments', async () => {
    const details = await fc.check(noOverdraft(['funds-check-on-replica']), {
      numRuns: 200,
      seed: 42,
    });
    expect(details.failed).toBe(true);
    const [scheduler, payments] = details.counterexample ?? [];
    expect(payments).toHaveLength(2);
    expect(String(details.errorInstance)).toMatch(/alice overdrawn to -\d+/);
    // The interleaving: both funds checks are released before either debit commits.
    const order = String(scheduler).match(/local read|commit/g) ?? [];
    expect(order.slice(0, 2)).toEqual(['local read', 'local read']);
  });

  it('find none in the correct bank: the check sits inside the serializable transaction', async () => {
    await fc.assert(noOverdraft([]), { numRuns: 200, seed: 42 });
  });

  it('reject the second of two withdrawals that both fit alone, in the correct bank', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const payments: BankRequest[] = [
          { kind: 'withdraw', id: '', account: 'alice', amount: 600 },
          { kind: 'withdraw', id: '', account: 'alice', amount: 600 },
        ];
        const { balances, responses } = await balancesAfter(s, payments, []);
        expect(responses.map((r) => r.outcome).sort()).toEqual(['ok', 'rejected']);
        expect(balances.get('alice')).toBe(400);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
