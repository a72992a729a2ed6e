/**
 * The correct bank's suite over a list of scenario files: each must be valid on every seed, with
 * no bug planted (the bug scenarios are run with `bugs: []`). Shared by the test files that split
 * the library so that vitest can run them side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedScenario } from '../../../../scenario-dsl/resolved-scenario.ts';
import { CORRECT_SEEDS, scenarioLabel } from './library.ts';
import { describeResults, loadLibraryScenario, runOnSim, withBugs } from './run-library.ts';
import { Timings } from './timings.ts';

export function correctBankSuite(files: readonly string[], title: string): void {
  const timings = new Timings();
  afterAll(() => timings.print(`${title} (wall time per scenario):`));

  describe.each(files.map((file) => ({ file, label: scenarioLabel(file) })))(
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
}
