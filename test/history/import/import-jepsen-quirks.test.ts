/**
 * What real Jepsen histories hold that a paychaos history would not: times that step back
 * across processes, bank histories without init or without transfers, nil reads and nil
 * balances (issue 10, section 2).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHistoryText } from '../../../checkers/check-session.ts';
import { linearizableChecker } from '../../../checkers/linearizable/linearizable-checker.ts';
import { exportEdn } from '../../../history/export/export-edn.ts';
import { importJepsen } from '../../../history/import/import-jepsen.ts';
import { checkBalance } from '../../checkers/balance/support/run-balance.ts';
import { importFile, importText, inputFile } from './support.ts';

describe('Jepsen :time that steps back across processes', () => {
  it('keeps file order, raises the time 1 ns past the op before, keeps the original, counts', () => {
    const imported = importText(
      '{:type :invoke, :f :write, :value 1, :process 0, :time 100}\n' +
        '{:type :invoke, :f :read, :value nil, :process 1, :time 97}\n' +
        '{:type :ok, :f :write, :value 1, :process 0, :time 101}\n' +
        '{:type :ok, :f :read, :value 1, :process 1, :time 90}\n' +
        '{:type :invoke, :f :read, :value nil, :process 0, :time 200}\n',
    );
    const client = imported.ops.filter((op) => typeof op.process === 'number');
    expect(client.map((op) => [op.time, op.jepsenTime])).toEqual([
      [100, undefined],
      [101, 97],
      [102, 101],
      [103, 90],
      [200, undefined],
    ]);
    expect(imported.timesRaised).toEqual({ count: 3, raisedNsMax: 13, lineFirst: 2 });
  });

  it('counts nothing for a history whose times only go forward or tie', () => {
    const imported = importText(
      '{:type :invoke, :f :read, :value nil, :process 0, :time 5}\n' +
        '{:type :ok, :f :read, :value nil, :process 0, :time 5}\n',
    );
    expect(imported.timesRaised.count).toBe(0);
    expect(imported.ops.every((op) => op.jepsenTime === undefined)).toBe(true);
  });
});

describe('a bank history is told by its reads of account maps, not only by transfers', () => {
  it('imports a read-only bank history as balances reads', () => {
    const { ops } = importText(
      '{:type :invoke, :f :read, :value nil, :process 0, :time 1}\n' +
        '{:type :ok, :f :read, :value {0 10, 1 90}, :process 0, :time 2}\n' +
        '{:type :invoke, :f :read, :value nil, :process 1, :time 3}\n' +
        '{:type :info, :f :read, :value nil, :process 1, :time 4}\n',
    );
    expect(ops.map(({ f, type, value }) => ({ f, type, value }))).toEqual([
      { f: 'balances', type: 'invoke', value: null },
      { f: 'balances', type: 'ok', value: { balances: { '0': 10, '1': 90 }, consistent: true } },
      { f: 'balances', type: 'invoke', value: null },
      { f: 'balances', type: 'info', value: undefined },
    ]);
  });

  it('keeps a register history whose writes and reads are maps a register history', () => {
    const { ops } = importText(
      '{:type :invoke, :f :write, :value {:a 1}, :process 0, :time 1}\n' +
        '{:type :ok, :f :write, :value {:a 1}, :process 0, :time 2}\n' +
        '{:type :invoke, :f :read, :value nil, :process 0, :time 3}\n' +
        '{:type :ok, :f :read, :value {:a 1}, :process 0, :time 4}\n',
    );
    expect(ops.map((op) => op.f)).toEqual(['init', 'write', 'write', 'read', 'read']);
  });

  it('keeps a register history whose reads return numbers a register history', () => {
    const { ops } = importText(
      '{:type :invoke, :f :read, :value nil, :process 0, :time 1}\n' +
        '{:type :ok, :f :read, :value 3, :process 0, :time 2}\n',
    );
    expect(ops.map((op) => op.f)).toEqual(['init', 'read', 'read']);
  });
});

describe("a nil balance in a Jepsen bank read is Jepsen's :nil-balance", () => {
  it('imports the read with a null balance, which the balance checker reports as nil-balance', () => {
    const text =
      '{:type :invoke, :f :read, :value nil, :process 0, :time 1}\n' +
      '{:type :ok, :f :read, :value {0 10, 1 nil}, :process 0, :time 2}\n';
    const { ops, output } = importText(text);
    expect(ops[1]?.value).toEqual({ balances: { '0': 10, '1': null }, consistent: true });
    const result = checkBalance(readFileSync(output, 'utf8'));
    expect(result.anomalies.map((a) => [a.type, a.accounts, a.ops])).toEqual([
      ['nil-balance', ['1'], [0, 1]],
    ]);
  });
});

describe("the test map's accounts as an init", () => {
  it('writes them as the init of a bank history, read-only or not', () => {
    const file = inputFile(
      '{:type :invoke, :f :read, :value nil, :process 0, :time 1}\n' +
        '{:type :ok, :f :read, :value {0 10, 1 90}, :process 0, :time 2}\n',
    );
    const output = `${file}.jsonl`;
    importJepsen(file, output, { accounts: { '0': 100, '1': 0 } });
    const [init, read] = readFileSync(output, 'utf8')
      .split('\n')
      .map((line) => line && JSON.parse(line));
    expect(init).toMatchObject({
      process: 'setup',
      f: 'init',
      value: { accounts: { '0': 100, '1': 0 } },
    });
    expect(read).toMatchObject({ f: 'balances' });
  });

  it('refuses them for an input that has its own init', () => {
    const file = inputFile(
      '{:type :ok, :f :init, :value {:accounts {:a 1}}, :process :setup, :time 0}\n' +
        '{:type :invoke, :f :read, :value nil, :process 0, :time 1}\n',
    );
    expect(() => importJepsen(file, `${file}.jsonl`, { accounts: { a: 1 } })).toThrow(
      `${file}:1: the input has its own init, which declares the accounts; leave out --accounts/--total`,
    );
  });
});

/** A Knossos-style register history: a nil read after the write of 1 was acknowledged. */
const NIL_READ_AFTER_WRITE =
  '{:type :invoke, :f :write, :value 1, :process 0, :time 10}\n' +
  '{:type :ok, :f :write, :value 1, :process 0, :time 20}\n' +
  '{:type :invoke, :f :read, :value nil, :process 1, :time 30}\n' +
  '{:type :ok, :f :read, :value nil, :process 1, :time 40}\n' +
  '{:type :invoke, :f :read, :value nil, :process 1, :time 50}\n' +
  '{:type :ok, :f :read, :value 1, :process 1, :time 60}\n';

function linearizableVerdict(output: string): unknown {
  const results = checkHistoryText('h.jsonl', readFileSync(output, 'utf8'), {
    checkers: [linearizableChecker],
    only: ['linearizable'],
    timeoutS: 30,
  });
  return results.checkers.linearizable?.valid;
}

describe('a nil read is "value unknown" in Jepsen register models', () => {
  it('is imported as a read whose value is unknown by default, which the checker accepts', () => {
    const { ops, output } = importText(NIL_READ_AFTER_WRITE);
    expect(ops[4]?.value).toEqual({ key: 'register', valueUnknown: true });
    expect(linearizableVerdict(output)).toBe(true);
  });

  it('with nilRead "empty" the nil is a value, and reading it after the write is not linearizable', () => {
    const { ops, output } = importFile(inputFile(NIL_READ_AFTER_WRITE), false, {
      nilRead: 'empty',
    });
    expect(ops[4]?.value).toEqual({ key: 'register', value: null });
    expect(linearizableVerdict(output)).toBe(false);
  });

  it('keeps a paychaos export strict: its own init makes "empty" the default', () => {
    const { ops } = importText(
      '{:type :ok, :f :init, :value {:registers {"register" nil}, :strong ["register"]}, :process :setup, :time 0}\n' +
        '{:type :invoke, :f :read, :value nil, :process 0, :time 1}\n' +
        '{:type :ok, :f :read, :value nil, :process 0, :time 2}\n',
    );
    expect(ops[2]?.value).toEqual({ key: 'register', value: null });
  });

  it('survives an export and re-import as unknown (the :value-unknown marker)', () => {
    const { output } = importText(NIL_READ_AFTER_WRITE);
    let text = '';
    exportEdn(output, (chunk) => {
      text += chunk;
    });
    expect(text).toContain(':value-unknown true');
    const again = importText(text);
    expect(again.ops[4]?.value).toEqual({ key: 'register', valueUnknown: true });
    expect(again.ops[4]).not.toHaveProperty('value-unknown');
  });
});
