import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbKvTable } from '../../../bank/adapters/local/dynamodb-kv-table.ts';
import { REPLICATOR_POLL } from '../../../run/targets/local/lab-bank.ts';
import { DynamoDbCallCounts } from '../../../targets/local/dynamodb-call-counts.ts';
import { dynamoDbClient } from '../../../targets/local/dynamodb-client.ts';
import { LabClocks } from '../../../targets/local/lab-clocks.ts';
import { LabGlobalTable } from '../../../targets/local/lab-global-table.ts';
import { dynamodbLink, replicationLink } from '../../../targets/local/lab-links.ts';
import { sleepMs, waitUntil } from '../../../targets/local/wait-until.ts';
import { enginesMissing } from './support/engines.ts';
import { REGION_A, REGION_B, useLab } from './support/lab-fixture.ts';

describe.skipIf(enginesMissing !== undefined)('the replicator between two moto servers', () => {
  const lab = useLab();
  const clocks = new LabClocks([REGION_A, REGION_B]);
  let global: LabGlobalTable;
  const kv = new Map<string, DynamoDbKvTable<string>>();
  const calls = new DynamoDbCallCounts();
  const clientOf = (region: string) =>
    dynamoDbClient({
      endpoint: `http://127.0.0.1:${lab.port(dynamodbLink(region))}`,
      region,
      requestTimeoutMs: 5_000,
    });

  beforeAll(async () => {
    global = await LabGlobalTable.start(lab.state(), {
      table: 'registers',
      requestTimeoutMs: 5_000,
      poll: REPLICATOR_POLL,
      recordsMax: 10_000,
      calls,
    });
    for (const region of [REGION_A, REGION_B]) {
      kv.set(
        region,
        // Nudging the replicators as the bank's writes do (run/targets/local/lab-bank.ts).
        new DynamoDbKvTable({
          client: clientOf(region),
          table: 'registers',
          region,
          nowUs: () => clocks.nowUs(region),
          onWritten: () => global.written(region),
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await global?.stop();
  });

  const at = (region: string) => kv.get(region)!;
  const valueAt = async (region: string, key: string) => (await at(region).get(key))?.value;

  // Once a known bug: B's copy of k1 (moto's UpdateItem on an absent item) left a bare-key
  // record in B's stream that stopped B -> A's read of its page, so k2 was sometimes lost.
  it('copies a write to the other region with its timestamp, both ways, without echo', async () => {
    const a = await at(REGION_A).put('k1', 'from-a');
    const b = await at(REGION_B).put('k2', 'from-b');
    await global.waitQuiesced(5_000);
    expect(await at(REGION_B).get('k1')).toEqual({ value: 'from-a', tsUs: a.ok ? a.tsUs : -1 });
    expect(await at(REGION_A).get('k2')).toEqual({ value: 'from-b', tsUs: b.ok ? b.tsUs : -1 });
    const appliedBefore = global.replicator(REGION_B, REGION_A).stats.applied;
    await sleepMs(200);
    await global.waitQuiesced(5_000);
    // B's copy of k1 is A's write: B -> A never sends it back.
    expect(global.replicator(REGION_B, REGION_A).stats.applied).toBe(appliedBefore);
  });

  it('copies fresh keys written in both regions at once, none lost', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `fresh-${i}`);
    const writes = keys.map((key, i) => at(i % 2 === 0 ? REGION_A : REGION_B).put(key, key));
    expect((await Promise.all(writes)).every((w) => w.ok)).toBe(true);
    await global.waitQuiesced(10_000);
    for (const region of [REGION_A, REGION_B]) {
      const values = await Promise.all(keys.map((key) => valueAt(region, key)));
      expect({ region, values }).toEqual({ region, values: keys });
    }
  });

  it('converges concurrent writes on the larger timestamp (a skewed clock wins)', async () => {
    clocks.setSkewMs(REGION_B, 10_000);
    // Concurrent: neither region has seen the other's write when it makes its own (otherwise A
    // would stamp past B's copy, as it should, and win).
    global.pauseReplication(REGION_A, REGION_B);
    global.pauseReplication(REGION_B, REGION_A);
    try {
      await Promise.all([at(REGION_A).put('k3', 'a'), at(REGION_B).put('k3', 'b')]);
      global.resumeReplication(REGION_A, REGION_B);
      global.resumeReplication(REGION_B, REGION_A);
      await global.waitQuiesced(5_000);
      expect(await valueAt(REGION_A, 'k3')).toBe('b');
      expect(await valueAt(REGION_B, 'k3')).toBe('b');
    } finally {
      clocks.setSkewMs(REGION_B, 0);
    }
  });

  it('applies a record no earlier than the lag after it was read', async () => {
    global.setReplicaLagMs(REGION_A, REGION_B, 800);
    try {
      const startedMs = performance.now();
      await at(REGION_A).put('k5', 'lagged');
      await waitUntil(
        'k5 in B',
        5_000,
        async () => (await valueAt(REGION_B, 'k5')) === 'lagged',
        20,
      );
      expect(performance.now() - startedMs).toBeGreaterThanOrEqual(750);
    } finally {
      global.setReplicaLagMs(REGION_A, REGION_B, 0);
    }
  });

  it('holds records while paused and delivers them on resume', async () => {
    global.pauseReplication(REGION_A, REGION_B);
    await at(REGION_A).put('k6', 'held');
    await sleepMs(400);
    expect(await valueAt(REGION_B, 'k6')).toBeUndefined();
    await expect(global.waitQuiesced(300)).rejects.toThrow(/registers did not converge.*paused/);
    global.resumeReplication(REGION_A, REGION_B);
    await global.waitQuiesced(5_000);
    expect(await valueAt(REGION_B, 'k6')).toBe('held');
  });

  it('retries, in order, writes that a replication link fault failed', async () => {
    await lab.faults().start(replicationLink(REGION_A, REGION_B), { kind: 'down' });
    try {
      await at(REGION_A).put('k7', 'first');
      await at(REGION_A).put('k7', 'second');
      await sleepMs(300);
      expect(await valueAt(REGION_B, 'k7')).toBeUndefined();
      expect(global.replicator(REGION_A, REGION_B).stats.writeErrors).toBeGreaterThan(0);
      // A table that does not converge says why its replicator is stuck.
      await expect(global.waitQuiesced(300)).rejects.toThrow(
        /registers did not converge.*backlog 2, \d+ write and \d+ read errors, last write: /,
      );
    } finally {
      await lab.faults().heal(replicationLink(REGION_A, REGION_B));
    }
    await global.waitQuiesced(5_000);
    expect(await valueAt(REGION_B, 'k7')).toBe('second');
  });

  it('keeps a newer local write over an older replicated one', async () => {
    global.pauseReplication(REGION_A, REGION_B);
    await at(REGION_A).put('k8', 'older');
    await sleepMs(5);
    await at(REGION_B).put('k8', 'newer');
    global.resumeReplication(REGION_A, REGION_B);
    await global.waitQuiesced(5_000);
    expect(await valueAt(REGION_B, 'k8')).toBe('newer');
    expect(await valueAt(REGION_A, 'k8')).toBe('newer');
  });

  it('polls an idle stream a few times a second, not every 20 ms', async () => {
    await global.waitQuiesced(5_000);
    // The waits double up to the longest first.
    await sleepMs(REPLICATOR_POLL.intervalMsMax * 3);
    const before = calls.snapshot()['replicator GetRecordsCommand'] ?? 0;
    const idleMs = 2_000;
    await sleepMs(idleMs);
    const polls = (calls.snapshot()['replicator GetRecordsCommand'] ?? 0) - before;
    // Two replicators: ~2 * 2000 / 320 = 12.5 polls; a fixed 20 ms poll made ~200.
    expect(polls).toBeGreaterThan(0);
    expect(polls).toBeLessThanOrEqual(2 * (idleMs / REPLICATOR_POLL.intervalMsMax + 2));
  });

  it('picks up a nudged write at once, not at the next idle poll', async () => {
    const slow = await LabGlobalTable.start(lab.state(), {
      table: 'nudged',
      requestTimeoutMs: 5_000,
      // A poll every 6 s at most: without the nudge the write would wait for it.
      poll: { intervalMsMin: 6_000, intervalMsMax: 6_000 },
      recordsMax: 100,
    });
    const writer = new DynamoDbKvTable<string>({
      client: clientOf(REGION_A),
      table: 'nudged',
      region: REGION_A,
      nowUs: () => clocks.nowUs(REGION_A),
      onWritten: () => slow.written(REGION_A),
    });
    const reader = new DynamoDbKvTable<string>({
      client: clientOf(REGION_B),
      table: 'nudged',
      region: REGION_B,
      nowUs: () => clocks.nowUs(REGION_B),
    });
    try {
      // The first polls (at start) are over: the replicators now wait 6 s.
      await sleepMs(1_000);
      const startedMs = performance.now();
      await writer.put('n1', 'nudged');
      await waitUntil(
        'n1 in B',
        5_000,
        async () => (await reader.get('n1'))?.value === 'nudged',
        20,
      );
      expect(performance.now() - startedMs).toBeLessThan(3_000);
    } finally {
      await slow.stop();
    }
  });
});
