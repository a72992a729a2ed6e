import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../support/history-builder.ts';
import { runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-cli-'));

function bankHistory(lost: boolean): string {
  const h = new HistoryBuilder();
  h.init({ accounts: { alice: 1000, bob: 0 } });
  h.invoke(
    0,
    'transfer',
    { id: 't1', from: 'alice', to: 'bob', amount: 300 },
    { region: 'ap-northeast-1' },
  );
  h.ok(0, 'transfer');
  h.nemesis('failover', { cluster: 'ledger', from: 'ap-northeast-1', to: 'ap-northeast-3' });
  const balances = lost ? { alice: 1000, bob: 0 } : { alice: 700, bob: 300 };
  h.final('final-read', { accounts: balances }, { region: 'ap-northeast-1' });
  h.final('final-read', { accounts: balances }, { region: 'ap-northeast-3' });
  const entries = lost
    ? []
    : [
        { tx: 't1', account: 'alice', amount: -300 },
        { tx: 't1', account: 'bob', amount: 300 },
      ];
  h.final('ledger', { entries });
  return h.text();
}

function writeHistory(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const validFile = writeHistory('valid.jsonl', bankHistory(false));
const lostFile = writeHistory('lost.jsonl', bankHistory(true));

describe('paychaos check', () => {
  it('exits 0 with a summary for a valid history', () => {
    const outcome = runCli(['check', validFile]);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`${validFile}: VALID`);
    expect(outcome.stdout).toContain('balance');
  });

  it('exits 1 and names the anomaly for an invalid history', () => {
    const outcome = runCli(['check', lostFile]);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain('INVALID');
    expect(outcome.stdout).toMatch(/lost-transfer x1: .*t1/);
  });

  it('prints the results JSON of design.md with --json', () => {
    const outcome = runCli(['check', lostFile, '--json', '--checker', 'balance']);
    expect(outcome.code).toBe(1);
    const results = JSON.parse(outcome.stdout);
    expect(results.valid).toBe(false);
    expect(Object.keys(results.checkers)).toEqual(['balance']);
    expect(results.anomalyTypes).toContain('lost-transfer');
    const lost = results.checkers.balance.anomalies.find(
      (a: { type: string }) => a.type === 'lost-transfer',
    );
    expect(lost.ops).toEqual(expect.arrayContaining([1, 2]));
  });

  it('writes results.json into a run directory', () => {
    const runDir = join(dir, 'run');
    mkdirSync(runDir);
    writeFileSync(join(runDir, 'history.jsonl'), bankHistory(true));
    expect(runCli(['check', runDir]).code).toBe(1);
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8'));
    expect(results.valid).toBe(false);
    expect(results.anomalyTypes).toContain('lost-transfer');
  });

  it('exits by the worst verdict over several files', () => {
    const outcome = runCli(['check', validFile, lostFile, '--json']);
    expect(outcome.code).toBe(1);
    const payload = JSON.parse(outcome.stdout);
    expect(payload.valid).toBe(false);
    expect(payload.files[validFile].valid).toBe(true);
  });

  it('says unknown (exit 2) when no checker applies', () => {
    const h = new HistoryBuilder();
    h.nemesis('start-isolate', { region: 'ap-northeast-1' });
    const outcome = runCli(['check', writeHistory('nothing.jsonl', h.text())]);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toContain('no checker applies');
  });

  it('gives up with unknown (exit 2) when the time budget runs out', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 10 } });
    for (let p = 0; p < 5000; p += 1) {
      h.invoke(p, 'deposit', { id: `d${p}`, account: 'a', amount: 1 });
      h.ok(p, 'deposit');
    }
    const outcome = runCli([
      'check',
      writeHistory('big.jsonl', h.text()),
      '--timeout',
      '0.000001',
      '--json',
    ]);
    expect(outcome.code).toBe(2);
    const results = JSON.parse(outcome.stdout);
    expect(results.checkers.balance.valid).toBe('unknown');
    expect(results.checkers.balance.error).toContain('time budget');
  });

  it.each([
    [['check', '--frobnicate', 'x'], 64, /^paychaos check: .*--frobnicate/],
    [['check'], 64, /^paychaos check: missing required argument 'history'/],
    [
      ['check', 'x.jsonl', '--checker', 'nope'],
      64,
      /--checker nope: expected one of balance, lww, saga, linearizable/,
    ],
    [
      ['check', 'x.jsonl', '--timeout=-3'],
      64,
      /--timeout: expected a positive number of seconds, got "-3"/,
    ],
    [['check', join(dir, 'missing.jsonl')], 66, /missing.jsonl: no such file or directory/],
    [
      ['check', writeHistory('garbage.jsonl', 'GIF89a not a history')],
      65,
      /garbage\.jsonl:1: not valid JSON, and no line of the file is/,
    ],
    [['frobnicate'], 64, /^paychaos: unknown command 'frobnicate'/],
  ])('rejects %j with exit %i and one line', (args, code, message) => {
    const outcome = runCli(args);
    expect(outcome.code).toBe(code);
    expect(outcome.stderr).toMatch(message);
    expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('names the file and line of a bad history line (exit 65)', () => {
    const text = `${bankHistory(false).split('\n').slice(0, 2).join('\n')}\n{"index":2,"time":1,"process":0,"type":"done","f":"transfer"}\n`;
    const outcome = runCli(['check', writeHistory('bad.jsonl', text)]);
    expect(outcome.code).toBe(65);
    expect(outcome.stderr).toBe(
      `${join(dir, 'bad.jsonl')}:3: field "type": expected "invoke", "ok", "fail" or "info", got "done"\n`,
    );
  });
});
