import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgConfig } from '../../../targets/local/postgres-node.ts';
import { LabSqlFaults } from '../../../targets/local/sql-faults.ts';
import { sleepMs, waitUntil } from '../../../targets/local/wait-until.ts';
import { enginesMissing } from './support/engines.ts';
import { REGION_A, REGION_B, useLab } from './support/lab-fixture.ts';

describe.skipIf(enginesMissing !== undefined)('faults on the lab PostgreSQL nodes', () => {
  const lab = useLab();
  let faults: LabSqlFaults;

  /** One statement on a node directly; a write commits without waiting for the replica. */
  async function query(region: string, text: string, values: unknown[] = []) {
    const client = new pg.Client(pgConfig(lab.state().postgres[region]!.port, 3_000));
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query('SET synchronous_commit = local');
      return (await client.query(text, values)).rows as Record<string, unknown>[];
    } finally {
      await client.end().catch(() => {});
    }
  }
  const valueAt = async (region: string, k: string) =>
    (await query(region, 'SELECT v FROM faults WHERE k = $1', [k]))[0]?.v;

  beforeAll(async () => {
    faults = new LabSqlFaults(lab.state(), lab.dirs());
    await query(REGION_A, 'CREATE TABLE faults (k text PRIMARY KEY, v int)');
  });

  afterAll(async () => {
    await faults?.setApplyDelayMs(REGION_B, 0).catch(() => {});
  });

  it('holds replay while paused and catches up on resume', async () => {
    await waitUntil('the table on the replica', 5_000, async () => {
      return (await query(REGION_B, "SELECT to_regclass('faults') AS t"))[0]?.t === 'faults';
    });
    await faults.pauseReplay(REGION_B);
    await query(REGION_A, 'INSERT INTO faults VALUES ($1, $2)', ['paused', 1]);
    await sleepMs(300);
    expect(await valueAt(REGION_B, 'paused')).toBeUndefined();
    await faults.resumeReplay(REGION_B);
    await waitUntil(
      'replay to catch up',
      5_000,
      async () => (await valueAt(REGION_B, 'paused')) === 1,
    );
  });

  it('delays each commit on the replica by the apply delay', async () => {
    await faults.setApplyDelayMs(REGION_B, 700);
    const startedMs = performance.now();
    await query(REGION_A, 'INSERT INTO faults VALUES ($1, $2)', ['delayed', 2]);
    await waitUntil(
      'the delayed commit',
      10_000,
      async () => (await valueAt(REGION_B, 'delayed')) === 2,
      20,
    );
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(650);
    await faults.setApplyDelayMs(REGION_B, 0);
  });

  it('kills the primary outright and restarts it with what it had committed', async () => {
    await query(REGION_A, 'INSERT INTO faults VALUES ($1, $2)', ['before-kill', 3]);
    const killed = faults.record(REGION_A);
    await faults.kill(REGION_A);
    await expect(query(REGION_A, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    const restarted = await faults.restart(REGION_A, killed);
    expect(restarted.pid).not.toBe(killed.pid);
    expect(await valueAt(REGION_A, 'before-kill')).toBe(3);
  });

  it('promotes the replica into a writer', async () => {
    expect((await query(REGION_B, 'SELECT pg_is_in_recovery() AS r'))[0]?.r).toBe(true);
    await faults.promote(REGION_B);
    expect((await query(REGION_B, 'SELECT pg_is_in_recovery() AS r'))[0]?.r).toBe(false);
    await query(REGION_B, 'INSERT INTO faults VALUES ($1, $2)', ['after-promote', 4]);
    expect(await valueAt(REGION_B, 'after-promote')).toBe(4);
  });
});
