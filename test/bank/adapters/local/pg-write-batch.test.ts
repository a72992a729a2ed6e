import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlSchema } from '../../../../bank/adapters/local/pg-schema.ts';
import { PgSqlCluster, WRITER_QUEUE_LOCK } from '../../../../bank/adapters/local/pg-sql-cluster.ts';
import { type SqlTx, StoreError } from '../../../../bank/ports.ts';
import { sqlLink, walLink } from '../../../../targets/local/lab-links.ts';
import { pgConfig } from '../../../../targets/local/postgres-node.ts';
import { sleepMs } from '../../../../targets/local/wait-until.ts';
import { WALL_TIME } from '../../../../targets/local/wall-time.ts';
import { enginesMissing } from '../../../targets/local/support/engines.ts';
import { REGION_A, REGION_B, useLab } from '../../../targets/local/support/lab-fixture.ts';

type Counter = { n: number };

describe.skipIf(enginesMissing !== undefined)("the writer's batches (group commit)", () => {
  const lab = useLab();
  const clusters: PgSqlCluster[] = [];

  function cluster(region = REGION_A, timeoutMs = 10_000) {
    const made = new PgSqlCluster({
      region,
      nodePorts: {
        [REGION_A]: lab.port(sqlLink(region, REGION_A)),
        [REGION_B]: lab.port(sqlLink(region, REGION_B)),
      },
      writerRegion: () => REGION_A,
      timeoutMs,
      poolMax: 8,
      queueWaitMsMax: 10_000,
      time: WALL_TIME,
    });
    clusters.push(made);
    return made;
  }

  const local = { waitForReplication: false };

  /** Holds the writer's queue from outside, so that what is submitted meanwhile waits. */
  async function holdQueue(): Promise<{ release: () => Promise<void> }> {
    const holder = new pg.Client(pgConfig(lab.state().postgres[REGION_A]!.port));
    await holder.connect();
    await holder.query(`SELECT pg_advisory_lock(${WRITER_QUEUE_LOCK})`);
    return { release: () => holder.end() };
  }

  async function increment(tx: SqlTx, table: string, key: string): Promise<number> {
    const row = (await tx.get(table, key)) as Counter | undefined;
    const n = row?.n ?? 0;
    await tx.put(table, key, { n: n + 1 });
    return n;
  }

  beforeAll(async () => {
    const client = new pg.Client(pgConfig(lab.state().postgres[REGION_A]!.port));
    await client.connect();
    await createSqlSchema(client);
    await client.end();
  });

  afterAll(async () => {
    await Promise.all(clusters.map((c) => c.close()));
  });

  it('runs concurrent transactions in batches, each seeing those before it', async () => {
    const a = cluster();
    const held = await holdQueue();
    const first = a.transaction((tx) => increment(tx, 'batch1', 'c'), local);
    await sleepMs(100);
    const results = [
      first,
      ...Array.from({ length: 39 }, () =>
        a.transaction((tx) => increment(tx, 'batch1', 'c'), local),
      ),
    ];
    await held.release();
    const seen = await Promise.all(results);
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(await a.readLocal((tx) => tx.get('batch1', 'c'))).toEqual({ n: 40 });
    const { wait, commit } = a.timings.snapshot();
    expect(wait.count).toBe(40);
    // The first waits alone at the held queue; the 39 that came while it waited make one batch.
    expect(commit.count).toBe(2);
  });

  it('answers a function that throws with its own error, and commits the others', async () => {
    const a = cluster();
    const thrown = new Error('the function gave up');
    const held = await holdQueue();
    const good = [1, 2, 3].map((i) =>
      a.transaction((tx) => tx.put('batch2', `k${i}`, { n: i }), local),
    );
    const bad = a
      .transaction(async (tx) => {
        await tx.put('batch2', 'bad', { n: 0 });
        throw thrown;
      }, local)
      .catch((e: unknown) => e);
    const after = a.transaction((tx) => increment(tx, 'batch2', 'k1'), local);
    await held.release();
    await Promise.all(good);
    expect(await bad).toBe(thrown);
    expect(await after).toBe(1);
    const rows = await a.readLocal((tx) => tx.scan('batch2', { limit: 10 }));
    expect(rows).toEqual([
      ['k1', { n: 2 }],
      ['k2', { n: 2 }],
      ['k3', { n: 3 }],
    ]);
  });

  it('starts over without a member whose writes a scan had sent before it threw', async () => {
    const a = cluster();
    const held = await holdQueue();
    const first = a.transaction((tx) => tx.put('batch3', 'first', { n: 1 }), local);
    const sentThenThrew = a
      .transaction(async (tx) => {
        await tx.put('batch3', 'sent', { n: 2 });
        expect(await tx.scan('batch3', { limit: 10 })).toHaveLength(2);
        throw new Error('after the scan');
      }, local)
      .catch((e: unknown) => e);
    const last = a.transaction((tx) => tx.scan('batch3', { limit: 10 }), local);
    await held.release();
    await first;
    expect(String(await sentThenThrew)).toMatch(/after the scan/);
    // The last member ran again without the one that threw: it never sees its row.
    expect(await last).toEqual([['first', { n: 1 }]]);
    expect(await a.readLocal((tx) => tx.get('batch3', 'sent'))).toBeUndefined();
  });

  it('reads the rows named in advance from the same snapshot, after the writes of earlier members', async () => {
    const a = cluster();
    await a.transaction((tx) => tx.put('batch4', 'present', { n: 7 }), local);
    const reads = [
      { table: 'batch4', key: 'present' },
      { table: 'batch4', key: 'absent' },
      { table: 'batch4', key: 'written' },
    ];
    const held = await holdQueue();
    // Submitted in the same turn: one batch, in this order.
    const writer = a.transaction((tx) => tx.put('batch4', 'written', { n: 1 }), local);
    const reader = a.transaction(
      async (tx) => [
        await tx.get('batch4', 'present'),
        await tx.get('batch4', 'absent'),
        await tx.get('batch4', 'written'),
      ],
      { ...local, reads },
    );
    await held.release();
    await writer;
    expect(a.timings.snapshot().commit.count).toBe(2);
    expect(await reader).toEqual([{ n: 7 }, undefined, { n: 1 }]);
  });

  it('reports every member of a batch whose commit does not replicate in time as unknown', async () => {
    const a = cluster(REGION_A, 2_000);
    await a.localIsWriter();
    await lab.faults().start(walLink(REGION_A, REGION_B), { kind: 'down' });
    try {
      const errors = await Promise.all(
        [1, 2, 3].map((i) =>
          a
            .transaction((tx) => tx.put('batch5', `k${i}`, { n: i }), { waitForReplication: true })
            .catch((e: unknown) => e),
        ),
      );
      for (const error of errors) {
        expect(error).toBeInstanceOf(StoreError);
        expect((error as StoreError).definite).toBe(false);
      }
    } finally {
      await lab.faults().heal(walLink(REGION_A, REGION_B));
    }
  });

  it('commits what a serial run of the members that return would, whatever the batches (property)', async () => {
    const a = cluster();
    const b = cluster(REGION_B);
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ counter: fc.nat(2), fails: fc.boolean(), atB: fc.boolean() }), {
          minLength: 1,
          maxLength: 30,
        }),
        async (ops) => {
          round += 1;
          const table = `prop${round}`;
          const outcomes = await Promise.allSettled(
            ops.map((op) =>
              (op.atB ? b : a).transaction(
                async (tx) => {
                  const seen = await increment(tx, table, `c${op.counter}`);
                  if (op.fails) throw new Error('gave up');
                  return seen;
                },
                { ...local, reads: [{ table, key: `c${op.counter}` }] },
              ),
            ),
          );
          const final = await a.readLocal((tx) => tx.scan(table, { limit: 10 }));
          for (const counter of [0, 1, 2]) {
            const kept = ops.flatMap((op, i) =>
              op.counter === counter && !op.fails ? [outcomes[i]!] : [],
            );
            // Every member that returned committed, once, and saw those before it.
            const seen = kept.map((outcome) => {
              expect(outcome.status).toBe('fulfilled');
              return (outcome as PromiseFulfilledResult<number>).value;
            });
            expect([...seen].sort((x, y) => x - y)).toEqual(kept.map((_, i) => i));
            const row = final.find(([key]) => key === `c${counter}`);
            expect(row?.[1]).toEqual(kept.length === 0 ? undefined : { n: kept.length });
          }
          ops.forEach((op, i) => {
            if (op.fails) expect(outcomes[i]!.status).toBe('rejected');
          });
        },
      ),
      { numRuns: 15 },
    );
  });
});
