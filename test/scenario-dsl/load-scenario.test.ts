import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSchedule } from '../../faults/resolve-schedule.ts';
import { loadScenario, ScenarioError } from '../../scenario-dsl/load-scenario.ts';

const FIXTURES = relative(process.cwd(), join(import.meta.dirname, 'fixtures'));
const EXPECTED = 'expected a .ts or .js module whose default export is defineScenario({...})';

async function loadError(path: string): Promise<ScenarioError> {
  try {
    await loadScenario(path);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error(`${path} loaded, but a ScenarioError was expected`);
}

describe('loadScenario', () => {
  it('loads the typed example fixture into a resolved scenario', async () => {
    const scenario = await loadScenario(join(FIXTURES, 'region-isolation.ts'));
    expect(scenario.name).toBe('region-isolation');
    expect(scenario.seed).toBe(42);
    expect(scenario.bank.accounts.map((a) => a.name)).toEqual([
      'alice',
      'bob',
      'merchant-0',
      'merchant-1',
      'merchant-2',
      'merchant-3',
    ]);
    expect(resolveSchedule(scenario.faults, scenario.durationMs).map((a) => [a.atMs, a.f])).toEqual(
      [
        [20_000, 'start-isolate'],
        [25_000, 'failover'],
        [40_000, 'stop-isolate'],
      ],
    );
  });

  it('names the file and field of an invalid scenario', async () => {
    const path = join(FIXTURES, 'invalid-fault-time.ts');
    const error = await loadError(path);
    expect(error.problem).toBe('invalid');
    expect(error.problems).toEqual([
      `${path}: faults[2].at: 75s is after the end of the run (60s)`,
    ]);
    expect(error.message).toBe(error.problems.join('\n'));
  });

  it('says what it expected of a missing file and of a module without a default export', async () => {
    const missing = await loadError(join(FIXTURES, 'absent.ts'));
    expect([missing.problem, missing.problems]).toEqual([
      'missing',
      [`${join(FIXTURES, 'absent.ts')}: no such file; ${EXPECTED}`],
    ]);
    const named = join(FIXTURES, 'no-default-export.ts');
    const noDefault = await loadError(named);
    expect([noDefault.problem, noDefault.problems]).toEqual([
      'invalid',
      [`${named}: has no default export; ${EXPECTED}`],
    ]);
  });

  it('reports a module that throws while loading as one line', async () => {
    const path = join(FIXTURES, 'throws-on-import.ts');
    const error = await loadError(path);
    expect([error.problem, error.problems]).toEqual([
      'invalid',
      [`${path}: could not be loaded: the scenario file itself is broken`],
    ]);
  });

  it('is the complete example docs/scenarios.md shows, word for word', () => {
    const docs = readFileSync(
      join(import.meta.dirname, '..', '..', 'docs', 'scenarios.md'),
      'utf8',
    );
    const fixture = readFileSync(join(FIXTURES, 'region-isolation.ts'), 'utf8');
    const shown = docs
      .split('`test/scenario-dsl/fixtures/region-isolation.ts`:\n\n```ts\n')[1]
      ?.split('```')[0];
    expect(fixture.replace(/\n\/\*\*.*\*\/(?=\nexport default)/, '')).toBe(shown);
  });
});
