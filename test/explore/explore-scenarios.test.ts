import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { searchSchedules } from '../../explore/search.ts';
import { simTarget } from '../../run/targets/sim/sim-target.ts';
import type { BugFlag } from '../../scenario-dsl/bug-flags.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios', 'explore');
const scratchDir = mkdtempSync(join(tmpdir(), 'paychaos-explore-test-'));

afterAll(() => rmSync(scratchDir, { recursive: true, force: true }));

async function search(flag: BugFlag, bugs: readonly BugFlag[], runs: number) {
  const loaded = await loadScenario(join(DIR, `${flag}.ts`));
  const scenario = { ...loaded, bank: { ...loaded.bank, bugs: [...bugs] } };
  return searchSchedules({
    target: simTarget,
    scenario,
    runs,
    fcSeed: 11,
    shrinkStepsMax: 20,
    scratchDir,
  });
}

const CASES: Array<[BugFlag, string[]]> = [
  ['funds-check-on-replica', ['negative-balance']],
  ['failover-without-fencing', ['lost-transfer']],
  ['lww-balance-update', ['ledger-mismatch', 'wrong-total']],
];

describe('the explore scenarios', () => {
  it.each(CASES)(
    '%s: the flagged bank breaks within a few runs, with the anomaly design.md names',
    async (flag, types) => {
      const outcome = await search(flag, [flag], 20);
      if (!outcome.found) throw new Error(`${flag}: no violation in 20 runs`);
      expect(outcome.failing.bank.bugs).toEqual([flag]);
      expect(outcome.failing.faults.length).toBeLessThanOrEqual(2);
      expect(outcome.anomalyTypes).toEqual(expect.arrayContaining(types.slice(0, 1)));
    },
  );

  it.each(CASES)('%s: the correct bank explores clean', async (flag) => {
    const outcome = await search(flag, [], 5);
    expect(outcome).toMatchObject({ found: false, runsDone: 5, unknownRuns: 0 });
  });
});
