/**
 * `paychaos check <history.jsonl | run-dir>... [--checker NAME]... [--json] [--timeout S]`:
 * judges each history with every checker whose ops appear (or those named), prints a summary
 * or the results JSON, writes results.json into a run directory, and exits by the worst verdict.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TIMEOUT_S_DEFAULT } from '../../checkers/check-session.ts';
import type { Validity } from '../../checkers/checker.ts';
import { checkHistoryFileParallel } from '../../checkers/parallel/parallel-check.ts';
import { CHECKERS, checkerNames } from '../../checkers/registry.ts';
import { type Results, worstValidity } from '../../checkers/verdict.ts';
import { writeJsonAtomically } from '../../lib/atomic-write.ts';
import { noInputError, usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { CHECK } from '../command-specs.ts';
import { parsePositiveSeconds } from '../parse-flags.ts';
import { progressReporter } from '../progress.ts';
import { formatSummary } from '../summary.ts';

interface CheckTarget {
  source: string;
  historyFile: string;
  /** Set for a run directory: results.json is written there. */
  resultsFile: string | null;
}

function resolveTarget(path: string): CheckTarget {
  if (!existsSync(path)) throw noInputError(`paychaos check: ${path}: no such file or directory`);
  if (statSync(path).isDirectory()) {
    const historyFile = join(path, 'history.jsonl');
    if (!existsSync(historyFile)) {
      throw noInputError(`paychaos check: ${path}: not a run directory (no history.jsonl in it)`);
    }
    return { source: path, historyFile, resultsFile: join(path, 'results.json') };
  }
  return { source: path, historyFile: path, resultsFile: null };
}

function parseCheckerNames(names: string[] | undefined): string[] | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const known = checkerNames();
  for (const name of names) {
    if (!known.includes(name)) {
      throw usageError(`paychaos check: --checker ${name}: expected one of ${known.join(', ')}`);
    }
  }
  return [...new Set(names)];
}

export function runCheck({ values, positionals }: CommandInput<typeof CHECK>): Validity {
  const only = parseCheckerNames(values.checker);
  const timeoutS =
    values.timeout === undefined
      ? TIMEOUT_S_DEFAULT
      : parsePositiveSeconds('check', 'timeout', values.timeout);
  const targets = positionals.map(resolveTarget);
  const all: Record<string, Results> = {};
  for (const target of targets) {
    const progress = progressReporter(
      `checking ${target.source}`,
      statSync(target.historyFile).size,
    );
    const results = checkHistoryFileParallel(
      target.historyFile,
      { checkers: CHECKERS, only, timeoutS },
      { onProgress: progress.update },
    );
    progress.done();
    if (target.resultsFile !== null) writeJsonAtomically(target.resultsFile, results);
    all[target.source] = results;
    if (values.json !== true) process.stdout.write(formatSummary(target.source, results));
  }
  const worst = worstValidity(Object.values(all).map((results) => results.valid));
  if (values.json === true) {
    const payload = targets.length === 1 ? Object.values(all)[0] : { valid: worst, files: all };
    process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
  }
  return worst;
}
