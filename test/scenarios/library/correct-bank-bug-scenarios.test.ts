/**
 * Each planted bug's scenario, run with the correct bank (the same scenario with `bugs: []`), is
 * valid on seeds 1..20: what the flagged bank fails is the bug, not the scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedScenario } from '../../../scenarios/resolved-scenario.ts';
import { BUG_SCENARIOS, CORRECT_SEEDS, scenarioLabel } from './support/library.ts';
import { describeResults, loadLibraryScenario, runOnSim, withBugs } from './support/run-library.ts';
import { Timings } from './support/timings.ts';

const timings = new Timings();
afterAll(() =>
  timings.print('correct bank, bug scenarios with bugs: [] (wall time per scenario):'),
);

describe.each(BUG_SCENARIOS.map((entry) => ({ ...entry, label: scenarioLabel(entry.file) })))(
  'the correct bank on $label',
  ({ file, label }) => {
    let scenario: ResolvedScenario;
    beforeAll(async () => {
      scenario = withBugs(await loadLibraryScenario(file), []);
    });

    it.each(CORRECT_SEEDS)('is valid on seed %i', async (seed) => {
      const run = await runOnSim(scenario, seed);
      timings.add(label, run.wallMs);
      expect(describeResults(run.results)).toBe('valid');
      expect(run.results.valid).toBe(true);
    });
  },
);
