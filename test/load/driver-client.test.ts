/**
 * The client: timeouts become info on a retired process, retries are new ops (same id with
 * idempotency keys), rejections are final, odd answers become info, and failover routes by
 * health checks. Every history here has also passed the reader's rules line by line (MemorySink).
 */
import { describe, expect, it } from 'vitest';
import type { Script } from './support/fake-transport.ts';
import { completionOf, groupBy, idOf, invokes } from './support/history-queries.ts';
import { bankWorkload, clients, NS_PER_MS, OSAKA, runLoad, TOKYO } from './support/run-load.ts';

const TRANSFERS_ONLY = {
  mix: { transfer: 1, deposit: 0, withdraw: 0, consistentRead: 0, eventualRead: 0 },
};
const tokyoTransfers = (opsPerSec: number) =>
  bankWorkload({ [TOKYO]: opsPerSec, [OSAKA]: 0 }, TRANSFERS_ONLY);

describe('client timeouts and retries', () => {
  it('completes an unanswered op as info "timeout" at timeoutMs and never reuses its process', async () => {
    const script: Script = (call) =>
      call.n === 0
        ? { afterMs: 300, response: { outcome: 'ok' } }
        : { afterMs: 5, response: { outcome: 'ok' } };
    const { sink } = await runLoad({
      plan: { workloads: [tokyoTransfers(20)], clients: clients({ timeoutMs: 100 }) },
      script,
    });
    const [first, ...rest] = invokes(sink.ops);
    const timedOut = first === undefined ? undefined : completionOf(sink.ops, first);
    expect(timedOut).toMatchObject({ type: 'info', error: 'timeout', process: first?.process });
    expect(timedOut?.time).toBe((first?.time ?? 0) + 100 * NS_PER_MS);
    // The late answer at 300 ms wrote nothing, and the process never invoked again.
    expect(sink.ops.filter((op) => op.process === first?.process)).toHaveLength(2);
    expect(rest.length).toBeGreaterThan(10);
    expect(rest.every((op) => op.process !== first?.process)).toBe(true);
  });

  it('retries an info up to retriesMax times, each a new op on a fresh process with the same id', async () => {
    const { sink, driver } = await runLoad({
      plan: {
        workloads: [tokyoTransfers(5)],
        clients: clients({ retriesMax: 2, retryBackoffMs: 50, idempotencyKeys: true }),
        durationMs: 2000,
      },
      script: () => ({
        afterMs: 10,
        response: { outcome: 'unknown', error: 'ledger commit timed out' },
      }),
    });
    const byId = groupBy(invokes(sink.ops), idOf);
    const complete = [...byId.values()].filter((attempts) => attempts.length === 3);
    expect(complete.length).toBeGreaterThan(3);
    for (const attempts of byId.values()) {
      expect(attempts.length).toBeLessThanOrEqual(3);
      expect(new Set(attempts.map((op) => op.process)).size).toBe(attempts.length);
      expect(attempts.map((op) => op.attempt ?? 1)).toEqual([1, 2, 3].slice(0, attempts.length));
      for (const op of attempts) {
        expect(completionOf(sink.ops, op)).toMatchObject({
          type: 'info',
          error: 'ledger commit timed out',
        });
      }
    }
    expect(driver.stats.totals().retries).toBe(invokes(sink.ops).length - byId.size);
  });

  it('gives every retry a new id when idempotency keys are off', async () => {
    const { sink } = await runLoad({
      plan: {
        workloads: [tokyoTransfers(5)],
        clients: clients({ retriesMax: 2, retryBackoffMs: 50, idempotencyKeys: false }),
      },
      script: () => ({
        afterMs: 10,
        response: { outcome: 'unknown', error: 'ledger commit timed out' },
      }),
    });
    const sent = invokes(sink.ops);
    expect(sent.some((op) => op.attempt === 3)).toBe(true);
    expect(new Set(sent.map(idOf)).size).toBe(sent.length);
    // The retry is the same payment otherwise: accounts and amount unchanged.
    const retry = sent.find((op) => op.attempt === 2);
    const first = sent.find((op) => op.time === retry?.intendedNs);
    if (retry === undefined || first === undefined) throw new Error('no retried transfer');
    expect(idOf(retry)).not.toBe(idOf(first));
    expect({ ...(retry.value as object), id: '' }).toEqual({ ...(first.value as object), id: '' });
  });

  it('never retries a rejection: fail is final', async () => {
    const { sink, driver } = await runLoad({
      plan: { workloads: [tokyoTransfers(20)], clients: clients({ retriesMax: 3 }) },
      script: () => ({
        afterMs: 5,
        response: { outcome: 'rejected', error: 'insufficient funds' },
      }),
    });
    const sent = invokes(sink.ops);
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.every((op) => op.attempt === undefined)).toBe(true);
    expect(new Set(sent.map(idOf)).size).toBe(sent.length);
    expect(driver.stats.totals()).toMatchObject({ retries: 0, fail: sent.length });
    for (const op of sent) {
      expect(completionOf(sink.ops, op)).toMatchObject({
        type: 'fail',
        error: 'insufficient funds',
      });
    }
  });

  it('records a transport error and a malformed answer as info, and retries them', async () => {
    const script: Script = (call) => {
      if (call.request.kind === 'balances' && call.n % 2 === 0) {
        return { afterMs: 5, response: { outcome: 'ok', value: { balances: 'none' } } };
      }
      return { afterMs: 5, throws: 'connection reset' };
    };
    const { sink, driver } = await runLoad({
      plan: {
        workloads: [
          bankWorkload(
            { [TOKYO]: 20, [OSAKA]: 0 },
            {
              mix: { transfer: 0.5, deposit: 0, withdraw: 0, consistentRead: 0.5, eventualRead: 0 },
            },
          ),
        ],
        clients: clients({ retriesMax: 1, retryBackoffMs: 10 }),
      },
      script,
    });
    const errors = new Set(sink.ops.filter((op) => op.type === 'info').map((op) => op.error));
    expect(errors).toContain('transport error: connection reset');
    expect(
      [...errors].some((e) => e?.startsWith('malformed response: a balances read returned')),
    ).toBe(true);
    const totals = driver.stats.totals();
    expect(totals.malformed).toBeGreaterThan(0);
    expect(totals.retries).toBeGreaterThan(0);
    expect(totals.ok).toBe(0);
  });
});

describe('failover routing', () => {
  // Tokyo fails its health checks and answers nothing from 1000 ms to 3000 ms.
  const downFromNs = 1000 * NS_PER_MS;
  const upFromNs = 3000 * NS_PER_MS;
  const tokyoDown = (timeNs: number) => timeNs >= downFromNs && timeNs < upFromNs;
  const script: Script = (call) =>
    call.region === TOKYO && tokyoDown(call.timeNs)
      ? null
      : { afterMs: 5, response: { outcome: 'ok' } };
  const probes = (region: string, timeNs: number) =>
    region === TOKYO && tokyoDown(timeNs) ? null : { afterMs: 1, healthy: true };
  const failover = { enabled: true, healthCheckIntervalMs: 200, failureThreshold: 3 };

  it('routes to the other region after failureThreshold failed checks, and back after as many passes', async () => {
    const { sink, healthChanges } = await runLoad({
      plan: {
        workloads: [tokyoTransfers(40)],
        clients: clients({ timeoutMs: 100, failover }),
        durationMs: 5000,
      },
      script,
      probes,
    });
    // Probes at 1000, 1200, 1400 ms go unanswered; each fails at its 100 ms probe timeout.
    // Probes at 3000, 3200, 3400 ms pass, each answered 1 ms later.
    expect(healthChanges).toEqual([
      { region: TOKYO, up: false, timeNs: 1500 * NS_PER_MS },
      { region: TOKYO, up: true, timeNs: 3401 * NS_PER_MS },
    ]);
    const sent = invokes(sink.ops);
    const during = sent.filter((op) => op.time >= 1500 * NS_PER_MS && op.time < 3401 * NS_PER_MS);
    const outside = sent.filter((op) => op.time < 1500 * NS_PER_MS || op.time >= 3401 * NS_PER_MS);
    expect(during.length).toBeGreaterThan(40);
    expect(during.every((op) => op.region === OSAKA)).toBe(true);
    expect(outside.every((op) => op.region === TOKYO)).toBe(true);
    // Every arrival is a Tokyo client's: the id says where the request came from.
    expect(sent.every((op) => idOf(op).startsWith(`t-${TOKYO}-`))).toBe(true);
    // Before the threshold was reached, Tokyo's requests timed out.
    const lost = sent.filter((op) => op.time >= downFromNs && op.time < 1500 * NS_PER_MS);
    expect(lost.every((op) => completionOf(sink.ops, op)?.error === 'timeout')).toBe(true);
  });

  it('stays home when failover is off', async () => {
    const { sink, healthChanges, transport } = await runLoad({
      plan: {
        workloads: [tokyoTransfers(40)],
        clients: clients({ timeoutMs: 100, failover: { ...failover, enabled: false } }),
        durationMs: 5000,
      },
      script,
      probes,
    });
    expect(healthChanges).toEqual([]);
    expect(transport.probes).toEqual([]);
    expect(invokes(sink.ops).every((op) => op.region === TOKYO)).toBe(true);
  });

  it('stays home when every region is down', async () => {
    const { sink, healthChanges } = await runLoad({
      plan: {
        workloads: [tokyoTransfers(40)],
        clients: clients({ timeoutMs: 100, failover }),
        durationMs: 3000,
      },
      script,
      probes: (_region, timeNs) =>
        tokyoDown(timeNs) ? { afterMs: 1, healthy: false } : { afterMs: 1, healthy: true },
    });
    expect(healthChanges.filter((change) => !change.up).map((change) => change.region)).toEqual([
      TOKYO,
      OSAKA,
    ]);
    const bothDown = invokes(sink.ops).filter(
      (op) => op.time > 1500 * NS_PER_MS && op.time < 3000 * NS_PER_MS,
    );
    expect(bothDown.length).toBeGreaterThan(10);
    expect(bothDown.every((op) => op.region === TOKYO)).toBe(true);
  });
});
