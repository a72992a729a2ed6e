/**
 * The open model: arrivals on their own schedule whatever the responses do, latency from the
 * intended start, the in-flight cap, and stopping with ops in flight.
 */
import { describe, expect, it } from 'vitest';
import type { Script } from './support/fake-transport.ts';
import { completionOf, invokes } from './support/history-queries.ts';
import { bankWorkload, clients, NS_PER_MS, OSAKA, runLoad, TOKYO } from './support/run-load.ts';

const TRANSFERS_ONLY = {
  mix: { transfer: 1, deposit: 0, withdraw: 0, consistentRead: 0, eventualRead: 0 },
};

describe('open-model driver', () => {
  it('keeps sending while a region stalls: arrivals never wait for responses', async () => {
    // Tokyo answers nothing sent in [500 ms, 1500 ms); the client waits up to 5 s for each.
    const stallStartNs = 500 * NS_PER_MS;
    const stallEndNs = 1500 * NS_PER_MS;
    const script: Script = (call) =>
      call.timeNs >= stallStartNs && call.timeNs < stallEndNs
        ? null
        : { afterMs: 10, response: { outcome: 'ok' } };
    const { sink, driver } = await runLoad({
      plan: {
        workloads: [bankWorkload({ [TOKYO]: 50, [OSAKA]: 0 }, TRANSFERS_ONLY)],
        clients: clients({ timeoutMs: 5000 }),
      },
      script,
      drainMs: 0,
    });
    const stalled = invokes(sink.ops).filter(
      (op) => op.time >= stallStartNs && op.time < stallEndNs,
    );
    // 50/s for 1 s: a Poisson count of about 50 (far above what a closed loop would send: 0).
    expect(stalled.length).toBeGreaterThan(30);
    // Each stalled op holds its own process: none was reused while its op was in flight.
    expect(new Set(stalled.map((op) => op.process)).size).toBe(stalled.length);
    expect(
      stalled.every(
        (op) =>
          completionOf(sink.ops, op)?.error === 'timeout' ||
          completionOf(sink.ops, op) === undefined,
      ),
    ).toBe(true);
    const totals = driver.stats.totals();
    expect(totals.arrivals).toBe(invokes(sink.ops).length);
    expect(totals.dropped).toBe(0);
  });

  it('measures latency from the intended start: timeout, backoff and retry all count', async () => {
    // Every first attempt is lost; every retry answers in 20 ms.
    const seen = new Set<string>();
    const script: Script = (call) => {
      const id = call.request.kind === 'transfer' ? call.request.id : '';
      if (!seen.has(id)) {
        seen.add(id);
        return null;
      }
      return { afterMs: 20, response: { outcome: 'ok' } };
    };
    const { sink, driver } = await runLoad({
      plan: {
        workloads: [bankWorkload({ [TOKYO]: 10, [OSAKA]: 0 }, TRANSFERS_ONLY)],
        clients: clients({ timeoutMs: 100, retriesMax: 1, retryBackoffMs: 50 }),
        durationMs: 3000,
      },
      script,
    });
    const [row] = driver.stats.table().filter((r) => r.ok > 0);
    // Requests whose retry would start after the window end with their timeout, and count too.
    expect(row?.latencyMs.count).toBe((row?.ok ?? 0) + (row?.retriesAbandoned ?? 0));
    // 100 ms timeout + 50 ms backoff + 20 ms answer, from the arrival, not from the retry's send.
    expect(row?.latencyMs.p50).toBe(170);
    expect(row?.latencyMs.max).toBe(170);
    const retry = invokes(sink.ops).find((op) => op.attempt === 2);
    const first = invokes(sink.ops).find(
      (op) => op.value !== undefined && JSON.stringify(op.value) === JSON.stringify(retry?.value),
    );
    expect(retry?.intendedNs).toBe(first?.time);
    expect(retry?.time).toBe((first?.time ?? 0) + 150 * NS_PER_MS);
  });

  it('caps ops in flight: arrivals over opsInFlightMax are dropped and counted, not queued', async () => {
    const { sink, driver, clientOps } = await runLoad({
      plan: {
        workloads: [bankWorkload({ [TOKYO]: 50, [OSAKA]: 0 }, TRANSFERS_ONLY)],
        clients: clients({ timeoutMs: 60_000 }),
        durationMs: 1000,
        opsInFlightMax: 5,
      },
      script: () => null,
    });
    expect(invokes(sink.ops)).toHaveLength(5);
    const totals = driver.stats.totals();
    expect(totals.arrivals).toBeGreaterThan(20);
    expect(totals.dropped).toBe(totals.arrivals - 5);
    // Never answered: all five stay pending, which the reader counts as info.
    expect(clientOps).toHaveLength(5);
    expect(clientOps.every((op) => op.completion === null && op.type === 'info')).toBe(true);
  });

  it('frees the cap as ops complete: ok and fail reuse their process', async () => {
    const script: Script = (call) =>
      call.n % 2 === 0
        ? { afterMs: 5, response: { outcome: 'ok' } }
        : { afterMs: 5, response: { outcome: 'rejected', error: 'insufficient funds' } };
    const { sink, driver } = await runLoad({
      plan: {
        workloads: [bankWorkload({ [TOKYO]: 20, [OSAKA]: 0 }, TRANSFERS_ONLY)],
        durationMs: 2000,
        opsInFlightMax: 2,
      },
      script,
    });
    expect(driver.stats.totals().dropped).toBe(0);
    // 20/s with 5 ms service: rarely two at once, so two process numbers (or three) serve them all.
    expect(driver.processesUsed).toBeLessThanOrEqual(3);
    expect(invokes(sink.ops).length).toBeGreaterThan(20);
  });

  it('stop leaves ops in flight pending and ignores answers that come later', async () => {
    const { sink, scheduler, clientOps } = await runLoad({
      plan: {
        workloads: [bankWorkload({ [TOKYO]: 20, [OSAKA]: 0 }, TRANSFERS_ONLY)],
        clients: clients({ timeoutMs: 10_000 }),
        durationMs: 1000,
      },
      script: () => ({ afterMs: 3000, response: { outcome: 'ok' } }),
      drainMs: 500,
    });
    const linesAtStop = sink.ops.length;
    expect(clientOps.length).toBeGreaterThan(0);
    expect(clientOps.every((op) => op.completion === null)).toBe(true);
    // The answers arrive after the stop: nothing more is written.
    await scheduler.run({ untilNs: 10_000 * NS_PER_MS, eventsMax: 100_000 });
    expect(sink.ops).toHaveLength(linesAtStop);
  });

  it('sends nothing for a region whose rate is 0 and nothing after the window', async () => {
    const { sink } = await runLoad({
      plan: { workloads: [bankWorkload({ [TOKYO]: 0, [OSAKA]: 30 })], durationMs: 1000 },
    });
    const sent = invokes(sink.ops);
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.every((op) => op.region === OSAKA && op.time < 1000 * NS_PER_MS)).toBe(true);
  });

  it('refuses a plan it cannot run', async () => {
    await expect(
      runLoad({ plan: { workloads: [bankWorkload({ 'eu-west-1': 5 })] } }),
    ).rejects.toThrow('unknown region eu-west-1');
    await expect(runLoad({ plan: { workloads: [], durationMs: 0 } })).rejects.toThrow('durationMs');
    await expect(runLoad({ plan: { workloads: [], opsInFlightMax: 0 } })).rejects.toThrow(
      'opsInFlightMax',
    );
  });
});
