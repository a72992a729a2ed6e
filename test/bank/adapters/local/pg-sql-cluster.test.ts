import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlSchema } from '../../../../bank/adapters/local/pg-schema.ts';
import { PgSqlCluster, WRITER_QUEUE_LOCK } from '../../../../bank/adapters/local/pg-sql-cluster.ts';
import { StoreError } from '../../../../bank/ports.ts';
import { sqlLink, walLink } from '../../../../targets/local/lab-links.ts';
import { pgConfig } from '../../../../targets/local/postgres-node.ts';
import { sleepMs, waitUntil } from '../../../../targets/local/wait-until.ts';
import { WALL_TIME } from '../../../../targets/local/wall-time.ts';
import { enginesMissing } from '../../../targets/local/support/engines.ts';
import { REGION_A, REGION_B, useLab } from '../../../targets/local/support/lab-fixture.ts';

describe.skipIf(enginesMissing !== undefined)('PgSqlCluster on a primary and its replica', () => {
  const lab = useLab();
  const clusters: PgSqlCluster[] = [];

  function cluster(
    region: string,
    overrides: { writer?: string; timeoutMs?: number; queueWaitMsMax?: number } = {},
  ) {
    const made = new PgSqlCluster({
      region,
      nodePorts: {
        [REGION_A]: lab.port(sqlLink(region, REGION_A)),
        [REGION_B]: lab.port(sqlLink(region, REGION_B)),
      },
      writerRegion: () => overrides.writer ?? REGION_A,
      timeoutMs: overrides.timeoutMs ?? 10_000,
      poolMax: 8,
      queueWaitMsMax: overrides.queueWaitMsMax ?? 10_000,
      time: WALL_TIME,
    });
    clusters.push(made);
    return made;
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

  it('commits on the writer and, once replicated, reads it on the replica', async () => {
    const a = cluster(REGION_A);
    const b = cluster(REGION_B);
    await b.transaction(
      async (tx) => {
        await tx.put('t1', 'k2', { n: 2 });
        await tx.put('t1', 'k1', { n: 1 });
        await tx.put('t1', 'k3', { n: 3 });
        await tx.put('other', 'k0', { n: 0 });
      },
      { waitForReplication: true },
    );
    const scanned = await b.readLocal((tx) => tx.scan('t1', { limit: 10 }));
    expect(scanned).toEqual([
      ['k1', { n: 1 }],
      ['k2', { n: 2 }],
      ['k3', { n: 3 }],
    ]);
    expect(await b.readLocal((tx) => tx.scan('t1', { afterKey: 'k1', limit: 1 }))).toEqual([
      ['k2', { n: 2 }],
    ]);
    await a.transaction((tx) => tx.delete('t1', 'k2'), { waitForReplication: true });
    expect(await b.readLocal((tx) => tx.get('t1', 'k2'))).toBeUndefined();
    expect(await a.readLocal((tx) => tx.get('t1', 'k3'))).toEqual({ n: 3 });
  });

  it('gives up, definitely and without running, a transaction that waited its bound in the queue', async () => {
    const holder = new pg.Client(pgConfig(lab.state().postgres[REGION_A]!.port));
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(${WRITER_QUEUE_LOCK})`);
      let ran = false;
      const startedMs = performance.now();
      const error = await cluster(REGION_B, { queueWaitMsMax: 300 })
        .transaction(
          async (tx) => {
            ran = true;
            await tx.put('queue', 'k', { n: 1 });
          },
          { waitForReplication: false },
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).definite).toBe(true);
      expect(String((error as StoreError).message)).toMatch(/lock timeout/);
      expect(ran).toBe(false);
      expect(performance.now() - startedMs).toBeLessThan(3_000);
    } finally {
      await holder.end();
    }
    // The queue is free again once its holder has gone: the next transaction runs.
    await cluster(REGION_B, { queueWaitMsMax: 2_000 }).transaction(
      (tx) => tx.put('queue', 'k', { n: 2 }),
      { waitForReplication: false },
    );
    expect(await cluster(REGION_A).readLocal((tx) => tx.get('queue', 'k'))).toEqual({ n: 2 });
  });

  it('says which node is the writer', async () => {
    expect(await cluster(REGION_A).localIsWriter()).toBe(true);
    expect(await cluster(REGION_B).localIsWriter()).toBe(false);
  });

  it('serializes concurrent read-modify-writes (conflicts run the function again)', async () => {
    const a = cluster(REGION_A);
    const b = cluster(REGION_B);
    await a.transaction((tx) => tx.put('counter', 'c', { n: 0 }), { waitForReplication: false });
    const increment = (c: PgSqlCluster) =>
      c.transaction(
        async (tx) => {
          const row = (await tx.get('counter', 'c')) as { n: number };
          await tx.put('counter', 'c', { n: row.n + 1 });
        },
        { waitForReplication: false },
      );
    await Promise.all(Array.from({ length: 16 }, (_, i) => increment(i % 2 === 0 ? a : b)));
    expect(await a.readLocal((tx) => tx.get('counter', 'c'))).toEqual({ n: 16 });
  });

  it('refuses, definitely, a write at a node that is read-only', async () => {
    const atReplica = cluster(REGION_B, { writer: REGION_B });
    const error = await atReplica
      .transaction((tx) => tx.put('t2', 'k', { n: 1 }), { waitForReplication: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).definite).toBe(true);
    expect(String((error as StoreError).message)).toMatch(/read-only|hot standby/);
  });

  it('reports a commit that does not replicate in time as unknown, and it did commit', async () => {
    const a = cluster(REGION_A, { timeoutMs: 3_000 });
    await lab.faults().start(walLink(REGION_A, REGION_B), { kind: 'down' });
    try {
      const error = await a
        .transaction((tx) => tx.put('t3', 'k', { n: 1 }), { waitForReplication: true })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).definite).toBe(false);
    } finally {
      await lab.faults().heal(walLink(REGION_A, REGION_B));
    }
    // It did commit: PostgreSQL shows it once the replica has it (a commit waiting for its
    // synchronous replica stays invisible meanwhile, even after its client gave up).
    await waitUntil('the unacknowledged commit to show', 10_000, async () => {
      return JSON.stringify(await a.readLocal((tx) => tx.get('t3', 'k'))) === '{"n":1}';
    });
  });

  it('turns a blackholed link to the writer into an error within its timeout', async () => {
    const b = cluster(REGION_B, { timeoutMs: 1_500 });
    await b.localIsWriter();
    await lab.faults().start(sqlLink(REGION_B, REGION_A), { kind: 'blackhole' });
    const startedMs = performance.now();
    try {
      const error = await b
        .transaction((tx) => tx.put('t4', 'k', { n: 1 }), { waitForReplication: false })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(performance.now() - startedMs).toBeLessThan(5_000);
    } finally {
      await lab.faults().heal(sqlLink(REGION_B, REGION_A));
    }
    expect(await cluster(REGION_A).readLocal((tx) => tx.get('t4', 'k'))).toBeUndefined();
  });
  it('reports a connection cut between two queries of a transaction as a definite store error', async () => {
    const a = cluster(REGION_A);
    await a.localIsWriter();
    const link = sqlLink(REGION_A, REGION_A);
    let cut = false;
    try {
      const error = await a
        .transaction(
          async (tx) => {
            await tx.get('t5', 'k');
            if (!cut) {
              cut = true;
              // No query is running when the link goes down: the next one finds it cut.
              await lab.faults().start(link, { kind: 'down' });
              await sleepMs(300);
            }
            await tx.put('t5', 'k', { n: 1 });
          },
          { waitForReplication: false },
        )
        .catch((e: unknown) => e);
      expect(cut).toBe(true);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).definite).toBe(true);
    } finally {
      await lab.faults().heal(link);
    }
    expect(await cluster(REGION_A).readLocal((tx) => tx.get('t5', 'k'))).toBeUndefined();
  });
});
