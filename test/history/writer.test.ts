import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loadHistoryOps } from '../../history/reader.ts';
import { HistoryWriter } from '../../history/writer.ts';

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'paychaos-writer-')), 'history.jsonl');
}

describe('history writer', () => {
  it('assigns indices, validates each op before writing, and round-trips through the reader', () => {
    const file = tempFile();
    const writer = new HistoryWriter(file);
    writer.append({
      time: 0,
      process: 'setup',
      type: 'ok',
      f: 'init',
      value: { accounts: { a: 5 } },
    });
    const invoke = writer.append({
      time: 10,
      process: 0,
      type: 'invoke',
      f: 'deposit',
      value: { id: 'd1', account: 'a', amount: 2 },
      region: 'ap-northeast-1',
    });
    expect(invoke.index).toBe(1);
    expect(() =>
      writer.append({ time: 5, process: 1, type: 'invoke', f: 'read', value: { key: 'x' } }),
    ).toThrow('earlier than the line before');
    expect(() => writer.append({ time: 20, process: 0, type: 'ok', f: 'withdraw' })).toThrow(
      'its op in flight is deposit',
    );
    writer.append({ time: 20, process: 0, type: 'ok', f: 'deposit', extra: 'kept' });
    writer.close();
    const ops = loadHistoryOps(file);
    expect(ops.map((op) => [op.index, op.f, op.type])).toEqual([
      [0, 'init', 'ok'],
      [1, 'deposit', 'invoke'],
      [2, 'deposit', 'ok'],
    ]);
    expect(ops[2]!.extra).toBe('kept');
    expect(readFileSync(file, 'utf8').split('\n')[1]).toMatch(
      /^\{"index":1,"time":10,"process":0,"type":"invoke","f":"deposit"/,
    );
  });

  it('flushes within the flush interval without being closed', async () => {
    const file = tempFile();
    const writer = new HistoryWriter(file, { flushIntervalMs: 100 });
    writer.append({
      time: 0,
      process: 'nemesis',
      type: 'info',
      f: 'start-isolate',
      value: { region: 'ap-northeast-1' },
    });
    expect(readFileSync(file, 'utf8')).toBe('');
    await sleep(250);
    expect(loadHistoryOps(file)).toHaveLength(1);
    writer.close();
  });

  it('loses nothing but the unflushed tail when the process is SIGKILLed', async () => {
    const file = tempFile();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'support/writer-child.ts'), file],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let reported = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = chunk.trim().split('\n');
      reported = Number(lines[lines.length - 1]);
    });
    const deadlineMs = Date.now() + 20_000;
    while (reported < 20_000 && Date.now() < deadlineMs) await sleep(20);
    const reportedBeforeKill = reported;
    await sleep(300);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(reportedBeforeKill).toBeGreaterThanOrEqual(20_000);
    const warnings: string[] = [];
    const ops = loadHistoryOps(file, { onWarning: (w) => warnings.push(w) });
    expect(ops.length).toBeGreaterThanOrEqual(reportedBeforeKill);
    expect(warnings.length).toBeLessThanOrEqual(1);
  });
});
