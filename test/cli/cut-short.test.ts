/**
 * A simulator run cut before its final state — what Ctrl-C or SIGKILL left before runs sealed
 * their final state — exits 2 (unknown) from `paychaos check` and `paychaos report`, and says why.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryWriter } from '../../history/writer.ts';
import { driveRun } from '../../run/drive-run.ts';
import { QUIET_REPORTER } from '../../run/reporter.ts';
import { simTarget } from '../../run/targets/sim/sim-target.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';
import { runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-cut-short-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runDir = join(dir, 'cut-run');

beforeAll(async () => {
  const loaded = await loadScenario('scenarios/bugs/funds-check-on-replica.ts');
  const scenario = { ...loaded, bank: { ...loaded.bank, bugs: [] } };
  const whole = join(dir, 'whole.jsonl');
  const history = new HistoryWriter(whole);
  try {
    await driveRun({ target: simTarget, scenario, seed: 4, history, reporter: QUIET_REPORTER });
  } finally {
    history.close();
  }
  const lines = readFileSync(whole, 'utf8').split('\n');
  const firstFinal = lines.findIndex((line) => line.includes('"process":"final"'));
  mkdirSync(runDir);
  writeFileSync(join(runDir, 'history.jsonl'), `${lines.slice(0, firstFinal).join('\n')}\n`);
});

describe('a run cut before its final state', () => {
  it('checks unknown, exit 2, and says the run was interrupted', () => {
    const outcome = runCli(['check', join(runDir, 'history.jsonl')]);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout.split('\n')[0]).toMatch(/: UNKNOWN$/);
    expect(outcome.stdout).toMatch(
      /completeness +unknown\n +the history ends before its final state was read: the run was interrupted at 3\d\.\d s \(its last line\)/,
    );
  });

  it('reports unknown, exit 2, with the reason in the summary and the JUnit XML', () => {
    const outcome = runCli(['report', runDir]);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toMatch(/: UNKNOWN\n/);
    expect(readFileSync(join(runDir, 'summary.md'), 'utf8')).toContain(
      'the history ends before its final state was read',
    );
    expect(readFileSync(join(runDir, 'junit.xml'), 'utf8')).toMatch(
      /<testcase [^>]*name="completeness"[^>]*>\s*<error /,
    );
  });
});
