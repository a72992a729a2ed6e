/**
 * `npm run bench`: prints the figures recorded in bench/RESULTS.md.
 * - the check of a generated 1,000,000-op bank history against a bare read-split-JSON.parse pass
 *   over the same file, in the same run, as a ratio; peak memory of each;
 * - the linearizable checker over the etcd benchmark: total time and slowest history;
 * - the simulator's speed on region-isolation at its default rates;
 * - explore finding and shrinking the lww-balance-update bug, for fast-check seeds 1..5.
 * Environment: BENCH_OPS (default 1000000), BENCH_RUNS (default 2; the best run of each counts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchExplore } from './explore.ts';
import { generateBankHistory } from './generate-bank-history.ts';
import { benchEtcd } from './linearizable-etcd.ts';
import { benchSimSpeed } from './sim-speed.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT_DIR = join(ROOT, 'bench', 'out');
const CHILD_TIMEOUT_MS = 15 * 60 * 1000;

interface Measured {
  ms: number;
  maxRssKiB: number;
}

function runChild(args: string[], parse: (stdout: string, stderr: string) => Measured): Measured {
  const startedMs = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: CHILD_TIMEOUT_MS,
  });
  const wallMs = performance.now() - startedMs;
  if (child.error !== undefined) throw child.error;
  const measured = parse(child.stdout, child.stderr);
  return { ms: measured.ms > 0 ? measured.ms : wallMs, maxRssKiB: measured.maxRssKiB };
}

function measureBareParse(file: string): Measured {
  return runChild([join('bench', 'bare-parse.ts'), file], (stdout) => {
    const figures = JSON.parse(stdout) as { ms: number; maxRssKiB: number };
    return { ms: figures.ms, maxRssKiB: figures.maxRssKiB };
  });
}

function measureCheck(file: string): Measured & {
  wallMs: number;
  commandMs: number;
  valid: unknown;
} {
  const startedMs = performance.now();
  let valid: unknown = null;
  let commandMs = 0;
  const measured = runChild(
    [join('bench', 'measure-child.ts'), 'check', file, '--json'],
    (stdout, stderr) => {
      const line = stderr.split('\n').find((l) => l.startsWith('PAYCHAOS_BENCH '));
      if (line === undefined)
        throw new Error(`check did not report its figures: ${stderr.slice(0, 500)}`);
      valid = (JSON.parse(stdout) as { valid: unknown }).valid;
      const figures = JSON.parse(line.slice('PAYCHAOS_BENCH '.length)) as {
        maxRssKiB: number;
        commandMs: number;
      };
      commandMs = figures.commandMs;
      return { ms: 0, maxRssKiB: figures.maxRssKiB };
    },
  );
  return { ...measured, wallMs: performance.now() - startedMs, commandMs, valid };
}

function ensureBankHistory(opsCount: number): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `bank-${opsCount}.jsonl`);
  if (existsSync(file)) return file;
  const startedMs = performance.now();
  generateBankHistory({
    file,
    opsCount,
    accountsCount: 100,
    processesCount: 32,
    readFraction: 0.1,
    unknownFraction: 0.01,
    seed: 1,
    regions: ['ap-northeast-1', 'ap-northeast-3'],
  });
  console.log(`generated ${file} in ${((performance.now() - startedMs) / 1000).toFixed(1)} s`);
  return file;
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(0)} MiB`;
}

async function main(): Promise<void> {
  const opsCount = Number(process.env.BENCH_OPS ?? 1_000_000);
  const runs = Number(process.env.BENCH_RUNS ?? 2);
  console.log(
    `paychaos bench — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  );
  const file = ensureBankHistory(opsCount);
  const sizeMiB = statSync(file).size / 2 ** 20;
  let bare: Measured | null = null;
  let check: ReturnType<typeof measureCheck> | null = null;
  for (let run = 0; run < runs; run += 1) {
    const b = measureBareParse(file);
    const c = measureCheck(file);
    if (bare === null || b.ms < bare.ms) bare = b;
    if (check === null || c.wallMs < check.wallMs) check = c;
  }
  if (bare === null || check === null) throw new Error('BENCH_RUNS must be at least 1');
  const ratio = check.wallMs / bare.ms;
  console.log(
    `\n1. check of a ${opsCount}-op bank history (${sizeMiB.toFixed(0)} MiB), best of ${runs}:`,
  );
  console.log(
    `   bare read-split-JSON.parse: ${(bare.ms / 1000).toFixed(2)} s, peak ${mib(bare.maxRssKiB)}`,
  );
  console.log(
    `   paychaos check (whole command): ${(check.wallMs / 1000).toFixed(2)} s, peak ${mib(check.maxRssKiB)}, verdict ${String(check.valid)}`,
  );
  console.log(
    `   ratio check / bare parse: ${ratio.toFixed(2)}x (target <= 1.5x, aim 1.0x; peak memory target < 1024 MiB)`,
  );
  console.log(
    `   (the command's own time, node start-up and exit excluded as in the bare pass: ${(check.commandMs / 1000).toFixed(2)} s, ${(check.commandMs / bare.ms).toFixed(2)}x)`,
  );
  const etcd = await benchEtcd();
  console.log(`\n2. linearizable checker over the etcd benchmark (${etcd.histories} histories):`);
  console.log(
    `   total ${(etcd.totalMs / 1000).toFixed(2)} s (target < 10 s); slowest ${etcd.slowest.name} ${(etcd.slowest.ms / 1000).toFixed(2)} s`,
  );
  const simRuns = Math.max(runs, 3);
  const sim = await benchSimSpeed(simRuns);
  console.log(
    `\n3. simulator speed on ${sim.scenario} at its default rates (best of ${simRuns} seeds):`,
  );
  console.log(
    `   ${(sim.simulatedMs / 1000).toFixed(1)} s simulated in ${(sim.wallMs / 1000).toFixed(2)} s of wall time (${sim.opsWritten} history lines): ${sim.speedup.toFixed(0)}x (target >= 100x)`,
  );
  const explore = await benchExplore();
  console.log(
    `\n4. explore on ${explore.scenario} (fast-check seeds ${explore.searches.map((s) => s.fcSeed).join(', ')}):`,
  );
  for (const search of explore.searches) {
    console.log(
      `   seed ${search.fcSeed}: ${search.found ? 'found' : 'NOT found'} after ${search.runsToViolation} runs, ${search.shrinkRuns} shrink runs, ${search.faults} faults, ${(search.wallMs / 1000).toFixed(2)} s`,
    );
  }
  console.log(
    `   slowest ${(explore.wallMsMax / 1000).toFixed(2)} s, most faults ${explore.faultsMax} (target: within 200 runs, under 60 s, at most 2 faults): ${explore.targetMet ? 'met' : 'NOT met'}`,
  );
  const figures = {
    date: new Date().toISOString(),
    node: process.version,
    opsCount,
    sizeMiB,
    bare,
    check,
    ratio,
    etcd,
    sim,
    explore,
  };
  writeFileSync(join(OUT_DIR, 'latest.json'), `${JSON.stringify(figures, null, 2)}\n`);
}

await main();
