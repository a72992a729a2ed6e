/**
 * Failover on the lab's PostgreSQL nodes, as LabAurora carries it out: detach and promote, the
 * old writer fenced (it never takes a write once the other is promoted) and re-joined as a
 * replica of the new writer, commits waiting for a replica again once it streams, a lagging WAL
 * link's last commits lost by the promotion, and an old writer kept out by a partition started
 * read-only, then re-joined when the partition ends. One lab, the tests in order.
 */
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabAurora } from '../../../targets/local/lab-aurora.ts';
import { LabNetwork } from '../../../targets/local/lab-network.ts';
import { LinkFaults } from '../../../targets/local/link-faults.ts';
import { pgConfig } from '../../../targets/local/postgres-node.ts';
import { ToxiproxyClient } from '../../../targets/local/toxiproxy-client.ts';
import { sleepMs, waitUntil } from '../../../targets/local/wait-until.ts';
import { enginesMissing } from './support/engines.ts';
import { REGION_A, REGION_B, useLab } from './support/lab-fixture.ts';

describe.skipIf(enginesMissing !== undefined)('failover on the lab PostgreSQL nodes', () => {
  const lab = useLab();
  let network: LabNetwork;
  let aurora: LabAurora;

  async function query(region: string, text: string, values: unknown[] = [], commit = 'local') {
    const client = new pg.Client(pgConfig(lab.state().postgres[region]!.port, 5_000));
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query(`SET synchronous_commit = ${commit}`);
      return (await client.query(text, values)).rows as Record<string, unknown>[];
    } finally {
      await client.end().catch(() => {});
    }
  }
  const valueAt = async (region: string, k: string) =>
    (await query(region, 'SELECT v FROM failover WHERE k = $1', [k]))[0]?.v;
  const inRecovery = async (region: string) =>
    (await query(region, 'SELECT pg_is_in_recovery() AS r'))[0]?.r;
  const syncNames = async (region: string) =>
    (await query(region, 'SHOW synchronous_standby_names'))[0]?.synchronous_standby_names;

  beforeAll(async () => {
    const links = new LinkFaults(
      new ToxiproxyClient(lab.state().toxiproxyApi),
      Object.values(lab.state().links),
    );
    network = new LabNetwork(new ToxiproxyClient(lab.state().toxiproxyApi), links);
    aurora = new LabAurora({ state: lab.state(), dirs: lab.dirs(), network, fencing: true });
    await query(REGION_A, 'CREATE TABLE failover (k text PRIMARY KEY, v int)', [], 'remote_apply');
  });

  it('promotes the replica, fences the old writer and re-joins it as a replica of the new one', async () => {
    await query(REGION_A, 'INSERT INTO failover VALUES ($1, $2)', ['before', 1], 'remote_apply');
    await aurora.failover(REGION_A, REGION_B);
    expect(aurora.writerRegion).toBe(REGION_B);
    expect(await inRecovery(REGION_B)).toBe(false);
    // Fenced: the old writer is a standby now, and refuses a write.
    expect(await inRecovery(REGION_A)).toBe(true);
    await expect(
      query(REGION_A, 'INSERT INTO failover VALUES ($1, $2)', ['on-old-writer', 2]),
    ).rejects.toThrow(/read-only/);
    expect(aurora.role(REGION_A)).toBe('replica');
    // Re-joined: the new writer's commits wait for it, and it has them once they return.
    expect(await syncNames(REGION_B)).toBe('*');
    await query(REGION_B, 'INSERT INTO failover VALUES ($1, $2)', ['after', 3], 'remote_apply');
    expect(await valueAt(REGION_A, 'after')).toBe(3);
    expect(await valueAt(REGION_A, 'before')).toBe(1);
  });

  it('loses what a lagging WAL link held at the promotion, and the killed old writer comes back a replica', async () => {
    await aurora.setReplicaLagMs(REGION_B, REGION_A, 3_000);
    await query(REGION_B, 'INSERT INTO failover VALUES ($1, $2)', ['lagging', 4]);
    await sleepMs(200);
    await aurora.kill(REGION_B);
    await aurora.failover(REGION_B, REGION_A);
    expect(aurora.writerRegion).toBe(REGION_A);
    expect(await valueAt(REGION_A, 'lagging')).toBeUndefined();
    // Its commits wait for no replica while it has none.
    expect(await syncNames(REGION_A)).toBe('');
    await query(REGION_A, 'INSERT INTO failover VALUES ($1, $2)', ['alone', 5], 'remote_apply');
    await aurora.restart(REGION_B);
    expect(await inRecovery(REGION_B)).toBe(true);
    expect(await valueAt(REGION_B, 'lagging')).toBeUndefined();
    expect(await valueAt(REGION_B, 'alone')).toBe(5);
    expect(await syncNames(REGION_A)).toBe('*');
  });

  it('starts an old writer it cannot reach read-only, and re-joins it once the partition ends', async () => {
    await network.partition(REGION_A, REGION_B);
    await aurora.failover(REGION_A, REGION_B);
    expect(aurora.role(REGION_A)).toBe('old-writer');
    expect(await inRecovery(REGION_A)).toBe(true);
    await expect(
      query(REGION_A, 'INSERT INTO failover VALUES ($1, $2)', ['fenced', 6]),
    ).rejects.toThrow(/read-only/);
    await query(REGION_B, 'INSERT INTO failover VALUES ($1, $2)', ['cut-off', 7], 'remote_apply');
    await network.healPartition(REGION_A, REGION_B);
    await aurora.rejoinReachable();
    expect(aurora.role(REGION_A)).toBe('replica');
    await waitUntil(
      'the re-joined replica',
      10_000,
      async () => (await valueAt(REGION_A, 'cut-off')) === 7,
    );
    await aurora.heal();
    await aurora.waitCaughtUp(10_000);
  });
});
