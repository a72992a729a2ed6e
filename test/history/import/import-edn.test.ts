import { describe, expect, it } from 'vitest';
import { importError, importText } from './support.ts';

const INDEPENDENT = `; a jepsen.independent cas-register history, as Jepsen stores it
{:type :invoke, :f :write, :value [0 3], :process 0, :time 100, :index 0}
{:type :invoke, :f :cas, :value [1 [nil 2]], :process 1, :time 200, :index 1}
{:type :invoke, :f :start, :value nil, :process :nemesis, :time 250, :index 2}
{:type :ok, :f :write, :value [0 3], :process 0, :time 300, :index 3}
{:type :info, :f :start, :value "Cut off {:n1 #{:n2}}", :process :nemesis, :time 310, :index 4}
{:type :info, :f :cas, :value [1 [nil 2]], :process 1, :time 400, :index 5, :error :timed-out}
{:type :invoke, :f :read, :value [0 nil], :process 0, :time 500, :index 6}
{:type :ok, :f :read, :value [0 3], :process 0, :time 600, :index 7, :node "n1"}
{:type :invoke, :f :cas, :value ["k2" [3 4]], :process 6, :time 700, :index 8}
{:type :fail, :f :cas, :value ["k2" [3 4]], :process 6, :time 800, :index 9}
{:type :info, :f :kill, :value {:nodes [:n1 :n2]}, :process :nemesis, :time 850, :index 10}
{:type :invoke, :f :read, :value [1 nil], :process 0, :time 900, :index 11}
`;

describe('import of a Jepsen history.edn', () => {
  it('maps independent keys, cas, nemesis ops, info and a pending op, and declares keys strong', () => {
    const { ops, clientOps, format, opsWritten } = importText(INDEPENDENT);
    expect(format).toBe('edn');
    expect(opsWritten).toBe(13);
    expect(ops).toEqual([
      {
        index: 0,
        time: 0,
        process: 'setup',
        type: 'ok',
        f: 'init',
        value: { registers: { '0': null, '1': null, k2: null }, strong: ['0', '1', 'k2'] },
      },
      {
        index: 1,
        time: 100,
        process: 0,
        type: 'invoke',
        f: 'write',
        value: { key: '0', value: 3 },
      },
      {
        index: 2,
        time: 200,
        process: 1,
        type: 'invoke',
        f: 'cas',
        value: { key: '1', from: null, to: 2 },
      },
      {
        index: 3,
        time: 250,
        process: 'nemesis',
        type: 'info',
        f: 'start-partition',
        value: null,
        jepsenType: 'invoke',
      },
      { index: 4, time: 300, process: 0, type: 'ok', f: 'write', value: { key: '0', value: 3 } },
      {
        index: 5,
        time: 310,
        process: 'nemesis',
        type: 'info',
        f: 'start-partition',
        value: 'Cut off {:n1 #{:n2}}',
      },
      {
        index: 6,
        time: 400,
        process: 1,
        type: 'info',
        f: 'cas',
        value: { key: '1', from: null, to: 2 },
        error: 'timed-out',
      },
      { index: 7, time: 500, process: 0, type: 'invoke', f: 'read', value: { key: '0' } },
      {
        index: 8,
        time: 600,
        process: 0,
        type: 'ok',
        f: 'read',
        value: { key: '0', value: 3 },
        node: 'n1',
      },
      {
        index: 9,
        time: 700,
        process: 6,
        type: 'invoke',
        f: 'cas',
        value: { key: 'k2', from: 3, to: 4 },
      },
      {
        index: 10,
        time: 800,
        process: 6,
        type: 'fail',
        f: 'cas',
        value: { key: 'k2', from: 3, to: 4 },
      },
      {
        index: 11,
        time: 850,
        process: 'nemesis',
        type: 'info',
        f: 'kill',
        value: { nodes: ['n1', 'n2'] },
      },
      { index: 12, time: 900, process: 0, type: 'invoke', f: 'read', value: { key: '1' } },
    ]);
    expect(clientOps.map((c) => [c.invoke.index, c.completion?.index ?? null, c.type])).toEqual([
      [1, 4, 'ok'],
      [2, 6, 'info'],
      [7, 8, 'ok'],
      [9, 10, 'fail'],
      [12, null, 'info'],
    ]);
  });

  it('reads a history saved as one vector of op maps the same way', () => {
    const lines = INDEPENDENT.split('\n').filter((l) => l.startsWith('{'));
    const asVector = `[${lines.join('\n ')}]\n`;
    expect(importText(asVector).ops).toEqual(importText(INDEPENDENT).ops);
  });

  it('with --eventual, does not declare the keys strong', () => {
    const { ops } = importText(INDEPENDENT, undefined, true);
    expect(ops[0]?.value).toEqual({ registers: { '0': null, '1': null, k2: null } });
  });

  it('names the one register of a plain history "register", and synthesizes times when absent', () => {
    const { ops } = importText(
      '{:type :invoke, :f :write, :value 1, :process 0}\n' +
        '{:type :invoke, :f :read, :value nil, :process 1}\n' +
        '{:type :ok, :f :write, :value 1, :process 0}\n' +
        '{:type :ok, :f :read, :value nil, :process 1}\n',
    );
    expect(ops.map((op) => [op.time, op.value])).toEqual([
      [0, { registers: { register: null }, strong: ['register'] }],
      [1_000_000, { key: 'register', value: 1 }],
      [2_000_000, { key: 'register' }],
      [3_000_000, { key: 'register', value: 1 }],
      [4_000_000, { key: 'register', valueUnknown: true }],
    ]);
  });

  it('maps a Jepsen bank history to transfers and consistent balances reads', () => {
    const { ops } = importText(
      '{:type :invoke, :f :transfer, :value {:from 0, :to 1, :amount 5}, :process 0, :time 10}\n' +
        '{:type :invoke, :f :read, :value nil, :process 1, :time 20}\n' +
        '{:type :ok, :f :transfer, :value {:from 0, :to 1, :amount 5}, :process 0, :time 30}\n' +
        '{:type :ok, :f :read, :value {0 5, 1 15}, :process 1, :time 40}\n' +
        '{:type :invoke, :f :transfer, :value {:from 1, :to 0, :amount 2}, :process 0, :time 50}\n' +
        '{:type :fail, :f :transfer, :value {:from 1, :to 0, :amount 2}, :process 0, :time 60, :error [:insufficient 1]}\n',
    );
    expect(
      ops.map(({ index, f, type, value, error }) => ({ index, f, type, value, error })),
    ).toEqual([
      {
        index: 0,
        f: 'transfer',
        type: 'invoke',
        value: { id: 't0', from: '0', to: '1', amount: 5 },
        error: undefined,
      },
      { index: 1, f: 'balances', type: 'invoke', value: null, error: undefined },
      {
        index: 2,
        f: 'transfer',
        type: 'ok',
        value: { id: 't0', from: '0', to: '1', amount: 5 },
        error: undefined,
      },
      {
        index: 3,
        f: 'balances',
        type: 'ok',
        value: { balances: { '0': 5, '1': 15 }, consistent: true },
        error: undefined,
      },
      {
        index: 4,
        f: 'transfer',
        type: 'invoke',
        value: { id: 't4', from: '1', to: '0', amount: 2 },
        error: undefined,
      },
      {
        index: 5,
        f: 'transfer',
        type: 'fail',
        value: { id: 't4', from: '1', to: '0', amount: 2 },
        error: '[:insufficient 1]',
      },
    ]);
  });

  it('converts EDN values to JSON: big integers to strings, sets to arrays, tags kept', () => {
    const { ops } = importText(
      '{:type :info, :f :grow, :process :nemesis, :time 1, :value {:big 9007199254740993, :small -9007199254740991, ' +
        ':set #{:a}, :at #inst "2024-01-01T00:00:00Z", :obj #object[Foo 1], :x 1.5, :s sym, :c \\c}, :region :ap-northeast-1}\n',
    );
    expect(ops[0]).toMatchObject({
      f: 'grow',
      region: 'ap-northeast-1',
      value: {
        big: '9007199254740993',
        small: -9007199254740991,
        set: ['a'],
        at: '2024-01-01T00:00:00Z',
        obj: { '#object': ['Foo', 1] },
        x: 1.5,
        s: 'sym',
        c: 'c',
      },
    });
  });
});

describe('import of bad history.edn input names the file and line', () => {
  const cases: [string, string, string][] = [
    [
      'invalid EDN',
      '{:type :invoke, :f :read, :value nil, :process 0}\n{:type :ok :type :ok}\n',
      '2: not valid EDN: duplicate map key :type',
    ],
    [
      'a bad process',
      '{:type :invoke, :f :read, :value nil, :process "p"}\n',
      '1: :process must be a non-negative integer or :nemesis, got "p"',
    ],
    [
      'a bad type',
      '{:type :invok, :f :read, :value nil, :process 0}\n',
      '1: :type must be :invoke, :ok, :fail or :info, got :invok',
    ],
    [
      'a completion without an invoke',
      '\n\n{:type :ok, :f :read, :value 1, :process 3}\n',
      '3: process 3 completes read (ok) with no invoke in flight',
    ],
    [
      'a cas without [from to]',
      '{:type :invoke, :f :cas, :value 5, :process 0}\n',
      '1: a :cas value is [from to], got 5',
    ],
    ['something other than op maps', '[1 2]\n', '1: expected an op map {:type ... :f ...}, got 1'],
    [
      'an :index that goes down',
      '{:type :invoke, :f :read, :value nil, :process 0, :index 5}\n{:type :ok, :f :read, :value nil, :process 0, :index 4}\n',
      '2: :index 4 does not follow 5; ops must be in history order',
    ],
    [
      'a :time on some ops only',
      '{:type :invoke, :f :read, :value nil, :process 0, :time 5}\n{:type :ok, :f :read, :value nil, :process 0}\n',
      '2: this op has no :time although the first op has one; give every op a :time or none',
    ],
    [
      'a negative transfer',
      '{:type :invoke, :f :transfer, :value {:from 0, :to 1, :amount -1}, :process 0}\n',
      '1: field "value.amount": expected a non-negative integer amount (minor units), got -1',
    ],
    [
      'no ops at all',
      '; nothing\n[]\n',
      '1: no ops: expected Jepsen op maps {:type :invoke, :f ..., :process ...}',
    ],
  ];
  for (const [what, text, expected] of cases) {
    it(`refuses ${what}`, () => {
      const { file, error } = importError(text);
      expect(error.message).toBe(`${file}:${expected}`);
    });
  }
});
