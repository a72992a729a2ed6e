/**
 * What the run layer needs of a target: bring the system up, hand out clients for each region,
 * inject the faults it supports (refusing the others by name before anything starts), heal,
 * read the final state, and go down. `sim` is the first implementation
 * (run/targets/sim/sim-target.ts); docs/adding-a-target.md lists what a new one touches.
 *
 * A target never writes the history and never judges: the run layer records what the clients
 * saw, the faults it asked for and the final state the target read.
 */
import type { FinalState, RegisterKeys } from '../bank/final-state.ts';
import type { FaultKind } from '../faults/fault.ts';
import type { NemesisAction } from '../faults/nemesis-action.ts';
import type { JsonValue } from '../history/json-value.ts';
import type { Clock } from '../load/clock.ts';
import type { Transport } from '../load/transport.ts';
import type { ResolvedAccount, ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import type { Prng } from '../targets/sim/prng.ts';

export interface TargetUpOptions {
  scenario: ResolvedScenario;
  seed: number;
  /**
   * The run directory's `logs/`: a target that runs processes of its own copies their logs here
   * on every exit path it lives to see (down, a failed up). Not made when there is nothing to copy.
   */
  logsDir?: string;
  /**
   * The run directory, for what a target measures beside the history (the aws target's
   * lag.jsonl, docs/history-format.md). Absent where the run has none.
   */
  runDir?: string;
}

export interface Target {
  /** The name `--target` takes and run.json records. */
  readonly name: string;
  /** How messages name it, when the name alone would mislead (`local (--endpoint)`). */
  readonly label?: string;
  /** The fault kinds it can inject; a scenario with any other is refused before `up`. */
  readonly faults: readonly FaultKind[];
  /**
   * Kinds of `faults` it injects only when the load runs in this process (part of the fault acts
   * on the harness's own clients), each with why: refused under an external load engine.
   */
  readonly faultsRefusedUnderExternalLoad?: Readonly<Partial<Record<FaultKind, string>>>;
  /** Starts the system and resolves when the bank accepts requests in every region. */
  up(options: TargetUpOptions): Promise<TargetSession>;
}

/** A target that is up. Every method may be called once, in the order listed, `down` always. */
export interface TargetSession {
  /** Time since the run started: virtual on the simulator, monotonic wall time elsewhere. */
  readonly clock: Clock;
  /** The load driver's randomness, seeded from the run's seed. */
  readonly prng: Prng;
  /** A client per region: `send(region, request)` reaches that region's endpoint. */
  readonly clients: Transport;
  /**
   * Each region's HTTP base URL, where a load engine outside this process (Artillery) reaches
   * it; absent where there is none (the simulator's endpoints live in this process).
   */
  readonly endpoints?: Record<string, string>;
  /** The accounts the bank holds after start-up, system accounts included: the `init` line. */
  accounts(): ResolvedAccount[];
  /** Lets `ms` of the target's time pass (the simulator runs its clock; a real target waits). */
  advance(ms: number): Promise<void>;
  /**
   * Starts or ends a fault now. Only kinds in `Target.faults` reach it. A target that learns only
   * later when the fault actually took effect (an AWS FIS experiment's action starting) returns a
   * promise of that moment: the nemesis line is then written when it settles, on the target's
   * clock, with the keys it resolves to added (how the target saw it happen).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: the existing targets' inject returns nothing (void), which `undefined` would not accept
  inject(action: NemesisAction): void | Promise<NemesisSeen>;
  /** Heals what the schedule leaves broken (a failover) and waits until replication quiesced. */
  heal(): Promise<void>;
  /** Reads every region's final state and the writer's ledger and sagas. */
  readFinalState(keys: RegisterKeys): Promise<FinalState>;
  /** Stops everything; throws if the system failed in the background meanwhile. */
  down(): Promise<TargetDown>;
}

/** Extra keys of a nemesis line, saying how the target saw the fault take effect. */
export type NemesisSeen = Record<string, JsonValue>;

export interface TargetDown {
  /** Commits a failover lost, where the target can count them (the simulator can). */
  lostCommits: number | null;
}

/**
 * The target could not heal (replication that never quiesced, a bank still busy past its bound):
 * nothing recorded is wrong, but the history ends before its final state, so it is judged
 * "unknown".
 */
export class TargetFailure extends Error {
  constructor(
    readonly step: 'heal',
    readonly reason: string,
  ) {
    super(`the target failed to ${step}: ${reason}`);
    this.name = 'TargetFailure';
  }
}

/** A scenario asks for a fault the target cannot inject: refused before the target starts. */
export class UnsupportedFault extends Error {
  constructor(
    readonly target: string,
    readonly kind: FaultKind,
    readonly faultIndex: number,
    supported: readonly FaultKind[],
    why?: string,
  ) {
    super(
      `target ${target} cannot inject ${kind} (faults[${faultIndex}] of the scenario)${why === undefined ? '' : `: ${why}`}; it supports ${supported.length > 0 ? supported.join(', ') : 'no fault'}`,
    );
    this.name = 'UnsupportedFault';
  }
}
