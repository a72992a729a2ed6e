import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GlobalTable, type TransactWriteItem } from '../../../targets/sim/global-table.ts';
import { SimNetwork } from '../../../targets/sim/network.ts';
import { Prng } from '../../../targets/sim/prng.ts';
import { Scheduler } from '../../../targets/sim/scheduler.ts';

const TOKYO = 'ap-northeast-1';
const SEOUL = 'ap-northeast-2';
const OSAKA = 'ap-northeast-3';
const MS = 1_000_000;
const EVENTS_MAX = 200_000;

function world(seed = 1, regions: readonly string[] = [TOKYO, OSAKA]) {
  const scheduler = new Scheduler();
  const network = new SimNetwork(scheduler, new Prng(seed), {
    regions,
    local: { baseNs: 200_000, jitterMeanNs: 50_000 },
    crossRegion: { baseNs: 4 * MS, jitterMeanNs: 500_000 },
    client: { baseNs: 10 * MS, jitterMeanNs: 2 * MS },
  });
  const table = new GlobalTable<string>(scheduler, network, { replicationQueueMax: 1_000 });
  const runUntilMs = (ms: number) => scheduler.run({ untilNs: ms * MS, eventsMax: EVENTS_MAX });
  return { scheduler, network, table, runUntilMs };
}

const absent = (current: string | undefined) => current === undefined;

describe('GlobalTable: local reads and writes', () => {
  it('applies a write in its region at once and in the other region after the link latency', async () => {
    const { table, runUntilMs } = world();
    expect(table.put(TOKYO, 'k', 'v1')).toEqual({ ok: true, tsUs: 0 });
    expect(table.get(TOKYO, 'k')).toEqual({ value: 'v1', tsUs: 0, writerRegion: TOKYO });
    expect(table.get(OSAKA, 'k')).toBeUndefined();
    expect(table.replicationBacklog()).toBe(1);
    await runUntilMs(3.9);
    expect(table.get(OSAKA, 'k')).toBeUndefined();
    await runUntilMs(100);
    expect(table.get(OSAKA, 'k')?.value).toBe('v1');
    expect(table.quiesced()).toBe(true);
  });

  it('hands out copies: a caller mutating a value cannot reach into the store', () => {
    const { scheduler, network } = world();
    const table = new GlobalTable<{ balance: number }>(scheduler, network, {
      replicationQueueMax: 10,
    });
    const value = { balance: 5 };
    table.put(TOKYO, 'acct', value);
    value.balance = 99;
    const read = table.get(TOKYO, 'acct');
    if (read !== undefined) read.value.balance = 77;
    expect(table.snapshot(TOKYO).get('acct')).toEqual({ balance: 5 });
  });

  it('a later write in one region always wins there, even in the same microsecond', () => {
    const { table } = world();
    expect(table.put(OSAKA, 'k', 'first')).toEqual({ ok: true, tsUs: 0 });
    expect(table.put(OSAKA, 'k', 'second')).toEqual({ ok: true, tsUs: 1 });
    expect(table.get(OSAKA, 'k')?.value).toBe('second');
  });

  it('deletes with a tombstone that outranks an older put still in flight', async () => {
    const { table, runUntilMs } = world();
    table.put(TOKYO, 'k', 'old');
    await runUntilMs(1);
    const present = (current: string | undefined) => current !== undefined;
    expect(table.delete(OSAKA, 'k', { condition: present })).toEqual({
      ok: false,
      reason: 'condition-failed',
    });
    expect(table.delete(OSAKA, 'k')).toEqual({ ok: true, tsUs: 1_000 });
    await runUntilMs(100);
    expect(table.get(TOKYO, 'k')).toBeUndefined();
    expect(table.get(OSAKA, 'k')).toBeUndefined();
    expect(table.snapshot(TOKYO).size).toBe(0);
  });

  it('drains a backlog of thousands of records after a long pause', async () => {
    const { scheduler, network } = world();
    const table = new GlobalTable<number>(scheduler, network, { replicationQueueMax: 5_000 });
    table.pauseReplication(TOKYO, OSAKA);
    for (let i = 0; i < 3_000; i += 1) table.put(TOKYO, `k${i}`, i);
    expect(table.replicationBacklog()).toBe(3_000);
    table.resumeReplication(TOKYO, OSAKA);
    await scheduler.run({ untilNs: 1_000 * MS, eventsMax: EVENTS_MAX });
    expect(table.quiesced()).toBe(true);
    expect(table.snapshot(OSAKA)).toEqual(table.snapshot(TOKYO));
  });

  it('fails loudly when a replication queue overflows, and on unknown regions', () => {
    const { scheduler, network } = world();
    const table = new GlobalTable<number>(scheduler, network, { replicationQueueMax: 2 });
    table.put(TOKYO, 'a', 1);
    table.put(TOKYO, 'b', 2);
    expect(() => table.put(TOKYO, 'c', 3)).toThrow('queue full (2 items)');
    expect(() => table.get('us-east-1', 'a')).toThrow('no replica in "us-east-1"');
    expect(() => table.pauseReplication(TOKYO, TOKYO)).toThrow('no replication');
  });
});

describe('GlobalTable: conditions and transactions are local', () => {
  it('lets both regions pass a condition during a partition; one write wins after heal', async () => {
    const { network, table, runUntilMs } = world();
    network.partition(TOKYO, OSAKA);
    expect(table.put(TOKYO, 'order', 'tokyo', { condition: absent }).ok).toBe(true);
    await runUntilMs(10);
    expect(table.put(OSAKA, 'order', 'osaka', { condition: absent }).ok).toBe(true);
    await runUntilMs(1_000);
    expect(table.get(TOKYO, 'order')?.value).toBe('tokyo');
    expect(table.replicationBacklog()).toBe(2);
    network.heal(TOKYO, OSAKA);
    await runUntilMs(2_000);
    expect(table.quiesced()).toBe(true);
    expect(table.get(TOKYO, 'order')?.value).toBe('osaka');
    expect(table.get(OSAKA, 'order')?.value).toBe('osaka');
    expect(table.recordsSuperseded).toBe(1);
  });

  it('applies a transaction all or nothing, checking conditions on the local replica', () => {
    const { table } = world();
    table.put(TOKYO, 'a', 'taken');
    const writes: TransactWriteItem<string>[] = [
      { kind: 'put', key: 'b', value: 'B', condition: absent },
      { kind: 'put', key: 'a', value: 'A', condition: absent },
    ];
    expect(table.transactWrite(TOKYO, writes)).toEqual({
      ok: false,
      reason: 'condition-failed',
      key: 'a',
    });
    expect(table.get(TOKYO, 'b')).toBeUndefined();
    const guarded: TransactWriteItem<string>[] = [
      { kind: 'put', key: 'z', value: 'Z' },
      { kind: 'condition-check', key: 'a', condition: absent },
    ];
    expect(table.transactWrite(TOKYO, guarded)).toMatchObject({ ok: false, key: 'a' });
    expect(table.get(TOKYO, 'z')).toBeUndefined();
    expect(table.transactWrite(OSAKA, writes)).toEqual({ ok: true, tsUs: 0 });
    expect(table.snapshot(OSAKA)).toEqual(
      new Map([
        ['a', 'A'],
        ['b', 'B'],
      ]),
    );
    expect(() =>
      table.transactWrite(TOKYO, [
        { kind: 'delete', key: 'a' },
        { kind: 'condition-check', key: 'a', condition: absent },
      ]),
    ).toThrow('names item "a" twice');
  });

  it('replicates each item of a transaction separately: another region sees half of it', async () => {
    const { scheduler, table } = world(3);
    const keys = Array.from({ length: 10 }, (_, i) => `item-${i}`);
    table.transactWrite(
      TOKYO,
      keys.map((key) => ({ kind: 'put', key, value: 'x' })),
    );
    const seenCounts = new Set<number>();
    for (let step = 1; step <= 2_000 && !table.quiesced(); step += 1) {
      await scheduler.run({ untilNs: step * 10_000, eventsMax: EVENTS_MAX });
      seenCounts.add(table.snapshot(OSAKA).size);
    }
    expect(table.quiesced()).toBe(true);
    expect([...seenCounts].some((count) => count > 0 && count < keys.length)).toBe(true);
    expect(table.snapshot(OSAKA).size).toBe(keys.length);
  });
});

describe('GlobalTable: replication faults', () => {
  it('holds records while paused and delivers them on resume', async () => {
    const { table, runUntilMs } = world();
    table.pauseReplication(TOKYO, OSAKA);
    expect(() => table.pauseReplication(TOKYO, OSAKA)).toThrow('already paused');
    table.put(TOKYO, 'k', 'v');
    table.put(OSAKA, 'j', 'w');
    await runUntilMs(10_000);
    expect(table.get(OSAKA, 'k')).toBeUndefined();
    expect(table.get(TOKYO, 'j')?.value).toBe('w');
    expect(table.replicationBacklog()).toBe(1);
    table.resumeReplication(TOKYO, OSAKA);
    await runUntilMs(10_003);
    expect(table.get(OSAKA, 'k')).toBeUndefined();
    await runUntilMs(10_100);
    expect(table.get(OSAKA, 'k')?.value).toBe('v');
    expect(() => table.resumeReplication(TOKYO, OSAKA)).toThrow('not paused');
  });

  it('adds a link lag on top of the network latency, for records shipped after it is set', async () => {
    const { table, runUntilMs } = world();
    table.setReplicaLagMs(TOKYO, OSAKA, 2_000);
    table.put(TOKYO, 'k', 'v');
    table.put(OSAKA, 'j', 'w');
    await runUntilMs(2_003);
    expect(table.get(OSAKA, 'k')).toBeUndefined();
    expect(table.get(TOKYO, 'j')?.value).toBe('w');
    await runUntilMs(2_100);
    expect(table.get(OSAKA, 'k')?.value).toBe('v');
    table.setReplicaLagMs(TOKYO, OSAKA, 0);
    table.put(TOKYO, 'k', 'v2');
    await runUntilMs(2_200);
    expect(table.get(OSAKA, 'k')?.value).toBe('v2');
    expect(() => table.setReplicaLagMs(TOKYO, OSAKA, -1)).toThrow('replica lag');
  });

  it('holds replication from an isolated region and retries until it rejoins', async () => {
    const { network, table, runUntilMs } = world();
    network.isolate(TOKYO);
    table.put(TOKYO, 'k', 'v');
    await runUntilMs(5_000);
    expect(table.get(OSAKA, 'k')).toBeUndefined();
    expect(table.replicationBacklog()).toBe(1);
    network.rejoin(TOKYO);
    await runUntilMs(5_110);
    expect(table.get(OSAKA, 'k')?.value).toBe('v');
    expect(table.quiesced()).toBe(true);
  });

  it('recalls records a partition catches in flight and delivers them after heal', async () => {
    const { scheduler, network, table, runUntilMs } = world();
    table.setReplicaLagMs(TOKYO, OSAKA, 1_000);
    table.put(TOKYO, 'k', 'v');
    scheduler.at(500 * MS, () => network.partition(TOKYO, OSAKA));
    scheduler.at(3_000 * MS, () => network.heal(TOKYO, OSAKA));
    await runUntilMs(3_000);
    expect(table.get(OSAKA, 'k')).toBeUndefined();
    await runUntilMs(4_200);
    expect(table.get(OSAKA, 'k')?.value).toBe('v');
  });
});

describe('GlobalTable: last writer wins', () => {
  it('lets a write stamped by a slow clock lose to an older one, everywhere (skewed-clock-lww)', async () => {
    const { table, runUntilMs } = world();
    table.put(TOKYO, 'k', 'tokyo', { tsUs: 1_000_000 });
    await runUntilMs(100);
    const late = table.put(OSAKA, 'k', 'osaka', { tsUs: 100_000 - 500_000 });
    expect(late).toEqual({ ok: true, tsUs: -400_000 });
    await runUntilMs(200);
    expect(table.get(OSAKA, 'k')?.value).toBe('tokyo');
    expect(table.get(TOKYO, 'k')?.value).toBe('tokyo');
    expect(() => table.put(TOKYO, 'k', 'x', { tsUs: 1.5 })).toThrow('tsUs must be an integer');
  });

  it('breaks a timestamp tie by the larger region name', async () => {
    const { table, runUntilMs } = world();
    table.put(OSAKA, 'k', 'osaka', { tsUs: 7 });
    table.put(TOKYO, 'k', 'tokyo', { tsUs: 7 });
    await runUntilMs(100);
    expect(table.get(TOKYO, 'k')).toEqual({ value: 'osaka', tsUs: 7, writerRegion: OSAKA });
    expect(table.get(OSAKA, 'k')?.value).toBe('osaka');
  });
});

interface WriteSpec {
  atMs: number;
  region: number;
  key: 'a' | 'b' | 'c';
  kind: 'put' | 'put-if-absent' | 'delete' | 'put-skewed';
  skewMs: number;
}

interface FaultSpec {
  kind: 'partition' | 'isolate' | 'pause' | 'lag';
  a: number;
  b: number;
  startMs: number;
  durationMs: number;
  lagMs: number;
}

const REGIONS = [TOKYO, SEOUL, OSAKA];
const region = fc.integer({ min: 0, max: REGIONS.length - 1 });
const writeSpec: fc.Arbitrary<WriteSpec> = fc.record({
  atMs: fc.integer({ min: 0, max: 300 }),
  region,
  key: fc.constantFrom('a', 'b', 'c'),
  kind: fc.constantFrom('put', 'put-if-absent', 'delete', 'put-skewed'),
  skewMs: fc.integer({ min: -50, max: 50 }),
});
const faultSpec: fc.Arbitrary<FaultSpec> = fc.record({
  kind: fc.constantFrom('partition', 'isolate', 'pause', 'lag'),
  a: region,
  b: region,
  startMs: fc.integer({ min: 0, max: 300 }),
  durationMs: fc.integer({ min: 1, max: 300 }),
  lagMs: fc.integer({ min: 0, max: 200 }),
});

interface Applied {
  key: string;
  value: string | undefined;
  tsUs: number;
  region: string;
}

/** Schedules the writes and faults; returns the writes the store acknowledged, as they happen. */
function schedule(w: ReturnType<typeof world>, writes: WriteSpec[], faults: FaultSpec[]) {
  const { scheduler, network, table } = w;
  const applied: Applied[] = [];
  const counts = new Map<string, number>();
  const nest = (key: string, delta: 1 | -1, first: () => void, last: () => void) => {
    const count = (counts.get(key) ?? 0) + delta;
    counts.set(key, count);
    if (delta === 1 && count === 1) first();
    if (delta === -1 && count === 0) last();
  };
  for (const f of faults) {
    const [a, b] = [REGIONS[f.a] ?? TOKYO, REGIONS[f.b] ?? OSAKA];
    if (f.kind !== 'isolate' && a === b) continue;
    const toggle = (delta: 1 | -1) => {
      if (f.kind === 'partition') delta === 1 ? network.partition(a, b) : network.heal(a, b);
      const iso = () => network.isolate(a);
      if (f.kind === 'isolate') nest(`iso ${a}`, delta, iso, () => network.rejoin(a));
      const pause = () => table.pauseReplication(a, b);
      if (f.kind === 'pause')
        nest(`pause ${a} ${b}`, delta, pause, () => table.resumeReplication(a, b));
      if (f.kind === 'lag') table.setReplicaLagMs(a, b, delta === 1 ? f.lagMs : 0);
    };
    scheduler.at(f.startMs * MS, () => toggle(1));
    scheduler.at((f.startMs + f.durationMs) * MS, () => toggle(-1));
  }
  for (const [i, s] of writes.entries()) {
    const at = REGIONS[s.region] ?? TOKYO;
    const value = `${at}#${i}`;
    scheduler.at(s.atMs * MS, () => {
      const nowUs = Math.floor(scheduler.nowNs / 1000);
      const result =
        s.kind === 'put'
          ? table.put(at, s.key, value)
          : s.kind === 'put-if-absent'
            ? table.put(at, s.key, value, { condition: absent })
            : s.kind === 'delete'
              ? table.delete(at, s.key)
              : table.put(at, s.key, value, { tsUs: nowUs + s.skewMs * 1000 });
      if (!result.ok) return;
      const written = s.kind === 'delete' ? undefined : value;
      applied.push({ key: s.key, value: written, tsUs: result.tsUs, region: at });
    });
  }
  return applied;
}

function lastWriterWins(applied: readonly Applied[]): Map<string, string> {
  const winners = new Map<string, Applied>();
  for (const write of applied) {
    const best = winners.get(write.key);
    const newer =
      best === undefined ||
      write.tsUs > best.tsUs ||
      (write.tsUs === best.tsUs && write.region > best.region);
    if (newer) winners.set(write.key, write);
  }
  const values = new Map<string, string>();
  for (const key of [...winners.keys()].sort()) {
    const value = winners.get(key)?.value;
    if (value !== undefined) values.set(key, value);
  }
  return values;
}

async function runToQuiescence(w: ReturnType<typeof world>) {
  const stats = await w.scheduler.run({ untilNs: 60_000 * MS, eventsMax: EVENTS_MAX });
  return stats.eventsRun;
}

describe('GlobalTable: convergence (property)', () => {
  it('converges every replica to the last writer by (tsUs, region) once faults heal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 1_000 }),
        fc.array(writeSpec, { maxLength: 25 }),
        fc.array(faultSpec, { maxLength: 4 }),
        async (seed, writes, faults) => {
          const w = world(seed, REGIONS);
          const applied = schedule(w, writes, faults);
          await runToQuiescence(w);
          expect(w.table.quiesced()).toBe(true);
          const expected = lastWriterWins(applied);
          for (const at of REGIONS) expect(w.table.snapshot(at)).toEqual(expected);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('is deterministic: same seed and schedule, same final state and event count', async () => {
    const writes = fc.sample(writeSpec, { numRuns: 30, seed: 42 });
    const faults = fc.sample(faultSpec, { numRuns: 4, seed: 43 });
    const once = async () => {
      const w = world(7, REGIONS);
      schedule(w, writes, faults);
      const eventsRun = await runToQuiescence(w);
      const state = REGIONS.map((at) => [...w.table.snapshotItems(at)]);
      return { eventsRun, state, superseded: w.table.recordsSuperseded };
    };
    const first = await once();
    expect(first.eventsRun).toBeGreaterThan(30);
    expect(await once()).toEqual(first);
  });
});
