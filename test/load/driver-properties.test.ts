/**
 * Properties of whole runs over random plans and scripted endpoints: every history obeys the
 * reader's rules, the in-flight cap holds, ids and written values stay unique, retries keep or
 * change ids as configured, and the stats agree with the history. Plus determinism: same seed,
 * same bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op } from '../../history/op.ts';
import { okResponse, type Script } from './support/fake-transport.ts';
import { groupBy, idOf, invokes, valueField } from './support/history-queries.ts';
import {
  bankWorkload,
  checkoutWorkload,
  clients,
  NS_PER_MS,
  OSAKA,
  type RunOptions,
  registersWorkload,
  runLoad,
  TOKYO,
} from './support/run-load.ts';

const OUTCOMES = ['ok', 'slow', 'rejected', 'unknown', 'lost', 'throws', 'malformed'] as const;
type Outcome = (typeof OUTCOMES)[number];

interface Case {
  seed: number;
  rates: { bank: number; registers: number; checkout: number };
  skew: number;
  retriesMax: number;
  idempotencyKeys: boolean;
  failover: boolean;
  timeoutMs: number;
  opsInFlightMax: number;
  outcomes: Outcome[];
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  seed: fc.nat(10_000),
  rates: fc.record({
    bank: fc.integer({ min: 0, max: 30 }),
    registers: fc.integer({ min: 0, max: 30 }),
    checkout: fc.integer({ min: 0, max: 20 }),
  }),
  skew: fc.constantFrom(0, 0.5, 0.99, 2),
  retriesMax: fc.integer({ min: 0, max: 2 }),
  idempotencyKeys: fc.boolean(),
  failover: fc.boolean(),
  timeoutMs: fc.constantFrom(30, 100, 500),
  opsInFlightMax: fc.integer({ min: 1, max: 20 }),
  outcomes: fc.array(fc.constantFrom(...OUTCOMES), { minLength: 1, maxLength: 6 }),
});

function scriptOf(outcomes: readonly Outcome[]): Script {
  return (call) => {
    const outcome = outcomes[call.n % outcomes.length]!;
    switch (outcome) {
      case 'ok':
        return { afterMs: 10, response: okResponse(call.request, call.n) };
      case 'slow':
        return { afterMs: 200, response: okResponse(call.request, call.n) };
      case 'rejected':
        return { afterMs: 10, response: { outcome: 'rejected', error: 'insufficient funds' } };
      case 'unknown':
        return { afterMs: 10, response: { outcome: 'unknown', error: 'commit timed out' } };
      case 'lost':
        return null;
      case 'throws':
        return { afterMs: 10, throws: 'connection reset' };
      case 'malformed':
        return { afterMs: 10, response: { outcome: 'ok', value: ['garbage'] } };
    }
  };
}

function optionsOf(c: Case): RunOptions {
  const rates = (opsPerSec: number) => ({ [TOKYO]: opsPerSec, [OSAKA]: Math.floor(opsPerSec / 2) });
  return {
    seed: c.seed,
    plan: {
      workloads: [
        bankWorkload(rates(c.rates.bank), { skew: c.skew }),
        registersWorkload(rates(c.rates.registers), { skew: c.skew }),
        checkoutWorkload(rates(c.rates.checkout), { skew: c.skew }),
      ],
      clients: clients({
        timeoutMs: c.timeoutMs,
        retriesMax: c.retriesMax,
        retryBackoffMs: 20,
        idempotencyKeys: c.idempotencyKeys,
        failover: { enabled: c.failover, healthCheckIntervalMs: 100, failureThreshold: 2 },
      }),
      durationMs: 1000,
      opsInFlightMax: c.opsInFlightMax,
    },
    script: scriptOf(c.outcomes),
    probes: (region, timeNs) =>
      region === TOKYO &&
      c.outcomes[Math.floor(timeNs / (100 * NS_PER_MS)) % c.outcomes.length] === 'lost'
        ? null
        : { afterMs: 1, healthy: true },
    drainMs: 300,
  };
}

function inFlightMax(ops: readonly Op[]): number {
  let inFlight = 0;
  let peak = 0;
  for (const op of ops) {
    if (typeof op.process !== 'number') continue;
    inFlight += op.type === 'invoke' ? 1 : -1;
    peak = Math.max(peak, inFlight);
  }
  return peak;
}

describe('load driver properties', () => {
  it('every run: reader rules, the cap, unique ids and values, retries as configured, stats agree', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { sink, driver, clientOps } = await runLoad(optionsOf(c));
        expect(inFlightMax(sink.ops)).toBeLessThanOrEqual(c.opsInFlightMax);
        const sent = invokes(sink.ops);
        const payments = sent.filter((op) => valueField(op, 'id') !== undefined);
        const firsts = payments.filter((op) => op.attempt === undefined);
        expect(new Set(firsts.map(idOf)).size).toBe(firsts.length);
        if (c.idempotencyKeys) {
          const firstIds = new Set(firsts.map(idOf));
          expect(payments.every((op) => firstIds.has(idOf(op)))).toBe(true);
          for (const attempts of groupBy(payments, idOf).values()) {
            expect(attempts.length).toBeLessThanOrEqual(c.retriesMax + 1);
          }
        } else {
          expect(new Set(payments.map(idOf)).size).toBe(payments.length);
        }
        const written = sent.flatMap((op) =>
          op.f === 'write'
            ? [valueField(op, 'value')]
            : op.f === 'cas'
              ? [valueField(op, 'to')]
              : [],
        );
        expect(new Set(written).size).toBe(written.length);
        const totals = driver.stats.totals();
        expect(totals.invokes).toBe(sent.length);
        const completed = clientOps.filter((op) => op.completion !== null);
        expect(totals.ok + totals.fail + totals.info).toBe(completed.length);
        expect(totals.ok).toBe(completed.filter((op) => op.type === 'ok').length);
      }),
      { numRuns: 120 },
    );
  });

  it('is deterministic: same seed, same history bytes; another seed, another history', async () => {
    const c: Case = {
      seed: 11,
      rates: { bank: 30, registers: 20, checkout: 10 },
      skew: 0.99,
      retriesMax: 2,
      idempotencyKeys: true,
      failover: true,
      timeoutMs: 100,
      opsInFlightMax: 15,
      outcomes: ['ok', 'lost', 'slow', 'unknown', 'rejected', 'ok'],
    };
    const first = await runLoad(optionsOf(c));
    const again = await runLoad(optionsOf(c));
    const other = await runLoad(optionsOf({ ...c, seed: 12 }));
    expect(first.sink.ops.length).toBeGreaterThan(50);
    expect(again.sink.text()).toBe(first.sink.text());
    expect(again.driver.stats.table()).toEqual(first.driver.stats.table());
    expect(other.sink.text()).not.toBe(first.sink.text());
  });
});
