/**
 * Fault schedules as fast-check values. A fault is drawn as a gene of small integers (a kind, a
 * time, a duration, two region picks, a lag and a skew), each of which shrinks toward the start of
 * its range: the first kind listed, the earliest time, the shortest duration, the smallest lag or
 * skew. Genes become faults in one pass in time order, so that a failover always promotes from
 * the cluster's writer at that moment and a fault never runs past the end of the run. What that
 * pass cannot make valid (two faults holding one thing at once) is left to the scenario rules.
 */
import fc from 'fast-check';
import type { Fault, FaultKind, ScheduledFault } from '../faults/fault.ts';
import type { ExploreSpace, MsRange, ResolvedCluster } from '../scenario-dsl/resolved-scenario.ts';

/** Times, durations, lags and skews are drawn in steps of this, for schedules a person reads. */
export const TIME_STEP_MS = 100;

export interface FaultGene {
  kindIndex: number;
  atMs: number;
  durationMs: number;
  /** Picks among the space's regions (the first region a fault names). */
  regionA: number;
  /** Picks among the space's other regions (the second one). */
  regionB: number;
  clusterIndex: number;
  lagMs: number;
  skewMs: number;
}

/** Milliseconds in `range`, in steps of TIME_STEP_MS when it holds one; shrinks toward 0 or min. */
export function steppedMs(range: MsRange): fc.Arbitrary<number> {
  const low = Math.ceil(range.min / TIME_STEP_MS);
  const high = Math.floor(range.max / TIME_STEP_MS);
  if (low > high) return fc.integer({ min: range.min, max: range.max });
  return fc.integer({ min: low, max: high }).map((steps) => steps * TIME_STEP_MS);
}

export function faultGeneArbitrary(
  space: ExploreSpace['faults'],
  clusterCount: number,
): fc.Arbitrary<FaultGene> {
  const regionsMax = Math.max(space.regions.length - 1, 0);
  return fc.record({
    kindIndex: fc.integer({ min: 0, max: space.kinds.length - 1 }),
    atMs: steppedMs(space.atMs),
    durationMs: steppedMs(space.durationMs),
    regionA: fc.integer({ min: 0, max: regionsMax }),
    regionB: fc.integer({ min: 0, max: Math.max(regionsMax - 1, 0) }),
    clusterIndex: fc.integer({ min: 0, max: Math.max(clusterCount - 1, 0) }),
    lagMs: steppedMs(space.lagMs),
    skewMs: steppedMs(space.skewMs),
  });
}

interface GeneWorld {
  space: ExploreSpace['faults'];
  clusters: readonly ResolvedCluster[];
  runMs: number;
}

function pick<T>(items: readonly T[], index: number, what: string): T {
  const item = items[index % Math.max(items.length, 1)];
  if (item === undefined) throw new Error(`fault genes: no ${what} to pick from`);
  return item;
}

/** The region pair a link fault names: A from the space, B another region of the space. */
function regionPair(gene: FaultGene, regions: readonly string[], from?: string): [string, string] {
  const a = from ?? pick(regions, gene.regionA, 'region');
  const others = regions.filter((region) => region !== a);
  // A space of one region cannot name a link; the scenario rules refuse the fault it gives.
  return [a, others.length === 0 ? a : pick(others, gene.regionB, 'region')];
}

/**
 * A cluster's old writers are not promoted again: the simulator rebuilds them as secondaries only
 * when the run's faults are healed, so until then they are no failover target.
 */
function faultOf(
  kind: FaultKind,
  gene: FaultGene,
  world: GeneWorld,
  writers: Map<string, string>,
  oldWriters: Map<string, Set<string>>,
): Fault {
  const { regions } = world.space;
  // Only cluster kinds pick one: a scenario without clusters has none to pick.
  const clusterName = () => pick(world.clusters, gene.clusterIndex, 'cluster').name;
  switch (kind) {
    case 'isolate':
    case 'clock-skew':
    case 'crash-bank': {
      const region = pick(regions, gene.regionA, 'region');
      if (kind === 'clock-skew')
        return { kind, region, skewMs: gene.skewMs === 0 ? TIME_STEP_MS : gene.skewMs };
      return { kind, region };
    }
    case 'kill-cluster':
      return { kind, cluster: clusterName(), region: pick(regions, gene.regionA, 'region') };
    case 'partition':
      return { kind, regions: regionPair(gene, regions) };
    case 'replica-lag': {
      const [from, to] = regionPair(gene, regions);
      return { kind, from, to, lagMs: gene.lagMs };
    }
    case 'pause-replication': {
      const [from, to] = regionPair(gene, regions);
      return { kind, from, to };
    }
    case 'failover': {
      const cluster = clusterName();
      const writer = writers.get(cluster);
      if (writer === undefined) throw new Error(`fault genes: cluster ${cluster} has no writer`);
      const spent = oldWriters.get(cluster) ?? new Set<string>();
      const targets = regions.filter((r) => r !== writer && !spent.has(r));
      // No live secondary left to promote: from === to, which the scenario rules refuse.
      const to = targets.length === 0 ? writer : pick(targets, gene.regionB, 'region');
      spent.add(writer);
      oldWriters.set(cluster, spent);
      writers.set(cluster, to);
      return { kind, cluster, from: writer, to };
    }
  }
}

/**
 * Faults in time order (ties in gene order, as resolveSchedule orders failovers). A duration that
 * would run past the end of the run is cut at the end; a failover has none.
 */
export function faultsOfGenes(genes: readonly FaultGene[], world: GeneWorld): ScheduledFault[] {
  const writers = new Map(world.clusters.map((c) => [c.name, c.writer]));
  const oldWriters = new Map<string, Set<string>>();
  const ordered = genes
    .map((gene, i) => ({ gene, i }))
    .sort((x, y) => x.gene.atMs - y.gene.atMs || x.i - y.i);
  return ordered.map(({ gene }) => {
    const kind = pick(world.space.kinds, gene.kindIndex, 'fault kind');
    const fault = faultOf(kind, gene, world, writers, oldWriters);
    const durationMs = kind === 'failover' ? 0 : Math.min(gene.durationMs, world.runMs - gene.atMs);
    return { atMs: gene.atMs, durationMs, fault };
  });
}
