/**
 * One run of a resolved scenario on a target into a fresh run directory: the history written as
 * the run goes, then every checker of the registry, results.json, run.json (everything
 * `paychaos replay` needs to run it again), the report, and `<out>/latest`. The one home of a run:
 * `paychaos run`, `replay` and `suite`, and explore's candidates and reruns all come through here.
 */
import { performance } from 'node:perf_hooks';
import { checkHistoryFile, TIMEOUT_S_DEFAULT } from '../checkers/check-session.ts';
import { CHECKERS } from '../checkers/registry.ts';
import type { Results } from '../checkers/verdict.ts';
import { HistoryWriter } from '../history/writer.ts';
import { writeJsonAtomically } from '../lib/atomic-write.ts';
import { writeReport } from '../reports/write-report.ts';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import { type DriveOutcome, driveRun } from './drive-run.ts';
import type { RunReporter } from './reporter.ts';
import { createRunDir, pointLatestAt, type RunDir } from './run-dir.ts';
import type { RunRecord } from './run-record.ts';
import type { Target } from './target.ts';
import { PAYCHAOS_VERSION } from './version.ts';

export interface RunRequest {
  target: Target;
  scenario: ResolvedScenario;
  seed: number;
  /**
   * The scenario file that reproduces the run, for run.json and the reproduce line; or a function
   * that writes one into the fresh run directory before the run starts and returns its path.
   */
  file: string | ((runDir: RunDir) => string);
  /** The run directory goes to `<out>/<scenario>/<UTC time>-seed<N>/`. */
  out: string;
  reporter: RunReporter;
  /** report.html, junit.xml and summary.md, and `<out>/latest`: what a person looks at. */
  forPeople: boolean;
}

export interface RunOutcome {
  runDir: RunDir;
  results: Results;
  record: RunRecord;
}

export async function runScenario(request: RunRequest): Promise<RunOutcome> {
  const { scenario, seed, out } = request;
  const startedAt = new Date();
  const runDir = createRunDir(out, scenario.name, seed, startedAt);
  const file = typeof request.file === 'string' ? request.file : request.file(runDir);
  const history = new HistoryWriter(runDir.historyFile);
  const startedMs = performance.now();
  let driven: DriveOutcome;
  try {
    driven = await driveRun({ ...request, history });
  } finally {
    history.close();
  }
  const wallMs = performance.now() - startedMs;
  const results = checkHistoryFile(
    runDir.historyFile,
    { checkers: CHECKERS, timeoutS: TIMEOUT_S_DEFAULT },
    { onWarning: (message) => request.reporter.warning(message) },
  );
  writeJsonAtomically(runDir.resultsFile, results);
  const record: RunRecord = {
    scenario: scenario.name,
    file,
    seed,
    target: request.target.name,
    load: 'node',
    bugs: scenario.bank.bugs,
    startedAt: startedAt.toISOString(),
    wallMs: Math.round(wallMs),
    simulatedMs: driven.runMs,
    ops: { written: history.opsWritten, ...driven.load },
    lostCommits: driven.lostCommits,
    version: PAYCHAOS_VERSION,
    node: process.version,
    resolvedScenario: scenario,
  };
  writeJsonAtomically(runDir.runJsonFile, record);
  if (request.forPeople) {
    writeRunReport(runDir.dir, request.reporter);
    pointLatestAt(out, runDir.dir);
  }
  return { runDir, results, record };
}

/** A report that cannot be written loses no verdict: the run still exits by its results. */
function writeRunReport(dir: string, reporter: RunReporter): void {
  try {
    writeReport(dir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reporter.warning(`no report written (${message}); retry with: paychaos report ${dir}`);
  }
}
