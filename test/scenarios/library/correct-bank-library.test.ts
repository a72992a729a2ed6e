/**
 * The correct bank passes every scenario of the library on seeds 1..20: whatever the fault, no
 * checker finds an anomaly and none is left unable to judge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedScenario } from '../../../scenarios/resolved-scenario.ts';
import { CORRECT_SEEDS, LIBRARY_FILES, scenarioLabel } from './support/library.ts';
import { describeResults, loadLibraryScenario, runOnSim } from './support/run-library.ts';
import { Timings } from './support/timings.ts';

const timings = new Timings();
afterAll(() => timings.print('correct bank, library scenarios (wall time per scenario):'));

describe.each(LIBRARY_FILES.map((file) => ({ file, label: scenarioLabel(file) })))(
  'the correct bank on $label',
  ({ file, label }) => {
    let scenario: ResolvedScenario;
    beforeAll(async () => {
      scenario = await loadLibraryScenario(file);
    });

    it('plants no bug', () => {
      expect(scenario.bank.bugs).toEqual([]);
    });

    it.each(CORRECT_SEEDS)('is valid on seed %i', async (seed) => {
      const run = await runOnSim(scenario, seed);
      timings.add(label, run.wallMs);
      expect(describeResults(run.results)).toBe('valid');
      expect(run.results.valid).toBe(true);
    });
  },
);
