import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../checkers/checker.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { checkLinearizable } from './support/run-linearizable.ts';

const MS = 1_000_000;

function strongInit(h: HistoryBuilder, registers: Record<string, unknown> = { x: 0 }): void {
  h.init({ registers, strong: Object.keys(registers) });
}

function verdict(h: HistoryBuilder): boolean | 'unknown' {
  const result = checkLinearizable(h.text());
  if (result === null) throw new Error('the checker did not run');
  return result.valid;
}

function onlyAnomaly(h: HistoryBuilder): Anomaly {
  const result = checkLinearizable(h.text());
  expect(result?.valid).toBe(false);
  expect(result?.anomalies).toHaveLength(1);
  const anomaly = result?.anomalies[0] as Anomaly;
  expect(anomaly.type).toBe('nonlinearizable');
  return anomaly;
}

/** write 1 is ok at 2 ms; a read invoked at `readAtNs` returns `readValue` at 4 ms. */
function writeThenRead(readValue: number, readAtNs: number): HistoryBuilder {
  const h = new HistoryBuilder();
  strongInit(h);
  h.invoke(1, 'write', { key: 'x', value: 1 }, { timeNs: 1 * MS });
  const readFirst = readAtNs < 2 * MS;
  if (readFirst) h.invoke(2, 'read', { key: 'x' }, { timeNs: readAtNs });
  h.ok(1, 'write', undefined, { timeNs: 2 * MS });
  if (!readFirst) h.invoke(2, 'read', { key: 'x' }, { timeNs: readAtNs });
  h.ok(2, 'read', { key: 'x', value: readValue }, { timeNs: 4 * MS });
  return h;
}

describe('linearizable: nonlinearizable and its near misses', () => {
  it('a read that returns the value a completed write replaced names the key and the window', () => {
    const anomaly = onlyAnomaly(writeThenRead(0, 3 * MS));
    expect(anomaly.ops).toEqual([1, 2, 3, 4]);
    expect(anomaly.key).toBe('x');
    expect(anomaly.fromInitialValue).toBe(true);
    expect(anomaly.message).toBe(
      'key "x": the 2 ops between 0.001 s and 0.004 s admit no linearization from the initial value 0: no order of write 1 by process 1 (invoked at 0.001 s, ok at 0.002 s) and read returned 0 by process 2 (invoked at 0.003 s, ok at 0.004 s) is legal.',
    );
    expect(anomaly.windowOps).toEqual([
      expect.objectContaining({ process: 1, f: 'write', value: 1, outcome: 'ok', invokeIndex: 1 }),
      expect.objectContaining({ process: 2, f: 'read', result: 0, startNs: 3 * MS, endNs: 4 * MS }),
    ]);
  });

  it('near miss: the same read returning the new value is legal', () => {
    expect(verdict(writeThenRead(1, 3 * MS))).toBe(true);
  });

  it('near miss: the same stale read invoked before the write completed is legal', () => {
    expect(verdict(writeThenRead(0, 1.5 * MS))).toBe(true);
  });

  it('same nanosecond: an invoke at the instant of a completion is concurrent with it', () => {
    expect(verdict(writeThenRead(0, 2 * MS))).toBe(true);
  });

  it('same nanosecond: one nanosecond later, the read must follow the write', () => {
    expect(onlyAnomaly(writeThenRead(0, 2 * MS + 1)).ops).toEqual([1, 2, 3, 4]);
  });

  it('shrinks to a window in the middle of the key, judged from any value', () => {
    const h = new HistoryBuilder();
    strongInit(h);
    for (const [p, v] of [
      [1, 1],
      [2, 2],
      [3, 3],
    ] as const) {
      h.invoke(p, 'write', { key: 'x', value: v });
      h.ok(p, 'write');
      h.invoke(p + 10, 'read', { key: 'x' });
      h.ok(p + 10, 'read', { key: 'x', value: v === 3 ? 1 : v });
    }
    const anomaly = onlyAnomaly(h);
    expect(anomaly.ops).toEqual([9, 10, 11, 12]);
    expect(anomaly.fromInitialValue).toBe(false);
    expect(anomaly.windowShrunk).toBe(true);
    expect(anomaly.message).toContain('the 2 ops between 0.009 s and 0.012 s');
    expect(anomaly.message).toContain('from any value the key could hold when it begins');
  });

  it('names the region each op was sent to', () => {
    const h = new HistoryBuilder();
    strongInit(h);
    h.invoke(1, 'write', { key: 'x', value: 1 }, { region: 'ap-northeast-1' });
    h.ok(1, 'write', undefined, { region: 'ap-northeast-1' });
    h.invoke(2, 'read', { key: 'x' }, { region: 'ap-northeast-3' });
    h.ok(2, 'read', { key: 'x', value: 0 }, { region: 'ap-northeast-3' });
    const anomaly = onlyAnomaly(h);
    expect(anomaly.message).toContain('write 1 by process 1 in ap-northeast-1 (');
    expect(anomaly.message).toContain('read returned 0 by process 2 in ap-northeast-3 (');
    expect(anomaly.windowOps).toEqual([
      expect.objectContaining({ region: 'ap-northeast-1' }),
      expect.objectContaining({ region: 'ap-northeast-3' }),
    ]);
  });

  it('a read of a value no op ever wrote is a window of one op', () => {
    const h = new HistoryBuilder();
    strongInit(h);
    h.invoke(1, 'read', { key: 'x' });
    h.ok(1, 'read', { key: 'x', value: 7 });
    const anomaly = onlyAnomaly(h);
    expect(anomaly.ops).toEqual([1, 2]);
    expect(anomaly.message).toBe(
      'key "x": read returned 7 by process 1 (invoked at 0.001 s, ok at 0.002 s), a value never written: neither the initial value 0 nor any write or cas of the key that may have taken effect put 7 there.',
    );
  });
});

describe('linearizable: outcomes', () => {
  function infoWriteThenReads(values: readonly number[]): HistoryBuilder {
    const h = new HistoryBuilder();
    strongInit(h);
    h.invoke(1, 'write', { key: 'x', value: 1 });
    h.info(1, 'write');
    values.forEach((value, i) => {
      h.invoke(2 + i, 'read', { key: 'x' });
      h.ok(2 + i, 'read', { key: 'x', value });
    });
    return h;
  }

  it('an info write may have taken effect', () => {
    expect(verdict(infoWriteThenReads([1]))).toBe(true);
  });

  it('an info write may not have taken effect', () => {
    expect(verdict(infoWriteThenReads([0, 0]))).toBe(true);
  });

  it('an info write may take effect late, after reads that missed it', () => {
    expect(verdict(infoWriteThenReads([0, 1, 1]))).toBe(true);
  });

  it('an info write that took effect cannot be undone', () => {
    // The info write overlaps both reads, so it is optional context: the window is the reads.
    const anomaly = onlyAnomaly(infoWriteThenReads([1, 0]));
    expect(anomaly.ops).toEqual([3, 4, 5, 6]);
    expect(anomaly.fromInitialValue).toBe(false);
  });

  it('a read cannot see an info write before the write was invoked', () => {
    const h = new HistoryBuilder();
    strongInit(h);
    h.invoke(2, 'read', { key: 'x' });
    h.ok(2, 'read', { key: 'x', value: 1 });
    h.invoke(1, 'write', { key: 'x', value: 1 });
    h.info(1, 'write');
    expect(onlyAnomaly(h).ops).toEqual([1, 2]);
  });

  it('a pending write may be seen; a pending read constrains nothing', () => {
    const h = new HistoryBuilder();
    strongInit(h);
    h.invoke(1, 'write', { key: 'x', value: 1 });
    h.invoke(2, 'read', { key: 'x' });
    h.ok(2, 'read', { key: 'x', value: 1 });
    h.invoke(3, 'read', { key: 'x' });
    expect(verdict(h)).toBe(true);
  });

  it('failed ops did not happen: a read of a failed write value is nonlinearizable', () => {
    const h = new HistoryBuilder();
    strongInit(h);
    h.invoke(1, 'write', { key: 'x', value: 1 });
    h.fail(1, 'write');
    h.invoke(2, 'read', { key: 'x' });
    h.ok(2, 'read', { key: 'x', value: 1 });
    expect(onlyAnomaly(h).ops).toEqual([3, 4]);
  });

  it('failed ops did not happen: reading the old value after a failed write is legal', () => {
    const h = new HistoryBuilder();
    strongInit(h);
    h.invoke(1, 'write', { key: 'x', value: 1 });
    h.fail(1, 'write');
    h.invoke(2, 'read', { key: 'x' });
    h.ok(2, 'read', { key: 'x', value: 0 });
    expect(verdict(h)).toBe(true);
  });
});

describe('linearizable: cas', () => {
  function casThenRead(
    from: number,
    outcome: 'ok' | 'fail' | 'info',
    read: number,
  ): HistoryBuilder {
    const h = new HistoryBuilder();
    strongInit(h);
    h.invoke(1, 'cas', { key: 'x', from, to: 2 });
    h[outcome](1, 'cas');
    h.invoke(2, 'read', { key: 'x' });
    h.ok(2, 'read', { key: 'x', value: read });
    return h;
  }

  it('an ok cas whose compare matches sets the value', () => {
    expect(verdict(casThenRead(0, 'ok', 2))).toBe(true);
  });

  it('an ok cas whose compare cannot match is nonlinearizable', () => {
    expect(onlyAnomaly(casThenRead(5, 'ok', 2)).ops).toEqual([1, 2]);
  });

  it('an ok cas that matched cannot leave the old value', () => {
    expect(onlyAnomaly(casThenRead(0, 'ok', 0)).ops).toEqual([1, 2, 3, 4]);
  });

  it('a failed cas did not happen', () => {
    expect(verdict(casThenRead(0, 'fail', 0))).toBe(true);
    expect(onlyAnomaly(casThenRead(0, 'fail', 2)).ops).toEqual([3, 4]);
  });

  it('an info cas may or may not have applied, but only when its compare matched', () => {
    expect(verdict(casThenRead(0, 'info', 2))).toBe(true);
    expect(verdict(casThenRead(0, 'info', 0))).toBe(true);
    // From any value the key could hold (2 included) the read alone is legal: the cas stays.
    expect(onlyAnomaly(casThenRead(5, 'info', 2)).ops).toEqual([1, 2, 3, 4]);
  });
});

describe('linearizable: keys and values', () => {
  function staleReadOn(key: string, init: Record<string, unknown>): string {
    const h = new HistoryBuilder();
    h.init(init);
    h.invoke(1, 'write', { key, value: 1 });
    h.ok(1, 'write');
    h.invoke(2, 'read', { key });
    h.ok(2, 'read', { key, value: null });
    return h.text();
  }

  it('by default checks only the strong keys, and applies only when they have ops', () => {
    expect(checkLinearizable(staleReadOn('x', { strong: ['y'] }), { explicit: false })).toBeNull();
    const strong = checkLinearizable(staleReadOn('x', { strong: ['x'] }), { explicit: false });
    expect(strong?.valid).toBe(false);
  });

  it('checks every register key when named explicitly; absent registers start as null', () => {
    const result = checkLinearizable(staleReadOn('x', {}));
    expect(result?.valid).toBe(false);
    expect(result?.anomalies[0]?.message).toContain('from the initial value null');
  });

  it('takes initial values from init and compares values as JSON', () => {
    const h = new HistoryBuilder();
    h.init({ registers: { x: { a: [1] } }, strong: ['x'] });
    h.invoke(1, 'read', { key: 'x' });
    h.ok(1, 'read', { key: 'x', value: { a: [1] } });
    h.invoke(1, 'write', { key: 'x', value: '2' });
    h.ok(1, 'write');
    h.invoke(1, 'read', { key: 'x' });
    h.ok(1, 'read', { key: 'x', value: 2 });
    const anomaly = onlyAnomaly(h);
    expect(anomaly.ops).toEqual([5, 6]);
    expect(anomaly.message).toContain('read returned 2 by process 1');
  });

  it('checks each key alone and names the failing one', () => {
    const h = new HistoryBuilder();
    strongInit(h, { x: 0, y: 0 });
    h.invoke(1, 'write', { key: 'x', value: 1 });
    h.invoke(2, 'write', { key: 'y', value: 1 });
    h.ok(1, 'write');
    h.ok(2, 'write');
    h.invoke(3, 'read', { key: 'x' });
    h.invoke(4, 'read', { key: 'y' });
    h.ok(3, 'read', { key: 'x', value: 1 });
    h.ok(4, 'read', { key: 'y', value: 0 });
    const anomaly = onlyAnomaly(h);
    expect(anomaly.key).toBe('y');
    expect(anomaly.ops).toEqual([2, 4, 6, 8]);
    const result = checkLinearizable(h.text());
    expect(result?.stats).toMatchObject({ keysChecked: 2, opsPerKeyMax: 2, keysUndecided: 0 });
  });

  it('says unknown when named explicitly on a history with no register ops', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 1 } });
    const result = checkLinearizable(h.text());
    expect(result?.valid).toBe('unknown');
    expect(result?.error).toBe('the history has no read, write, cas or final read to check');
  });
});
