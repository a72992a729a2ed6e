/**
 * One point of the space `paychaos explore` searches: a fault schedule, a workload scaling and a
 * simulator seed. Applied to the scenario it came from, it is an ordinary resolved scenario that
 * `paychaos run` could run.
 */
import type { ScheduledFault } from '../faults/fault.ts';
import type { ResolvedScenario, ResolvedWorkload } from '../scenario-dsl/resolved-scenario.ts';

export interface Candidate {
  faults: ScheduledFault[];
  /** Multiplies every workload's rates. */
  rateScale: number;
  /** Replaces every workload's skew; null keeps each workload's own. */
  skew: number | null;
  /** The simulator's seed: the run's network jitter, arrivals, accounts and amounts. */
  simSeed: number;
}

/** Rates are rounded to a millionth of an op/s so that a scaled rate prints as written. */
const RATE_DIGITS = 1e6;

function scaledWorkload(workload: ResolvedWorkload, candidate: Candidate): ResolvedWorkload {
  const opsPerSecByRegion: Record<string, number> = {};
  for (const [region, opsPerSec] of Object.entries(workload.opsPerSecByRegion)) {
    opsPerSecByRegion[region] =
      Math.round(opsPerSec * candidate.rateScale * RATE_DIGITS) / RATE_DIGITS;
  }
  return { ...workload, opsPerSecByRegion, skew: candidate.skew ?? workload.skew };
}

/**
 * The scenario with the candidate's schedule, workloads and seed, and no explore space left: what
 * ran is fixed. Not validated here (see candidate-arbitrary.ts, which keeps only valid ones).
 */
export function applyCandidate(scenario: ResolvedScenario, candidate: Candidate): ResolvedScenario {
  return {
    ...scenario,
    seed: candidate.simSeed,
    workloads: scenario.workloads.map((workload) => scaledWorkload(workload, candidate)),
    faults: candidate.faults.map((scheduled) => ({ ...scheduled, fault: { ...scheduled.fault } })),
    explore: null,
  };
}
