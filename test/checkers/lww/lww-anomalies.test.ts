import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { checkLww } from './support/check-lww.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

function types(text: string): string[] {
  return checkLww(text).anomalies.map((anomaly) => anomaly.type);
}

/** A write of `value` to x by `process` in `region`, ending as `outcome`; returns [invoke, completion]. */
function write(
  h: HistoryBuilder,
  process: number,
  value: unknown,
  outcome: 'ok' | 'fail' | 'info' = 'ok',
  region = TOKYO,
  ts?: number,
): [number, number] {
  const invoke = h.invoke(process, 'write', { key: 'x', value }, { region });
  const done = h[outcome](process, 'write', ts === undefined ? undefined : { ts }, { region });
  return [invoke, done];
}

function read(
  h: HistoryBuilder,
  process: number,
  value: unknown,
  region = OSAKA,
): [number, number] {
  const invoke = h.invoke(process, 'read', { key: 'x' }, { region });
  return [invoke, h.ok(process, 'read', { key: 'x', value }, { region })];
}

function finals(h: HistoryBuilder, tokyo: unknown, osaka: unknown): [number, number] {
  return [
    h.final('final-read', { registers: { x: tokyo } }, { region: TOKYO }),
    h.final('final-read', { registers: { x: osaka } }, { region: OSAKA }),
  ];
}

describe('phantom-value', () => {
  it('names a read of a value nobody wrote, and passes the read of the written one', () => {
    const bad = new HistoryBuilder();
    bad.init({ registers: { x: 0 } });
    write(bad, 0, 1);
    const [invoke, done] = read(bad, 1, 7);
    const result = checkLww(bad.text());
    expect(result.valid).toBe(false);
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({
      type: 'phantom-value',
      ops: [invoke, done],
      key: 'x',
      value: 7,
    });
    expect(result.anomalies[0]!.message).toContain(
      'read of key "x" in ap-northeast-3 (index 3) returned 7',
    );

    const good = new HistoryBuilder();
    good.init({ registers: { x: 0 } });
    write(good, 0, 1);
    read(good, 1, 1);
    expect(checkLww(good.text())).toMatchObject({ valid: true, anomalies: [] });
  });

  it('names a read of a failed write, and passes it when the write is info instead', () => {
    const bad = new HistoryBuilder();
    const [w1, w2] = write(bad, 0, 1, 'fail');
    const [r1, r2] = read(bad, 1, 1);
    const result = checkLww(bad.text());
    expect(result.anomalies).toMatchObject([{ type: 'phantom-value', ops: [r1, r2, w1, w2] }]);
    expect(result.anomalies[0]!.message).toContain('failed at');

    const good = new HistoryBuilder();
    write(good, 0, 1, 'info');
    read(good, 1, 1);
    expect(checkLww(good.text()).valid).toBe(true);
  });

  it('names a read that saw an in-flight write which then failed', () => {
    const bad = new HistoryBuilder();
    const w1 = bad.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
    const [r1, r2] = read(bad, 1, 1);
    const w2 = bad.fail(0, 'write', undefined, { region: TOKYO });
    expect(checkLww(bad.text()).anomalies).toMatchObject([
      { type: 'phantom-value', ops: [r1, r2, w1, w2] },
    ]);

    const good = new HistoryBuilder();
    good.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
    read(good, 1, 1);
    good.ok(0, 'write', undefined, { region: TOKYO });
    expect(checkLww(good.text()).valid).toBe(true);
  });

  it('names a final value nobody wrote, and one only a failed write wrote', () => {
    const bad = new HistoryBuilder();
    const [w1, w2] = write(bad, 0, 1, 'fail');
    const [tokyo, osaka] = finals(bad, 1, 1);
    expect(checkLww(bad.text()).anomalies).toMatchObject([
      { type: 'phantom-value', ops: [w1, w2, tokyo], region: TOKYO },
      { type: 'phantom-value', ops: [w1, w2, osaka], region: OSAKA },
    ]);

    const never = new HistoryBuilder();
    never.init({ registers: { x: 0 } });
    const [only] = [never.final('final-read', { registers: { x: 9 } }, { region: TOKYO })];
    expect(checkLww(never.text()).anomalies).toMatchObject([
      { type: 'phantom-value', ops: [only] },
    ]);

    const good = new HistoryBuilder();
    write(good, 0, 1, 'info');
    finals(good, 1, 1);
    expect(checkLww(good.text()).valid).toBe(true);
  });

  it('names the from of an ok cas that nobody wrote, and counts its to as a write', () => {
    const bad = new HistoryBuilder();
    bad.init({ registers: { x: 0 } });
    const c1 = bad.invoke(0, 'cas', { key: 'x', from: 5, to: 6 }, { region: TOKYO });
    const c2 = bad.ok(0, 'cas', undefined, { region: TOKYO });
    expect(checkLww(bad.text()).anomalies).toMatchObject([
      { type: 'phantom-value', ops: [c1, c2] },
    ]);

    const good = new HistoryBuilder();
    good.init({ registers: { x: 0 } });
    good.invoke(0, 'cas', { key: 'x', from: 0, to: 6 }, { region: TOKYO });
    good.ok(0, 'cas', undefined, { region: TOKYO });
    read(good, 1, 6);
    finals(good, 6, 6);
    expect(checkLww(good.text()).valid).toBe(true);
  });
});

describe('future-read', () => {
  it('names a read of a write invoked after it completed, and passes a write invoked at that nanosecond', () => {
    const bad = new HistoryBuilder();
    const [r1, r2] = read(bad, 1, 5);
    const [w1, w2] = write(bad, 0, 5);
    const result = checkLww(bad.text());
    expect(result.anomalies).toMatchObject([{ type: 'future-read', ops: [r1, r2, w1, w2] }]);
    expect(result.anomalies[0]!.message).toContain('came only after that read completed');

    // Closed intervals: a write invoked at the nanosecond the read completed may be what it saw.
    const good = new HistoryBuilder();
    good.invoke(1, 'read', { key: 'x' }, { region: OSAKA, timeNs: 1_000 });
    good.ok(1, 'read', { key: 'x', value: 5 }, { region: OSAKA, timeNs: 2_000 });
    good.invoke(0, 'write', { key: 'x', value: 5 }, { region: TOKYO, timeNs: 2_000 });
    good.ok(0, 'write', undefined, { region: TOKYO, timeNs: 3_000 });
    expect(checkLww(good.text()).valid).toBe(true);
  });

  it('names a read of a write still pending at the end that was invoked after it', () => {
    const bad = new HistoryBuilder();
    const [r1, r2] = read(bad, 1, 5);
    const w1 = bad.invoke(0, 'write', { key: 'x', value: 5 }, { region: TOKYO });
    expect(checkLww(bad.text()).anomalies).toMatchObject([
      { type: 'future-read', ops: [r1, r2, w1] },
    ]);
  });

  it('calls a read of a failed write invoked after it a phantom', () => {
    const bad = new HistoryBuilder();
    read(bad, 1, 5);
    write(bad, 0, 5, 'fail');
    expect(types(bad.text())).toEqual(['phantom-value']);
  });
});

describe('lost-write', () => {
  it('names a final value overwritten by a later ok write, and passes overlapping writes', () => {
    const bad = new HistoryBuilder();
    const [a1, a2] = write(bad, 0, 1, 'ok', TOKYO);
    const [b1, b2] = write(bad, 1, 2, 'ok', OSAKA);
    const [tokyo, osaka] = finals(bad, 1, 1);
    const result = checkLww(bad.text());
    expect(result.anomalies).toMatchObject([
      { type: 'lost-write', ops: [a1, a2, b1, b2, tokyo], region: TOKYO, lostValue: 2 },
      { type: 'lost-write', ops: [a1, a2, b1, b2, osaka], region: OSAKA },
    ]);
    expect(result.anomalies[0]!.message).toContain('should have won under last-writer-wins');

    const good = new HistoryBuilder();
    good.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
    good.invoke(1, 'write', { key: 'x', value: 2 }, { region: OSAKA });
    good.ok(0, 'write', undefined, { region: TOKYO });
    good.ok(1, 'write', undefined, { region: OSAKA });
    finals(good, 1, 1);
    expect(checkLww(good.text()).valid).toBe(true);
  });

  it('names a final init value when an ok write exists, and passes it when that write is info', () => {
    const bad = new HistoryBuilder();
    const init = bad.init({ registers: { x: 0 } });
    const [w1, w2] = write(bad, 0, 1);
    const [tokyo] = finals(bad, 0, 0);
    expect(checkLww(bad.text()).anomalies[0]).toMatchObject({
      type: 'lost-write',
      ops: [init, w1, w2, tokyo],
    });

    const good = new HistoryBuilder();
    good.init({ registers: { x: 0 } });
    write(good, 0, 1, 'info');
    finals(good, 0, 0);
    expect(checkLww(good.text()).valid).toBe(true);
  });

  it('treats an absent register as an init value of null', () => {
    const bad = new HistoryBuilder();
    write(bad, 0, 1);
    finals(bad, null, null);
    expect(types(bad.text())).toEqual(['lost-write', 'lost-write']);
  });
});

describe('clock-anomaly', () => {
  it('names a later write with a smaller ts, and passes an equal ts', () => {
    const bad = new HistoryBuilder();
    const [a1, a2] = write(bad, 0, 1, 'ok', TOKYO, 200);
    const [b1, b2] = write(bad, 1, 2, 'ok', OSAKA, 100);
    finals(bad, 2, 2);
    const result = checkLww(bad.text());
    expect(result.anomalies).toMatchObject([
      { type: 'clock-anomaly', ops: [a1, a2, b1, b2], earlier: { ts: 200 }, later: { ts: 100 } },
    ]);

    const tie = new HistoryBuilder();
    write(tie, 0, 1, 'ok', TOKYO, 200);
    write(tie, 1, 2, 'ok', OSAKA, 200);
    finals(tie, 2, 2);
    expect(checkLww(tie.text()).valid).toBe(true);
  });

  it('passes a smaller ts on a write that overlapped the other', () => {
    const good = new HistoryBuilder();
    good.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
    good.invoke(1, 'write', { key: 'x', value: 2 }, { region: OSAKA });
    good.ok(0, 'write', { ts: 200 }, { region: TOKYO });
    good.ok(1, 'write', { ts: 100 }, { region: OSAKA });
    finals(good, 1, 1);
    expect(checkLww(good.text()).valid).toBe(true);
  });

  it('treats an ack and an invoke at the same nanosecond as concurrent', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO, timeNs: 0 });
    h.ok(0, 'write', { ts: 200 }, { region: TOKYO, timeNs: 5 });
    h.invoke(1, 'write', { key: 'x', value: 2 }, { region: OSAKA, timeNs: 5 });
    h.ok(1, 'write', { ts: 100 }, { region: OSAKA, timeNs: 9 });
    expect(checkLww(h.text()).valid).toBe(true);
  });
});

describe('divergence', () => {
  it('names regions that disagree once per key, and passes agreement', () => {
    const bad = new HistoryBuilder();
    bad.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
    bad.invoke(1, 'write', { key: 'x', value: 2 }, { region: OSAKA });
    bad.ok(0, 'write', undefined, { region: TOKYO });
    bad.ok(1, 'write', undefined, { region: OSAKA });
    const [tokyo, osaka] = finals(bad, 1, 2);
    const result = checkLww(bad.text());
    expect(result.anomalies).toMatchObject([
      { type: 'divergence', ops: [tokyo, osaka], key: 'x', values: { [TOKYO]: 1, [OSAKA]: 2 } },
    ]);
    expect(result.anomalies[0]!.message).toContain(`${TOKYO} has 1, ${OSAKA} has 2`);

    const good = new HistoryBuilder();
    good.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
    good.invoke(1, 'write', { key: 'x', value: 2 }, { region: OSAKA });
    good.ok(0, 'write', undefined, { region: TOKYO });
    good.ok(1, 'write', undefined, { region: OSAKA });
    finals(good, 2, 2);
    expect(checkLww(good.text()).valid).toBe(true);
  });

  it('does not judge a key a region did not list', () => {
    const h = new HistoryBuilder();
    write(h, 0, 1);
    h.final('final-read', { registers: { x: 1 } }, { region: TOKYO });
    h.final('final-read', { registers: {} }, { region: OSAKA });
    expect(checkLww(h.text()).valid).toBe(true);
  });
});

describe('the catalogue example in docs/anomalies/lww.md', () => {
  it('gives the anomalies the page says', () => {
    const page = readFileSync(new URL('../../../docs/anomalies/lww.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(page)?.[1];
    expect(example).toBeDefined();
    const result = checkLww(example ?? '');
    expect(result.anomalies.map((a) => [a.type, a.ops])).toEqual([
      ['clock-anomaly', [1, 2, 3, 4]],
      ['lost-write', [1, 2, 3, 4, 5]],
      ['lost-write', [1, 2, 3, 4, 6]],
    ]);
  });
});
