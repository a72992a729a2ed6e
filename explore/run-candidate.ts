/**
 * One explored run: the candidate's scenario through the run layer, quietly, into a scratch run
 * directory that is deleted once judged (only the minimal failing run is kept, and rerun into a
 * run directory of its own).
 */
import { rmSync } from 'node:fs';
import type { Results } from '../checkers/verdict.ts';
import { QUIET_REPORTER } from '../run/reporter.ts';
import { runScenario } from '../run/run-scenario.ts';
import type { Target } from '../run/target.ts';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';

export async function runCandidate(
  target: Target,
  scenario: ResolvedScenario,
  scratchDir: string,
): Promise<Results> {
  const { runDir, results } = await runScenario({
    target,
    scenario,
    seed: scenario.seed,
    file: `(explored candidate of ${scenario.name})`,
    out: scratchDir,
    reporter: QUIET_REPORTER,
    forPeople: false,
  });
  rmSync(runDir.dir, { recursive: true, force: true });
  return results;
}
