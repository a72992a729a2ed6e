/** What run.json holds: everything `paychaos replay` needs to run a run again, and the report's facts. */
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import type { RunInterrupted } from './interruption.ts';

export interface RunRecord {
  scenario: string;
  /** The scenario file that reproduces the run. */
  file: string;
  seed: number;
  /** The target's name (run/targets/registry.ts). */
  target: string;
  /** The load engine: `node` (the driver in this process) or `artillery`. */
  load: string;
  /** An external engine's version (`artillery`: the pinned one that ran); absent for `node`. */
  loadVersion?: string;
  bugs: string[];
  startedAt: string;
  wallMs: number;
  /** The target's clock at the end: virtual time on the simulator; null for an abandoned run. */
  simulatedMs: number | null;
  ops: Record<string, number>;
  /** Commits a failover lost, where the target can count them; null where it cannot. */
  lostCommits: number | null;
  version: string;
  node: string;
  resolvedScenario: ResolvedScenario;
  /** A SIGINT or SIGTERM reached the run, and what it did about it; null when none did. */
  interrupted: RunInterrupted | null;
  /** Set when the target failed to heal (run/target.ts TargetFailure): the run was not judged. */
  targetFailure?: { step: string; reason: string };
}
