/** Defaults and rules for `explore`: the space `paychaos explore` searches. */
import type { FaultKind } from '../faults/fault.ts';
import { FAULT_KINDS } from '../faults/fault.ts';
import { formatDurationMs } from './duration.ts';
import type { ExploreParsed } from './explore-schema.ts';
import type { FieldProblem } from './field-problem.ts';
import { notARegion } from './field-problem.ts';
import { uniqueProblems } from './resolve-bank.ts';
import type { ExploreSpace, MsRange } from './resolved-scenario.ts';

export const DEFAULT_EXPLORE_COUNT = { min: 1, max: 3 };
export const DEFAULT_EXPLORE_LAG_MS: MsRange = { min: 100, max: 5000 };
export const DEFAULT_EXPLORE_SKEW_MS: MsRange = { min: -2000, max: 2000 };
const TWO_REGION_KINDS: readonly FaultKind[] = [
  'partition',
  'replica-lag',
  'pause-replication',
  'failover',
];
const CLUSTER_KINDS: readonly FaultKind[] = ['kill-cluster', 'failover'];

export interface ExploreContext {
  regions: readonly string[];
  clusterCount: number;
  runMs: number;
}

export function resolveExplore(
  explore: ExploreParsed | undefined,
  context: ExploreContext,
  problems: FieldProblem[],
): ExploreSpace | null {
  if (explore === undefined) return null;
  const { runMs } = context;
  const quarterMs = Math.floor(runMs / 4);
  const faults = explore.faults ?? {};
  const space: ExploreSpace = {
    faults: {
      kinds: [...(faults.kinds ?? FAULT_KINDS)],
      count: faults.count ?? { ...DEFAULT_EXPLORE_COUNT },
      atMs: faults.at ?? { min: 0, max: Math.floor(runMs / 2) },
      durationMs: faults.duration ?? { min: Math.min(1000, quarterMs), max: quarterMs },
      lagMs: faults.lag ?? { ...DEFAULT_EXPLORE_LAG_MS },
      skewMs: faults.skew ?? { ...DEFAULT_EXPLORE_SKEW_MS },
      regions: [...(faults.regions ?? context.regions)],
    },
    workloads: {
      rateScale: explore.workloads?.rateScale ?? { min: 1, max: 1 },
      skew: explore.workloads?.skew ?? null,
    },
  };
  checkFaultSpace(space.faults, context, problems);
  checkRange(space.workloads.rateScale, 'explore.workloads.rateScale', String, problems);
  if (space.workloads.skew !== null)
    checkRange(space.workloads.skew, 'explore.workloads.skew', String, problems);
  return space;
}

function checkFaultSpace(
  faults: ExploreSpace['faults'],
  context: ExploreContext,
  problems: FieldProblem[],
): void {
  const path = 'explore.faults';
  const { runMs } = context;
  problems.push(
    ...uniqueProblems(faults.kinds, (i) => `${path}.kinds[${i}]`, 'list each kind once'),
  );
  problems.push(
    ...uniqueProblems(faults.regions, (i) => `${path}.regions[${i}]`, 'regions must be unique'),
  );
  faults.regions.forEach((region, i) => {
    if (!context.regions.includes(region))
      problems.push({
        path: `${path}.regions[${i}]`,
        message: notARegion(region, context.regions),
      });
  });
  checkRange(faults.count, `${path}.count`, String, problems);
  checkRange(faults.atMs, `${path}.at`, formatDurationMs, problems);
  checkRange(faults.durationMs, `${path}.duration`, formatDurationMs, problems);
  checkRange(faults.lagMs, `${path}.lag`, formatDurationMs, problems);
  checkRange(faults.skewMs, `${path}.skew`, formatDurationMs, problems);
  const run = formatDurationMs(runMs);
  if (faults.atMs.max >= runMs) {
    problems.push({
      path: `${path}.at.max`,
      message: `${formatDurationMs(faults.atMs.max)} is not before the end of the run (${run}); expected less than ${run}`,
    });
  }
  if (faults.durationMs.min === 0) {
    problems.push({ path: `${path}.duration.min`, message: '0ms; expected more than 0ms' });
  } else if (faults.atMs.min + faults.durationMs.min > runMs) {
    const message = `${formatDurationMs(faults.durationMs.min)} from at.min ${formatDurationMs(faults.atMs.min)} ends after the end of the run (${run}); no fault of this space fits in the run`;
    problems.push({ path: `${path}.duration.min`, message });
  }
  if (faults.lagMs.min === 0)
    problems.push({
      path: `${path}.lag.min`,
      message: '0ms of lag changes nothing; expected more than 0ms',
    });
  for (const kind of faults.kinds) {
    if (TWO_REGION_KINDS.includes(kind) && faults.regions.length < 2) {
      problems.push({
        path: `${path}.kinds`,
        message: `${kind} needs two regions but ${path}.regions has ${faults.regions.length}; add a region or remove ${kind}`,
      });
    }
    if (CLUSTER_KINDS.includes(kind) && context.clusterCount === 0) {
      problems.push({
        path: `${path}.kinds`,
        message: `${kind} needs a cluster but clusters is empty; add a cluster or remove ${kind}`,
      });
    }
  }
}

function checkRange(
  range: { min: number; max: number },
  path: string,
  format: (value: number) => string,
  problems: FieldProblem[],
): void {
  if (range.min > range.max) {
    problems.push({
      path,
      message: `min ${format(range.min)} is greater than max ${format(range.max)}; expected min <= max`,
    });
  }
}
