/**
 * A load engine other than the Node driver in this process: something that drives the scenario's
 * open model from outside (Artillery's workers) and leaves per-worker op logs
 * (history/import/op-log.ts) for the run layer to merge with the nemesis lines into the history
 * (drive-run.ts). Any target whose session has HTTP `endpoints` can be driven this way: the local
 * lab and the aws target's regional endpoints. A target refuses the faults it applies only to its
 * own clients (`Target.faultsRefusedUnderExternalLoad`).
 */
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import type { TargetSession } from './target.ts';

export interface LoadEngineStart {
  session: TargetSession;
  /** Each region's base URL (TargetSession.endpoints). */
  endpoints: Record<string, string>;
  scenario: ResolvedScenario;
  seed: number;
  /** The run directory: the engine's files go under it. */
  runDir: string;
}

export interface LoadEngine {
  /** What --load takes and run.json records. */
  readonly name: string;
  /** The engine's version, for run.json; resolved (and checked installed) before the target starts. */
  version(): string;
  /** Starts the load; resolves once every worker sends (the scenario's time 0 from here). */
  start(options: LoadEngineStart): Promise<ExternalLoad>;
}

export interface ExternalLoad {
  /** Resolves when every worker ended on its own, within a bound the engine sets. */
  finished(): Promise<void>;
  /** Stops every worker now (an interrupted run). */
  stop(): Promise<void>;
  /** The per-worker op logs written so far. */
  logFiles(): string[];
  /** Counts only the engine saw (arrivals it thinned or dropped), by name. */
  engineCounts(): Record<string, number>;
  /** Releases what start took (the clock server); on every exit path. */
  close(): Promise<void>;
}
