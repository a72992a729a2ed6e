import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHistoryFile } from '../../checkers/check-session.ts';
import { CHECKERS } from '../../checkers/registry.ts';
import { QUIET_REPORTER } from '../../run/reporter.ts';
import { RunFailedInDir, runScenario } from '../../run/run-scenario.ts';
import type { Target } from '../../run/target.ts';
import { simTarget } from '../../run/targets/sim/sim-target.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';

const SCENARIO = join(import.meta.dirname, '..', 'cli', 'fixtures', 'short-isolation.ts');
const out = mkdtempSync(join(tmpdir(), 'paychaos-run-scenario-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('runScenario', () => {
  it('writes a run directory without the report or latest when it is not for people', async () => {
    const warnings: string[] = [];
    const { runDir, results, record } = await runScenario({
      target: simTarget,
      scenario: await loadScenario(SCENARIO),
      seed: 5,
      file: (dir) => {
        const file = join(dir.dir, 'scenario.ts');
        writeFileSync(file, '// written before the run starts\n');
        return file;
      },
      out,
      reporter: { ...QUIET_REPORTER, warning: (message) => warnings.push(message) },
      forPeople: false,
    });
    expect(results.valid).toBe(true);
    expect(JSON.parse(readFileSync(runDir.resultsFile, 'utf8'))).toEqual(results);
    expect(JSON.parse(readFileSync(runDir.runJsonFile, 'utf8'))).toMatchObject({
      file: join(runDir.dir, 'scenario.ts'),
      target: 'sim',
      seed: 5,
      lostCommits: record.lostCommits,
    });
    expect(existsSync(join(runDir.dir, 'report.html'))).toBe(false);
    expect(existsSync(join(out, 'latest'))).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('keeps the history of a target that fails to heal, says so in run.json, and judges nothing', async () => {
    const failing: Target = {
      ...simTarget,
      up: async (options) => ({
        ...(await simTarget.up(options)),
        heal: () => Promise.reject(new Error('table balances: replication never quiesced')),
      }),
    };
    const run = runScenario({
      target: failing,
      scenario: await loadScenario(SCENARIO),
      seed: 5,
      file: SCENARIO,
      out,
      reporter: QUIET_REPORTER,
      forPeople: true,
    });
    const failure = await run.then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RunFailedInDir);
    const { runDir } = failure as RunFailedInDir;
    expect((failure as Error).message).toContain(
      'the target failed to heal: table balances: replication never quiesced',
    );
    expect(JSON.parse(readFileSync(runDir.runJsonFile, 'utf8'))).toMatchObject({
      targetFailure: { step: 'heal', reason: 'table balances: replication never quiesced' },
      simulatedMs: null,
    });
    expect(existsSync(runDir.resultsFile)).toBe(false);
    const results = checkHistoryFile(
      runDir.historyFile,
      { checkers: CHECKERS, timeoutS: 60 },
      { onWarning: () => {} },
    );
    expect(results.valid).toBe('unknown');
  });
});
