/**
 * The slo checker's stats, always given whether or not a budget was set, so reports can show
 * RTO and RPO as measured: per region and phase the op counts, success rate and latency; RTO per
 * region and fault (and per client home where ids say it); RPO per region; the phase windows.
 */
import { faultName } from './fault-book.ts';
import type { CellJson } from './phase-cell.ts';
import type { RegionRpo } from './rpo-tracker.ts';
import { type RtoTracker, rtoNsOf } from './rto-tracker.ts';
import { PHASES, type PhaseName } from './slo-budgets.ts';
import type { SloState } from './slo-state.ts';

const NS_PER_MS = 1_000_000;
/** Phase windows listed in stats; a schedule has far fewer. */
const WINDOWS_LISTED_MAX = 1_000;

export interface RtoJson {
  fault: string;
  startNs: number;
  rtoMs: number | null;
  recovered: boolean;
  firstFailureNs: number | null;
  recoveryNs: number | null;
}

function rtoJson(tracker: RtoTracker): Record<string, RtoJson[]> {
  const result: Record<string, RtoJson[]> = {};
  for (const watch of tracker.watches) {
    const rtoNs = rtoNsOf(watch);
    const list = result[watch.key] ?? [];
    result[watch.key] = list;
    list.push({
      fault: faultName(watch.fault),
      startNs: watch.fault.startNs,
      rtoMs: rtoNs === null ? null : rtoNs / NS_PER_MS,
      recovered: rtoNs !== null,
      firstFailureNs: watch.failure?.timeNs ?? null,
      recoveryNs: watch.recovery?.timeNs ?? null,
    });
  }
  return result;
}

function notServingJson(tracker: RtoTracker): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const { key, fault } of tracker.notServing) {
    const names = result[key] ?? [];
    result[key] = names;
    names.push(faultName(fault));
  }
  return result;
}

function phasesJson(state: SloState): Record<string, Partial<Record<PhaseName, CellJson>>> {
  const result: Record<string, Partial<Record<PhaseName, CellJson>>> = {};
  for (const [region, byPhase] of [...state.cells.entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const row: Partial<Record<PhaseName, CellJson>> = {};
    for (const phase of PHASES) {
      const cell = byPhase.get(phase);
      if (cell !== undefined) row[phase] = cell.toJson();
    }
    result[region] = row;
  }
  return result;
}

function rpoJson(rpo: Map<string, RegionRpo> | null): {
  rpoMs: number | null;
  rpoMsByRegion: Record<string, number>;
} {
  if (rpo === null) return { rpoMs: null, rpoMsByRegion: {} };
  const byRegion: Record<string, number> = {};
  let rpoNs = 0;
  for (const [region, entry] of rpo) {
    byRegion[region === '' ? '(no region)' : region] = entry.rpoNs / NS_PER_MS;
    rpoNs = Math.max(rpoNs, entry.rpoNs);
  }
  return { rpoMs: rpoNs / NS_PER_MS, rpoMsByRegion: byRegion };
}

/**
 * What reports read (reports/measures.ts) is typed here, so that renaming a figure breaks the
 * build rather than the report: RTO per region and per client home, RPO, payments lost.
 */
export type SloStats = {
  budgets: boolean;
  phases: ReturnType<SloState['timeline']['windows']>;
  faults: number;
  nemesisIgnored: number;
  byRegion: Record<string, Partial<Record<PhaseName, CellJson>>>;
  opsWithoutRegion: number;
  rtoByRegion: Record<string, RtoJson[]>;
  notServingAtFault: Record<string, string[]>;
  rtoByHome: Record<string, RtoJson[]>;
  rpoMs: number | null;
  rpoMsByRegion: Record<string, number>;
  acknowledgedPayments: number;
  lostPayments: number;
  acksAfterLedger: number;
};

export function sloStats(state: SloState, rpo: Map<string, RegionRpo> | null): SloStats {
  const windows = state.timeline.windows(state.lastTimeNs);
  return {
    budgets: state.budgets !== null,
    phases: windows.slice(0, WINDOWS_LISTED_MAX),
    faults: state.faults.faults.length,
    nemesisIgnored: state.nemesisIgnored,
    byRegion: phasesJson(state),
    opsWithoutRegion: state.opsWithoutRegion,
    rtoByRegion: rtoJson(state.rtoByRegion),
    notServingAtFault: notServingJson(state.rtoByRegion),
    rtoByHome: rtoJson(state.rtoByHome),
    ...rpoJson(rpo),
    acknowledgedPayments: state.rpo.acknowledged,
    lostPayments: state.rpo.lostCount,
    acksAfterLedger: state.rpo.acksAfterLedger,
  };
}
