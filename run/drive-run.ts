/**
 * One scenario on one target into one history: the target comes up, the open-model load driver
 * and the fault schedule run together on the target's clock, appending to the history as they go;
 * then the target heals every fault and quiesces, its final state is read into the history, and
 * it goes down (on every exit path). On the simulator, same scenario and seed give the same bytes:
 * the order of every step below is part of that promise.
 */

import type { RegisterKeys } from '../bank/final-state.ts';
import type { NemesisAction } from '../faults/nemesis-action.ts';
import { nemesisOpDraft } from '../faults/nemesis-action.ts';
import { phasesOf } from '../faults/phases.ts';
import { resolveSchedule } from '../faults/resolve-schedule.ts';
import {
  END_FINAL_F,
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
import type { RunProgress, RunReporter } from './reporter.ts';
import { type Target, type TargetSession, UnsupportedFault } from './target.ts';

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
}

export interface DriveOutcome {
  /** The target's clock when the final state was read. */
  runMs: number;
  load: LoadCounts;
  lostCommits: number | null;
}

export function refuseUnsupportedFaults(target: Target, scenario: ResolvedScenario): void {
  scenario.faults.forEach(({ fault }, faultIndex) => {
    if (!target.faults.includes(fault.kind))
      throw new UnsupportedFault(target.name, fault.kind, faultIndex, target.faults);
  });
}

export async function driveRun(options: DriveOptions): Promise<DriveOutcome> {
  const { target, scenario, history, reporter } = options;
  refuseUnsupportedFaults(target, scenario);
  reporter.progress({ phase: 'setup', runMs: 0, opsPerSec: 0, faultsActive: [] });
  const session = await target.up({ scenario, seed: options.seed });
  let driven: Omit<DriveOutcome, 'lostCommits'>;
  try {
    driven = await driveSession(session, scenario, history, reporter);
  } catch (error) {
    await downAfterFailure(session);
    throw error;
  }
  const { lostCommits } = await session.down();
  return { ...driven, lostCommits };
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
  scenario: ResolvedScenario,
  history: HistoryWriter,
  reporter: RunReporter,
): Promise<Omit<DriveOutcome, 'lostCommits'>> {
  const { clock } = session;
  const report = (phase: RunProgress['phase']) =>
    reporter.progress({ phase, runMs: clock.nowNs / NS_PER_MS, opsPerSec: 0, faultsActive: [] });
  const init = loadInitValue(session.accounts(), scenario.workloads);
  history.append({ time: clock.nowNs, process: 'setup', type: 'ok', f: 'init', value: init });
  writeSloLine(history, scenario, clock.nowNs);
  writePlanLine(history, scenario, clock.nowNs);
  const load = await runLoad(session, scenario, history, reporter);
  report('settle');
  await session.heal();
  report('final-state');
  await writeFinalState(session, scenario, history);
  return { runMs: clock.nowNs / NS_PER_MS, load };
}

function scheduleFaults(
  session: TargetSession,
  scenario: ResolvedScenario,
  history: HistoryWriter,
  active: Set<string>,
): void {
  for (const action of resolveSchedule(scenario.faults, scenario.durationMs)) {
    session.clock.after(action.atMs * NS_PER_MS, () => {
      session.inject(action);
      trackActive(active, action);
      history.append(nemesisOpDraft(action, session.clock.nowNs));
    });
  }
}

function trackActive(active: Set<string>, action: NemesisAction): void {
  const name = `${action.f.replace(/^(start|stop|kill|restart|crash)-/, '')}#${action.faultIndex}`;
  if (action.edge === 'start') active.add(name);
  else if (action.edge === 'stop') active.delete(name);
}

async function runLoad(
  session: TargetSession,
  scenario: ResolvedScenario,
  history: HistoryWriter,
  reporter: RunReporter,
): Promise<LoadCounts> {
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
  const active = new Set<string>();
  scheduleFaults(session, scenario, history, active);
  driver.start();
  for (let doneMs = 0; doneMs < scenario.durationMs; doneMs += PROGRESS_STEP_MS) {
    await session.advance(Math.min(PROGRESS_STEP_MS, scenario.durationMs - doneMs));
    const rates = driver.stats.progress(clock.nowNs);
    reporter.progress({
      phase: 'load',
      runMs: clock.nowNs / NS_PER_MS,
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
): Promise<void> {
  const state = await session.readFinalState(registerKeysOf(scenario));
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
