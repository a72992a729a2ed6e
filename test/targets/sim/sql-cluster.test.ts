import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimNetwork } from '../../../targets/sim/network.ts';
import { Prng } from '../../../targets/sim/prng.ts';
import { Scheduler } from '../../../targets/sim/scheduler.ts';
import {
  type JsonValue,
  SqlCluster,
  type SqlResult,
  type SqlTx,
} from '../../../targets/sim/sql-cluster.ts';

const TOKYO = 'ap-northeast-1';
const SEOUL = 'ap-northeast-2';
const OSAKA = 'ap-northeast-3';
const MS = 1_000_000;
const EVENTS_MAX = 200_000;
const WAIT = { waitForReplication: true };
const NO_WAIT = { waitForReplication: false };

function world(options: { seed?: number; regions?: string[]; fencing?: boolean } = {}) {
  const regions = options.regions ?? [TOKYO, OSAKA];
  const scheduler = new Scheduler();
  const network = new SimNetwork(scheduler, new Prng(options.seed ?? 1), {
    regions,
    local: { baseNs: 200_000, jitterMeanNs: 50_000 },
    crossRegion: { baseNs: 4 * MS, jitterMeanNs: 500_000 },
    client: { baseNs: 10 * MS, jitterMeanNs: 2 * MS },
  });
  const cluster = new SqlCluster(scheduler, network, {
    regions,
    writerRegion: TOKYO,
    fencing: options.fencing ?? true,
    replicationQueueMax: 1_000,
  });
  const runUntilMs = (ms: number) => scheduler.run({ untilNs: ms * MS, eventsMax: EVENTS_MAX });
  return { scheduler, network, cluster, runUntilMs };
}

const putEntry = (key: string, amount: number) => (tx: SqlTx) => {
  tx.put('ledger', key, { amount });
  return key;
};

async function rows(cluster: SqlCluster, region: string) {
  const result = await cluster.read(region, (tx) => tx.scan('ledger', 1_000));
  if (!result.ok) throw new Error(`read in ${region}: ${result.reason}`);
  return result.value.map(({ key, row }) => [key, row]);
}

/** A promise's state without waiting for it. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T } = { settled: false };
  promise.then((value) => {
    state.settled = true;
    state.value = value;
  });
  return state;
}

describe('SqlCluster: transactions', () => {
  it('commits at the writer with increasing LSNs; a secondary reads stale until it applies', async () => {
    const { cluster, runUntilMs } = world();
    expect(await cluster.transaction(TOKYO, putEntry('e1', 5), NO_WAIT)).toEqual({
      ok: true,
      lsn: 1,
      value: 'e1',
    });
    expect((await cluster.transaction(TOKYO, putEntry('e2', 7), NO_WAIT)).ok).toBe(true);
    expect(await cluster.read(OSAKA, (tx) => tx.get('ledger', 'e1'))).toEqual({
      ok: true,
      lsn: 0,
      value: undefined,
    });
    expect(cluster.quiesced()).toBe(false);
    await runUntilMs(100);
    expect(cluster.appliedLsn(OSAKA)).toBe(2);
    expect(await rows(cluster, OSAKA)).toEqual(await rows(cluster, TOKYO));
    expect(cluster.quiesced()).toBe(true);
  });

  it('refuses writes on a secondary and on a killed node', async () => {
    const { cluster } = world();
    expect(await cluster.transaction(OSAKA, putEntry('e1', 1), WAIT)).toEqual({
      ok: false,
      reason: 'read-only',
    });
    cluster.kill(TOKYO);
    expect(await cluster.transaction(TOKYO, putEntry('e1', 1), WAIT)).toEqual({
      ok: false,
      reason: 'unavailable',
    });
    expect(await cluster.read(TOKYO, (tx) => tx.get('ledger', 'e1'))).toEqual({
      ok: false,
      reason: 'unavailable',
    });
    expect(() => cluster.kill(TOKYO)).toThrow('already killed');
  });

  it('commits nothing when the function throws, and refuses an async function', async () => {
    const { cluster } = world();
    const failing = (tx: SqlTx) => {
      tx.put('ledger', 'e1', { amount: 1 });
      throw new Error('insufficient funds');
    };
    await expect(cluster.transaction(TOKYO, failing, WAIT)).rejects.toThrow('insufficient funds');
    const asyncFn = async (tx: SqlTx) => tx.put('ledger', 'e2', { amount: 1 });
    await expect(cluster.transaction(TOKYO, asyncFn, WAIT)).rejects.toThrow('must be synchronous');
    expect(await rows(cluster, TOKYO)).toEqual([]);
    expect(cluster.commitsTotal).toBe(0);
  });

  it('lets a transaction read its own writes, scan in key order with paging, and delete', async () => {
    const { cluster } = world();
    await cluster.transaction(
      TOKYO,
      (tx) => {
        for (const key of ['c', 'a', 'd', 'b']) tx.put('t', key, key.toUpperCase());
      },
      NO_WAIT,
    );
    const result = await cluster.transaction(
      TOKYO,
      (tx) => {
        tx.put('t', 'aa', 'AA');
        const deleted = [tx.delete('t', 'b'), tx.delete('t', 'zz')];
        return {
          deleted,
          page1: tx.scan('t', 2),
          page2: tx.scan('t', 2, 'aa'),
          b: tx.get('t', 'b'),
        };
      },
      NO_WAIT,
    );
    expect(result).toEqual({
      ok: true,
      lsn: 2,
      value: {
        deleted: [true, false],
        page1: [
          { key: 'a', row: 'A' },
          { key: 'aa', row: 'AA' },
        ],
        page2: [
          { key: 'c', row: 'C' },
          { key: 'd', row: 'D' },
        ],
        b: undefined,
      },
    });
    const readOnly = cluster.read(TOKYO, (tx) => (tx as SqlTx).put('t', 'x', 1));
    await expect(readOnly).rejects.toThrow('read-only transaction cannot write');
    await expect(cluster.read(TOKYO, (tx) => tx.scan('t', 0))).rejects.toThrow('limit must be');
  });

  it('copies rows in and out, and kills a handle that outlives its transaction', async () => {
    const { cluster } = world();
    const row: JsonValue = { amount: 5 };
    let leaked: SqlTx | undefined;
    await cluster.transaction(
      TOKYO,
      (tx) => {
        tx.put('ledger', 'e1', row);
        leaked = tx;
      },
      NO_WAIT,
    );
    row.amount = 99;
    const read = await cluster.read(TOKYO, (tx) => tx.get('ledger', 'e1'));
    expect(read).toEqual({ ok: true, lsn: 1, value: { amount: 5 } });
    expect(() => leaked?.get('ledger', 'e1')).toThrow('transaction has ended');
  });
});

describe('SqlCluster: replication', () => {
  it('with waitForReplication blocks through a partition and resolves after heal', async () => {
    const { network, cluster, runUntilMs } = world();
    network.partition(TOKYO, OSAKA);
    const waited = track(cluster.transaction(TOKYO, putEntry('e1', 5), WAIT));
    const unwaited = track(cluster.transaction(TOKYO, putEntry('e2', 6), NO_WAIT));
    await runUntilMs(5_000);
    expect(waited.settled).toBe(false);
    expect(unwaited.value).toEqual({ ok: true, lsn: 2, value: 'e2' });
    expect(cluster.replicationLagUs()).toBe(5_000_000);
    network.heal(TOKYO, OSAKA);
    await runUntilMs(5_150);
    expect(waited.value).toEqual({ ok: true, lsn: 1, value: 'e1' });
    expect(cluster.replicationLagUs()).toBe(0);
  });

  it('holds commits while paused, and adds a link lag', async () => {
    const { cluster, runUntilMs } = world();
    cluster.pauseReplication(TOKYO, OSAKA);
    expect(() => cluster.pauseReplication(TOKYO, OSAKA)).toThrow('already paused');
    await cluster.transaction(TOKYO, putEntry('e1', 5), NO_WAIT);
    await runUntilMs(1_000);
    expect(cluster.appliedLsn(OSAKA)).toBe(0);
    cluster.setReplicaLagMs(TOKYO, OSAKA, 500);
    cluster.resumeReplication(TOKYO, OSAKA);
    await runUntilMs(1_500);
    expect(cluster.appliedLsn(OSAKA)).toBe(0);
    await runUntilMs(1_600);
    expect(cluster.appliedLsn(OSAKA)).toBe(1);
    expect(() => cluster.resumeReplication(TOKYO, OSAKA)).toThrow('not paused');
    expect(() => cluster.setReplicaLagMs(TOKYO, OSAKA, -5)).toThrow('replica lag');
    expect(() => cluster.setReplicaLagMs(TOKYO, TOKYO, 5)).toThrow('to itself');
  });

  it('fails the waiters of a killed writer; its data survives restart and then replicates', async () => {
    const { network, cluster, runUntilMs } = world();
    network.partition(TOKYO, OSAKA);
    const waited = track(cluster.transaction(TOKYO, putEntry('e1', 5), WAIT));
    await runUntilMs(100);
    cluster.kill(TOKYO);
    await runUntilMs(101);
    expect(waited.value).toEqual({ ok: false, reason: 'unavailable' });
    network.heal(TOKYO, OSAKA);
    await runUntilMs(1_000);
    expect(cluster.appliedLsn(OSAKA)).toBe(0);
    cluster.restart(TOKYO);
    await runUntilMs(1_200);
    expect(await rows(cluster, OSAKA)).toEqual([['e1', { amount: 5 }]]);
    expect(() => cluster.restart(TOKYO)).toThrow('not killed');
  });

  it('stalls replication to a killed secondary until it restarts', async () => {
    const { cluster, runUntilMs } = world();
    cluster.kill(OSAKA);
    const waited = track(cluster.transaction(TOKYO, putEntry('e1', 5), WAIT));
    await runUntilMs(2_000);
    expect(waited.settled).toBe(false);
    cluster.restart(OSAKA);
    await runUntilMs(2_200);
    expect(waited.value).toEqual({ ok: true, lsn: 1, value: 'e1' });
  });
});

describe('SqlCluster: failover', () => {
  it('promotes the secondary with exactly what it applied, losing what was not shipped', async () => {
    const { network, cluster, runUntilMs } = world();
    const e1 = track(cluster.transaction(TOKYO, putEntry('e1', 1), WAIT));
    await runUntilMs(100);
    expect(e1.value).toEqual({ ok: true, lsn: 1, value: 'e1' });
    network.partition(TOKYO, OSAKA);
    const e2 = track(cluster.transaction(TOKYO, putEntry('e2', 2), WAIT));
    const e3 = track(cluster.transaction(TOKYO, putEntry('e3', 3), NO_WAIT));
    await runUntilMs(1_000);
    cluster.failover(TOKYO, OSAKA);
    await runUntilMs(1_001);
    expect(e2.value).toEqual({ ok: false, reason: 'replication-lost' });
    expect(e3.value).toEqual({ ok: true, lsn: 3, value: 'e3' });
    const lost = cluster.lostCommits();
    expect(lost.map(({ lsn, region, reason }) => [lsn, region, reason])).toEqual([
      [2, TOKYO, 'unreplicated-at-failover'],
      [3, TOKYO, 'unreplicated-at-failover'],
    ]);
    expect(lost[0]?.changes).toEqual([{ table: 'ledger', key: 'e2', row: { amount: 2 } }]);
    expect(cluster.writerRegion).toBe(OSAKA);
    expect(await rows(cluster, OSAKA)).toEqual([['e1', { amount: 1 }]]);
    expect(await cluster.transaction(OSAKA, putEntry('e4', 4), WAIT)).toEqual({
      ok: true,
      lsn: 4,
      value: 'e4',
    });
  });

  it('fences the old writer', async () => {
    const { cluster } = world();
    cluster.failover(TOKYO, OSAKA);
    expect(await cluster.transaction(TOKYO, putEntry('e1', 1), WAIT)).toEqual({
      ok: false,
      reason: 'fenced',
    });
    expect(cluster.quiesced()).toBe(true);
  });

  it('without fencing the old writer acknowledges writes that never reach the new writer', async () => {
    const { network, cluster, runUntilMs } = world({ fencing: false });
    network.partition(TOKYO, OSAKA);
    cluster.failover(TOKYO, OSAKA);
    const orphan = await cluster.transaction(TOKYO, putEntry('e1', 1), WAIT);
    expect(orphan).toEqual({ ok: true, lsn: 1, value: 'e1' });
    network.heal(TOKYO, OSAKA);
    await runUntilMs(1_000);
    expect(await rows(cluster, OSAKA)).toEqual([]);
    expect(cluster.lostCommits().map(({ lsn, reason }) => [lsn, reason])).toEqual([
      [1, 'written-after-failover'],
    ]);
    expect(cluster.quiesced()).toBe(true);
  });

  it('rebuilds other secondaries from the new writer, and can rejoin the old writer', async () => {
    const { network, cluster, runUntilMs } = world({ regions: [TOKYO, SEOUL, OSAKA] });
    network.partition(TOKYO, OSAKA);
    const e1 = track(cluster.transaction(TOKYO, putEntry('e1', 1), WAIT));
    await runUntilMs(100);
    expect(cluster.appliedLsn(SEOUL)).toBe(1);
    cluster.failover(TOKYO, OSAKA);
    await runUntilMs(101);
    expect(e1.value).toEqual({ ok: false, reason: 'replication-lost' });
    expect(await rows(cluster, SEOUL)).toEqual([]);
    await cluster.transaction(OSAKA, putEntry('e2', 2), NO_WAIT);
    network.heal(TOKYO, OSAKA);
    cluster.rejoin(TOKYO);
    await runUntilMs(300);
    for (const region of [TOKYO, SEOUL]) {
      expect(await rows(cluster, region)).toEqual([['e2', { amount: 2 }]]);
    }
    expect(() => cluster.rejoin(SEOUL)).toThrow('not an old writer');
  });

  it('refuses a failover from a non-writer or to a killed or non-secondary node', () => {
    const { cluster } = world({ regions: [TOKYO, SEOUL, OSAKA] });
    expect(() => cluster.failover(OSAKA, SEOUL)).toThrow('the writer is ap-northeast-1');
    cluster.kill(OSAKA);
    expect(() => cluster.failover(TOKYO, OSAKA)).toThrow('its node is killed');
    cluster.failover(TOKYO, SEOUL);
    expect(() => cluster.failover(SEOUL, TOKYO)).toThrow('not a secondary');
  });
});

interface Step {
  atMs: number;
  key: 'a' | 'b' | 'c';
  wait: boolean;
}

interface Window {
  kind: 'partition' | 'pause' | 'kill-secondary';
  startMs: number;
  durationMs: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  atMs: fc.integer({ min: 0, max: 400 }),
  key: fc.constantFrom('a', 'b', 'c'),
  wait: fc.boolean(),
});
const windowArb: fc.Arbitrary<Window> = fc.record({
  kind: fc.constantFrom('partition', 'pause', 'kill-secondary'),
  startMs: fc.integer({ min: 0, max: 400 }),
  durationMs: fc.integer({ min: 1, max: 400 }),
});

interface Outcome {
  key: string;
  value: number;
  wait: boolean;
  result: SqlResult<string> | undefined;
}

/** Runs commits routed to whoever is the writer, fault windows, and maybe one failover. */
async function runSchedule(seed: number, steps: Step[], windows: Window[], failoverMs: number) {
  const w = world({ seed });
  const { scheduler, network, cluster } = w;
  const nesting = new Map<string, number>();
  const toggle = (kind: Window['kind'], delta: 1 | -1) => {
    const count = (nesting.get(kind) ?? 0) + delta;
    nesting.set(kind, count);
    if (kind === 'partition')
      delta === 1 ? network.partition(TOKYO, OSAKA) : network.heal(TOKYO, OSAKA);
    if (kind === 'pause' && count === 1 && delta === 1) cluster.pauseReplication(TOKYO, OSAKA);
    if (kind === 'pause' && count === 0) cluster.resumeReplication(TOKYO, OSAKA);
    if (kind === 'kill-secondary' && count === 1 && delta === 1) cluster.kill(OSAKA);
    if (kind === 'kill-secondary' && count === 0) cluster.restart(OSAKA);
  };
  for (const window of windows) {
    scheduler.at(window.startMs * MS, () => toggle(window.kind, 1));
    scheduler.at((window.startMs + window.durationMs) * MS, () => toggle(window.kind, -1));
  }
  const atFailover = { shippedLsn: 0, committedLsn: 0 };
  if (failoverMs <= 800) {
    // Promotion needs a live target: a killed secondary is restarted first, as an operator would.
    scheduler.at(failoverMs * MS, () => {
      if ((nesting.get('kill-secondary') ?? 0) > 0) cluster.restart(OSAKA);
      nesting.set('kill-secondary', Number.NEGATIVE_INFINITY);
      atFailover.shippedLsn = cluster.appliedLsn(OSAKA);
      atFailover.committedLsn = cluster.appliedLsn(TOKYO);
      cluster.failover(TOKYO, OSAKA);
    });
  }
  const results: Outcome[] = [];
  for (const [i, step] of steps.entries()) {
    const entry: Outcome = { key: step.key, value: i, wait: step.wait, result: undefined };
    results.push(entry);
    scheduler.at(step.atMs * MS + i, () => {
      const commit = (tx: SqlTx) => {
        tx.put('t', step.key, i);
        return step.key;
      };
      cluster
        .transaction(cluster.writerRegion, commit, { waitForReplication: step.wait })
        .then((result) => {
          entry.result = result;
        });
    });
  }
  const stats = await scheduler.run({ untilNs: 60_000 * MS, eventsMax: EVENTS_MAX });
  return { ...w, results, atFailover, eventsRun: stats.eventsRun };
}

describe('SqlCluster: properties', () => {
  it('never loses a commit acknowledged after replication; secondaries converge; failover keeps exactly the shipped commits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 1_000 }),
        fc.array(stepArb, { maxLength: 15 }),
        fc.array(windowArb, { maxLength: 3 }),
        fc.integer({ min: 0, max: 1_600 }),
        async (seed, steps, windows, failoverMs) => {
          const run = await runSchedule(seed, steps, windows, failoverMs);
          const { cluster, results, atFailover } = run;
          expect(cluster.quiesced()).toBe(true);
          const lost = cluster.lostCommits();
          const unshipped = [];
          for (let lsn = atFailover.shippedLsn + 1; lsn <= atFailover.committedLsn; lsn += 1) {
            unshipped.push(lsn);
          }
          expect(lost.map((commit) => commit.lsn)).toEqual(unshipped);
          const lostLsns = new Set(lost.map((commit) => commit.lsn));
          const expected = new Map<string, number>();
          const committed = results.flatMap(({ key, value, result }) => {
            expect(result).toBeDefined();
            return result?.ok === true ? [{ key, value, lsn: result.lsn }] : [];
          });
          for (const { key, value, lsn } of committed.sort((a, b) => a.lsn - b.lsn)) {
            if (!lostLsns.has(lsn)) expected.set(key, value);
          }
          for (const { wait, result } of results) {
            if (wait && result?.ok === true) expect(lostLsns.has(result.lsn)).toBe(false);
          }
          const writerRows = await cluster.read(cluster.writerRegion, (tx) => tx.scan('t', 10));
          const want = [...expected.keys()].sort().map((key) => ({ key, row: expected.get(key) }));
          expect(writerRows).toMatchObject({ ok: true, value: want });
          if (cluster.writerRegion === TOKYO) {
            expect(await cluster.read(OSAKA, (tx) => tx.scan('t', 10))).toEqual(writerRows);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('is deterministic: same seed and schedule, same final state and event count', async () => {
    const steps = fc.sample(stepArb, { numRuns: 20, seed: 5 });
    const windows = fc.sample(windowArb, { numRuns: 3, seed: 6 });
    const once = async () => {
      const { cluster, results, eventsRun } = await runSchedule(11, steps, windows, 300);
      const state = await cluster.read(cluster.writerRegion, (tx) => tx.scan('t', 10));
      return { eventsRun, state, results, lost: cluster.lostCommits() };
    };
    const first = await once();
    expect(first.eventsRun).toBeGreaterThan(20);
    expect(await once()).toEqual(first);
  });
});
