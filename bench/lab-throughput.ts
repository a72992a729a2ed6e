/**
 * The lab section of the bench: transfers across two regions on `--target local` at offered
 * rates stepped up, in one session of the local target (the lab, the bank, its HTTP services and
 * the replicators, as `paychaos run --target local` has them). Per step: the rate achieved in the
 * steady window (after a warm-up), arrivals dropped at the bound on ops in flight, p50/p99 latency
 * per region (from the intended start, as the load driver measures it), and each process's CPU as
 * a share of one core and as CPU ms per transfer sent, and what is stable under the machine's
 * other load: moto calls per transfer (by caller and command), where the requests' time went (the
 * bank's handling per region, each SQL phase, this process's event-loop delay and GC pauses).
 * First, before any load: each process's CPU at rest, moto calls per second at rest, and the
 * replicator's lag at rest. The session is not healed after the steps (nothing was broken; the
 * projector's backlog is not waited for).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HistoryWriter } from '../history/writer.ts';
import type { DurationSummaryMs } from '../lib/duration-histogram.ts';
import { LoadDriver } from '../load/load-driver.ts';
import { type LoadCounts, type LoadStatsRow, zeroCounts } from '../load/load-stats.ts';
import { type LocalSession, upLocal } from '../run/targets/local/local-target.ts';
import { loadScenario } from '../scenario-dsl/load-scenario.ts';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import { callsBetween } from '../targets/local/dynamodb-call-counts.ts';
import { labDirs } from '../targets/local/lab.ts';
import { HarnessPauseMonitor, type HarnessPauses } from './harness-pauses.ts';
import { cpuShares, sampleCpuMs } from './lab-cpu.ts';
import { type LagAtRest, measureLagAtRest } from './lab-lag.ts';

const NS_PER_MS = 1_000_000;
/** Each step: a warm-up not counted, then the steady window counted. */
const WARMUP_MS = 5_000;
const STEADY_MS = 15_000;
/** After a step's arrivals end: its requests in flight finish (the client timeout is 2 s). */
const DRAIN_MS = 3_000;
/** The bound on ops in flight: arrivals beyond it are dropped, never queued. */
const OPS_IN_FLIGHT_MAX = 256;
const LAG_SAMPLES = 20;
/** The window over which the lab's CPU and calls at rest are measured, before any load. */
const REST_MS = 10_000;

export interface LabStep {
  offeredPerSec: number;
  /** Completed (ok or a business rejection) per second, of the arrivals in the steady window. */
  achievedPerSec: number;
  steady: LoadCounts;
  latencyMs: { region: string; p50: number | null; p99: number | null; max: number | null }[];
  /** Share of one core per process over the steady window, largest first. */
  cpu: [string, number][];
  /** CPU ms per transfer sent in the steady window, per process, largest first. */
  cpuMsPerTransfer: [string, number][];
  /** moto calls per transfer sent, by `caller command`, busiest first. */
  callsPerTransfer: [string, number][];
  /** The bank's own time per request, per region (from its HTTP service's view). */
  handledMs: Record<string, DurationSummaryMs>;
  /** Each region's SQL write transactions, per phase (pool, queue, body, commit). */
  sqlMs: Record<string, Record<string, DurationSummaryMs>>;
  harness: HarnessPauses;
}

export interface LabAtRest {
  /** Share of one core per process with no load, largest first. */
  cpu: [string, number][];
  /** moto calls per second with no load, by `caller command`. */
  callsPerSec: [string, number][];
}

export interface LabThroughput {
  atRest: LabAtRest;
  steps: LabStep[];
  lagAtRest: LagAtRest;
}

function sumCounts(rows: LoadStatsRow[]): LoadCounts {
  const sum = zeroCounts();
  for (const row of rows) {
    for (const name of Object.keys(sum) as (keyof LoadCounts)[]) sum[name] += row[name];
  }
  return sum;
}

function atRate(scenario: ResolvedScenario, offeredPerSec: number): ResolvedScenario {
  const perRegion = offeredPerSec / scenario.regions.length;
  return {
    ...scenario,
    workloads: scenario.workloads.map((workload) => ({
      ...workload,
      opsPerSecByRegion: Object.fromEntries(scenario.regions.map((r) => [r, perRegion])),
    })),
  };
}

export async function benchLabThroughput(ratesPerSec: readonly number[]): Promise<LabThroughput> {
  const base = await loadScenario(join(import.meta.dirname, 'lab-transfers.scenario.ts'));
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-lab-bench-'));
  const session = await upLocal({ scenario: base, seed: base.seed });
  const pauses = new HarnessPauseMonitor();
  try {
    // At rest: before any load (the projector's backlog after the steps would be load).
    const atRest = await measureAtRest(session);
    const lagAtRest = await measureLagAtRest(LAG_SAMPLES);
    const steps: LabStep[] = [];
    for (const offeredPerSec of ratesPerSec) {
      steps.push(await runStep(session, base, offeredPerSec, dir, pauses));
    }
    return { atRest, steps, lagAtRest };
  } finally {
    pauses.stop();
    await session.down();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bank's start-up re-projects every balance (bank/projector.ts): at rest is after it. */
const START_UP_QUIET_MS = 2_000;
const START_UP_MS_MAX = 60_000;

async function waitBankQuiet(session: LocalSession): Promise<void> {
  const calls = session.labBank.dynamoDbCalls;
  const bankCalls = () =>
    Object.entries(calls.snapshot())
      .filter(([key]) => key.startsWith('bank '))
      .reduce((sum, [, n]) => sum + n, 0);
  const startMs = performance.now();
  let last = -1;
  while (bankCalls() !== last || last === 0) {
    if (performance.now() - startMs > START_UP_MS_MAX) {
      throw new Error(`the bank's start-up still writing balances after ${START_UP_MS_MAX} ms`);
    }
    last = bankCalls();
    await session.advance(START_UP_QUIET_MS);
  }
}

async function measureAtRest(session: LocalSession): Promise<LabAtRest> {
  await waitBankQuiet(session);
  const calls = session.labBank.dynamoDbCalls;
  const cpuBefore = sampleCpuMs(labDirs().pidDir);
  const callsBefore = calls.snapshot();
  const startMs = performance.now();
  await session.advance(REST_MS);
  const wallMs = performance.now() - startMs;
  return {
    cpu: cpuShares(cpuBefore, sampleCpuMs(labDirs().pidDir), wallMs),
    callsPerSec: callsBetween(callsBefore, calls.snapshot()).map(([key, n]) => [
      key,
      n / (wallMs / 1000),
    ]),
  };
}

async function runStep(
  session: LocalSession,
  base: ResolvedScenario,
  offeredPerSec: number,
  dir: string,
  pauses: HarnessPauseMonitor,
): Promise<LabStep> {
  const { labBank } = session;
  const scenario = atRate(base, offeredPerSec);
  const startNs = session.clock.nowNs;
  // One history per step: each driver numbers its client processes from 0.
  const history = new HistoryWriter(join(dir, `history-${offeredPerSec}.jsonl`));
  const driver = new LoadDriver(
    { clock: session.clock, prng: session.prng, transport: session.clients, sink: history },
    {
      regions: scenario.regions,
      durationMs: WARMUP_MS + STEADY_MS,
      workloads: scenario.workloads,
      clients: scenario.clients,
      accounts: scenario.bank.accounts.map((account) => account.name),
      opsInFlightMax: OPS_IN_FLIGHT_MAX,
      phaseOf: (timeNs) => ((timeNs - startNs) / NS_PER_MS < WARMUP_MS ? 'warmup' : 'steady'),
    },
  );
  driver.start();
  await session.advance(WARMUP_MS);
  const cpuBefore = sampleCpuMs(labDirs().pidDir);
  const callsBefore = labBank.dynamoDbCalls.snapshot();
  labBank.takeHandledMs();
  labBank.takeSqlWindows();
  pauses.take();
  const steadyStartMs = performance.now();
  await session.advance(STEADY_MS);
  const steadyMs = performance.now() - steadyStartMs;
  const cpu = cpuShares(cpuBefore, sampleCpuMs(labDirs().pidDir), steadyMs);
  const calls = callsBetween(callsBefore, labBank.dynamoDbCalls.snapshot());
  const handledMs = labBank.takeHandledMs();
  const sqlMs = labBank.takeSqlWindows();
  const harness = pauses.take();
  await session.advance(DRAIN_MS);
  driver.stop();
  history.close();
  const rows = driver.stats.table().filter((row) => row.phase === 'steady');
  const steady = sumCounts(rows);
  // Per transfer sent in the window (answered or not: one that timed out was mostly still
  // done): the CPU and calls of the window, whatever arrival they served (in a steady state
  // the two agree). Comparable between runs only where nearly every transfer is answered.
  const sent = Math.max(1, steady.ok + steady.fail + steady.info);
  return {
    offeredPerSec,
    achievedPerSec: (steady.ok + steady.fail) / (STEADY_MS / 1000),
    steady,
    latencyMs: rows.map((row) => ({ region: row.region, ...row.latencyMs })),
    cpu,
    cpuMsPerTransfer: cpu.map(([name, share]) => [name, (share * steadyMs) / sent]),
    callsPerTransfer: calls.map(([key, n]) => [key, n / sent]),
    handledMs,
    sqlMs,
    harness,
  };
}
