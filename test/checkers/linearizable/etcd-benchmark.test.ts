import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ETCD_DIR, etcdHistoryNames, runEtcdBenchmark } from '../../../bench/linearizable-etcd.ts';

/** The verdicts listed in the benchmark's README: linearizable yes / no. */
function knownVerdicts(): Map<string, boolean> {
  const readme = readFileSync(join(ETCD_DIR, 'README.md'), 'utf8');
  const verdicts = new Map<string, boolean>();
  for (const match of readme.matchAll(/^\| (etcd_\d+) \| (yes|no) \|$/gm)) {
    verdicts.set(match[1] as string, match[2] === 'yes');
  }
  return verdicts;
}

describe('the etcd linearizability benchmark', () => {
  it('settles every history with its known verdict', () => {
    const verdicts = knownVerdicts();
    const names = etcdHistoryNames();
    expect(names).toHaveLength(102);
    expect(verdicts.size).toBe(102);
    const runs = runEtcdBenchmark();
    const wrong = runs
      .filter((run) => run.valid !== verdicts.get(run.name))
      .map((run) => `${run.name}: got ${run.valid}, known ${verdicts.get(run.name)}`);
    expect(wrong).toEqual([]);
    const totalMs = runs.reduce((sum, run) => sum + run.ms, 0);
    const slowest = runs.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(
      `etcd benchmark: ${runs.length} histories in ${(totalMs / 1000).toFixed(2)} s; slowest ${slowest.name} ${slowest.ms.toFixed(0)} ms`,
    );
  });
});
