/**
 * The reference bank, unchanged, on the real adapters: balances and registers in moto with the
 * replicator, the ledger in PostgreSQL with its replica, the bank in each region reaching its
 * stores through the lab's Toxiproxy links. A burst of transfers, deposits, withdrawals and
 * checkouts from both regions; once the outbox is drained and the tables have quiesced, every
 * region's balances agree with the ledger and the money is conserved.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbKvTable } from '../../../../bank/adapters/local/dynamodb-kv-table.ts';
import { createSqlSchema } from '../../../../bank/adapters/local/pg-schema.ts';
import { PgSqlCluster } from '../../../../bank/adapters/local/pg-sql-cluster.ts';
import type { BankRequest, BankResponse } from '../../../../bank/api.ts';
import { type Bank, createBank } from '../../../../bank/create-bank.ts';
import type { CaptureResult, PaymentProcessor } from '../../../../bank/ports.ts';
import type { BalanceItem, RegionPorts } from '../../../../bank/region-ports.ts';
import { TABLE } from '../../../../bank/sql-schema.ts';
import { REPLICATOR_POLL } from '../../../../run/targets/local/lab-bank.ts';
import { dynamoDbClient } from '../../../../targets/local/dynamodb-client.ts';
import { LabClocks } from '../../../../targets/local/lab-clocks.ts';
import { LabGlobalTable } from '../../../../targets/local/lab-global-table.ts';
import { dynamodbLink, sqlLink } from '../../../../targets/local/lab-links.ts';
import { pgConfig } from '../../../../targets/local/postgres-node.ts';
import { sleepMs, waitUntil } from '../../../../targets/local/wait-until.ts';
import { WALL_TIME } from '../../../../targets/local/wall-time.ts';
import { enginesMissing } from '../../../targets/local/support/engines.ts';
import { REGION_A, REGION_B, useLab } from '../../../targets/local/support/lab-fixture.ts';

const CLIENTS = 4;

const ACCOUNTS = [
  { name: 'alice', balance: 1_000, home: REGION_A },
  { name: 'bob', balance: 1_000, home: REGION_B },
  { name: 'carol', balance: 500, home: REGION_A },
  { name: 'merchant', balance: 0, home: REGION_B },
];

/** A processor that always answers: captures unless voided first; a void is sticky. */
class AnsweringProcessor implements PaymentProcessor {
  private readonly voided = new Set<string>();
  async capture(sagaId: string): Promise<CaptureResult> {
    return this.voided.has(sagaId) ? 'declined' : 'captured';
  }
  async void(sagaId: string): Promise<void> {
    this.voided.add(sagaId);
  }
}

describe.skipIf(enginesMissing !== undefined)('the reference bank on the local lab', () => {
  const lab = useLab();
  const clocks = new LabClocks([REGION_A, REGION_B]);
  const processor = new AnsweringProcessor();
  const tables: LabGlobalTable[] = [];
  const opened: { close(): Promise<void> | void }[] = [];
  let bank: Bank;

  function connect(region: string): RegionPorts {
    const client = dynamoDbClient({
      endpoint: `http://127.0.0.1:${lab.port(dynamodbLink(region))}`,
      region,
      requestTimeoutMs: 5_000,
    });
    const sql = new PgSqlCluster({
      region,
      nodePorts: {
        [REGION_A]: lab.port(sqlLink(region, REGION_A)),
        [REGION_B]: lab.port(sqlLink(region, REGION_B)),
      },
      writerRegion: () => REGION_A,
      timeoutMs: 10_000,
      poolMax: 8,
      queueWaitMsMax: 10_000,
      time: WALL_TIME,
    });
    opened.push(sql, { close: () => client.destroy() });
    const nowUs = () => clocks.nowUs(region);
    return {
      balances: new DynamoDbKvTable<BalanceItem>({ client, table: 'balances', region, nowUs }),
      registers: new DynamoDbKvTable({ client, table: 'registers', region, nowUs }),
      sql,
      clock: { nowUs, sleep: (ms) => sleepMs(ms) },
      processor,
    };
  }

  beforeAll(async () => {
    const options = { requestTimeoutMs: 5_000, poll: REPLICATOR_POLL, recordsMax: 10_000 };
    for (const table of ['balances', 'registers']) {
      tables.push(await LabGlobalTable.start(lab.state(), { table, ...options }));
    }
    const client = new pg.Client(pgConfig(lab.state().postgres[REGION_A]!.port));
    await client.connect();
    await createSqlSchema(client);
    await client.end();
    bank = createBank({
      regions: [REGION_A, REGION_B],
      accounts: ACCOUNTS,
      bugs: [],
      writerRegion: REGION_A,
      connect,
      timing: { handoverDelayMs: 200 },
    });
    await bank.init();
  }, 60_000);

  afterAll(async () => {
    bank?.stop();
    await sleepMs(100);
    await Promise.all(tables.map((t) => t.stop()));
    await Promise.all(opened.map((o) => o.close()));
  });

  it('conserves money and converges every region on the ledger', async () => {
    const names = ACCOUNTS.map((a) => a.name);
    const requests: [string, BankRequest][] = [];
    for (let i = 0; i < 40; i += 1) {
      const region = i % 2 === 0 ? REGION_A : REGION_B;
      const from = names[i % 4]!;
      const to = names[(i + 1) % 4]!;
      const kind = (['transfer', 'transfer', 'checkout', 'deposit', 'withdraw'] as const)[i % 5]!;
      const id = `op${i}`;
      if (kind === 'deposit' || kind === 'withdraw') {
        requests.push([region, { kind, id, account: from, amount: 7 + i }]);
      } else {
        requests.push([region, { kind, id, from, to, amount: 10 + i }]);
      }
    }
    // Four clients at a time: every bank transaction takes the ledger's sequence row, so a burst
    // of forty would queue on that row lock for seconds on a shared 2-core machine.
    const answers: BankResponse[] = [];
    for (let i = 0; i < requests.length; i += CLIENTS) {
      const batch = requests.slice(i, i + CLIENTS);
      answers.push(
        ...(await Promise.all(batch.map(([region, r]) => bank.endpoint(region).handle(r)))),
      );
    }
    expect(answers.filter((a) => a.outcome === 'ok').length).toBeGreaterThanOrEqual(20);

    const writer = connect(REGION_A).sql;
    await waitUntil('the outbox to drain and pending sagas to end', 30_000, () =>
      writer.readLocal(async (tx) => {
        const outbox = await tx.scan(TABLE.outbox, { limit: 1 });
        const pending = await tx.scan(TABLE.sagasPending, { limit: 1 });
        return outbox.length === 0 && pending.length === 0;
      }),
    );
    await sleepMs(100);
    for (const table of tables) await table.waitQuiesced(10_000);

    const final = await bank.readFinalState({ eventual: [], strong: [] });
    const ledger = final.ledgerPages.flat();
    const [readA, readB] = final.reads.map((r) => r.value.accounts);
    expect(readA).toEqual(readB);
    const initial = bank.accounts();
    const total = (accounts: Record<string, number>) =>
      Object.values(accounts).reduce((sum, balance) => sum + balance, 0);
    // Money moves in or out only through deposits and withdrawals: an ok one has its entry, a
    // rejected one none, an unknown one either.
    let moved = 0;
    for (const [i, answer] of answers.entries()) {
      const request = requests[i]![1];
      const entries = ledger.filter((e) => e.tx === ('id' in request ? request.id : ''));
      const net = entries.reduce((sum, e) => sum + e.amount, 0);
      if (request.kind === 'transfer' || request.kind === 'checkout')
        expect(net, request.id).toBe(0);
      if (request.kind !== 'deposit' && request.kind !== 'withdraw') continue;
      const signed = request.kind === 'deposit' ? request.amount : -request.amount;
      if (answer.outcome === 'ok') expect(net, request.id).toBe(signed);
      if (answer.outcome === 'rejected') expect(net, request.id).toBe(0);
      moved += net;
    }
    expect(total(readA!)).toBe(initial.reduce((sum, a) => sum + a.balance, 0) + moved);
    for (const account of initial) {
      const entries = ledger.filter((e) => e.account === account.name);
      const expected = account.balance + entries.reduce((sum, e) => sum + e.amount, 0);
      expect(readA![account.name], account.name).toBe(expected);
    }
    expect(bank.backgroundErrors()).toEqual([]);
  }, 90_000);
});
