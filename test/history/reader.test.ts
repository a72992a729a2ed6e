import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClientOp, Op } from '../../history/op.ts';
import { readHistory, readHistoryText } from '../../history/reader.ts';
import { HistoryBuilder } from '../support/history-builder.ts';

function collect(text: string, warnings: string[] = []): { ops: Op[]; clientOps: ClientOp[] } {
  const ops: Op[] = [];
  const clientOps: ClientOp[] = [];
  readHistoryText(
    'h.jsonl',
    text,
    { onOp: (op) => ops.push(op), onClientOp: (c) => clientOps.push(c) },
    { onWarning: (w) => warnings.push(w) },
  );
  return { ops, clientOps };
}

function line(fields: Record<string, unknown>): string {
  return `${JSON.stringify(fields)}\n`;
}

describe('history reader', () => {
  it('pairs completions with invokes and reports pending ops as info at the end', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 10, b: 0 } });
    h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 3 });
    h.invoke(1, 'transfer', { id: 't2', from: 'a', to: 'b', amount: 4 });
    h.ok(0, 'transfer');
    h.info(1, 'transfer');
    h.invoke(2, 'deposit', { id: 'd1', account: 'a', amount: 1 });
    const { ops, clientOps } = collect(h.text());
    expect(ops).toHaveLength(6);
    expect(clientOps.map((c) => [c.invoke.index, c.type, c.endNs])).toEqual([
      [1, 'ok', 3_000_000],
      [2, 'info', Number.POSITIVE_INFINITY],
      [5, 'info', Number.POSITIVE_INFINITY],
    ]);
    expect(clientOps[2]!.completion).toBeNull();
  });

  it('names the file, line and field of the first bad line', () => {
    const good = line({ index: 0, time: 0, process: 'setup', type: 'ok', f: 'init', value: {} });
    const bad = line({
      index: 1,
      time: 5,
      process: 0,
      type: 'invoke',
      f: 'transfer',
      value: { id: 't', from: 'a', to: 'b', amount: 1.5 },
    });
    expect(() => collect(good + bad)).toThrow(
      'h.jsonl:2: field "value.amount": expected a non-negative integer amount (minor units), got 1.5',
    );
  });

  it.each([
    [
      { index: 1, time: 0, process: 0, type: 'invoke', f: 'read', value: { key: 'x' } },
      'field "index": expected 0',
    ],
    [
      { index: 0, time: -1, process: 0, type: 'invoke', f: 'read', value: { key: 'x' } },
      'field "time"',
    ],
    [{ index: 0, time: 0, process: 'client', type: 'invoke', f: 'read' }, 'field "process"'],
    [{ index: 0, time: 0, process: 0, type: 'done', f: 'read' }, 'field "type"'],
    [
      { index: 0, time: 0, process: 0, type: 'ok', f: 'read', value: { key: 'x', value: 1 } },
      'no invoke in flight',
    ],
    [
      { index: 0, time: 0, process: 'nemesis', type: 'ok', f: 'start-isolate' },
      'nemesis lines have type "info"',
    ],
    [
      { index: 0, time: 0, process: 'final', type: 'ok', f: 'final-read', value: {} },
      'field "region"',
    ],
  ])('rejects %j', (fields, problem) => {
    expect(() => collect(line(fields))).toThrow(problem);
  });

  it('rejects a second invoke while one is in flight, and an invoke after info', () => {
    const inFlight = new HistoryBuilder();
    inFlight.invoke(0, 'read', { key: 'x' });
    inFlight.invoke(0, 'read', { key: 'x' });
    expect(() => collect(inFlight.text())).toThrow(
      'h.jsonl:2: process 0 invokes read while its read (index 0) is still in flight',
    );
    const afterInfo = new HistoryBuilder();
    afterInfo.invoke(0, 'read', { key: 'x' });
    afterInfo.info(0, 'read');
    afterInfo.invoke(0, 'read', { key: 'x' });
    expect(() => collect(afterInfo.text())).toThrow(
      'h.jsonl:3: process 0 invokes again after an info',
    );
  });

  it('rejects a register completion whose echo disagrees with its invoke, and accepts one without echo', () => {
    const mismatch = new HistoryBuilder();
    mismatch.invoke(0, 'read', { key: 'x' });
    mismatch.ok(0, 'read', { key: 'y', value: null });
    expect(() => collect(mismatch.text())).toThrow(
      'h.jsonl:2: field "value.key": expected "x" (the key of its invoke, index 0), got "y"',
    );
    const written = new HistoryBuilder();
    written.invoke(0, 'write', { key: 'x', value: 1 });
    written.ok(0, 'write', { key: 'x', value: 2, ts: 5 });
    expect(() => collect(written.text())).toThrow('h.jsonl:2: field "value.value": expected 1');
    const bare = new HistoryBuilder();
    bare.invoke(0, 'read', { key: 'x' });
    bare.ok(0, 'read', { value: 3 });
    expect(collect(bare.text()).clientOps).toHaveLength(1);
  });

  it('rejects time going backwards and non-JSON lines', () => {
    const a = line({ index: 0, time: 10, process: 'nemesis', type: 'info', f: 'start-isolate' });
    const b = line({ index: 1, time: 5, process: 'nemesis', type: 'info', f: 'stop-isolate' });
    expect(() => collect(a + b)).toThrow('h.jsonl:2: field "time": 5 ns is earlier');
    expect(() => collect(`${a}{oops\n`)).toThrow('h.jsonl:2: not valid JSON');
  });

  it('drops a torn last line with a warning and keeps everything before it', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'read', { key: 'x' });
    h.ok(0, 'read', { key: 'x', value: null });
    const text = h.text();
    const warnings: string[] = [];
    const { ops } = collect(`${text}{"index":2,"time":3,"proc`, warnings);
    expect(ops).toHaveLength(2);
    expect(warnings).toEqual([expect.stringContaining('h.jsonl:3: dropped a torn last line')]);
  });

  it('refuses a file with no valid line: garbage is bad data, not a torn line', () => {
    const warnings: string[] = [];
    expect(() => collect('this is not a history', warnings)).toThrow(
      'h.jsonl:1: not valid JSON, and no line of the file is: not a history',
    );
    expect(warnings).toEqual([]);
  });

  it.each([
    ['a number past 2^53', '9007199254740993'],
    ['digits an importer kept as text', '"123456789012345678901"'],
  ])('refuses an amount beyond 2^53 with that reason: %s', (_, amount) => {
    const text = `${line({ index: 0, time: 0, process: 0, type: 'invoke', f: 'deposit', value: { id: 'd', account: 'a', amount: 0 } }).replace('"amount":0', `"amount":${amount}`)}`;
    expect(() => collect(text)).toThrow(
      /h\.jsonl:1: field "value\.amount": expected an integer amount \(minor units\) within ±\(2\^53 - 1\)/,
    );
    const balances = line({
      index: 0,
      time: 0,
      process: 'setup',
      type: 'ok',
      f: 'init',
      value: { accounts: { a: 2 ** 60 } },
    });
    expect(() => collect(balances)).toThrow(
      /field "value\.accounts\.a": expected an integer \(minor units\) within ±\(2\^53 - 1\)/,
    );
    expect(() =>
      collect(
        line({
          index: 0,
          time: 0,
          process: 'setup',
          type: 'ok',
          f: 'init',
          value: { accounts: { a: 1.5 } },
        }),
      ),
    ).toThrow(/field "value\.accounts\.a": expected an integer \(minor units\), got 1\.5/);
  });

  it('accepts a complete last line without its newline', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'read', { key: 'x' });
    const warnings: string[] = [];
    expect(collect(h.text().trimEnd(), warnings).ops).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('reads a file across chunk boundaries and multi-byte characters', () => {
    const h = new HistoryBuilder();
    const count = 60_000;
    h.init({ registers: { キー: '円' } });
    for (let i = 0; i < count; i += 1) {
      h.invoke(i, 'write', { key: 'キー', value: `値-${i}-${'ü'.repeat(i % 7)}` });
      h.ok(i, 'write');
    }
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-reader-'));
    const file = join(dir, 'history.jsonl');
    writeFileSync(file, h.text());
    let written = 0;
    const summary = readHistory(file, {
      onOp: () => {},
      onClientOp: (c) => {
        if (c.type === 'ok') written += 1;
      },
    });
    expect(summary.linesCount).toBe(1 + 2 * count);
    expect(written).toBe(count);
  });
});

describe('history reader: values issue 10 allows', () => {
  function readWith(okValue: unknown): string {
    const h = new HistoryBuilder();
    h.invoke(0, 'read', { key: 'x' });
    h.ok(0, 'read', okValue);
    return h.text();
  }

  it('accepts a read whose value is unknown, and refuses one that also has a value', () => {
    expect(collect(readWith({ key: 'x', valueUnknown: true })).ops).toHaveLength(2);
    expect(() => collect(readWith({ key: 'x', valueUnknown: true, value: 1 }))).toThrow(
      'h.jsonl:2: field "value.value": expected no value: the read says its value is unknown, got 1',
    );
    expect(() => collect(readWith({ key: 'x', valueUnknown: false }))).toThrow(
      'h.jsonl:2: field "value.valueUnknown": expected true (the value read is unknown) or no such field, got false',
    );
    expect(() => collect(readWith({ key: 'x' }))).toThrow('field "value.value"');
  });

  it('accepts a null balance in a balances read (nil-balance), nothing else but integers', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'balances', null);
    h.ok(0, 'balances', { balances: { a: null, b: 1 }, consistent: true });
    expect(collect(h.text()).ops).toHaveLength(2);
    const bad = new HistoryBuilder();
    bad.invoke(0, 'balances', null);
    bad.ok(0, 'balances', { balances: { a: '1' }, consistent: true });
    expect(() => collect(bad.text())).toThrow(
      'h.jsonl:2: field "value.balances.a": expected an integer (minor units) or null, got "1"',
    );
  });
});
