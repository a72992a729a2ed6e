import { describe, expect, it } from 'vitest';
import { keyHistories } from '../../../bench/bare-search.ts';
import {
  generateRegisterHistory,
  registerHistoryText,
} from '../../../bench/generate-register-history.ts';
import { recordHistoryText } from '../../../bench/recorded-history.ts';
import type { Anomaly } from '../../../checkers/checker.ts';
import { findNeverWrittenReads } from '../../../checkers/linearizable/never-written-reads.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { checkLinearizable } from './support/run-linearizable.ts';

function onlyAnomaly(text: string): Anomaly {
  const result = checkLinearizable(text);
  expect(result?.valid).toBe(false);
  expect(result?.anomalies).toHaveLength(1);
  return result?.anomalies[0] as Anomaly;
}

function verdict(text: string): boolean | 'unknown' | undefined {
  return checkLinearizable(text)?.valid;
}

/** init x = 0; `ops` run one after another: [f, value, outcome]; then a read returning `read`. */
function sequence(
  ops: readonly [f: 'write' | 'cas', value: unknown, outcome: 'ok' | 'fail' | 'info'][],
  read: unknown,
  init: Record<string, unknown> = { registers: { x: 0 }, strong: ['x'] },
): string {
  const h = new HistoryBuilder();
  h.init(init);
  ops.forEach(([f, value, outcome], p) => {
    h.invoke(p + 1, f, f === 'write' ? { key: 'x', value } : { key: 'x', ...(value as object) });
    h[outcome](p + 1, f);
  });
  h.invoke(50, 'read', { key: 'x' });
  h.ok(50, 'read', { key: 'x', value: read });
  return h.text();
}

describe('linearizable: reads of values never written (the linear pre-pass)', () => {
  it('a Knossos-style history with 16 unknown outcomes and one impossible read is invalid at once', () => {
    // 300 ops of 5 clients on one register of values 0..4 (reads, writes, cas), 16 writes and
    // cas ending info, and one read returning 5. Before the pre-pass, the search ran the
    // checker's whole budget and ended "unknown" (millions of steps: every info op may land
    // anywhere after its invoke, or never).
    const history = generateRegisterHistory({
      opsCount: 300,
      processesCount: 5,
      valuesCount: 5,
      readFraction: 0.5,
      casFraction: 0.25,
      infoCount: 16,
      seed: 2,
      inject: { kind: 'never-written', afterOps: 280 },
    });
    expect(history.lines.filter((line) => line.type === 'info')).toHaveLength(16);
    const injected = history.injected;
    if (injected === null) throw new Error('no read was corrupted');
    const result = checkLinearizable(registerHistoryText(history), { timeoutS: 10 });
    expect(result?.valid).toBe(false);
    expect(result?.stats.searchSteps).toBe(0);
    const anomaly = result?.anomalies[0] as Anomaly;
    expect(anomaly.type).toBe('nonlinearizable');
    expect(anomaly.key).toBe('x');
    expect(anomaly.ops).toEqual([injected.invokeIndex, injected.completionIndex]);
    expect(anomaly.valueNeverWritten).toBe(true);
    expect(anomaly.message).toMatch(
      /^key "x": read returned 5 by process \d+ \(invoked at [\d.]+ s, ok at [\d.]+ s\), a value never written: neither the initial value 0 nor any write or cas of the key that may have taken effect put 5 there\.$/,
    );
  });

  it('a cas `to` is a value the key may hold, from an ok or an unknown cas', () => {
    expect(verdict(sequence([['cas', { from: 0, to: 2 }, 'ok']], 2))).toBe(true);
    expect(verdict(sequence([['cas', { from: 0, to: 2 }, 'info']], 2))).toBe(true);
  });

  it('a cas `from` is not: comparing puts nothing in the register', () => {
    const anomaly = onlyAnomaly(sequence([['cas', { from: 3, to: 2 }, 'fail']], 3));
    expect(anomaly.valueNeverWritten).toBe(true);
    expect(anomaly.ops).toEqual([3, 4]);
  });

  it('a failed write cannot be read; an info write can', () => {
    const failed = onlyAnomaly(sequence([['write', 1, 'fail']], 1));
    expect(failed.valueNeverWritten).toBe(true);
    expect(failed.windowOps).toEqual([
      expect.objectContaining({ f: 'read', result: 1, invokeIndex: 3, completionIndex: 4 }),
    ]);
    expect(verdict(sequence([['write', 1, 'info']], 1))).toBe(true);
  });

  it('null is judged as any value: the initial value when init gives none, else never written', () => {
    expect(verdict(sequence([['write', 1, 'ok']], null, { strong: ['x'] }))).toBe(false);
    expect(verdict(sequence([], null, { strong: ['x'] }))).toBe(true);
    expect(onlyAnomaly(sequence([['write', 1, 'ok']], null)).valueNeverWritten).toBe(true);
    expect(verdict(sequence([['write', null, 'ok']], null))).toBe(true);
  });

  it('names the first such read and counts the others', () => {
    const h = new HistoryBuilder();
    h.init({ registers: { x: 0 }, strong: ['x'] });
    for (const [p, value] of [
      [1, 7],
      [2, 0],
      [3, 8],
    ] as const) {
      h.invoke(p, 'read', { key: 'x' });
      h.ok(p, 'read', { key: 'x', value });
    }
    const anomaly = onlyAnomaly(h.text());
    expect(anomaly.ops).toEqual([1, 2]);
    expect(anomaly.neverWrittenReadsCount).toBe(2);
    expect(anomaly.message).toMatch(/put 7 there \(1 more read of the key did the same\)\.$/);
  });

  it('an overwritten value is left to the search: the pre-pass does not judge it', () => {
    const ops = keyHistories(recordHistoryText(sequence([['write', 1, 'ok']], 0)));
    const x = ops.get('x');
    if (x === undefined) throw new Error('no key x');
    expect(findNeverWrittenReads(x.opsInInvokeOrder(), x.initId)).toBeNull();
  });
});
