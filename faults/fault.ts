/**
 * The fault vocabulary of design.md, independent of any target: what a scenario can do to the
 * world. A target maps each kind to its own injector (the simulated network, a fault proxy, an
 * AWS FIS action) or refuses it clearly.
 */

export const FAULT_KINDS = [
  'isolate',
  'partition',
  'replica-lag',
  'pause-replication',
  'kill-cluster',
  'failover',
  'clock-skew',
  'crash-bank',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Cuts a region off from the other regions and from its own clients. */
export interface IsolateFault {
  kind: 'isolate';
  region: string;
}

/** Cuts only the links between two regions; clients still reach both. */
export interface PartitionFault {
  kind: 'partition';
  regions: [string, string];
}

/** Replication from one region to another arrives `lagMs` late. */
export interface ReplicaLagFault {
  kind: 'replica-lag';
  from: string;
  to: string;
  lagMs: number;
}

/** Replication from one region to another stops; it catches up when the fault ends. */
export interface PauseReplicationFault {
  kind: 'pause-replication';
  from: string;
  to: string;
}

/** A database cluster's instance in one region dies; it restarts when the fault ends. */
export interface KillClusterFault {
  kind: 'kill-cluster';
  cluster: string;
  region: string;
}

/**
 * Aurora-style detach and promote: the replica in `to` becomes the writer at once, losing what
 * `from` had not replicated. Instantaneous: it has no duration and nothing to heal.
 */
export interface FailoverFault {
  kind: 'failover';
  cluster: string;
  from: string;
  to: string;
}

/** A region's clock runs `skewMs` ahead (or behind, when negative) of real time. */
export interface ClockSkewFault {
  kind: 'clock-skew';
  region: string;
  skewMs: number;
}

/** The bank service instance in a region crashes; it restarts when the fault ends. */
export interface CrashBankFault {
  kind: 'crash-bank';
  region: string;
}

export type Fault =
  | IsolateFault
  | PartitionFault
  | ReplicaLagFault
  | PauseReplicationFault
  | KillClusterFault
  | FailoverFault
  | ClockSkewFault
  | CrashBankFault;

/**
 * A fault placed in a run: it starts at `atMs` and is healed at `atMs + durationMs`.
 * `durationMs` is 0 exactly for instantaneous kinds (failover).
 */
export interface ScheduledFault {
  atMs: number;
  durationMs: number;
  fault: Fault;
}

export function isInstantFault(kind: FaultKind): boolean {
  return kind === 'failover';
}

/** The regions a fault names, with the field each sits in (for problem paths). */
export function regionFieldsOf(fault: Fault): Array<{ field: string; region: string }> {
  switch (fault.kind) {
    case 'isolate':
    case 'kill-cluster':
    case 'clock-skew':
    case 'crash-bank':
      return [{ field: 'region', region: fault.region }];
    case 'partition':
      return fault.regions.map((region, i) => ({ field: `regions[${i}]`, region }));
    case 'replica-lag':
    case 'pause-replication':
    case 'failover':
      return [
        { field: 'from', region: fault.from },
        { field: 'to', region: fault.to },
      ];
  }
}
