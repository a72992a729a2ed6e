/**
 * `paychaos explore` without the command line: search the scenario's explore space, and when a
 * run violates an invariant, rerun the shrunk one into a run directory (`<out>/latest` points at
 * it) and write it as a standalone scenario file beside its history.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Results } from '../checkers/verdict.ts';
import { executeSimRun } from '../cli/execute-sim-run.ts';
import type { RunDir } from '../cli/run-dir.ts';
import { writeJsonAtomically } from '../cli/run-dir.ts';
import type { ResolvedScenario } from '../scenarios/resolved-scenario.ts';
import { reproName, writeReproFile } from './repro-file.ts';
import { type SearchOutcome, type SearchProgress, searchSchedules } from './search.ts';

/** Runs spent shrinking before the smallest failure found so far is taken. */
export const SHRINK_STEPS_MAX_DEFAULT = 300;

export interface ExploreRequest {
  scenario: ResolvedScenario;
  /** The scenario file, for the resume line and the repro's notes. */
  file: string;
  runs: number;
  fcSeed: number;
  path?: string;
  out: string;
  shrinkStepsMax?: number;
  onProgress?: (progress: SearchProgress) => void;
}

/** The search's outcome; when it found a violation, also where the rerun and its repro file are. */
export type ExploreOutcome =
  | Extract<SearchOutcome, { found: false }>
  | (Extract<SearchOutcome, { found: true }> & {
      runDir: RunDir;
      results: Results;
      reproFile: string;
    });

export async function exploreScenario(request: ExploreRequest): Promise<ExploreOutcome> {
  const scratchDir = mkdtempSync(join(tmpdir(), 'paychaos-explore-'));
  let search: Awaited<ReturnType<typeof searchSchedules>>;
  try {
    search = await searchSchedules({
      scenario: request.scenario,
      runs: request.runs,
      fcSeed: request.fcSeed,
      ...(request.path === undefined ? {} : { path: request.path }),
      shrinkStepsMax: request.shrinkStepsMax ?? SHRINK_STEPS_MAX_DEFAULT,
      scratchDir,
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
    });
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
  if (!search.found) return search;
  const failing = { ...search.failing, name: reproName(search.failing.name) };
  const { runDir, results } = await executeSimRun({
    scenario: failing,
    seed: failing.seed,
    file: request.file,
    out: request.out,
  });
  if (results.valid !== false) {
    throw new Error(
      `explore: the shrunk run of ${request.scenario.name} (simulator seed ${failing.seed}) was invalid during the search but is ${String(results.valid)} when rerun: the simulator is not deterministic`,
    );
  }
  const reproFile = join(runDir.dir, 'scenario.ts');
  writeReproFile(failing, reproFile, {
    exploredFile: request.file,
    fcSeed: search.fcSeed,
    path: search.path,
    anomalyTypes: results.anomalyTypes,
  });
  pointRunJsonAt(runDir, reproFile);
  return { ...search, failing, runDir, results, reproFile };
}

/** run.json names the scenario file that reproduces the run: the repro, not the explored one. */
function pointRunJsonAt(runDir: RunDir, reproFile: string): void {
  const record = JSON.parse(readFileSync(runDir.runJsonFile, 'utf8')) as Record<string, unknown>;
  writeJsonAtomically(runDir.runJsonFile, { ...record, file: reproFile });
}
