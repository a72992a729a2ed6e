/**
 * Each planted bug's scenario catches its bug: the flagged bank is invalid, with an anomaly
 * design.md names for the flag, on at least 4 of seeds 1..5.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BUG_SCENARIOS, BUG_SEEDS, CAUGHT_SEEDS_MIN, scenarioLabel } from './support/library.ts';
import { loadLibraryScenario, runOnSim } from './support/run-library.ts';
import { Timings } from './support/timings.ts';

const timings = new Timings();
const caughtLines: string[] = [];
afterAll(() => {
  timings.print('flagged banks, bug scenarios (wall time per scenario):');
  console.log(`anomaly types per seed:\n${caughtLines.join('\n')}`);
});

describe.each(BUG_SCENARIOS.map((entry) => ({ ...entry, label: scenarioLabel(entry.file) })))(
  '$label',
  ({ bug, file, anomalies, label }) => {
    it(`plants exactly the bug ${bug}`, async () => {
      const scenario = await loadLibraryScenario(file);
      expect(scenario.bank.bugs).toEqual([bug]);
      expect(scenario.name).toBe(`bug-${bug}`);
    });

    it(`catches it with ${anomalies.join(' or ')} on at least ${CAUGHT_SEEDS_MIN} of seeds ${BUG_SEEDS.join(', ')}`, async () => {
      const scenario = await loadLibraryScenario(file);
      const caughtSeeds: number[] = [];
      for (const seed of BUG_SEEDS) {
        const run = await runOnSim(scenario, seed);
        timings.add(label, run.wallMs);
        const types = run.results.anomalyTypes;
        caughtLines.push(`  ${label} seed ${seed}: ${types.join(', ') || 'none'}`);
        if (run.results.valid === false && types.some((type) => anomalies.includes(type))) {
          caughtSeeds.push(seed);
        }
      }
      expect(
        caughtSeeds.length,
        `caught on seeds [${caughtSeeds.join(', ')}]`,
      ).toBeGreaterThanOrEqual(CAUGHT_SEEDS_MIN);
    });
  },
);
