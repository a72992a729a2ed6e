/**
 * The etcd linearizability benchmark (/work/shared/data/etcd): every history through the
 * linearizable checker alone, timed. Returns the totals for bench/run.ts; the verdicts are
 * asserted by test/checkers/linearizable/etcd-benchmark.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkHistoryText } from '../checkers/check-session.ts';
import type { Validity } from '../checkers/checker.ts';
import { linearizableChecker } from '../checkers/linearizable/linearizable-checker.ts';
import { etcdLogToHistory } from '../test/checkers/linearizable/support/etcd-log.ts';

export const ETCD_DIR = '/work/shared/data/etcd';
const TIMEOUT_S = 60;

export interface EtcdRun {
  name: string;
  ms: number;
  valid: Validity;
}

export function etcdHistoryNames(dir = ETCD_DIR): string[] {
  return readdirSync(dir)
    .filter((file) => /^etcd_\d+\.log$/.test(file))
    .map((file) => file.replace(/\.log$/, ''))
    .sort();
}

/** Checks one history; the time covers conversion, reading and checking. */
export function runEtcdHistory(name: string, dir = ETCD_DIR): EtcdRun {
  const startedMs = performance.now();
  const text = etcdLogToHistory(readFileSync(join(dir, `${name}.log`), 'utf8'));
  const results = checkHistoryText(`${name}.jsonl`, text, {
    checkers: [linearizableChecker],
    only: ['linearizable'],
    timeoutS: TIMEOUT_S,
  });
  return { name, ms: performance.now() - startedMs, valid: results.valid };
}

export async function benchEtcd(): Promise<{
  totalMs: number;
  slowest: { name: string; ms: number };
  histories: number;
}> {
  const runs = etcdHistoryNames().map((name) => runEtcdHistory(name));
  let slowest = { name: '', ms: 0 };
  let totalMs = 0;
  for (const run of runs) {
    totalMs += run.ms;
    if (run.ms > slowest.ms) slowest = { name: run.name, ms: run.ms };
  }
  return { totalMs, slowest, histories: runs.length };
}
