/**
 * The rules a scenario's fault schedule must obey before any target runs it: every fault inside the run,
 * naming regions and clusters that exist, no two faults holding the same thing at once, and
 * failovers that promote from the cluster's writer at that time to a live replica.
 */
import { describeFault, faultResourceKey } from '../faults/describe-fault.ts';
import type { ScheduledFault } from '../faults/fault.ts';
import { isInstantFault, regionFieldsOf } from '../faults/fault.ts';
import { resolveSchedule } from '../faults/resolve-schedule.ts';
import { formatDurationMs } from './duration.ts';
import type { FieldProblem } from './field-problem.ts';
import { notARegion } from './field-problem.ts';

export interface ClusterTopology {
  name: string;
  /** The region of the cluster's writer when the run starts. */
  writer: string;
}

export interface FaultWorld {
  regions: readonly string[];
  clusters: readonly ClusterTopology[];
}

export function checkSchedule(
  faults: readonly ScheduledFault[],
  world: FaultWorld,
  runMs: number,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  faults.forEach((scheduled, i) => {
    problems.push(...timeProblems(scheduled, i, runMs), ...nameProblems(scheduled, i, world));
  });
  if (problems.length > 0) return problems;
  problems.push(...overlapProblems(faults));
  if (problems.length > 0) return problems;
  return writerProblems(faults, world, runMs);
}

function timeProblems(scheduled: ScheduledFault, i: number, runMs: number): FieldProblem[] {
  const { atMs, durationMs } = scheduled;
  const run = formatDurationMs(runMs);
  if (atMs > runMs) {
    return [
      {
        path: `faults[${i}].at`,
        message: `${formatDurationMs(atMs)} is after the end of the run (${run})`,
      },
    ];
  }
  if (atMs === runMs) {
    return [
      {
        path: `faults[${i}].at`,
        message: `${run} is the end of the run; expected a time before ${run}`,
      },
    ];
  }
  if (isInstantFault(scheduled.fault.kind)) return [];
  if (durationMs <= 0) {
    return [
      {
        path: `faults[${i}].duration`,
        message: `${formatDurationMs(durationMs)}; expected more than 0ms`,
      },
    ];
  }
  if (atMs + durationMs > runMs) {
    const endMs = atMs + durationMs;
    const message = `${formatDurationMs(durationMs)} from ${formatDurationMs(atMs)} ends at ${formatDurationMs(endMs)}, after the end of the run (${run})`;
    return [{ path: `faults[${i}].duration`, message }];
  }
  return [];
}

function nameProblems(scheduled: ScheduledFault, i: number, world: FaultWorld): FieldProblem[] {
  const { fault } = scheduled;
  const path = `faults[${i}].fault`;
  const problems: FieldProblem[] = [];
  for (const { field, region } of regionFieldsOf(fault)) {
    if (!world.regions.includes(region)) {
      problems.push({ path: `${path}.${field}`, message: notARegion(region, world.regions) });
    }
  }
  if (fault.kind === 'partition' && fault.regions[0] === fault.regions[1]) {
    const message = `'${fault.regions[1]}' is also regions[0]; a partition needs two different regions`;
    problems.push({ path: `${path}.regions[1]`, message });
  }
  if ('from' in fault && fault.from === fault.to) {
    problems.push({
      path: `${path}.to`,
      message: `'${fault.to}' is also from; expected another region`,
    });
  }
  if ('cluster' in fault && !world.clusters.some((c) => c.name === fault.cluster)) {
    const names = world.clusters.map((c) => c.name).join(', ') || '(none)';
    const message = `'${fault.cluster}' is not a cluster of this scenario; expected one of ${names}`;
    problems.push({ path: `${path}.cluster`, message });
  }
  if (fault.kind === 'replica-lag' && fault.lagMs <= 0) {
    problems.push({
      path: `${path}.lag`,
      message: `${formatDurationMs(fault.lagMs)} of lag changes nothing; expected more than 0ms`,
    });
  }
  if (fault.kind === 'clock-skew' && fault.skewMs === 0) {
    problems.push({
      path: `${path}.skew`,
      message: "0ms of skew changes nothing; expected a skew such as '500ms' or '-2s'",
    });
  }
  return problems;
}

/**
 * Two faults with the same resource key overlap when one starts before the other ends; a fault
 * that starts exactly when the other ends does not overlap (its heal runs first).
 * O(n log n): sort by start, then keep only the latest end per key.
 */
function overlapProblems(faults: readonly ScheduledFault[]): FieldProblem[] {
  const order = faults
    .map((_, i) => i)
    .sort((a, b) => startOf(faults, a) - startOf(faults, b) || a - b);
  const activeByKey = new Map<string, number>();
  const problems: FieldProblem[] = [];
  for (const i of order) {
    const scheduled = faults[i]!;
    const key = faultResourceKey(scheduled.fault);
    if (key === null) continue;
    const j = activeByKey.get(key);
    const other = j === undefined ? undefined : faults[j];
    if (j !== undefined && other !== undefined && scheduled.atMs < other.atMs + other.durationMs) {
      const endMs = other.atMs + other.durationMs;
      const message = `${describeFault(scheduled.fault)} at ${formatDurationMs(scheduled.atMs)} overlaps faults[${j}], the same fault from ${formatDurationMs(other.atMs)} to ${formatDurationMs(endMs)}; start it at ${formatDurationMs(endMs)} or later`;
      problems.push({ path: `faults[${i}].at`, message });
      if (scheduled.atMs + scheduled.durationMs <= endMs) continue;
    }
    activeByKey.set(key, i);
  }
  return problems;
}

function startOf(faults: readonly ScheduledFault[], i: number): number {
  const scheduled = faults[i];
  if (scheduled === undefined) throw new Error(`startOf: no faults[${i}]`);
  return scheduled.atMs;
}

/** Replays kills, restarts and failovers in schedule order to know each cluster's writer. */
function writerProblems(
  faults: readonly ScheduledFault[],
  world: FaultWorld,
  runMs: number,
): FieldProblem[] {
  const writerByCluster = new Map(world.clusters.map((c) => [c.name, c.writer]));
  const killedBy = new Map<string, number>();
  /** cluster|region -> when that region stopped being the writer: it is an old writer until the run heals it. */
  const formerWriterUntil = new Map<string, string>();
  const problems: FieldProblem[] = [];
  for (const action of resolveSchedule(faults, runMs)) {
    if (action.f === 'kill-cluster')
      killedBy.set(`${action.value.cluster}|${action.value.region}`, action.faultIndex);
    if (action.f === 'restart-cluster')
      killedBy.delete(`${action.value.cluster}|${action.value.region}`);
    if (action.f !== 'failover') continue;
    const { cluster, from, to } = action.value;
    const path = `faults[${action.faultIndex}].fault`;
    const at = formatDurationMs(action.atMs);
    const writer = writerByCluster.get(cluster);
    if (writer !== from) {
      const message = `${from} is not the writer of ${cluster} at ${at} (${writer} is); expected from: '${writer}'`;
      problems.push({ path: `${path}.from`, message });
    }
    const killer = killedBy.get(`${cluster}|${to}`);
    if (killer !== undefined) {
      const message = `${cluster} in ${to} is killed at ${at} (faults[${killer}]); promote a live replica, or fail over after it restarts`;
      problems.push({ path: `${path}.to`, message });
    }
    const formerUntil = formerWriterUntil.get(`${cluster}|${to}`);
    if (formerUntil !== undefined) {
      const message = `${to} was the writer of ${cluster} until ${formerUntil} and has not rejoined as a replica (old writers rejoin only when the run heals); fail over to another region`;
      problems.push({ path: `${path}.to`, message });
    }
    formerWriterUntil.set(`${cluster}|${from}`, at);
    writerByCluster.set(cluster, to);
  }
  return problems;
}
