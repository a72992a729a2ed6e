/**
 * `paychaos explore` without the command line: search the scenario's explore space, and when a
 * run violates an invariant, rerun the shrunk one into a run directory (`<out>/latest` points at
 * it) and write it as a standalone scenario file beside its history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Results } from '../checkers/verdict.ts';
import type { RunReporter } from '../run/reporter.ts';
import type { RunDir } from '../run/run-dir.ts';
import { runScenario } from '../run/run-scenario.ts';
import type { Target } from '../run/target.ts';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import { reproName, writeReproFile } from './repro-file.ts';
import { type SearchOutcome, type SearchProgress, searchSchedules } from './search.ts';

/** The repro scenario file, beside the history of the rerun it reproduces. */
const REPRO_FILE_NAME = 'scenario.ts';

/** Runs spent shrinking before the smallest failure found so far is taken. */
export const SHRINK_STEPS_MAX_DEFAULT = 300;

export interface ExploreRequest {
  target: Target;
  scenario: ResolvedScenario;
  /** The scenario file, for the resume line and the repro's notes. */
  file: string;
  runs: number;
  fcSeed: number;
  path?: string;
  out: string;
  shrinkStepsMax?: number;
  onProgress?: (progress: SearchProgress) => void;
  /** For the rerun of the minimal failing run; the search's own runs are quiet. */
  reporter: RunReporter;
  /** Ends the search early; the smallest failure found so far is still rerun and kept. */
  stop?: AbortSignal;
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
      target: request.target,
      scenario: request.scenario,
      runs: request.runs,
      fcSeed: request.fcSeed,
      ...(request.path === undefined ? {} : { path: request.path }),
      shrinkStepsMax: request.shrinkStepsMax ?? SHRINK_STEPS_MAX_DEFAULT,
      scratchDir,
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
      ...(request.stop === undefined ? {} : { stop: request.stop }),
    });
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
  if (!search.found) return search;
  const failing = { ...search.failing, name: reproName(search.failing.name) };
  const notes = {
    exploredFile: request.file,
    fcSeed: search.fcSeed,
    path: search.path,
    anomalyTypes: search.anomalyTypes,
  };
  // run.json names the file that reproduces the run: the repro, written before the run starts.
  const { runDir, results } = await runScenario({
    target: request.target,
    scenario: failing,
    seed: failing.seed,
    file: (dir) => {
      const reproFile = join(dir.dir, REPRO_FILE_NAME);
      writeReproFile(failing, reproFile, notes);
      return reproFile;
    },
    out: request.out,
    reporter: request.reporter,
    forPeople: true,
  });
  if (results.valid !== false) {
    throw new Error(
      `explore: the shrunk run of ${request.scenario.name} (simulator seed ${failing.seed}) was invalid during the search but is ${String(results.valid)} when rerun: the simulator is not deterministic`,
    );
  }
  return { ...search, failing, runDir, results, reproFile: join(runDir.dir, REPRO_FILE_NAME) };
}
