/**
 * Every anomaly the slo checker emits, on a hand-built history, next to its near-miss twin: the
 * smallest change that keeps the history within its budget.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../checkers/checker.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import {
  anomalyTypes,
  clientOp,
  MS,
  OSAKA,
  regionBudget,
  runSlo,
  S,
  setup,
  TOKYO,
} from './support/run-slo.ts';

function only(text: string, type: string) {
  const result = runSlo(text);
  expect(anomalyTypes(result)).toEqual([type]);
  expect(result?.valid).toBe(false);
  return result!.anomalies[0]!;
}

function valid(text: string): CheckResult {
  const result = runSlo(text);
  expect(result?.anomalies).toEqual([]);
  expect(result?.valid).toBe(true);
  return result!;
}

/** Tokyo before any fault: 3 ok reads and one read of the given outcome. */
function rateHistory(fourth: 'ok' | 'fail' | 'info'): string {
  const b = new HistoryBuilder();
  setup(b, { [TOKYO]: regionBudget({ before: { successRateMin: 0.75, latencyP99MsMax: null } }) });
  clientOp(b, { process: 0, atNs: 1 * S, endNs: 1 * S + MS, type: 'ok' });
  clientOp(b, { process: 0, atNs: 2 * S, endNs: 2 * S + MS, type: fourth });
  clientOp(b, { process: 1, atNs: 3 * S, endNs: 3 * S + MS, type: 'ok' });
  clientOp(b, { process: 1, atNs: 4 * S, endNs: 4 * S + MS, type: 'info' });
  return b.text();
}

describe('slo-violation: success rate', () => {
  it('flags a region whose share of ok ops in a phase is under its budget', () => {
    const anomaly = only(rateHistory('fail'), 'slo-violation');
    expect(anomaly.ops).toEqual([4, 5, 8, 9]);
    expect(anomaly).toMatchObject({ region: TOKYO, phase: 'before', budget: 'successRate' });
    expect(anomaly.measured).toBe(0.5);
    expect(anomaly.limit).toBe(0.75);
    expect(anomaly.message).toBe(
      'ap-northeast-1 served 50.0% of its 4 client ops before the first fault, below its 75.0% budget, with 2 failed (most often "store refused: down", 1 times); the first was read (index 4) invoked at 2.000 s (store refused: down)',
    );
  });

  it('twin: the failed op succeeds, 3 of 4 is exactly the budget', () => {
    valid(rateHistory('ok'));
  });

  it('a business rejection (insufficient funds) counts neither for nor against the rate', () => {
    const b = new HistoryBuilder();
    setup(b, { [TOKYO]: regionBudget({ before: { successRateMin: 1, latencyP99MsMax: null } }) });
    const value = { id: 't1', from: 'a', to: 'b', amount: 5000 };
    clientOp(b, {
      process: 0,
      f: 'transfer',
      value,
      atNs: S,
      endNs: S + MS,
      type: 'fail',
      error: 'insufficient funds',
    });
    clientOp(b, { process: 0, atNs: 2 * S, endNs: 2 * S + MS, type: 'ok' });
    const result = valid(b.text());
    const cell = (
      result.stats.byRegion as Record<
        string,
        Record<string, { businessFail: number; successRate: number }>
      >
    )[TOKYO]!.before!;
    expect(cell).toMatchObject({ businessFail: 1, successRate: 1 });
  });
});

/** Tokyo before any fault: one ok read whose latency from its intended start is `latencyMs`. */
function latencyHistory(latencyMs: number, intended: boolean): string {
  const b = new HistoryBuilder();
  setup(b, { [TOKYO]: regionBudget({ before: { successRateMin: null, latencyP99MsMax: 250 } }) });
  clientOp(b, { process: 0, atNs: S, endNs: S + 10 * MS, type: 'ok' });
  // A retry invoked 50 ms before its completion; its request arrived `latencyMs` before that.
  const endNs = 3 * S;
  clientOp(b, {
    process: 1,
    atNs: endNs - 50 * MS,
    endNs,
    type: 'ok',
    ...(intended ? { intendedNs: endNs - latencyMs * MS } : {}),
  });
  return b.text();
}

describe('slo-violation: p99 latency', () => {
  it('flags a p99 over budget, measured from the intended start of a retried request', () => {
    const anomaly = only(latencyHistory(400, true), 'slo-violation');
    expect(anomaly.ops).toEqual([4, 5, 2, 3]);
    expect(anomaly).toMatchObject({ region: TOKYO, phase: 'before', budget: 'p99Latency' });
    expect(anomaly.measured).toBe(400);
    expect(anomaly.message).toBe(
      "ap-northeast-1's p99 latency before the first fault was 400 ms over 2 ok ops, above its 250 ms budget; the slowest was read (index 4) invoked at 2.950 s, 400 ms from its intended start",
    );
  });

  it('twin: the same retry at exactly the budget', () => {
    valid(latencyHistory(250, true));
  });

  it('without intendedNs the latency runs from the invoke', () => {
    valid(latencyHistory(400, false));
  });
});

/**
 * Tokyo serves, is isolated at 10 s, fails at 10.5 s, and serves again at `recoveredAtS`
 * (never when null); the history ends at 30 s with an ok read in Osaka.
 */
function rtoHistory(recoveredAtS: number | null): { text: string; ops: number[] } {
  const b = new HistoryBuilder();
  setup(b, { [TOKYO]: regionBudget({ rtoMsMax: 5_000 }) });
  clientOp(b, { process: 0, atNs: 1 * S, endNs: 1 * S + MS, type: 'ok' });
  const read = { key: 'k' };
  const at = (timeS: number) => ({ timeNs: timeS * S, region: TOKYO });
  // In flight when the fault starts, it times out after: the first failure.
  const failed = b.invoke(0, 'read', read, at(9.9));
  const start = b.nemesis('start-isolate', { region: TOKYO }, { timeNs: 10 * S });
  // Invoked before the failure was seen: not yet a recovery, however it ends.
  b.invoke(1, 'read', read, at(10.4));
  const timeout = b.info(0, 'read', read, at(10.5));
  b.ok(1, 'read', { key: 'k', value: null }, at(10.6));
  const stop = b.nemesis('stop-isolate', { region: TOKYO }, { timeNs: 12 * S });
  const ops = [failed, start, timeout, stop];
  if (recoveredAtS !== null) {
    ops.push(
      ...clientOp(b, {
        process: 1,
        atNs: recoveredAtS * S - MS,
        endNs: recoveredAtS * S,
        type: 'ok',
      }),
    );
  }
  clientOp(b, { process: 2, region: OSAKA, atNs: 30 * S - MS, endNs: 30 * S, type: 'ok' });
  return { text: b.text(), ops: ops.sort((x, y) => x - y) };
}

describe('rto-exceeded', () => {
  it('flags a region that served again only after its RTO budget', () => {
    const { text, ops } = rtoHistory(15.5);
    const anomaly = only(text, 'rto-exceeded');
    expect(anomaly.ops).toEqual(ops);
    expect(anomaly).toMatchObject({
      region: TOKYO,
      fault: 'start-isolate',
      rtoMs: 5500,
      limit: 5000,
    });
    expect(anomaly.message).toBe(
      'ap-northeast-1 first failed to serve at 10.5 s (read (index 4)) after start-isolate {"region":"ap-northeast-1"} at 10.0 s and served again only at 15.5 s (read (index 10)), an RTO of 5.5 s over its 5 s budget: check failover detection and routing for it',
    );
  });

  it('twin: serving again at exactly the budget', () => {
    const result = valid(rtoHistory(15).text);
    const rto = (result.stats.rtoByRegion as Record<string, { rtoMs: number }[]>)[TOKYO];
    expect(rto?.map((entry) => entry.rtoMs)).toEqual([5000]);
  });

  it('flags a region that never served again, once the history ran past the budget', () => {
    const { text, ops } = rtoHistory(null);
    const anomaly = only(text, 'rto-exceeded');
    expect(anomaly.ops).toEqual(ops);
    expect(anomaly.rtoMs).toBeNull();
    expect(anomaly.message).toContain(
      'served no ok op again before the end of the history, 20 s later',
    );
  });
});

/** Two acknowledged transfers in Tokyo, a failover at 25 s; the ledger has `inLedger` of them. */
function rpoHistory(inLedger: string[]): { text: string; ops: number[] } {
  const b = new HistoryBuilder();
  setup(b, { [TOKYO]: regionBudget({ rpoMsMax: 5_000 }) });
  const transfer = (id: string) => ({ id, from: 'a', to: 'b', amount: 10 });
  const t1 = clientOp(b, {
    process: 0,
    f: 'transfer',
    value: transfer('t1'),
    atNs: 18 * S,
    endNs: 18.2 * S,
    type: 'ok',
  });
  const t2 = clientOp(b, {
    process: 0,
    f: 'transfer',
    value: transfer('t2'),
    atNs: 23 * S,
    endNs: 24 * S,
    type: 'ok',
  });
  const failover = b.nemesis(
    'failover',
    { cluster: 'ledger', from: TOKYO, to: OSAKA },
    { timeNs: 25 * S },
  );
  const entries = inLedger.flatMap((tx) => [
    { tx, account: 'a', amount: -10 },
    { tx, account: 'b', amount: 10 },
  ]);
  b.final('ledger', { entries }, { timeNs: 30 * S });
  const ops = inLedger.includes('t1')
    ? [...t2, failover]
    : [...t1, ...(inLedger.includes('t2') ? [] : t2), failover];
  return { text: b.text(), ops: ops.sort((x, y) => x - y) };
}

describe('rpo-exceeded', () => {
  it('flags acknowledged payments lost further back than the budget before the failover', () => {
    const { text, ops } = rpoHistory([]);
    const anomaly = only(text, 'rpo-exceeded');
    expect(anomaly.ops).toEqual(ops);
    expect(anomaly).toMatchObject({
      region: TOKYO,
      rpoMs: 6800,
      limit: 5000,
      lostIds: ['t1', 't2'],
      lostCount: 2,
    });
    expect(anomaly.message).toBe(
      '2 acknowledged payment(s) sent to ap-northeast-1 are missing from the ledger, the furthest back transfer t1 acknowledged at 18.2 s, 6.8 s before the failover at 25.0 s: an RPO over its 5 s budget; make commits durable (replicated) before acknowledging them',
    );
  });

  it('twin: the older payment survived, so only 1 s of acknowledged work was lost', () => {
    const result = valid(rpoHistory(['t1']).text);
    expect(result.stats.rpoMs).toBe(1000);
    expect(result.stats.lostPayments).toBe(1);
  });

  it('nothing lost is an RPO of 0', () => {
    expect(valid(rpoHistory(['t1', 't2']).text).stats.rpoMs).toBe(0);
  });
});
