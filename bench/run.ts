/**
 * `npm run bench`: prints the figures recorded in bench/RESULTS.md.
 * - the check of a generated 1,000,000-op bank history against a bare read-split-JSON.parse pass
 *   over the same file, in the same run, as a ratio; peak memory of each;
 * - the linearizable checker over the etcd benchmark and over a generated register history (valid,
 *   and with one stale read), each against a bare WGL search over the same parsed ops;
 * - the simulator's speed on region-isolation at its default rates;
 * - explore finding and shrinking the lww-balance-update bug, for fast-check seeds 1..5;
 * - the Node driver and Artillery at the same offered rate against a trivial endpoint and the
 *   local bank (skipped, saying why, without Artillery or the lab's engines).
 * Environment: BENCH_OPS (default 1000000), BENCH_RUNS (default 2; the best run of each counts),
 * - the local lab (section `lab`): `lab up` cold and warm, transfers/s across two regions at
 *   offered rates stepped up, and the replicator's lag at rest (bench/lab-throughput.ts); skipped
 *   with one line when the lab's engines are not provisioned.
 * - a game day's lag.jsonl at its bound (section `lag`): written line by line, then read and summed
 *   up as the report does (bench/lag-file.ts);
 * BENCH_REGISTER_OPS (default 100000), BENCH_ONLY (sections to run, comma-separated: check,
 * linearizable, sim, explore, lab, artillery, lag; default all), BENCH_LAB_RATES (the lab's offered
 * transfers/s, comma-separated; default 50,100,150,200), BENCH_ARTILLERY_RATE and
 * BENCH_ARTILLERY_LAB_RATE (arrivals per second per region; default 250 and 25).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ArtilleryUnavailable } from '../artillery/local-artillery.ts';
import type { DurationSummaryMs } from '../lib/duration-histogram.ts';
import { enginePaths, missingEngines } from '../targets/local/engine-paths.ts';
import { LabUnavailable } from '../targets/local/lab.ts';
import { benchArtilleryVsNode } from './artillery-vs-node.ts';
import { benchExplore } from './explore.ts';
import { generateBankHistory } from './generate-bank-history.ts';
import { benchLabThroughput, type LabStep } from './lab-throughput.ts';
import { benchLabUp } from './lab-up.ts';
import { benchLagFile } from './lag-file.ts';
import { benchEtcd } from './linearizable-etcd.ts';
import { benchRegister } from './linearizable-register.ts';
import type { SideBySide } from './linearizable-search.ts';
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

/** Repeats per history in the side-by-side: the etcd histories are short, so noise dominates. */
const ETCD_REPEATS_MIN = 5;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function sideBySideLine(label: string, run: SideBySide): string {
  const anomaly = run.checker.anomalies[0];
  const window =
    anomaly === undefined
      ? ''
      : `, window of ${(anomaly.windowOps as unknown[]).length} ops${anomaly.windowShrunk === true ? '' : ' (shrinking stopped at its budget)'}`;
  return `   ${label}: checker ${seconds(run.checkerMs)} (verdict ${String(run.checker.valid)}${window}), bare search ${seconds(run.bareMs)} (${run.bare.steps} steps), ratio ${(run.checkerMs / run.bareMs).toFixed(2)}x`;
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(0)} MiB`;
}

async function benchCheck(runs: number): Promise<Record<string, unknown>> {
  const opsCount = Number(process.env.BENCH_OPS ?? 1_000_000);
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
  return { opsCount, sizeMiB, bare, check, ratio };
}

async function benchLinearizable(runs: number): Promise<Record<string, unknown>> {
  const repeats = Math.max(runs, ETCD_REPEATS_MIN);
  const etcd = benchEtcd(repeats);
  console.log(
    `\n2. linearizable checker over the etcd benchmark (${etcd.histories} histories, ${etcd.invalid} invalid; best of ${repeats} per history):`,
  );
  console.log(
    `   checker ${seconds(etcd.checkerMs)}, bare WGL search over the same parsed ops ${seconds(etcd.bareMs)}: ${(etcd.checkerMs / etcd.bareMs).toFixed(2)}x (target <= 1.2x)`,
  );
  console.log(
    `   search steps: checker ${etcd.checkerSteps} (windows included), bare ${etcd.bareSteps}: ${(etcd.checkerSteps / etcd.bareSteps).toFixed(2)}x (steps do not depend on the machine's load)`,
  );
  console.log(
    `   slowest ${etcd.slowest.name}: checker ${seconds(etcd.slowest.checkerMs)}, bare ${seconds(etcd.slowest.bareMs)}; windows not shrunk (budget): ${etcd.windowsNotShrunk.join(', ') || 'none'}; verdicts disagreeing with the bare search: ${etcd.disagreements.join(', ') || 'none'}`,
  );
  const registerOps = Number(process.env.BENCH_REGISTER_OPS ?? 100_000);
  const register = benchRegister(registerOps, runs);
  console.log(
    `\n2b. linearizable checker over a generated ${registerOps}-op register history (8 clients, fresh values; best of ${runs}):`,
  );
  console.log(sideBySideLine('valid', register.valid));
  console.log(sideBySideLine('one stale read', register.stale));
  console.log(
    `   the stale read (index ${register.staleReadIndex}) ${register.staleReadNamed ? 'is' : 'is NOT'} among the anomaly's ops`,
  );
  return {
    etcd,
    register: {
      opsCount: register.opsCount,
      staleReadIndex: register.staleReadIndex,
      staleReadNamed: register.staleReadNamed,
      valid: { checkerMs: register.valid.checkerMs, bareMs: register.valid.bareMs },
      stale: { checkerMs: register.stale.checkerMs, bareMs: register.stale.bareMs },
    },
  };
}

async function benchSim(runs: number): Promise<Record<string, unknown>> {
  const simRuns = Math.max(runs, 3);
  const sim = await benchSimSpeed(simRuns);
  console.log(
    `\n3. simulator speed on ${sim.scenario} at its default rates (best of ${simRuns} seeds):`,
  );
  console.log(
    `   ${(sim.simulatedMs / 1000).toFixed(1)} s simulated in ${(sim.wallMs / 1000).toFixed(2)} s of wall time (${sim.opsWritten} history lines): ${sim.speedup.toFixed(0)}x (target >= 100x); CPU ${(sim.cpuMs / 1000).toFixed(2)} s (${(sim.simulatedMs / sim.cpuMs).toFixed(0)}x)`,
  );
  return { sim };
}

async function benchExploreSection(): Promise<Record<string, unknown>> {
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
  return { explore };
}

const LAB_UPS = 4;

function labRates(): number[] {
  const text = process.env.BENCH_LAB_RATES ?? '50,100,150,200';
  const rates = text.split(',').map(Number);
  if (!rates.every((rate) => Number.isFinite(rate) && rate > 0 && rate <= 10_000)) {
    throw new Error(`BENCH_LAB_RATES: expected rates in 1..10000 ops/s, got "${text}"`);
  }
  return rates;
}

function ms(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(1)} ms`;
}

function shares(cpu: [string, number][]): string {
  return cpu.map(([name, share]) => `${name} ${(share * 100).toFixed(0)}%`).join(', ');
}

function perOp(figures: [string, number][], digits: number): string {
  return figures.map(([name, n]) => `${name} ${n.toFixed(digits)}`).join(', ');
}

function timing(summary: DurationSummaryMs): string {
  return `n ${summary.count} p50 ${ms(summary.p50)} p99 ${ms(summary.p99)} max ${ms(summary.max)}`;
}

function labStepLines(step: LabStep): string[] {
  const { steady, harness } = step;
  const latency = step.latencyMs
    .map((r) => `${r.region} p50 ${ms(r.p50)} p99 ${ms(r.p99)}`)
    .join('; ');
  const cpuMsTotal = step.cpuMsPerTransfer.reduce((sum, [, n]) => sum + n, 0);
  const callsTotal = step.callsPerTransfer.reduce((sum, [, n]) => sum + n, 0);
  const sql = Object.entries(step.sqlMs).map(
    ([region, phases]) =>
      `     SQL at ${region}: ${Object.entries(phases)
        .map(([phase, summary]) => `${phase} ${timing(summary)}`)
        .join('; ')}`,
  );
  return [
    `   offered ${step.offeredPerSec}/s: achieved ${step.achievedPerSec.toFixed(1)}/s (ok ${steady.ok}, rejected ${steady.fail}, unknown ${steady.info} of ${steady.arrivals} arrivals), dropped ${steady.dropped}; ${latency}; CPU of one core: ${shares(step.cpu)}`,
    `     CPU ms per transfer: ${cpuMsTotal.toFixed(2)} (${perOp(step.cpuMsPerTransfer, 2)})`,
    `     moto calls per transfer: ${callsTotal.toFixed(2)} (${perOp(step.callsPerTransfer, 2)})`,
    `     the bank's handling: ${Object.entries(step.handledMs)
      .map(([region, summary]) => `${region} ${timing(summary)}`)
      .join('; ')}`,
    ...sql,
    `     harness: event-loop delay p50 ${ms(harness.loopDelayMs.p50)} p99 ${ms(harness.loopDelayMs.p99)} max ${ms(harness.loopDelayMs.max)}; GC ${harness.gc.count} pauses, ${ms(harness.gc.ms)} in all, longest ${ms(harness.gc.msMax)}; heap ${harness.heapUsedMiB.toFixed(0)} MiB`,
  ];
}

async function benchLab(): Promise<Record<string, unknown>> {
  const missing = missingEngines(enginePaths());
  if (missing.length > 0) {
    console.log(`\n5. the local lab: skipped, ${missing.join('; ')}`);
    return {};
  }
  const rates = labRates();
  const ups = benchLabUp(LAB_UPS);
  console.log(
    `\n5. the local lab (load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}):`,
  );
  console.log(
    `   lab up: cold ${seconds(ups[0]!.inMs)} (wall ${seconds(ups[0]!.wallMs)}), warm ${ups
      .slice(1)
      .map((u) => `${seconds(u.inMs)} (wall ${seconds(u.wallMs)})`)
      .join(', ')} (target warm < 10 s)`,
  );
  const throughput = await benchLabThroughput(rates);
  const { atRest } = throughput;
  console.log(`   at rest, CPU of one core: ${shares(atRest.cpu)}`);
  console.log(`   at rest, moto calls per second: ${perOp(atRest.callsPerSec, 1)}`);
  console.log('   transfers across two regions, 15 s steady after 5 s of warm-up per step:');
  for (const step of throughput.steps) console.log(labStepLines(step).join('\n'));
  const { lagAtRest } = throughput;
  for (const [pair, samples] of Object.entries(lagAtRest.samplesMs)) {
    const sorted = [...samples].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(
      `   replicator lag at rest ${pair} (idle polls ${lagAtRest.poll.intervalMsMin}-${lagAtRest.poll.intervalMsMax} ms apart, ${samples.length} writes): median ${median.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
    );
  }
  console.log(
    `   load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  return { lab: { ups, ...throughput } };
}

function ratio(artillery: number, node: number): string {
  return node === 0 ? (artillery === 0 ? '-' : 'inf') : `${(artillery / node).toFixed(2)}x`;
}

async function benchArtillery(): Promise<Record<string, unknown>> {
  const trivialRatePerRegion = Number(process.env.BENCH_ARTILLERY_RATE ?? 250);
  const labRatePerRegion = Number(process.env.BENCH_ARTILLERY_LAB_RATE ?? 25);
  let figures: Awaited<ReturnType<typeof benchArtilleryVsNode>>;
  try {
    figures = await benchArtilleryVsNode({ trivialRatePerRegion, labRatePerRegion });
  } catch (error) {
    // Artillery and the lab are provisioned by scripts; a machine without them still benches the rest.
    if (!(error instanceof ArtilleryUnavailable || error instanceof LabUnavailable)) throw error;
    console.log(`\n6. Node driver vs Artillery: skipped (${error.message})`);
    return {};
  }
  console.log(
    `\n6. Node driver vs Artillery ${figures.version}, same offered rate, 10 s, transfers, one run:`,
  );
  for (const { target, node, artillery } of figures.comparisons) {
    console.log(`   ${target}, offered ${node.offeredPerSec}/s:`);
    console.log(
      `     sent (first attempts): node ${node.sentPerSec.toFixed(1)}/s, artillery ${artillery.sentPerSec.toFixed(1)}/s: ${ratio(artillery.sentPerSec, node.sentPerSec)}`,
    );
    console.log(
      `     achieved: node ${node.achievedPerSec.toFixed(1)}/s, artillery ${artillery.achievedPerSec.toFixed(1)}/s: ${ratio(artillery.achievedPerSec, node.achievedPerSec)}`,
    );
    console.log(
      `     dropped: node ${node.dropped}, artillery ${artillery.dropped}: ${ratio(artillery.dropped, node.dropped)}`,
    );
    console.log(
      `     p99 attempt latency: node ${node.p99Ms.toFixed(1)} ms, artillery ${artillery.p99Ms.toFixed(1)} ms: ${ratio(artillery.p99Ms, node.p99Ms)} (info: node ${node.info}, artillery ${artillery.info})`,
    );
  }
  return { artillery: figures };
}

async function benchLag(runs: number): Promise<Record<string, unknown>> {
  const lag = benchLagFile(runs);
  console.log(
    `\n7. a game day's lag.jsonl at lag.samplesMax 100,000 (${lag.lines.toLocaleString('en')} lines, ${(lag.bytes / 2 ** 20).toFixed(1)} MiB), best of ${runs}:`,
  );
  console.log(`   written line by line: ${seconds(lag.writeMs)}`);
  console.log(`   read, validated and summed up for the report: ${seconds(lag.reportMs)}`);
  return { lag };
}

const SECTIONS: Record<string, (runs: number) => Promise<Record<string, unknown>>> = {
  check: benchCheck,
  linearizable: benchLinearizable,
  sim: benchSim,
  explore: benchExploreSection,
  lab: benchLab,
  artillery: benchArtillery,
  lag: benchLag,
};

function selectedSections(only: string | undefined): string[] {
  if (only === undefined || only === '') return Object.keys(SECTIONS);
  const names = only.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(name in SECTIONS)) {
      throw new Error(
        `BENCH_ONLY: no section "${name}"; expected some of ${Object.keys(SECTIONS).join(', ')}`,
      );
    }
  }
  return names;
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 2);
  if (!(Number.isSafeInteger(runs) && runs >= 1)) throw new Error('BENCH_RUNS must be at least 1');
  const sections = selectedSections(process.env.BENCH_ONLY);
  console.log(
    `paychaos bench — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  );
  let figures: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
  for (const name of sections)
    figures = {
      ...figures,
      ...(await (SECTIONS[name] as (runs: number) => Promise<Record<string, unknown>>)(runs)),
    };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'latest.json'), `${JSON.stringify(figures, null, 2)}\n`);
}

await main();
