/**
 * `paychaos import jepsen` as a user runs it on real Jepsen output (issue 10): times that step
 * back warn once; the test map's bank facts become the init; bad flags are one line, exit 64.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-cli-import-'));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A Jepsen bank history of reads only: two snapshot reads whose totals differ. */
const READS_ONLY_BANK = write(
  'bank.edn',
  '{:type :invoke, :f :read, :value nil, :process 0, :time 10}\n' +
    '{:type :ok, :f :read, :value {0 60, 1 40}, :process 0, :time 20}\n' +
    '{:type :invoke, :f :read, :value nil, :process 1, :time 30}\n' +
    '{:type :ok, :f :read, :value {0 60, 1 30}, :process 1, :time 40}\n',
);

describe('paychaos import jepsen', () => {
  it('accepts :time that steps back, with one warning that counts the ops', () => {
    const input = write(
      'backwards.edn',
      '{:type :invoke, :f :write, :value 1, :process 0, :time 100}\n' +
        '{:type :invoke, :f :read, :value nil, :process 1, :time 98}\n' +
        '{:type :ok, :f :write, :value 1, :process 0, :time 99}\n' +
        '{:type :ok, :f :read, :value 1, :process 1, :time 150}\n',
    );
    const output = join(dir, 'backwards.jsonl');
    const outcome = runCli(['import', 'jepsen', input, '-o', output]);
    expect(outcome.code).toBe(0);
    const warnings = outcome.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    expect(warnings).toEqual([
      `warning: ${input}:2: 2 op(s) had a :time earlier than the op before; kept in file order, each raised to 1 ns after the op before (by up to 3 ns; the original in "jepsenTime")`,
    ]);
    expect(runCli(['check', output]).code).toBe(0);
  });

  it('--accounts/--total write the init, and check judges totals from it', () => {
    const output = join(dir, 'bank.jsonl');
    const outcome = runCli([
      'import',
      'jepsen',
      READS_ONLY_BANK,
      '-o',
      output,
      '--accounts',
      '0,1',
      '--total',
      '100',
    ]);
    expect(outcome.code).toBe(0);
    const [init] = readFileSync(output, 'utf8').split('\n');
    expect(JSON.parse(init as string)).toMatchObject({
      f: 'init',
      value: { accounts: { '0': 100, '1': 0 } },
    });
    const check = runCli(['check', output, '--json']);
    expect(check.code).toBe(1);
    const balance = JSON.parse(check.stdout).checkers.balance;
    expect(balance.anomalies.map((a: { type: string; ops: number[] }) => [a.type, a.ops])).toEqual([
      ['wrong-total', [3, 4]],
    ]);
  });

  it('without them, check judges the totals against the first read of every account', () => {
    const output = join(dir, 'bank-no-init.jsonl');
    expect(runCli(['import', 'jepsen', READS_ONLY_BANK, '-o', output]).code).toBe(0);
    const check = runCli(['check', output, '--json']);
    expect(check.code).toBe(1);
    const balance = JSON.parse(check.stdout).checkers.balance;
    expect(balance.anomalies.map((a: { type: string; ops: number[] }) => [a.type, a.ops])).toEqual([
      ['wrong-total', [0, 1, 2, 3]],
    ]);
  });

  it('--nil-read empty reads a nil as a value; the default reads it as unknown', () => {
    const input = write(
      'nil-read.edn',
      '{:type :invoke, :f :write, :value 1, :process 0, :time 10}\n' +
        '{:type :ok, :f :write, :value 1, :process 0, :time 20}\n' +
        '{:type :invoke, :f :read, :value nil, :process 1, :time 30}\n' +
        '{:type :ok, :f :read, :value nil, :process 1, :time 40}\n',
    );
    const unknown = join(dir, 'nil-unknown.jsonl');
    const empty = join(dir, 'nil-empty.jsonl');
    expect(runCli(['import', 'jepsen', input, '-o', unknown]).code).toBe(0);
    expect(runCli(['import', 'jepsen', input, '-o', empty, '--nil-read', 'empty']).code).toBe(0);
    expect(runCli(['check', unknown]).code).toBe(0);
    expect(runCli(['check', empty]).code).toBe(1);
  });

  const bad: [string[], string][] = [
    [['--total', '100'], 'paychaos import: --total needs --accounts'],
    [['--accounts', '0,1'], 'paychaos import: --accounts without balances needs --total N'],
    [
      ['--accounts', '0,1', '--total', '1e3'],
      'paychaos import: --total: expected an integer (minor units), got 1e3',
    ],
    [
      ['--accounts', 'a=1,b=2', '--total', '4'],
      'paychaos import: --total 4 is not the sum of --accounts (3)',
    ],
    [
      ['--accounts', 'a=1,b'],
      'paychaos import: --accounts: give every account a balance (a=10,b=90) or none (a,b with --total), got a=1,b',
    ],
  ];
  for (const [flags, message] of bad) {
    it(`refuses ${flags.join(' ')} in one line, exit 64`, () => {
      const outcome = runCli([
        'import',
        'jepsen',
        READS_ONLY_BANK,
        '-o',
        join(dir, 'x.jsonl'),
        ...flags,
      ]);
      expect(outcome.code).toBe(64);
      expect(outcome.stderr).toBe(`${message}\n`);
    });
  }
});
