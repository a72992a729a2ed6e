/**
 * One simulator run into a fresh run directory: the history written as the run goes, then the
 * checkers, results.json, run.json (everything `paychaos replay` needs to run it again), and
 * `<out>/latest`. Shared by `paychaos run` and `paychaos replay`.
 */
import { performance } from 'node:perf_hooks';
import { checkHistoryFile, TIMEOUT_S_DEFAULT } from '../checkers/check-session.ts';
import { CHECKERS } from '../checkers/registry.ts';
import type { Results } from '../checkers/verdict.ts';
import { HistoryWriter } from '../history/writer.ts';
import { writeReport } from '../reports/write-report.ts';
import type { ResolvedScenario } from '../scenarios/resolved-scenario.ts';
import { runSimulation, type SimProgress } from '../targets/sim/run-simulation.ts';
import { createRunDir, pointLatestAt, type RunDir, writeJsonAtomically } from './run-dir.ts';
import { PAYCHAOS_VERSION } from './version.ts';

export interface SimRunRequest {
  scenario: ResolvedScenario;
  seed: number;
  /** The scenario file it came from, for run.json and the reproduce line. */
  file: string;
  out: string;
  /** A replay leaves `<out>/latest` on the run it replays: it checks that run, it is not a new one. */
  leaveLatest?: boolean;
  onProgress?: (progress: SimProgress) => void;
}

/** What run.json holds; `paychaos replay` reads it back. */
export interface RunRecord {
  scenario: string;
  file: string;
  seed: number;
  target: 'sim';
  load: 'node';
  bugs: string[];
  startedAt: string;
  wallMs: number;
  simulatedMs: number;
  ops: Record<string, number>;
  lostCommits: number;
  version: string;
  node: string;
  resolvedScenario: ResolvedScenario;
}

export async function executeSimRun(
  request: SimRunRequest,
): Promise<{ runDir: RunDir; results: Results }> {
  const { scenario, seed, file, out } = request;
  const startedAt = new Date();
  const runDir = createRunDir(out, scenario.name, seed, startedAt);
  const history = new HistoryWriter(runDir.historyFile);
  const startedMs = performance.now();
  let outcome: Awaited<ReturnType<typeof runSimulation>>;
  try {
    outcome = await runSimulation({
      scenario,
      seed,
      history,
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
  } finally {
    history.close();
    if (process.stderr.isTTY === true) process.stderr.write('\r\x1b[K');
  }
  const wallMs = performance.now() - startedMs;
  const results = checkHistoryFile(runDir.historyFile, {
    checkers: CHECKERS,
    timeoutS: TIMEOUT_S_DEFAULT,
  });
  writeJsonAtomically(runDir.resultsFile, results);
  const record: RunRecord = {
    scenario: scenario.name,
    file,
    seed,
    target: 'sim',
    load: 'node',
    bugs: scenario.bank.bugs,
    startedAt: startedAt.toISOString(),
    wallMs: Math.round(wallMs),
    simulatedMs: outcome.simulatedMs,
    ops: { written: history.opsWritten, ...outcome.load },
    lostCommits: outcome.lostCommits,
    version: PAYCHAOS_VERSION,
    node: process.version,
    resolvedScenario: scenario,
  };
  writeJsonAtomically(runDir.runJsonFile, record);
  writeRunReport(runDir.dir);
  if (request.leaveLatest !== true) pointLatestAt(out, runDir.dir);
  return { runDir, results };
}

/** A report that cannot be written loses no verdict: the run still exits by its results. */
function writeRunReport(dir: string): void {
  try {
    writeReport(dir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `paychaos run: warning: no report written (${message}); retry with: paychaos report ${dir}\n`,
    );
  }
}
