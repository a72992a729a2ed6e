/**
 * `paychaos explore` on scenarios/explore/lww-balance-update.ts, end to end in process (search,
 * shrink, the run directory and the repro file), for several fast-check seeds. The target: each
 * search finds and shrinks the bug within 200 runs, in under 60 s, to at most 2 faults.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exploreScenario } from '../explore/explore-scenario.ts';
import { QUIET_REPORTER } from '../run/reporter.ts';
import { simTarget } from '../run/targets/sim/sim-target.ts';
import { loadScenario } from '../scenario-dsl/load-scenario.ts';

export const EXPLORE_BENCH_RUNS = 200;
export const EXPLORE_BENCH_MS_MAX = 60_000;
export const EXPLORE_BENCH_FAULTS_MAX = 2;

export interface ExploreSearchFigures {
  fcSeed: number;
  found: boolean;
  /** Runs until the first violation. */
  runsToViolation: number;
  shrinkRuns: number;
  faults: number;
  wallMs: number;
}

export interface ExploreBench {
  scenario: string;
  searches: ExploreSearchFigures[];
  wallMsMax: number;
  faultsMax: number;
  /** Every search found, shrank to at most 2 faults, within 200 runs and 60 s. */
  targetMet: boolean;
}

export async function benchExplore(
  fcSeeds: readonly number[] = [1, 2, 3, 4, 5],
): Promise<ExploreBench> {
  const file = join(import.meta.dirname, '..', 'scenarios', 'explore', 'lww-balance-update.ts');
  const scenario = await loadScenario(file);
  const out = mkdtempSync(join(tmpdir(), 'paychaos-bench-explore-'));
  const searches: ExploreSearchFigures[] = [];
  try {
    for (const fcSeed of fcSeeds) {
      const startedMs = performance.now();
      const outcome = await exploreScenario({
        target: simTarget,
        scenario,
        file,
        runs: EXPLORE_BENCH_RUNS,
        fcSeed,
        out,
        reporter: QUIET_REPORTER,
      });
      searches.push({
        fcSeed,
        found: outcome.found,
        runsToViolation: outcome.runsDone,
        shrinkRuns: outcome.found ? outcome.shrinkSteps : 0,
        faults: outcome.found ? outcome.failing.faults.length : 0,
        wallMs: performance.now() - startedMs,
      });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const wallMsMax = Math.max(...searches.map((s) => s.wallMs));
  const faultsMax = Math.max(...searches.map((s) => s.faults));
  const targetMet = searches.every(
    (s) =>
      s.found &&
      s.runsToViolation <= EXPLORE_BENCH_RUNS &&
      s.wallMs < EXPLORE_BENCH_MS_MAX &&
      s.faults <= EXPLORE_BENCH_FAULTS_MAX,
  );
  return { scenario: scenario.name, searches, wallMsMax, faultsMax, targetMet };
}
