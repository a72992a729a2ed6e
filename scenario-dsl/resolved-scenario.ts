/**
 * A validated scenario with every default applied and every duration in integer milliseconds:
 * what the planner, the targets, the load driver and the slo checker read, and what run.json
 * records. Built only by validateScenario (validate-scenario.ts).
 */
import type { FaultKind, ScheduledFault } from '../faults/fault.ts';
import type { BugFlag } from './bug-flags.ts';

export interface ResolvedScenario {
  name: string;
  description: string;
  /** One sentence, shown in reports and judged by the slo checker. */
  hypothesis: string;
  regions: string[];
  /** How long load runs; faults start and end inside [0, durationMs]. */
  durationMs: number;
  /** Used unless the command line gives --seed. */
  seed: number;
  bank: ResolvedBank;
  clusters: ResolvedCluster[];
  workloads: ResolvedWorkload[];
  clients: ResolvedClients;
  /** In the order written; resolveSchedule(faults, durationMs) gives the timed actions. */
  faults: ScheduledFault[];
  slo: ResolvedSlo;
  /** null when the scenario says nothing about exploring: `paychaos explore` refuses it. */
  explore: ExploreSpace | null;
}

export interface ResolvedAccount {
  name: string;
  /** Initial balance in minor units. */
  balance: number;
  /** The region whose writes own this account's balance ("write global" goes here). */
  home: string;
}

export interface ResolvedBank {
  accounts: ResolvedAccount[];
  bugs: BugFlag[];
}

/** A primary/secondary SQL cluster (the Aurora global database): a writer, replicas elsewhere. */
export interface ResolvedCluster {
  name: string;
  /** The writer's region when the run starts; failovers move it. */
  writer: string;
}

/** Every region of the scenario is a key: 0 where no load is sent. */
export type RateByRegion = Record<string, number>;

interface WorkloadBase {
  /** Arrivals per second per region, open model: arrivals do not wait for completions. */
  opsPerSecByRegion: RateByRegion;
  /** Zipf exponent over accounts or keys; 0 is uniform. */
  skew: number;
  /**
   * Windows in which every region's rate is multiplied by `factor`, in the order written: inside
   * the run, non-overlapping. Absent (never empty) when the workload has none, so a scenario
   * without spikes resolves as it did before spikes existed.
   */
  spikes?: RateSpike[];
}

/** From `atMs` (inclusive) to `atMs + durationMs` (exclusive), after the start of the run. */
export interface RateSpike {
  atMs: number;
  durationMs: number;
  /** In (0, 100]: above 1 a spike, below 1 a dip. */
  factor: number;
}

export interface AmountRange {
  min: number;
  max: number;
}

export interface BankWorkload extends WorkloadBase {
  kind: 'bank';
  /** Fractions summing to 1. */
  mix: {
    transfer: number;
    deposit: number;
    withdraw: number;
    consistentRead: number;
    eventualRead: number;
  };
  amount: AmountRange;
}

export interface RegistersWorkload extends WorkloadBase {
  kind: 'registers';
  /** How many keys in the eventually consistent (LWW) table and in the strong one. */
  keys: { eventual: number; strong: number };
  /** Fractions summing to 1. */
  mix: { write: number; read: number; cas: number };
}

export interface CheckoutWorkload extends WorkloadBase {
  kind: 'checkout';
  amount: AmountRange;
}

export type ResolvedWorkload = BankWorkload | RegistersWorkload | CheckoutWorkload;

export interface ResolvedClients {
  timeoutMs: number;
  /** Retries after the first attempt, each with the op's idempotency key when enabled. */
  retriesMax: number;
  retryBackoffMs: number;
  idempotencyKeys: boolean;
  /** Health-checked routing to another region when the client's own is unreachable. */
  failover: { enabled: boolean; healthCheckIntervalMs: number; failureThreshold: number };
}

/** null: not judged. */
export interface PhaseBudget {
  successRateMin: number | null;
  latencyP99MsMax: number | null;
}

export interface RegionSlo {
  before: PhaseBudget;
  during: PhaseBudget;
  after: PhaseBudget;
  rtoMsMax: number | null;
  rpoMsMax: number | null;
}

export interface ResolvedSlo {
  /** Every region of the scenario is a key. */
  byRegion: Record<string, RegionSlo>;
}

export interface MsRange {
  min: number;
  max: number;
}

export interface ExploreSpace {
  faults: {
    kinds: FaultKind[];
    count: { min: number; max: number };
    atMs: MsRange;
    durationMs: MsRange;
    lagMs: MsRange;
    skewMs: MsRange;
    regions: string[];
  };
  workloads: {
    /** Multiplies every workload's rates. */
    rateScale: { min: number; max: number };
    /** null: each workload keeps its own skew. */
    skew: { min: number; max: number } | null;
  };
}
