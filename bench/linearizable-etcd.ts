/**
 * The etcd linearizability benchmark (test/fixtures/etcd): every history imported with the real
 * Jepsen importer and checked by the linearizable checker alone, timed. Returns the totals for
 * bench/run.ts; the verdicts are asserted by test/checkers/linearizable/etcd-benchmark.test.ts.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkHistoryFile } from '../checkers/check-session.ts';
import type { Validity } from '../checkers/checker.ts';
import { linearizableChecker } from '../checkers/linearizable/linearizable-checker.ts';
import { importJepsen } from '../history/import/import-jepsen.ts';

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

export async function benchEtcd(): Promise<{
  totalMs: number;
  slowest: { name: string; ms: number };
  histories: number;
}> {
  const runs = runEtcdBenchmark();
  let slowest = { name: '', ms: 0 };
  let totalMs = 0;
  for (const run of runs) {
    totalMs += run.ms;
    if (run.ms > slowest.ms) slowest = { name: run.name, ms: run.ms };
  }
  return { totalMs, slowest, histories: runs.length };
}
