/**
 * What an Artillery bundle carries of a scenario: its open model as rate segments per region, and
 * what the processor needs to make the same requests as the Node driver (workloads, clients,
 * accounts, seed). Artillery's phases are per script environment (one per region here) and its
 * arrival rates integers (its distributed split asserts it), while a scenario's rates are per
 * workload, fractional, and stepped by each workload's own spikes. So each region's window is cut
 * at every spike edge of every workload; in each segment the phase's rate is the workloads' summed
 * rate rounded up (to a multiple of the local workers, who split it evenly), and the processor
 * turns each Artillery arrival into workload i's request with probability rate_i / phase rate,
 * else into nothing ("thinned"). Thinning a Poisson process is exact: each workload's arrivals
 * are again Poisson, at its own rate, whatever the rounding.
 */
import type {
  ResolvedClients,
  ResolvedScenario,
  ResolvedWorkload,
} from '../scenario-dsl/resolved-scenario.ts';

export const ARTILLERY_PLAN_VERSION = 1;

export interface PlanSegment {
  startMs: number;
  endMs: number;
  /** Artillery arrivals per second over every worker of the region: an integer, >= the sum. */
  vuPerSec: number;
  /** Each workload's arrivals per second in this region, in the scenario's order. */
  opsPerSec: number[];
}

export interface ArtilleryPlan {
  version: typeof ARTILLERY_PLAN_VERSION;
  scenario: string;
  seed: number;
  regions: string[];
  durationMs: number;
  workloads: ResolvedWorkload[];
  clients: ResolvedClients;
  /** Account names in Zipf rank order. */
  accounts: string[];
  /** Local Artillery processes per region; each region's rates are multiples of it. */
  workersPerRegion: number;
  /** Ops in flight at once in one worker; over it an arrival is dropped and counted. */
  opsInFlightMaxPerWorker: number;
  segmentsByRegion: Record<string, PlanSegment[]>;
  /**
   * For workers that cannot reach the harness's clock (PAYCHAOS_CLOCK_URL unset): their samples
   * read the wall clock, as ns since this epoch (ms since 1970), trusted to ± wallClockErrorMs:
   * a declared bound (what the hosts' time sync promises), not a measured one.
   */
  wallEpochMs: number;
  wallClockErrorMs: number;
}

export const WORKERS_PER_REGION_MAX = 64;

/** Every spike edge of every workload, with 0 and the duration: the segments' bounds. */
function edgesMs(scenario: ResolvedScenario): number[] {
  const edges = new Set([0, scenario.durationMs]);
  for (const workload of scenario.workloads) {
    for (const spike of workload.spikes ?? []) {
      edges.add(spike.atMs);
      edges.add(spike.atMs + spike.durationMs);
    }
  }
  return [...edges].sort((a, b) => a - b);
}

function factorAt(workload: ResolvedWorkload, atMs: number): number {
  const spike = (workload.spikes ?? []).find((s) => atMs >= s.atMs && atMs < s.atMs + s.durationMs);
  return spike?.factor ?? 1;
}

export function artilleryPlan(
  scenario: ResolvedScenario,
  options: {
    seed: number;
    workersPerRegion: number;
    opsInFlightMaxPerWorker: number;
    wallEpochMs: number;
    wallClockErrorMs: number;
  },
): ArtilleryPlan {
  const { workersPerRegion } = options;
  if (
    !Number.isSafeInteger(workersPerRegion) ||
    workersPerRegion < 1 ||
    workersPerRegion > WORKERS_PER_REGION_MAX
  ) {
    throw new Error(
      `workers per region: expected 1..${WORKERS_PER_REGION_MAX}, got ${workersPerRegion}`,
    );
  }
  const edges = edgesMs(scenario);
  const segmentsByRegion: Record<string, PlanSegment[]> = {};
  for (const region of scenario.regions) {
    const segments: PlanSegment[] = [];
    for (let i = 0; i + 1 < edges.length; i += 1) {
      const startMs = edges[i]!;
      const endMs = edges[i + 1]!;
      const opsPerSec = scenario.workloads.map(
        (w) => (w.opsPerSecByRegion[region] ?? 0) * factorAt(w, startMs),
      );
      const sum = opsPerSec.reduce((a, b) => a + b, 0);
      const vuPerSec = workersPerRegion * Math.ceil(sum / workersPerRegion - 1e-9);
      if (!(vuPerSec >= sum - 1e-6)) throw new Error(`segment rate ${vuPerSec} below ${sum}`);
      segments.push({ startMs, endMs, vuPerSec, opsPerSec });
    }
    segmentsByRegion[region] = segments;
  }
  return {
    version: ARTILLERY_PLAN_VERSION,
    scenario: scenario.name,
    seed: options.seed,
    regions: scenario.regions,
    durationMs: scenario.durationMs,
    workloads: scenario.workloads,
    clients: scenario.clients,
    accounts: scenario.bank.accounts.map((account) => account.name),
    workersPerRegion,
    opsInFlightMaxPerWorker: options.opsInFlightMaxPerWorker,
    segmentsByRegion,
    wallEpochMs: options.wallEpochMs,
    wallClockErrorMs: options.wallClockErrorMs,
  };
}

/** The segment in force `atMs` after the load started; the last one after the window. */
export function segmentAt(segments: readonly PlanSegment[], atMs: number): PlanSegment {
  const segment = segments.find((s) => atMs < s.endMs) ?? segments.at(-1);
  if (segment === undefined) throw new Error('a region with no segment');
  return segment;
}

/**
 * Which workload an arrival is, from a uniform draw in [0, 1): workload i with probability
 * opsPerSec[i] / vuPerSec, null (thinned) with what is left.
 */
export function pickWorkload(segment: PlanSegment, uniform: number): number | null {
  if (segment.vuPerSec === 0) return null;
  let cumulative = 0;
  const target = uniform * segment.vuPerSec;
  for (let i = 0; i < segment.opsPerSec.length; i += 1) {
    cumulative += segment.opsPerSec[i]!;
    if (target < cumulative) return i;
  }
  return null;
}
