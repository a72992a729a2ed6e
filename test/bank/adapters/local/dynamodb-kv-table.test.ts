import { describe, expect, it } from 'vitest';
import { DynamoDbKvTable } from '../../../../bank/adapters/local/dynamodb-kv-table.ts';
import { StoreError } from '../../../../bank/ports.ts';
import { DynamoDbCallCounts } from '../../../../targets/local/dynamodb-call-counts.ts';
import { dynamoDbClient } from '../../../../targets/local/dynamodb-client.ts';
import { ensureKvTable } from '../../../../targets/local/dynamodb-tables.ts';
import { LabClocks } from '../../../../targets/local/lab-clocks.ts';
import { dynamodbLink } from '../../../../targets/local/lab-links.ts';
import { enginesMissing } from '../../../targets/local/support/engines.ts';
import { REGION_A, REGION_B, useLab } from '../../../targets/local/support/lab-fixture.ts';

type Value = { n: number } | string;

describe.skipIf(enginesMissing !== undefined)('DynamoDbKvTable on moto', () => {
  const lab = useLab();
  const clocks = new LabClocks([REGION_A, REGION_B]);
  let tableSeq = 0;

  const endpoint = () => `http://127.0.0.1:${lab.port(dynamodbLink(REGION_A))}`;

  /** A fresh table, and the adapter over it with a client of the given request timeout. */
  async function table(requestTimeoutMs = 5_000) {
    tableSeq += 1;
    const name = `t${tableSeq}`;
    const admin = dynamoDbClient({ endpoint: endpoint(), region: REGION_A, requestTimeoutMs });
    await ensureKvTable(admin, name);
    admin.destroy();
    return adapter(name, requestTimeoutMs);
  }

  /** Another adapter over the same table (another writer in the region), its calls counted. */
  function adapter(name: string, requestTimeoutMs = 5_000, calls = new DynamoDbCallCounts()) {
    const client = dynamoDbClient({
      endpoint: endpoint(),
      region: REGION_A,
      requestTimeoutMs,
      calls: { counts: calls, caller: 'bank' },
    });
    return new DynamoDbKvTable<Value>({
      client,
      table: name,
      region: REGION_A,
      nowUs: () => clocks.nowUs(REGION_A),
    });
  }

  it('reads back what it wrote, with its timestamp', async () => {
    const kv = await table();
    expect(await kv.get('k')).toBeUndefined();
    const written = await kv.put('k', { n: 1 });
    expect(written.ok).toBe(true);
    const item = await kv.get('k');
    expect(item).toEqual({ value: { n: 1 }, tsUs: written.ok ? written.tsUs : -1 });
  });

  it('evaluates the condition on the stored value and writes nothing when it fails', async () => {
    const kv = await table();
    await kv.put('k', 'a');
    const seen: (Value | undefined)[] = [];
    const refused = await kv.put('k', 'b', {
      condition: (current) => {
        seen.push(current);
        return current === 'x';
      },
    });
    expect(refused).toEqual({ ok: false, reason: 'condition-failed' });
    expect(seen).toEqual(['a']);
    expect((await kv.get('k'))?.value).toBe('a');
    expect((await kv.put('k', 'c', { condition: (current) => current === 'a' })).ok).toBe(true);
    expect((await kv.get('k'))?.value).toBe('c');
  });

  it('puts an item it read or wrote before with one call', async () => {
    await table();
    const calls = new DynamoDbCallCounts();
    const kv = adapter(`t${tableSeq}`, 5_000, calls);
    await kv.put('k', 'a');
    expect(calls.snapshot()).toEqual({ 'bank GetItemCommand': 1, 'bank PutItemCommand': 1 });
    await kv.put('k', 'b', { condition: (current) => current === 'a' });
    await kv.put('k', 'c');
    expect(calls.snapshot()).toEqual({ 'bank GetItemCommand': 1, 'bank PutItemCommand': 3 });
    expect((await kv.get('k'))?.value).toBe('c');
  });

  it('evaluates the condition on the stored item when another writer changed it since', async () => {
    const mine = await table();
    const theirs = adapter(`t${tableSeq}`);
    const first = await mine.put('k', 'a');
    const second = await theirs.put('k', 'b');
    // `mine` remembers 'a': its condition must see 'b' and refuse, then accept.
    const seen: (Value | undefined)[] = [];
    const refused = await mine.put('k', 'x', {
      condition: (current) => {
        seen.push(current);
        return current === 'a';
      },
    });
    expect(refused).toEqual({ ok: false, reason: 'condition-failed' });
    expect(seen.at(-1)).toBe('b');
    expect((await theirs.get('k'))?.value).toBe('b');
    const third = await theirs.put('k', 'c');
    // Unconditional, from the stale 'b': lands on 'c' and stamps past it.
    const fourth = await mine.put('k', 'd');
    expect([first.ok, second.ok, third.ok, fourth.ok]).toEqual([true, true, true, true]);
    if (third.ok && fourth.ok) expect(fourth.tsUs).toBeGreaterThan(third.tsUs);
    expect(await theirs.get('k')).toEqual({ value: 'd', tsUs: fourth.ok ? fourth.tsUs : -1 });
    expect((await mine.put('k', 'e', { condition: (current) => current === 'd' })).ok).toBe(true);
  });

  it('stamps past the stored timestamp even when its clock went back', async () => {
    const kv = await table();
    const first = await kv.put('k', 'a');
    clocks.setSkewMs(REGION_A, -60_000);
    try {
      const second = await kv.put('k', 'b');
      expect(first.ok && second.ok).toBe(true);
      if (first.ok && second.ok) expect(second.tsUs).toBe(first.tsUs + 1);
      expect((await kv.get('k'))?.value).toBe('b');
    } finally {
      clocks.setSkewMs(REGION_A, 0);
    }
  });

  it('lets exactly one of racing create-if-absent puts win', async () => {
    const kv = await table();
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((value) =>
        kv.put('k', value, { condition: (current) => current === undefined }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const winner = results.findIndex((r) => r.ok);
    expect((await kv.get('k'))?.value).toBe(['a', 'b', 'c', 'd', 'e', 'f'][winner]);
  });

  /**
   * The bank's balances are read-modify-write behind a condition on the item's version: two
   * racing updates from the same read must not both win, or money is made (a lost update).
   * moto's server handles requests on threads with no lock around a conditional write; the lab
   * serializes them (targets/local/moto_serialized.py). 6 workers, 25 increments each.
   */
  it('lets only one of racing read-modify-write updates from the same read win (no lost update)', async () => {
    const kv = await table();
    await kv.put('counter', { n: 0 });
    let wins = 0;
    const worker = async (): Promise<void> => {
      for (let attempt = 0; attempt < 25; attempt += 1) {
        const current = (await kv.get('counter'))?.value;
        if (current === undefined || typeof current === 'string') throw new Error('no counter');
        const written = await kv.put(
          'counter',
          { n: current.n + 1 },
          { condition: (stored) => typeof stored === 'object' && stored.n === current.n },
        );
        if (written.ok) wins += 1;
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(wins).toBeGreaterThan(0);
    expect((await kv.get('counter'))?.value).toEqual({ n: wins });
  });

  it('drops a caller timestamp older than the stored one (skewed-clock-lww)', async () => {
    const kv = await table();
    const first = await kv.put('k', 'new');
    if (!first.ok) throw new Error('put failed');
    expect(await kv.put('k', 'old', { tsUs: first.tsUs - 5 })).toEqual({
      ok: true,
      tsUs: first.tsUs - 5,
    });
    expect((await kv.get('k'))?.value).toBe('new');
  });

  it('turns a blackholed link into an unknown-outcome error within its timeout', async () => {
    const kv = await table(500);
    await lab.faults().start(dynamodbLink(REGION_A), { kind: 'blackhole' });
    const startedMs = performance.now();
    try {
      const error = await kv.put('k', 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).definite).toBe(false);
      expect(performance.now() - startedMs).toBeLessThan(3_000);
    } finally {
      await lab.faults().heal(dynamodbLink(REGION_A));
    }
  });

  it('turns a link that is down into a definite refusal', async () => {
    const kv = await table();
    await lab.faults().start(dynamodbLink(REGION_A), { kind: 'down' });
    try {
      const error = await kv.get('k').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).definite).toBe(true);
    } finally {
      await lab.faults().heal(dynamodbLink(REGION_A));
    }
  });
});
