/**
 * What a report is made from: a run directory's results.json and run.json (both small), and the
 * path of its history, which is only ever streamed. A directory without run.json (a history
 * imported or checked by hand) still gets a report, titled by the directory's name; one without
 * results.json is checked first, as `paychaos check` would. A real target's lag.jsonl, where
 * there is one, is read whole (history/lag-samples.ts bounds it).
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { TIMEOUT_S_DEFAULT } from '../checkers/check-session.ts';
import { checkHistoryFileParallel } from '../checkers/parallel/parallel-check.ts';
import { CHECKERS } from '../checkers/registry.ts';
import type { Results } from '../checkers/verdict.ts';
import { LAG_FILE, LagFileError, type LagLine, readLagFile } from '../history/lag-samples.ts';

/** The fields of run.json a report reads; every one optional, as older runs may lack some. */
export interface RunInfo {
  scenario?: string;
  file?: string;
  seed?: number;
  target?: string;
  load?: string;
  bugs?: string[];
  startedAt?: string;
  wallMs?: number;
  simulatedMs?: number;
  version?: string;
  resolvedScenario?: { description?: string; hypothesis?: string; regions?: string[] };
}

export interface RunInputs {
  dir: string;
  historyFile: string;
  results: Results;
  run: RunInfo | null;
  /** lag.jsonl's lines; null when the run measured none (every target but aws). */
  lag: LagLine[] | null;
  title: string;
}

/** A run directory a report cannot be made from; `missing` when a file is absent, not bad. */
export class ReportInputError extends Error {
  override name = 'ReportInputError';

  constructor(
    message: string,
    readonly missing: boolean,
  ) {
    super(message);
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new ReportInputError(`${file}: not valid JSON: ${error.message}`, false);
    }
    throw error;
  }
}

function checkResults(file: string, value: unknown): Results {
  const record = value as Partial<Results> | null;
  if (
    typeof record !== 'object' ||
    record === null ||
    typeof record.checkers !== 'object' ||
    record.checkers === null ||
    !(record.valid === true || record.valid === false || record.valid === 'unknown')
  ) {
    throw new ReportInputError(`${file}: expected {"valid", "checkers", "anomalyTypes"}`, false);
  }
  return { anomalyTypes: [], ...record } as Results;
}

function readLag(file: string): LagLine[] | null {
  if (!existsSync(file)) return null;
  try {
    return readLagFile(file);
  } catch (error) {
    if (error instanceof LagFileError) throw new ReportInputError(error.message, false);
    throw error;
  }
}

export function readRunInputs(dirArgument: string): RunInputs {
  if (!existsSync(dirArgument) || !statSync(dirArgument).isDirectory()) {
    throw new ReportInputError(`${dirArgument}: no such run directory`, true);
  }
  // `runs/latest` is a symlink: name the run directory itself, which stays put.
  const dir = realpathSync(resolve(dirArgument));
  const historyFile = join(dir, 'history.jsonl');
  if (!existsSync(historyFile)) {
    throw new ReportInputError(
      `${join(dirArgument, 'history.jsonl')}: missing; not a run directory`,
      true,
    );
  }
  const resultsFile = join(dir, 'results.json');
  const results = existsSync(resultsFile)
    ? checkResults(resultsFile, readJson(resultsFile))
    : checkHistoryFileParallel(historyFile, { checkers: CHECKERS, timeoutS: TIMEOUT_S_DEFAULT });
  const runFile = join(dir, 'run.json');
  const run = existsSync(runFile) ? (readJson(runFile) as RunInfo) : null;
  const title = run?.scenario ?? basename(dir);
  return { dir, historyFile, results, run, lag: readLag(join(dir, LAG_FILE)), title };
}
