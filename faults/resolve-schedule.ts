/**
 * Turns a scenario's faults into the time-ordered nemesis actions a driver executes.
 *
 * Simultaneous actions are ordered deterministically: heals (`stop`) first, then new faults
 * (`start`), then instantaneous ones (failover), and by fault index within each. Heals first so
 * that back-to-back faults on one region (isolate 10s-20s, isolate 20s-30s) never overlap; a
 * failover last so that "kill the writer at 30s, fail over at 30s" kills first and then promotes,
 * which is what the person who wrote it meant.
 */
import type { ScheduledFault } from './fault.ts';
import { isInstantFault } from './fault.ts';
import type { NemesisAction } from './nemesis-action.ts';

/** The limit on a schedule: more faults than this in one run is a generator gone wrong. */
export const FAULTS_MAX = 1000;

const EDGE_RANK: Readonly<Record<NemesisAction['edge'], number>> = {
  stop: 0,
  start: 1,
  instant: 2,
};

export function resolveSchedule(faults: readonly ScheduledFault[], runMs: number): NemesisAction[] {
  if (!Number.isInteger(runMs) || runMs <= 0) {
    throw new Error(`resolveSchedule: runMs must be a positive integer, got ${runMs}`);
  }
  if (faults.length > FAULTS_MAX) {
    throw new Error(`resolveSchedule: ${faults.length} faults exceed the limit of ${FAULTS_MAX}`);
  }
  const actions: NemesisAction[] = [];
  faults.forEach((scheduled, faultIndex) => {
    assertInsideRun(scheduled, faultIndex, runMs);
    actions.push(...actionsOf(scheduled, faultIndex));
  });
  return actions.sort(
    (a, b) =>
      a.atMs - b.atMs || EDGE_RANK[a.edge] - EDGE_RANK[b.edge] || a.faultIndex - b.faultIndex,
  );
}

function assertInsideRun(scheduled: ScheduledFault, faultIndex: number, runMs: number): void {
  const { atMs, durationMs, fault } = scheduled;
  const where = `resolveSchedule: faults[${faultIndex}] (${fault.kind})`;
  if (!Number.isInteger(atMs) || atMs < 0 || atMs >= runMs) {
    throw new Error(`${where}: atMs ${atMs} is outside the run [0, ${runMs})`);
  }
  const instant = isInstantFault(fault.kind);
  if (!Number.isInteger(durationMs) || (instant ? durationMs !== 0 : durationMs <= 0)) {
    throw new Error(`${where}: durationMs ${durationMs} is not ${instant ? '0' : 'positive'}`);
  }
  if (atMs + durationMs > runMs) {
    throw new Error(`${where}: ends at ${atMs + durationMs} ms, after the run (${runMs} ms)`);
  }
}

function actionsOf(scheduled: ScheduledFault, faultIndex: number): NemesisAction[] {
  const { atMs, fault } = scheduled;
  const endMs = atMs + scheduled.durationMs;
  const start = { atMs, faultIndex, edge: 'start' as const };
  const stop = { atMs: endMs, faultIndex, edge: 'stop' as const };
  switch (fault.kind) {
    case 'isolate': {
      const value = { region: fault.region };
      return [
        { ...start, f: 'start-isolate', value },
        { ...stop, f: 'stop-isolate', value },
      ];
    }
    case 'partition': {
      const value = { regions: [fault.regions[0], fault.regions[1]] as [string, string] };
      return [
        { ...start, f: 'start-partition', value },
        { ...stop, f: 'stop-partition', value },
      ];
    }
    case 'replica-lag': {
      const value = { from: fault.from, to: fault.to, lagMs: fault.lagMs };
      return [
        { ...start, f: 'start-replica-lag', value },
        { ...stop, f: 'stop-replica-lag', value },
      ];
    }
    case 'pause-replication': {
      const value = { from: fault.from, to: fault.to };
      return [
        { ...start, f: 'start-pause-replication', value },
        { ...stop, f: 'stop-pause-replication', value },
      ];
    }
    case 'kill-cluster': {
      const value = { cluster: fault.cluster, region: fault.region };
      return [
        { ...start, f: 'kill-cluster', value },
        { ...stop, f: 'restart-cluster', value },
      ];
    }
    case 'failover': {
      const value = { cluster: fault.cluster, from: fault.from, to: fault.to };
      return [{ atMs, faultIndex, edge: 'instant', f: 'failover', value }];
    }
    case 'clock-skew': {
      const value = { region: fault.region, skewMs: fault.skewMs };
      return [
        { ...start, f: 'start-clock-skew', value },
        { ...stop, f: 'stop-clock-skew', value },
      ];
    }
    case 'crash-bank': {
      const value = { region: fault.region };
      return [
        { ...start, f: 'crash-bank', value },
        { ...stop, f: 'restart-bank', value },
      ];
    }
  }
}
