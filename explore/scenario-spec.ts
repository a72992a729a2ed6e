/**
 * A resolved scenario written back as a scenario spec (what defineScenario takes), every
 * duration as a plain number of milliseconds and every default spelled out, so that validating
 * the spec gives back the same resolved scenario: the repro file and the explored runs are
 * checked against each other with `sameScenario`.
 */
import type { Fault, ScheduledFault } from '../faults/fault.ts';
import type { ScenarioSpec } from '../scenario-dsl/define-scenario.ts';
import type {
  PhaseBudget,
  RegionSlo,
  ResolvedClients,
  ResolvedScenario,
  ResolvedWorkload,
} from '../scenario-dsl/resolved-scenario.ts';

type FaultEntry = NonNullable<ScenarioSpec['faults']>[number];
type FaultSpec = FaultEntry['fault'];
type WorkloadSpec = NonNullable<ScenarioSpec['workloads']>[number];
type SloSpec = NonNullable<ScenarioSpec['slo']>;
type RegionSloSpec = NonNullable<SloSpec['regions']>[string];

export function faultSpecOf(fault: Fault): FaultSpec {
  switch (fault.kind) {
    case 'replica-lag':
      return { kind: fault.kind, from: fault.from, to: fault.to, lag: fault.lagMs };
    case 'clock-skew':
      return { kind: fault.kind, region: fault.region, skew: fault.skewMs };
    case 'partition':
      return { kind: fault.kind, regions: [fault.regions[0], fault.regions[1]] };
    default:
      return { ...fault };
  }
}

export function faultEntryOf(scheduled: ScheduledFault): FaultEntry {
  const fault = faultSpecOf(scheduled.fault);
  if (scheduled.fault.kind === 'failover') return { at: scheduled.atMs, fault };
  return { at: scheduled.atMs, duration: scheduled.durationMs, fault };
}

function workloadSpecOf(workload: ResolvedWorkload): WorkloadSpec {
  const common = {
    rate: { ...workload.opsPerSecByRegion },
    skew: workload.skew,
    ...(workload.spikes === undefined
      ? {}
      : {
          spikes: workload.spikes.map((s) => ({
            at: s.atMs,
            duration: s.durationMs,
            factor: s.factor,
          })),
        }),
  };
  switch (workload.kind) {
    case 'bank':
      return { kind: 'bank', ...common, mix: { ...workload.mix }, amount: { ...workload.amount } };
    case 'registers':
      return { kind: 'registers', ...common, keys: { ...workload.keys }, mix: { ...workload.mix } };
    case 'checkout':
      return { kind: 'checkout', ...common, amount: { ...workload.amount } };
  }
}

function clientsSpecOf(clients: ResolvedClients): NonNullable<ScenarioSpec['clients']> {
  return {
    timeout: clients.timeoutMs,
    retries: clients.retriesMax,
    retryBackoff: clients.retryBackoffMs,
    idempotencyKeys: clients.idempotencyKeys,
    failover: clients.failover.enabled,
    healthCheck: {
      interval: clients.failover.healthCheckIntervalMs,
      failures: clients.failover.failureThreshold,
    },
  };
}

function phaseSpecOf(budget: PhaseBudget): { successRate?: number; p99Latency?: number } {
  return {
    ...(budget.successRateMin === null ? {} : { successRate: budget.successRateMin }),
    ...(budget.latencyP99MsMax === null ? {} : { p99Latency: budget.latencyP99MsMax }),
  };
}

function regionSloSpecOf(slo: RegionSlo): RegionSloSpec {
  return {
    before: phaseSpecOf(slo.before),
    during: phaseSpecOf(slo.during),
    after: phaseSpecOf(slo.after),
    ...(slo.rtoMsMax === null ? {} : { rto: slo.rtoMsMax }),
    ...(slo.rpoMsMax === null ? {} : { rpo: slo.rpoMsMax }),
  };
}

/** Every region written out: per-region budgets say exactly what the resolved scenario judges. */
function sloSpecOf(scenario: ResolvedScenario): SloSpec {
  const regions: Record<string, RegionSloSpec> = {};
  for (const [region, slo] of Object.entries(scenario.slo.byRegion)) {
    regions[region] = regionSloSpecOf(slo);
  }
  return { regions };
}

/** The spec of a resolved scenario without an explore space (a fixed run). */
export function scenarioSpecOf(scenario: ResolvedScenario, name: string): ScenarioSpec {
  return {
    name,
    description: scenario.description,
    hypothesis: scenario.hypothesis,
    regions: [...scenario.regions],
    duration: scenario.durationMs,
    seed: scenario.seed,
    bank: {
      accounts: scenario.bank.accounts.map((a) => ({
        name: a.name,
        balance: a.balance,
        home: a.home,
      })),
      bugs: [...scenario.bank.bugs],
    },
    clusters: scenario.clusters.map((c) => ({ name: c.name, writer: c.writer })),
    workloads: scenario.workloads.map(workloadSpecOf),
    clients: clientsSpecOf(scenario.clients),
    faults: scenario.faults.map(faultEntryOf),
    slo: sloSpecOf(scenario),
  };
}

/** JSON with object keys sorted: two values that differ only in key order print alike. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).sort(([x], [y]) =>
      x < y ? -1 : x > y ? 1 : 0,
    );
    return Object.fromEntries(entries);
  });
}

/** Whether two resolved scenarios would run alike (names aside). */
export function sameScenario(a: ResolvedScenario, b: ResolvedScenario): boolean {
  return canonicalJson({ ...a, name: '' }) === canonicalJson({ ...b, name: '' });
}
