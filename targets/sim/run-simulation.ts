/**
 * One scenario run on the simulator: the reference bank on the simulated stores, the open-model
 * load driver, and the fault schedule, all on one virtual clock and one seeded PRNG, appending to
 * one history as they go. Then every fault is healed, the world settles (replication quiesced, the
 * bank idle), and the final state is read into the history. Same scenario and seed, same bytes.
 */

import { createSimBankWorld, type SimBankWorld } from '../../bank/adapters/sim/sim-bank-world.ts';
import type { BankRequest, BankResponse } from '../../bank/api.ts';
import type { NemesisAction } from '../../faults/nemesis-action.ts';
import { nemesisOpDraft } from '../../faults/nemesis-action.ts';
import { phasesOf } from '../../faults/phases.ts';
import { resolveSchedule } from '../../faults/resolve-schedule.ts';
import {
  END_FINAL_F,
  PLAN_SETUP_F,
  type PlannedRead,
  type PlanValue,
  SLO_SETUP_F,
} from '../../history/op.ts';
import type { HistoryWriter } from '../../history/writer.ts';
import { schedulerClock } from '../../load/clock.ts';
import { loadInitValue } from '../../load/init-value.ts';
import { LoadDriver } from '../../load/load-driver.ts';
import type { LoadCounts } from '../../load/load-stats.ts';
import { registerKeys } from '../../load/registers-generator.ts';
import type { Transport } from '../../load/transport.ts';
import type { ResolvedScenario } from '../../scenarios/resolved-scenario.ts';
import { applyNemesis } from './apply-nemesis.ts';
import { CLIENTS } from './network.ts';

const NS_PER_MS = 1_000_000;
/** Progress is reported every this much virtual time. */
const PROGRESS_STEP_MS = 1_000;
/** Bounds on the phases that wait for the world rather than for the clock. */
const INIT_MS_MAX = 60_000;
const SETTLE_MS_MAX = 300_000;
const FINAL_READ_MS_MAX = 120_000;
/** Ops in flight at once over every workload and region. */
const OPS_IN_FLIGHT_MAX = 10_000;

export interface SimProgress {
  phase: 'setup' | 'load' | 'settle' | 'final-state';
  simulatedMs: number;
  opsPerSec: number;
  faultsActive: string[];
}

export interface SimRunOptions {
  scenario: ResolvedScenario;
  seed: number;
  history: HistoryWriter;
  onProgress?: (progress: SimProgress) => void;
}

export interface SimRunOutcome {
  simulatedMs: number;
  load: LoadCounts;
  lostCommits: number;
}

function simTransport(world: SimBankWorld): Transport {
  const probe: BankRequest = { kind: 'balances', accounts: [], consistent: false };
  return {
    send: (region, request): Promise<BankResponse> =>
      world.network.request(CLIENTS, region, () => world.bank.endpoint(region).handle(request)),
    probe: (region) =>
      world.network
        .request(CLIENTS, region, () => world.bank.endpoint(region).handle(probe))
        .then((response) => response.outcome === 'ok'),
  };
}

/** Runs the world until `promise` settles; fails loudly if that takes more than `msMax`. */
async function runUntil<T>(
  world: SimBankWorld,
  promise: Promise<T>,
  what: string,
  msMax: number,
): Promise<T> {
  let done = false;
  let result: { value: T } | { error: unknown } | null = null;
  promise.then(
    (value) => {
      done = true;
      result = { value };
    },
    (error: unknown) => {
      done = true;
      result = { error };
    },
  );
  const stepMs = 100;
  for (let elapsedMs = 0; !done; elapsedMs += stepMs) {
    if (elapsedMs > msMax)
      throw new Error(`${what} did not finish within ${msMax} ms of virtual time`);
    await world.runForMs(stepMs);
  }
  const settled = result as { value: T } | { error: unknown } | null;
  if (settled === null) throw new Error(`${what}: settled without a result`);
  if ('error' in settled) throw settled.error;
  return settled.value;
}

function scheduleFaults(
  world: SimBankWorld,
  scenario: ResolvedScenario,
  history: HistoryWriter,
  startNs: number,
  active: Set<string>,
): void {
  const clusterName = scenario.clusters[0]?.name ?? 'ledger';
  for (const action of resolveSchedule(scenario.faults, scenario.durationMs)) {
    world.scheduler.at(startNs + action.atMs * NS_PER_MS, () => {
      applyNemesis(world, clusterName, action);
      trackActive(active, action);
      history.append(nemesisOpDraft(action, world.scheduler.nowNs));
    });
  }
}

function trackActive(active: Set<string>, action: NemesisAction): void {
  const name = `${action.f.replace(/^(start|stop|kill|restart|crash)-/, '')}#${action.faultIndex}`;
  if (action.edge === 'start') active.add(name);
  else if (action.edge === 'stop') active.delete(name);
}

async function runLoad(
  world: SimBankWorld,
  scenario: ResolvedScenario,
  history: HistoryWriter,
  onProgress: SimRunOptions['onProgress'],
): Promise<LoadCounts> {
  const startNs = world.scheduler.nowNs;
  const phases = phasesOf(
    resolveSchedule(scenario.faults, scenario.durationMs),
    scenario.durationMs,
  );
  const driver = new LoadDriver(
    {
      clock: schedulerClock(world.scheduler),
      prng: world.driverPrng,
      transport: simTransport(world),
      sink: history,
    },
    {
      regions: scenario.regions,
      durationMs: scenario.durationMs,
      workloads: scenario.workloads,
      clients: scenario.clients,
      accounts: scenario.bank.accounts.map((account) => account.name),
      opsInFlightMax: OPS_IN_FLIGHT_MAX,
      phaseOf: (timeNs) => phaseName(phases, (timeNs - startNs) / NS_PER_MS),
    },
  );
  const active = new Set<string>();
  scheduleFaults(world, scenario, history, startNs, active);
  driver.start();
  for (let doneMs = 0; doneMs < scenario.durationMs; doneMs += PROGRESS_STEP_MS) {
    await world.runForMs(Math.min(PROGRESS_STEP_MS, scenario.durationMs - doneMs));
    const rates = driver.stats.progress(world.scheduler.nowNs);
    onProgress?.({
      phase: 'load',
      simulatedMs: world.scheduler.nowNs / NS_PER_MS,
      opsPerSec: rates.reduce((sum, rate) => sum + rate.opsPerSec, 0),
      faultsActive: [...active],
    });
  }
  driver.stop();
  return driver.stats.totals();
}

function phaseName(phases: ReturnType<typeof phasesOf>, atMs: number): string {
  const phase = phases.find((p) => atMs >= p.startMs && atMs < p.endMs) ?? phases.at(-1);
  return phase?.phase ?? 'before';
}

async function writeFinalState(
  world: SimBankWorld,
  scenario: ResolvedScenario,
  history: HistoryWriter,
): Promise<void> {
  const eventual: string[] = [];
  const strong: string[] = [];
  for (const workload of scenario.workloads) {
    if (workload.kind !== 'registers') continue;
    const keys = registerKeys(workload.keys);
    eventual.push(...keys.eventual);
    strong.push(...keys.strong);
  }
  const state = await runUntil(
    world,
    world.bank.readFinalState({ eventual, strong }),
    'reading the final state',
    FINAL_READ_MS_MAX,
  );
  const time = () => world.scheduler.nowNs;
  for (const read of state.reads) {
    history.append({
      time: time(),
      process: 'final',
      type: 'ok',
      f: 'final-read',
      value: read.value,
      region: read.region,
    });
  }
  for (const entries of state.ledgerPages) {
    history.append({ time: time(), process: 'final', type: 'ok', f: 'ledger', value: { entries } });
  }
  for (const sagas of state.sagaPages) {
    history.append({ time: time(), process: 'final', type: 'ok', f: 'sagas', value: sagas });
  }
  const regionsRead = state.reads.map((read) => read.region).join(',');
  if (regionsRead !== scenario.regions.join(',')) {
    throw new Error(`the plan promised final reads in ${scenario.regions}, got ${regionsRead}`);
  }
  history.append({ time: time(), process: 'final', type: 'ok', f: END_FINAL_F });
}

/**
 * The run's promise, written before any client op: the final reads it will take. The ledger and
 * the saga log are read even when empty (and then write no line): the `end` line after them says
 * they were read. A history that holds this line but not `end` was cut short
 * (checkers/completeness.ts).
 */
function writePlanLine(history: HistoryWriter, scenario: ResolvedScenario, timeNs: number): void {
  const final: PlannedRead[] = scenario.regions.map((region) => ({ f: 'final-read', region }));
  final.push({ f: 'ledger' }, { f: 'sagas' });
  const value: PlanValue = { final };
  history.append({ time: timeNs, process: 'setup', type: 'ok', f: PLAN_SETUP_F, value });
}

/**
 * A failover has no stop of its own; it is healed, as an operator would after detach-and-promote,
 * by adding each old writer back as a secondary rebuilt from the new writer. Whatever an unfenced
 * old writer accepted after the promotion is gone then, as it would be in Aurora.
 */
function healFailovers(world: SimBankWorld): void {
  for (const region of world.cluster.oldWriters()) world.cluster.rejoin(region);
}

/**
 * The scenario's budgets travel in the history (an `slo` setup line right after init), so that
 * `paychaos check` judges a history alone. Written on every run, budgets or none: the slo checker
 * then measures RTO and RPO for the report even when nothing is judged against a budget.
 */
function writeSloLine(history: HistoryWriter, scenario: ResolvedScenario, timeNs: number): void {
  history.append({
    time: timeNs,
    process: 'setup',
    type: 'ok',
    f: SLO_SETUP_F,
    value: { byRegion: scenario.slo.byRegion },
  });
}

export async function runSimulation(options: SimRunOptions): Promise<SimRunOutcome> {
  const { scenario, history, onProgress } = options;
  const world = createSimBankWorld({
    seed: options.seed,
    regions: scenario.regions,
    writerRegion: scenario.clusters[0]?.writer ?? scenario.regions[0] ?? '',
    accounts: scenario.bank.accounts,
    bugs: scenario.bank.bugs,
  });
  const report = (phase: SimProgress['phase']) =>
    onProgress?.({
      phase,
      simulatedMs: world.scheduler.nowNs / NS_PER_MS,
      opsPerSec: 0,
      faultsActive: [],
    });
  report('setup');
  await runUntil(world, world.bank.init(), 'the bank start-up', INIT_MS_MAX);
  const init = loadInitValue(world.bank.accounts(), scenario.workloads);
  history.append({
    time: world.scheduler.nowNs,
    process: 'setup',
    type: 'ok',
    f: 'init',
    value: init,
  });
  writeSloLine(history, scenario, world.scheduler.nowNs);
  writePlanLine(history, scenario, world.scheduler.nowNs);
  const load = await runLoad(world, scenario, history, onProgress);
  report('settle');
  healFailovers(world);
  await world.settle(SETTLE_MS_MAX);
  report('final-state');
  await writeFinalState(world, scenario, history);
  world.bank.stop();
  const errors = world.bank.backgroundErrors();
  if (errors.length > 0) throw new Error(`the bank's background work failed: ${String(errors[0])}`);
  return {
    simulatedMs: world.scheduler.nowNs / NS_PER_MS,
    load,
    lostCommits: world.cluster.lostCommits().length,
  };
}
