import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ETCD_DIR } from '../../../bench/linearizable-etcd.ts';
import { importError, importFile, importText } from './support.ts';

const LOG = [
  '2017-03-13 10:01:30,100{GMT}\tINFO\t[main] jepsen.core - Running test',
  'INFO  jepsen.util - 0\t:invoke\t:write\t3',
  'INFO  jepsen.util - 1   :invoke :cas    [3 4]',
  'INFO  jepsen.util - :nemesis\t:info\t:start\tnil',
  '',
  'INFO  jepsen.util - 0\t:ok\t:write\t3',
  'INFO  jepsen.util - :nemesis\t:info\t:start\t"Cut off {:n1 #{:n2}}"',
  'java.net.SocketTimeoutException: Read timed out',
  '\tat jepsen.util$timeout.invoke(util.clj:10)',
  '2017-03-13 10:01:31,000{GMT}\tINFO\t[jepsen worker 1] jepsen.util: 1\t:info\t:cas\t:timed-out',
  'INFO  jepsen.util - 2\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 2\t:fail\t:read\t:timed-out',
  'INFO  jepsen.util - 2\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 2\t:ok\t:read\t3',
  'INFO  jepsen.util - 6\t:invoke\t:write\t1',
  '',
].join('\n');

describe('import of a Jepsen text log', () => {
  it('keeps op lines, skips the rest, and gives each op 1 ms per input line', () => {
    const { ops, clientOps, format, opsWritten } = importText(LOG, 'jepsen.log');
    expect(format).toBe('text-log');
    expect(opsWritten).toBe(12);
    const lines = ops.map(({ time, process, type, f, value, error }) => [
      time / 1_000_000,
      process,
      type,
      f,
      value,
      error,
    ]);
    expect(lines).toEqual([
      [
        0,
        'setup',
        'ok',
        'init',
        { registers: { register: null }, strong: ['register'] },
        undefined,
      ],
      [2, 0, 'invoke', 'write', { key: 'register', value: 3 }, undefined],
      [3, 1, 'invoke', 'cas', { key: 'register', from: 3, to: 4 }, undefined],
      [4, 'nemesis', 'info', 'start-partition', null, undefined],
      [6, 0, 'ok', 'write', { key: 'register', value: 3 }, undefined],
      [7, 'nemesis', 'info', 'start-partition', 'Cut off {:n1 #{:n2}}', undefined],
      [10, 1, 'info', 'cas', { key: 'register' }, 'timed-out'],
      [11, 2, 'invoke', 'read', { key: 'register' }, undefined],
      [12, 2, 'fail', 'read', { key: 'register' }, 'timed-out'],
      [13, 2, 'invoke', 'read', { key: 'register' }, undefined],
      [14, 2, 'ok', 'read', { key: 'register', value: 3 }, undefined],
      [15, 6, 'invoke', 'write', { key: 'register', value: 1 }, undefined],
    ]);
    expect(clientOps.map((c) => [c.invoke.index, c.type])).toEqual([
      [1, 'ok'],
      [2, 'info'],
      [7, 'fail'],
      [9, 'ok'],
      [11, 'info'],
    ]);
  });

  it('keeps an error written after the value', () => {
    const { ops } = importText(
      'INFO  jepsen.util - 0\t:invoke\t:write\t3\nINFO  jepsen.util - 0\t:fail\t:write\t3\tconnection refused\n',
      'jepsen.log',
    );
    expect(ops[2]).toMatchObject({
      type: 'fail',
      value: { key: 'register', value: 3 },
      error: 'connection refused',
    });
  });

  const cases: [string, string, string][] = [
    [
      'a bad type',
      'INFO  jepsen.util - 0\t:invok\t:read\tnil\n',
      '1: :type must be :invoke, :ok, :fail or :info, got :invok',
    ],
    [
      'a missing f',
      'x\nINFO  jepsen.util - 0\t:invoke\n',
      '2: an op line needs a type and an f, e.g. ":invoke :read nil"',
    ],
    [
      'a value that is not EDN',
      'INFO  jepsen.util - 0\t:invoke\t:write\t[1\n',
      "1: the op's value is not EDN: unexpected end of input inside [ opened on line 1",
    ],
    [
      'a bad cas',
      'INFO  jepsen.util - 0\t:invoke\t:cas\t5\n',
      '1: a :cas value is [from to], got 5',
    ],
    [
      'an invoke while one is in flight',
      'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:invoke\t:read\tnil\n',
      '2: process 0 invokes read while its read (index 1) is still in flight',
    ],
    [
      'no op lines',
      'hello\nworld\n',
      '1: no Jepsen op lines ("jepsen.util - <process> :<type> :<f> <value>")',
    ],
  ];
  for (const [what, text, expected] of cases) {
    it(`refuses ${what}, naming the line`, () => {
      const { file, error } = importError(text, 'jepsen.log');
      expect(error.message).toBe(`${file}:${expected}`);
    });
  }
});

describe('the etcd benchmark logs', () => {
  const logs = readdirSync(ETCD_DIR).filter((name) => name.endsWith('.log'));

  it('has its 102 logs', () => {
    expect(logs).toHaveLength(102);
  });

  it('imports every log to a history the reader accepts, one op per log line plus init', () => {
    for (const name of logs) {
      const file = join(ETCD_DIR, name);
      const lineCount = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.length > 0).length;
      const { ops, opsWritten, format } = importFile(file);
      expect({ name, format, opsWritten, read: ops.length }).toEqual({
        name,
        format: 'text-log',
        opsWritten: lineCount + 1,
        read: lineCount + 1,
      });
    }
  });
});
