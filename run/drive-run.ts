/**
 * One scenario on one target into one history: the target comes up, the open-model load driver
 * and the fault schedule run together on the target's clock, appending to the history as they go;
 * then the target heals every fault and quiesces, its final state is read into the history, and
 * it goes down (on every exit path). On the simulator, same scenario and seed give the same bytes:
 * the order of every step below is part of that promise.
 */

import type { RegisterKeys } from '../bank/final-state.ts';
import { phasesOf } from '../faults/phases.ts';
import { resolveSchedule } from '../faults/resolve-schedule.ts';
import {
  END_FINAL_F,
  type EndValue,
  type InterruptedValue,
  type OpDraft,
  PLAN_SETUP_F,
  type PlannedRead,
  type PlanValue,
  SLO_SETUP_F,
} from '../history/op.ts';
import type { HistoryWriter } from '../history/writer.ts';
import { loadInitValue } from '../load/init-value.ts';
import { LoadDriver } from '../load/load-driver.ts';
import type { LoadCounts } from '../load/load-stats.ts';
import { registerKeys } from '../load/registers-generator.ts';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import { runExternalLoad } from './external-load-run.ts';
import { FaultTimeline } from './fault-timeline.ts';
import { type Interruption, RunAbandoned, reasonOf, unlessAbandoned } from './interruption.ts';
import type { LoadEngine } from './load-engine.ts';
import type { RunProgress, RunReporter } from './reporter.ts';
import { type Target, TargetFailure, type TargetSession, UnsupportedFault } from './target.ts';

const NS_PER_MS = 1_000_000;
/** Progress is reported every this much of the target's time. */
const PROGRESS_STEP_MS = 1_000;
/** Ops in flight at once over every workload and region. */
const OPS_IN_FLIGHT_MAX = 10_000;

export interface DriveOptions {
  target: Target;
  scenario: ResolvedScenario;
  seed: number;
  history: HistoryWriter;
  reporter: RunReporter;
  /** Stops the run early when its signals fire (run/interruption.ts); none: it runs to its end. */
  interruption?: Interruption;
  /** Where the target copies its processes' logs (the run directory's logs/). */
  logsDir?: string;
  /** The run directory, where a target writes what it measured beside the history. */
  runDir?: string;
  /** An external load engine (load-engine.ts); none: the Node driver in this process. */
  load?: LoadEngine;
}

export interface DriveOutcome {
  /** The target's clock when the final state was read. */
  runMs: number;
  load: LoadCounts;
  lostCommits: number | null;
  /** Set when `interruption.stop` cut the load short: why, and the target's clock then. */
  loadCut: { signal: string; atMs: number } | null;
}

/**
 * Refuses, by name, a fault the target cannot inject; under an external load engine (`load`)
 * also one the target injects only on its own clients.
 */
export function refuseUnsupportedFaults(
  target: Target,
  scenario: ResolvedScenario,
  load?: LoadEngine,
): void {
  const name = target.label ?? target.name;
  scenario.faults.forEach(({ fault }, faultIndex) => {
    if (!target.faults.includes(fault.kind))
      throw new UnsupportedFault(name, fault.kind, faultIndex, target.faults);
  });
  if (load === undefined) return;
  const refused = target.faultsRefusedUnderExternalLoad ?? {};
  const supported = target.faults.filter((kind) => refused[kind] === undefined);
  scenario.faults.forEach(({ fault }, faultIndex) => {
    const why = refused[fault.kind];
    if (why !== undefined)
      throw new UnsupportedFault(
        `${name} (--load ${load.name})`,
        fault.kind,
        faultIndex,
        supported,
        why,
      );
  });
}

export async function driveRun(options: DriveOptions): Promise<DriveOutcome> {
  const { target, scenario, reporter } = options;
  refuseUnsupportedFaults(target, scenario, options.load);
  reporter.progress({ phase: 'setup', runMs: 0, opsPerSec: 0, faultsActive: [] });
  const session = await target.up({
    scenario,
    seed: options.seed,
    ...(options.logsDir === undefined ? {} : { logsDir: options.logsDir }),
    ...(options.runDir === undefined ? {} : { runDir: options.runDir }),
  });
  let driven: Omit<DriveOutcome, 'lostCommits'>;
  try {
    driven = await driveSession(session, options);
  } catch (error) {
    await downAfterFailure(session);
    throw error;
  }
  const { lostCommits } = await session.down();
  return { ...driven, lostCommits };
}

/** A failure of the target's own work as a TargetFailure; giving up (RunAbandoned) stays as it is. */
async function asTargetFailure<T>(step: TargetFailure['step'], work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof RunAbandoned || !(error instanceof Error)) throw error;
    throw new TargetFailure(step, error.message);
  }
}

/** Down after a failure: the failure is what the caller needs to hear, not a second one. */
async function downAfterFailure(session: TargetSession): Promise<void> {
  try {
    await session.down();
  } catch {
    // The first failure is rethrown by the caller; this one is most likely its consequence.
  }
}

async function driveSession(
  session: TargetSession,
  options: DriveOptions,
): Promise<Omit<DriveOutcome, 'lostCommits'>> {
  const { scenario, history, reporter, interruption } = options;
  const { clock } = session;
  const nowMs = () => clock.nowNs / NS_PER_MS;
  const report = (phase: RunProgress['phase']) =>
    reporter.progress({ phase, runMs: nowMs(), opsPerSec: 0, faultsActive: [] });
  const init = loadInitValue(session.accounts(), scenario.workloads);
  history.append({ time: clock.nowNs, process: 'setup', type: 'ok', f: 'init', value: init });
  writeSloLine(history, scenario, clock.nowNs);
  writePlanLine(history, scenario, clock.nowNs);
  const { load, cut } =
    options.load === undefined
      ? await runLoad(session, scenario, history, reporter, interruption?.stop)
      : await runExternalLoad({
          engine: options.load,
          session,
          scenario,
          seed: options.seed,
          history,
          reporter,
          stop: interruption?.stop,
        });
  report('settle');
  const abandon = interruption?.abandon;
  await asTargetFailure('heal', unlessAbandoned(session.heal(), abandon, nowMs, cut !== null));
  report('final-state');
  const end: EndValue = cut === null ? {} : { interrupted: cut };
  await writeFinalState(session, scenario, history, end, abandon);
  const loadCut = cut === null ? null : { signal: cut.signal, atMs: cut.atNs / NS_PER_MS };
  return { runMs: nowMs(), load, loadCut };
}

/**
 * The load window, on the target's clock. `stop` is looked at between steps of at most
 * PROGRESS_STEP_MS: when it has fired, the load ends there and the faults that are on stop.
 */
async function runLoad(
  session: TargetSession,
  scenario: ResolvedScenario,
  history: HistoryWriter,
  reporter: RunReporter,
  stop: AbortSignal | undefined,
): Promise<{ load: LoadCounts; cut: InterruptedValue | null }> {
  const { clock } = session;
  const startNs = clock.nowNs;
  const phases = phasesOf(
    resolveSchedule(scenario.faults, scenario.durationMs),
    scenario.durationMs,
  );
  const driver = new LoadDriver(
    { clock, prng: session.prng, transport: session.clients, sink: history },
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
  const faults = new FaultTimeline(session, scenario, history);
  driver.start();
  let cut: InterruptedValue | null = null;
  for (let doneMs = 0; doneMs < scenario.durationMs; doneMs += PROGRESS_STEP_MS) {
    if (stop?.aborted === true) {
      cut = { signal: reasonOf(stop), atNs: clock.nowNs };
      break;
    }
    await session.advance(Math.min(PROGRESS_STEP_MS, scenario.durationMs - doneMs));
    const rates = driver.stats.progress(clock.nowNs);
    reporter.progress({
      phase: 'load',
      runMs: clock.nowNs / NS_PER_MS,
      opsPerSec: rates.reduce((sum, rate) => sum + rate.opsPerSec, 0),
      faultsActive: [...faults.active],
    });
  }
  driver.stop();
  if (cut !== null) faults.stopNow();
  await faults.settled();
  return { load: driver.stats.totals(), cut };
}

function phaseName(phases: ReturnType<typeof phasesOf>, atMs: number): string {
  const phase = phases.find((p) => atMs >= p.startMs && atMs < p.endMs) ?? phases.at(-1);
  return phase?.phase ?? 'before';
}

function registerKeysOf(scenario: ResolvedScenario): RegisterKeys {
  const eventual: string[] = [];
  const strong: string[] = [];
  for (const workload of scenario.workloads) {
    if (workload.kind !== 'registers') continue;
    const keys = registerKeys(workload.keys);
    eventual.push(...keys.eventual);
    strong.push(...keys.strong);
  }
  return { eventual, strong };
}

async function writeFinalState(
  session: TargetSession,
  scenario: ResolvedScenario,
  history: HistoryWriter,
  end: EndValue,
  abandon: AbortSignal | undefined,
): Promise<void> {
  const state = await unlessAbandoned(
    session.readFinalState(registerKeysOf(scenario)),
    abandon,
    () => session.clock.nowNs / NS_PER_MS,
    end.interrupted !== undefined,
  );
  const time = () => session.clock.nowNs;
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
  const sealed: OpDraft = { time: time(), process: 'final', type: 'ok', f: END_FINAL_F };
  if (end.interrupted !== undefined) sealed.value = end;
  history.append(sealed);
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
