import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QUIET_REPORTER } from '../../run/reporter.ts';
import { runScenario } from '../../run/run-scenario.ts';
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
});
