import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../checkers/checker.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { checkLinearizable } from './support/run-linearizable.ts';

const MS = 1_000_000;
const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

function strongInit(h: HistoryBuilder, registers: Record<string, unknown> = { x: 0 }): void {
  h.init({ registers, strong: Object.keys(registers) });
}

function write(h: HistoryBuilder, process: number, value: number): void {
  h.invoke(process, 'write', { key: 'x', value }, { region: TOKYO });
  h.ok(process, 'write', undefined, { region: TOKYO });
}

function finalRead(h: HistoryBuilder, region: string, registers: object): number {
  return h.final('final-read', { registers }, { region });
}

function onlyAnomaly(h: HistoryBuilder, explicit = true): Anomaly {
  const result = checkLinearizable(h.text(), { explicit });
  expect(result?.valid).toBe(false);
  expect(result?.anomalies).toHaveLength(1);
  const anomaly = result?.anomalies[0] as Anomaly;
  expect(anomaly.type).toBe('nonlinearizable');
  return anomaly;
}

function valid(h: HistoryBuilder, explicit = true): boolean | 'unknown' | undefined {
  return checkLinearizable(h.text(), { explicit })?.valid;
}

/** write 1, then write 2 (both ok, sequential), then a final read of `finalValue` in Osaka. */
function twoWritesThenFinal(finalValue: number): HistoryBuilder {
  const h = new HistoryBuilder();
  strongInit(h);
  write(h, 1, 1);
  write(h, 2, 2);
  finalRead(h, OSAKA, { x: finalValue });
  return h;
}

describe('linearizable: a final read of a checked key is a read at its line', () => {
  it('an acknowledged write missing from the final read is nonlinearizable, naming the line', () => {
    const anomaly = onlyAnomaly(twoWritesThenFinal(1));
    expect(anomaly.key).toBe('x');
    expect(anomaly.ops).toEqual([3, 4, 5]);
    expect(anomaly.fromInitialValue).toBe(false);
    expect(anomaly.message).toBe(
      'key "x": the 2 ops between 0.003 s and 0.005 s admit no linearization from any value the key could hold when it begins: no order of write 2 by process 2 in ap-northeast-1 (invoked at 0.003 s, ok at 0.004 s) and final read in ap-northeast-3 returned 1 at 0.005 s (index 5) is legal.',
    );
    expect(anomaly.windowOps).toEqual([
      expect.objectContaining({ process: 2, f: 'write', value: 2 }),
      {
        process: 'final',
        f: 'read',
        value: null,
        result: 1,
        outcome: 'ok',
        startNs: 5 * MS,
        endNs: 5 * MS,
        invokeIndex: 5,
        completionIndex: 5,
        region: OSAKA,
      },
    ]);
  });

  it('near miss: the final read shows the last acknowledged write', () => {
    expect(valid(twoWritesThenFinal(2))).toBe(true);
  });

  it('a final value no op wrote is nonlinearizable; an info write may explain it', () => {
    const bad = new HistoryBuilder();
    strongInit(bad);
    write(bad, 1, 1);
    const f = finalRead(bad, TOKYO, { x: 9 });
    const anomaly = onlyAnomaly(bad);
    expect(anomaly.ops).toEqual([f]);
    expect(anomaly.message).toBe(
      'key "x": final read in ap-northeast-1 returned 9 at 0.003 s (index 3), a value never written: neither the initial value 0 nor any write or cas of the key that may have taken effect put 9 there.',
    );

    const good = new HistoryBuilder();
    strongInit(good);
    write(good, 1, 1);
    good.invoke(2, 'write', { key: 'x', value: 9 }, { region: OSAKA });
    good.info(2, 'write', undefined, { region: OSAKA });
    finalRead(good, TOKYO, { x: 9 });
    expect(valid(good)).toBe(true);
  });

  it('an older value after a newer one was observed is nonlinearizable; unobserved it is legal', () => {
    const build = (observed: boolean): HistoryBuilder => {
      const h = new HistoryBuilder();
      strongInit(h);
      write(h, 1, 1);
      h.invoke(2, 'write', { key: 'x', value: 2 }, { region: OSAKA });
      h.info(2, 'write', undefined, { region: OSAKA });
      if (observed) {
        h.invoke(3, 'read', { key: 'x' }, { region: TOKYO });
        h.ok(3, 'read', { key: 'x', value: 2 }, { region: TOKYO });
      }
      finalRead(h, TOKYO, { x: 1 });
      return h;
    };
    const anomaly = onlyAnomaly(build(true));
    expect(anomaly.ops).toEqual([5, 6, 7]);
    expect(valid(build(false))).toBe(true);
  });

  it('a value a pending write carries is legal in the final read (it may land at any time)', () => {
    const h = new HistoryBuilder();
    strongInit(h);
    write(h, 1, 1);
    h.invoke(2, 'write', { key: 'x', value: 2 }, { region: OSAKA });
    finalRead(h, TOKYO, { x: 2 });
    finalRead(h, OSAKA, { x: 2 });
    expect(valid(h)).toBe(true);
  });

  it('a key absent from a region is not a read there; null is a read of null', () => {
    const build = (osaka: object): HistoryBuilder => {
      const h = new HistoryBuilder();
      strongInit(h);
      write(h, 1, 1);
      finalRead(h, TOKYO, { x: 1 });
      finalRead(h, OSAKA, osaka);
      return h;
    };
    expect(valid(build({}))).toBe(true);
    expect(onlyAnomaly(build({ x: null })).ops).toEqual([4]);
  });

  it('two regions: the later final read going back to an overwritten value is named', () => {
    const build = (osaka: number): HistoryBuilder => {
      const h = new HistoryBuilder();
      strongInit(h);
      h.invoke(1, 'write', { key: 'x', value: 1 }, { region: TOKYO });
      h.invoke(2, 'write', { key: 'x', value: 2 }, { region: OSAKA });
      h.ok(1, 'write', undefined, { region: TOKYO });
      h.ok(2, 'write', undefined, { region: OSAKA });
      finalRead(h, TOKYO, { x: 2 });
      finalRead(h, OSAKA, { x: osaka });
      return h;
    };
    const anomaly = onlyAnomaly(build(1));
    expect(anomaly.ops).toContain(5);
    expect(anomaly.ops).toContain(6);
    expect(valid(build(2))).toBe(true);
  });

  it('a strong key seen only in final reads is checked by default against its init value', () => {
    const build = (value: number): HistoryBuilder => {
      const h = new HistoryBuilder();
      strongInit(h, { x: 5 });
      finalRead(h, TOKYO, { x: value });
      return h;
    };
    expect(onlyAnomaly(build(7), false).ops).toEqual([1]);
    expect(valid(build(5), false)).toBe(true);
  });

  it('by default an LWW key in a final read is not checked (the checker does not apply)', () => {
    const h = new HistoryBuilder();
    h.init({ registers: { x: 0 }, strong: [] });
    finalRead(h, TOKYO, { x: 7 });
    expect(checkLinearizable(h.text(), { explicit: false })).toBeNull();
    expect(valid(h, true)).toBe(false);
  });
});
