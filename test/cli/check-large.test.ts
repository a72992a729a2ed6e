/**
 * `paychaos check` on a history over the parallel threshold (32 MiB): the real command, its real
 * worker thread, the default plan, against the serial read in this process. Also a line broken
 * deep inside: the same one-line message and exit code as the serial reader gives.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateBankHistory } from '../../bench/generate-bank-history.ts';
import { checkHistoryFile } from '../../checkers/check-session.ts';
import { PARALLEL_PLAN_DEFAULT } from '../../checkers/parallel/parallel-check.ts';
import { CHECKERS } from '../../checkers/registry.ts';
import { HistoryError } from '../../history/history-error.ts';
import { runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-check-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = join(dir, 'history.jsonl');
generateBankHistory({
  file,
  opsCount: 160_000,
  accountsCount: 100,
  processesCount: 32,
  readFraction: 0.1,
  unknownFraction: 0.01,
  seed: 9,
  regions: ['ap-northeast-1', 'ap-northeast-3'],
});

describe('paychaos check on a history read on two cores', () => {
  it('is over the threshold, so the parallel read is what runs', () => {
    expect(readFileSync(file).length).toBeGreaterThan(PARALLEL_PLAN_DEFAULT.minBytes);
  });

  it('prints the results of the serial read', () => {
    const outcome = runCli(['check', file, '--json']);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const serial = checkHistoryFile(file, { checkers: CHECKERS, timeoutS: 60 });
    expect(JSON.parse(outcome.stdout)).toEqual(JSON.parse(JSON.stringify(serial)));
  });

  it('names the same bad line deep in the file, exit 65', () => {
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = Math.floor(lines.length * 0.7);
    lines[at] = (lines[at] as string).replace('"index":', '"index":"x",');
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, lines.join('\n'));
    let serialMessage = '';
    try {
      checkHistoryFile(broken, { checkers: CHECKERS, timeoutS: 60 });
    } catch (error) {
      if (error instanceof HistoryError) serialMessage = error.message;
    }
    expect(serialMessage).toContain(`broken.jsonl:${at + 1}:`);
    const outcome = runCli(['check', broken]);
    expect(outcome.code).toBe(65);
    expect(outcome.stderr.trim()).toBe(serialMessage);
  });
});
