/**
 * One run of a resolved scenario on a target into a fresh run directory: the history written as
 * the run goes, then every checker of the registry, results.json, run.json (everything
 * `paychaos replay` needs to run it again), the report, and `<out>/latest`. The one home of a run:
 * `paychaos run`, `replay` and `suite`, and explore's candidates and reruns all come through here.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkHistoryFile, TIMEOUT_S_DEFAULT } from '../checkers/check-session.ts';
import { CHECKERS } from '../checkers/registry.ts';
import type { Results } from '../checkers/verdict.ts';
import { HistoryWriter } from '../history/writer.ts';
import { writeJsonAtomically } from '../lib/atomic-write.ts';
import { writeReport } from '../reports/write-report.ts';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import { type DriveOutcome, driveRun } from './drive-run.ts';
import { type Interruption, RunAbandoned, type RunInterrupted, reasonOf } from './interruption.ts';
import type { LoadEngine } from './load-engine.ts';
import type { RunReporter } from './reporter.ts';
import { createRunDir, pointLatestAt, type RunDir } from './run-dir.ts';
import type { RunRecord } from './run-record.ts';
import { type Target, TargetFailure } from './target.ts';
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
  /** A replay leaves `<out>/latest` on the run it replays: it checks that run, it is not a new one. */
  leaveLatest?: boolean;
  /** Stops the run early when its signals fire (run/interruption.ts). */
  interruption?: Interruption;
  /** An external load engine (load-engine.ts); none: the Node driver. */
  load?: LoadEngine;
}

export interface RunOutcome {
  runDir: RunDir;
  results: Results;
  record: RunRecord;
}

/**
 * The run gave up before reading its final state (a second signal, or the time to finish ran
 * out): its history and run.json are written, nothing is judged — the caller stops at once.
 * `paychaos check` on the directory judges the history "unknown".
 */
export class RunAbandonedInDir extends Error {
  constructor(
    readonly runDir: RunDir,
    readonly reason: string,
  ) {
    super(`${runDir.dir}: ${reason}`);
    this.name = 'RunAbandonedInDir';
  }
}

/**
 * The target failed to heal: the history and run.json (with `targetFailure`) are written, nothing
 * is judged. `paychaos check` on the directory judges the history "unknown".
 */
export class RunFailedInDir extends Error {
  constructor(
    readonly runDir: RunDir,
    readonly failure: TargetFailure,
  ) {
    super(`${runDir.dir}: ${failure.message}`);
    this.name = 'RunFailedInDir';
  }
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
    driven = await driveRun({
      ...request,
      history,
      logsDir: join(runDir.dir, 'logs'),
      runDir: runDir.dir,
    });
  } catch (error) {
    history.close();
    if (error instanceof TargetFailure) {
      const wallMs = performance.now() - startedMs;
      writeJsonAtomically(runDir.runJsonFile, {
        ...recordOf(request, file, startedAt, wallMs, history, null),
        interrupted: null,
        targetFailure: { step: error.step, reason: error.reason },
      });
      throw new RunFailedInDir(runDir, error);
    }
    if (!(error instanceof RunAbandoned)) throw error;
    const stop = request.interruption?.stop;
    const interrupted: RunInterrupted = {
      signal: stop?.aborted === true ? reasonOf(stop) : error.reason,
      atMs: error.atMs,
      loadCut: error.loadCut,
      outcome: 'abandoned',
      abandonedBecause: error.reason,
    };
    const wallMs = performance.now() - startedMs;
    writeJsonAtomically(runDir.runJsonFile, {
      ...recordOf(request, file, startedAt, wallMs, history, null),
      interrupted,
    });
    throw new RunAbandonedInDir(runDir, error.reason);
  }
  history.close();
  const wallMs = performance.now() - startedMs;
  const results = checkHistoryFile(
    runDir.historyFile,
    { checkers: CHECKERS, timeoutS: TIMEOUT_S_DEFAULT },
    { onWarning: (message) => request.reporter.warning(message) },
  );
  writeJsonAtomically(runDir.resultsFile, results);
  const record: RunRecord = {
    ...recordOf(request, file, startedAt, wallMs, history, driven),
    interrupted: interruptedOf(driven, request.interruption),
  };
  writeJsonAtomically(runDir.runJsonFile, record);
  if (request.forPeople) {
    writeRunReport(runDir.dir, request.reporter);
    if (request.leaveLatest !== true) pointLatestAt(out, runDir.dir);
  }
  return { runDir, results, record };
}

/** run.json but for `interrupted`; `driven` is null when the run gave up before its end. */
function recordOf(
  request: RunRequest,
  file: string,
  startedAt: Date,
  wallMs: number,
  history: HistoryWriter,
  driven: DriveOutcome | null,
): Omit<RunRecord, 'interrupted'> {
  const { scenario } = request;
  return {
    scenario: scenario.name,
    file,
    seed: request.seed,
    target: request.target.name,
    load: request.load?.name ?? 'node',
    ...(request.load === undefined ? {} : { loadVersion: request.load.version() }),
    bugs: scenario.bank.bugs,
    startedAt: startedAt.toISOString(),
    wallMs: Math.round(wallMs),
    simulatedMs: driven?.runMs ?? null,
    ops: { written: history.opsWritten, ...driven?.load },
    lostCommits: driven?.lostCommits ?? null,
    version: PAYCHAOS_VERSION,
    node: process.version,
    resolvedScenario: scenario,
  };
}

/** A signal that came once the load had run out still reached the run: run.json says so. */
function interruptedOf(
  driven: DriveOutcome,
  interruption: Interruption | undefined,
): RunInterrupted | null {
  if (driven.loadCut !== null) {
    return { ...driven.loadCut, loadCut: true, outcome: 'final-state-read' };
  }
  if (interruption?.stop.aborted !== true) return null;
  const signal = reasonOf(interruption.stop);
  return { signal, atMs: driven.runMs, loadCut: false, outcome: 'final-state-read' };
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
