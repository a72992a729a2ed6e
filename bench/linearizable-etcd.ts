/**
 * The etcd linearizability benchmark (test/fixtures/etcd): every history imported with the real
 * Jepsen importer and checked by the linearizable checker alone. For bench/run.ts, the checker's
 * own time set against a bare search over the same parsed ops (linearizable-search.ts); the
 * verdicts are asserted by test/checkers/linearizable/etcd-benchmark.test.ts.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkHistoryFile } from '../checkers/check-session.ts';
import type { Validity } from '../checkers/checker.ts';
import { linearizableChecker } from '../checkers/linearizable/linearizable-checker.ts';
import { importJepsen } from '../history/import/import-jepsen.ts';
import { type SideBySide, sideBySide } from './linearizable-search.ts';
import { recordHistory } from './recorded-history.ts';

export const ETCD_DIR = join(import.meta.dirname, '..', 'test', 'fixtures', 'etcd');
const TIMEOUT_S = 60;

export interface EtcdRun {
  name: string;
  /** Time to check the imported history (the import itself is not counted). */
  ms: number;
  valid: Validity;
}

export function etcdHistoryNames(dir = ETCD_DIR): string[] {
  return readdirSync(dir)
    .filter((file) => /^etcd_\d+\.log$/.test(file))
    .map((file) => file.replace(/\.log$/, ''))
    .sort();
}

/** Imports one history into `workDir` and checks it. */
export function runEtcdHistory(name: string, workDir: string, dir = ETCD_DIR): EtcdRun {
  const historyFile = join(workDir, `${name}.jsonl`);
  importJepsen(join(dir, `${name}.log`), historyFile, {});
  const startedMs = performance.now();
  const results = checkHistoryFile(historyFile, {
    checkers: [linearizableChecker],
    only: ['linearizable'],
    timeoutS: TIMEOUT_S,
  });
  return { name, ms: performance.now() - startedMs, valid: results.valid };
}

export function runEtcdBenchmark(): EtcdRun[] {
  const workDir = mkdtempSync(join(tmpdir(), 'paychaos-etcd-'));
  try {
    return etcdHistoryNames().map((name) => runEtcdHistory(name, workDir));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

export interface EtcdBench {
  histories: number;
  checkerMs: number;
  bareMs: number;
  /** Search steps over every history: the checker's (windows included) and the bare search's. */
  checkerSteps: number;
  bareSteps: number;
  /** Histories where the checker and the bare search disagree (must be none). */
  disagreements: string[];
  invalid: number;
  /** Failing histories whose window shrinking stopped at its budget. */
  windowsNotShrunk: string[];
  slowest: { name: string; checkerMs: number; bareMs: number };
}

function windowShrunk(run: SideBySide): boolean {
  return run.checker.anomalies.every((anomaly) => anomaly.windowShrunk === true);
}

export function benchEtcd(repeats: number): EtcdBench {
  const workDir = mkdtempSync(join(tmpdir(), 'paychaos-etcd-'));
  const runs: SideBySide[] = [];
  try {
    for (const name of etcdHistoryNames()) {
      const historyFile = join(workDir, `${name}.jsonl`);
      importJepsen(join(ETCD_DIR, `${name}.log`), historyFile, {});
      runs.push(sideBySide(name, recordHistory(historyFile), repeats));
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const slowest = runs.reduce((a, b) => (b.checkerMs > a.checkerMs ? b : a));
  return {
    histories: runs.length,
    checkerMs: runs.reduce((sum, run) => sum + run.checkerMs, 0),
    bareMs: runs.reduce((sum, run) => sum + run.bareMs, 0),
    checkerSteps: runs.reduce((sum, run) => sum + Number(run.checker.stats.searchSteps), 0),
    bareSteps: runs.reduce((sum, run) => sum + run.bare.steps, 0),
    disagreements: runs
      .filter((run) => run.checker.valid !== run.bare.linearizable)
      .map((run) => run.name),
    invalid: runs.filter((run) => run.checker.valid === false).length,
    windowsNotShrunk: runs.filter((run) => !windowShrunk(run)).map((run) => run.name),
    slowest: { name: slowest.name, checkerMs: slowest.checkerMs, bareMs: slowest.bareMs },
  };
}
