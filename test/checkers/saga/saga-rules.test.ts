/** Retried checkouts, "unknown" verdicts, split final lines, line order and stats. */
import { describe, expect, it } from 'vitest';
import { checkHistoryText } from '../../../checkers/check-session.ts';
import { LedgerSums } from '../../../checkers/saga/ledger-sums.ts';
import { sagaChecker } from '../../../checkers/saga/saga-checker.ts';
import type { LedgerEntry, SagaRecord } from '../../../history/op.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import {
  ACCOUNTS,
  C1,
  COMPLETED_LEDGER,
  COMPLETED_STEPS,
  compensated,
  failed,
  move,
  oneCheckout,
  saga,
} from './support/one-checkout.ts';
import { anomalyTypes, runSaga } from './support/run-saga.ts';

const MS = 1_000_000;
type Attempt = 'ok' | 'fail' | 'info';

/** One checkout id tried once per attempt, each on a fresh process, then the sagas line. */
function retried(attempts: Attempt[], status: SagaRecord['status']): string {
  const h = new HistoryBuilder(MS);
  h.init({ accounts: ACCOUNTS });
  for (const [process, attempt] of attempts.entries()) {
    h.invoke(process, 'checkout', C1);
    if (attempt === 'ok') h.ok(process, 'checkout');
    if (attempt === 'fail') h.fail(process, 'checkout');
    if (attempt === 'info') h.info(process, 'checkout');
  }
  const steps = status === 'completed' ? COMPLETED_STEPS : [failed('reserve')];
  h.final('sagas', [saga(status, steps)]);
  return h.text();
}

describe('retried checkouts (same id, several attempts)', () => {
  it('acknowledged if any attempt was ok', () => {
    expect(runSaga(retried(['fail', 'ok'], 'completed'))?.valid).toBe(true);
    expect(runSaga(retried(['info', 'ok'], 'completed'))?.valid).toBe(true);
    const result = runSaga(retried(['fail', 'ok'], 'failed'));
    expect(anomalyTypes(result)).toEqual(['wrong-outcome']);
    expect(result?.anomalies[0]?.ops).toEqual([1, 2, 3, 4, 5]);
  });

  it('failed only if every attempt failed', () => {
    const result = runSaga(retried(['fail', 'fail'], 'completed'));
    expect(anomalyTypes(result)).toEqual(['wrong-outcome']);
    expect(result?.anomalies[0]?.message).toContain('(2 attempts)');
    expect(runSaga(retried(['fail', 'info'], 'completed'))?.valid).toBe(true);
  });

  it('cannot judge the ledger of a completed saga whose attempts named different amounts', () => {
    const h = new HistoryBuilder(MS);
    h.invoke(0, 'checkout', C1);
    h.info(0, 'checkout');
    h.invoke(1, 'checkout', { ...C1, amount: 1300 });
    h.ok(1, 'checkout');
    h.final('sagas', [saga('completed', COMPLETED_STEPS)]);
    h.final('ledger', { entries: COMPLETED_LEDGER });
    const result = runSaga(h.text());
    expect(result?.valid).toBe('unknown');
    expect(result?.error).toContain('checkout c1 was retried with different from/to/amount');
  });
});

describe('verdict "unknown"', () => {
  it('when checkouts exist but no sagas line was read', () => {
    const result = runSaga(oneCheckout({ client: 'ok', sagas: null }));
    expect(result?.valid).toBe('unknown');
    expect(result?.error).toBe(
      'the history has 1 checkout id(s) but no "sagas" final line, so no saga could be judged',
    );
  });

  it('when a saga has two records; anomalies still make it false', () => {
    const record = saga('completed', COMPLETED_STEPS);
    const result = runSaga(oneCheckout({ client: 'ok', sagas: [record, record] }));
    expect(result?.valid).toBe('unknown');
    expect(result?.error).toContain('saga c1 has two records (indices 3 and 3)');
    const stuck = saga('pending', [], 'c9');
    expect(runSaga(oneCheckout({ client: 'ok', sagas: [record, record, stuck] }))?.valid).toBe(
      false,
    );
  });
});

describe('history shape', () => {
  it('does not apply to a history without checkouts or sagas', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 1 });
    h.ok(0, 'transfer');
    expect(runSaga(h.text())).toBeUndefined();
  });

  it('concatenates sagas and ledger split over several lines, in any order', () => {
    const h = new HistoryBuilder(MS);
    h.invoke(0, 'checkout', C1);
    h.ok(0, 'checkout');
    h.invoke(1, 'checkout', { ...C1, id: 'c2' });
    h.fail(1, 'checkout');
    h.final('ledger', { entries: COMPLETED_LEDGER.slice(0, 3) });
    const c2Steps = [compensated('reserve', 1, 2), failed('capture')];
    h.final('sagas', [saga('compensated', c2Steps, 'c2')]);
    h.final('ledger', {
      entries: [...COMPLETED_LEDGER.slice(3), ...move('a', 'hold', 1200, 'c2')],
    });
    h.final('sagas', [saga('completed', COMPLETED_STEPS)]);
    const leaked = runSaga(h.text());
    expect(anomalyTypes(leaked)).toEqual(['saga-leak']);
    expect(leaked?.anomalies[0]).toMatchObject({ saga: 'c2', ops: [2, 3, 5, 6] });
    h.final('ledger', { entries: move('hold', 'a', 1200, 'c2') });
    expect(runSaga(h.text())?.valid).toBe(true);
  });

  it('judges a saga with no checkout op whose record comes after the ledger', () => {
    const h = new HistoryBuilder(MS);
    h.final('ledger', { entries: move('a', 'hold', 5, 'x1') });
    h.final('sagas', [saga('failed', [compensated('reserve', 0.001, 0.002)], 'x1')]);
    const result = runSaga(h.text());
    expect(anomalyTypes(result)).toEqual(['saga-leak']);
    expect(result?.anomalies[0]?.ops).toEqual([0, 1]);
    expect(result?.anomalies[0]?.message).toContain('saga x1 (no checkout op) failed but');
  });
});

describe('stats', () => {
  it('counts sagas, checkouts, steps, compensations and ok durations', () => {
    const h = new HistoryBuilder(MS);
    h.invoke(0, 'checkout', C1, { timeNs: 0 });
    h.ok(0, 'checkout', undefined, { timeNs: 40 * MS });
    h.invoke(1, 'checkout', { ...C1, id: 'c2' }, { timeNs: 41 * MS });
    h.fail(1, 'checkout', undefined, { timeNs: 50 * MS });
    h.invoke(2, 'checkout', { ...C1, id: 'c3' }, { timeNs: 51 * MS });
    h.final('sagas', [
      saga('completed', COMPLETED_STEPS),
      saga('compensated', [compensated('reserve', 0.042, 0.043), failed('capture')], 'c2'),
      saga('pending', [], 'c3'),
    ]);
    const result = runSaga(h.text());
    expect(result?.stats).toEqual({
      sagasByStatus: { completed: 1, compensated: 1, failed: 0, pending: 1 },
      sagasWithoutCheckout: 0,
      checkoutsByOutcome: { acknowledged: 1, failed: 1, unknown: 1 },
      checkoutAttemptsByOutcome: { ok: 1, fail: 1, info: 1 },
      steps: 5,
      compensations: 1,
      sagaDurationMs: { count: 1, p50: 40, p99: 40, max: 40 },
      ledgerEntries: 0,
      anomalyCounts: { 'stuck-saga': 1 },
    });
  });
});

describe('ledger sums', () => {
  it('keeps orphan entries up to the limit, then says sums of late-known ids may be partial', () => {
    const tracked = new Set(['c1']);
    const sums = new LedgerSums((tx) => tracked.has(tx), 2);
    const line = (index: number, entries: LedgerEntry[]) =>
      ({ index, time: 0, process: 'final', type: 'ok', f: 'ledger', value: { entries } }) as const;
    sums.addLine(line(0, [...move('a', 'hold', 5, 'x1'), ...move('a', 'hold', 7, 'x2')]));
    sums.addLine(line(1, move('a', 'hold', 9, 'c1')));
    expect(sums.sumsOf('x1')?.netByAccount).toEqual(
      new Map([
        ['a', -5],
        ['hold', 5],
      ]),
    );
    expect(sums.sumsOf('x2')).toBeUndefined();
    expect(sums.sumsOf('c1')?.lineIndices).toEqual([1]);
    expect(sums.orphanEntriesDropped).toBe(2);
    expect(sums.mayBePartial(true)).toBe(true);
    expect(sums.mayBePartial(false)).toBe(false);
  });

  it('merges the buffered entries of a tx that became known halfway through the ledger', () => {
    const tracked = new Set<string>();
    const sums = new LedgerSums((tx) => tracked.has(tx));
    const line = (index: number, entries: LedgerEntry[]) =>
      ({ index, time: 0, process: 'final', type: 'ok', f: 'ledger', value: { entries } }) as const;
    sums.addLine(line(0, move('a', 'hold', 5, 's1')));
    tracked.add('s1');
    sums.addLine(line(1, move('hold', 'm', 5, 's1')));
    const s1 = sums.sumsOf('s1');
    expect(s1?.netByAccount).toEqual(
      new Map([
        ['a', -5],
        ['hold', 0],
        ['m', 5],
      ]),
    );
    expect(s1?.entries).toBe(4);
    expect(sums.sumsOf('s1')?.entries).toBe(4);
  });
});

describe('explicitly named on a history with nothing to judge', () => {
  it('says "unknown"', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 1 });
    const results = checkHistoryText('h.jsonl', h.text(), {
      checkers: [sagaChecker],
      only: ['saga'],
      timeoutS: 10,
    });
    expect(results.checkers.saga?.valid).toBe('unknown');
    expect(results.checkers.saga?.error).toContain('nothing to judge');
  });
});
