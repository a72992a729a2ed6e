/**
 * The search: fast-check drives candidates of the explore space through the simulator until one
 * violates an invariant (a verdict of false), then shrinks it. fast-check's own seed and path
 * make the whole search reproducible: the same seed runs the same candidates in the same order,
 * and seed + path jump straight to the shrunk counterexample.
 *
 * Shrinking is bounded: after `shrinkStepsMax` runs spent shrinking, every further shrink
 * candidate is answered "passes" without running, which ends fast-check's shrink at once with
 * the smallest failure found so far.
 */
import fc from 'fast-check';
import type { Target } from '../run/target.ts';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import type { Candidate } from './candidate.ts';
import { candidateArbitrary, candidateScenario } from './candidate-arbitrary.ts';
import { runCandidate } from './run-candidate.ts';

export interface SearchProgress {
  phase: 'search' | 'shrink';
  runsDone: number;
  runsMax: number;
  shrinkSteps: number;
}

export interface SearchOptions {
  target: Target;
  /** A resolved scenario with an explore space. */
  scenario: ResolvedScenario;
  runs: number;
  /** fast-check's seed. */
  fcSeed: number;
  /** fast-check's path: replays the search from there (a printed counterexample path). */
  path?: string;
  shrinkStepsMax: number;
  scratchDir: string;
  onProgress?: (progress: SearchProgress) => void;
  /**
   * Ends the search early (SIGINT): the run under way finishes, no other starts. Before any
   * violation the outcome says where to resume; while shrinking, the smallest failure found so
   * far is the counterexample.
   */
  stop?: AbortSignal;
}

/** Where a search that a signal stopped before any violation picks up again. */
export interface SearchResume {
  /** fast-check's path to the first candidate not run: `--path`. */
  path: string;
  /** What is left of `--runs`. */
  runsLeft: number;
}

export type SearchOutcome =
  | {
      found: false;
      fcSeed: number;
      runsDone: number;
      unknownRuns: number;
      /** Set when `stop` ended the search before its runs were done. */
      resume: SearchResume | null;
    }
  | {
      found: true;
      /** True when `stop` ended the shrinking: the counterexample is the smallest found so far. */
      shrinkCut: boolean;
      fcSeed: number;
      /** fast-check's path to the shrunk counterexample. */
      path: string;
      /** Runs until the first violation, that one included. */
      runsDone: number;
      /** Runs spent shrinking. */
      shrinkSteps: number;
      /** Of those, the ones that found a smaller failure (fast-check's numShrinks). */
      shrinksTaken: number;
      candidate: Candidate;
      /** The candidate's scenario: what the minimal failing run ran. */
      failing: ResolvedScenario;
      anomalyTypes: string[];
    };

/**
 * fast-check gave up before finding anything: nearly every candidate of the space was refused by
 * the scenario rules (two failovers in two regions, a fault count the run cannot hold).
 */
export class SpaceExhausted extends Error {
  constructor(scenario: string, reason: string) {
    super(
      `${scenario}: explore: almost no schedule of this space is a valid scenario (${reason}); widen explore.faults`,
    );
    this.name = 'SpaceExhausted';
  }
}

/** Candidates the scenario rules may refuse per run before fast-check gives up on the space. */
const SKIPS_PER_RUN_MAX = 100;

class SearchState {
  runsDone = 0;
  unknownRuns = 0;
  shrinkSteps = 0;
  failing: { candidate: Candidate; anomalyTypes: string[] } | null = null;
  harnessError: unknown = null;
  /** Index in fast-check's stream of the next candidate of the search (not the shrink). */
  nextIndex: number;
  /** Set by the first candidate `stop` kept from running. */
  stoppedAt: { index: number; shrinking: boolean } | null = null;

  constructor(path: string | undefined) {
    // A one-segment path starts the search at that index of the stream; a longer one replays a
    // counterexample and goes straight to shrinking it.
    this.nextIndex = path === undefined || path.includes(':') ? 0 : Number(path);
  }

  /** Called once per candidate fast-check offers: false when `stop` keeps it from running. */
  offered(stop: AbortSignal | undefined): boolean {
    const index = this.failing === null ? this.nextIndex++ : -1;
    if (stop?.aborted !== true) return true;
    this.stoppedAt ??= { index, shrinking: this.failing !== null };
    return false;
  }

  /** Whether a run is still allowed: none after a harness error or a spent shrink budget. */
  admit(shrinkStepsMax: number): boolean {
    if (this.harnessError !== null) return false;
    if (this.failing === null) {
      this.runsDone += 1;
      return true;
    }
    if (this.shrinkSteps >= shrinkStepsMax) return false;
    this.shrinkSteps += 1;
    return true;
  }
}

export async function searchSchedules(options: SearchOptions): Promise<SearchOutcome> {
  const { scenario } = options;
  const space = scenario.explore;
  if (space === null) throw new Error(`searchSchedules: ${scenario.name} has no explore space`);
  const state = new SearchState(options.path);
  const property = fc.asyncProperty(candidateArbitrary(scenario, space), async (candidate) => {
    if (!state.offered(options.stop)) return true;
    const applied = candidateScenario(scenario, candidate);
    // Outside the try: fc.pre throws to tell fast-check to skip the candidate.
    fc.pre(applied !== null);
    if (!state.admit(options.shrinkStepsMax)) return true;
    try {
      const results = await runCandidate(options.target, applied, options.scratchDir);
      const violated = results.valid === false;
      if (results.valid === 'unknown' && state.failing === null) state.unknownRuns += 1;
      if (violated) state.failing = { candidate, anomalyTypes: results.anomalyTypes };
      options.onProgress?.({
        phase: state.failing === null ? 'search' : 'shrink',
        runsDone: state.runsDone,
        runsMax: options.runs,
        shrinkSteps: state.shrinkSteps,
      });
      return !violated;
    } catch (error) {
      // A simulator or checker crash is a paychaos bug, not a finding: stop, do not shrink it.
      state.harnessError = error;
      return true;
    }
  });
  const details = await fc.check(property, {
    seed: options.fcSeed,
    numRuns: options.runs,
    maxSkipsPerRun: SKIPS_PER_RUN_MAX,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  if (state.harnessError !== null) throw state.harnessError;
  return outcomeOf(details, state, scenario, options);
}

function resumeOf(state: SearchState, runs: number): SearchResume | null {
  const stopped = state.stoppedAt;
  if (stopped === null || stopped.shrinking) return null;
  return { path: String(stopped.index), runsLeft: runs - state.runsDone };
}

function outcomeOf(
  details: fc.RunDetails<[Candidate]>,
  state: SearchState,
  scenario: ResolvedScenario,
  options: SearchOptions,
): SearchOutcome {
  const { fcSeed } = options;
  if (!details.failed) {
    return {
      found: false,
      fcSeed,
      runsDone: state.runsDone,
      unknownRuns: state.unknownRuns,
      resume: resumeOf(state, options.runs),
    };
  }
  const candidate = details.counterexample?.[0];
  const path = details.counterexamplePath;
  if (state.failing === null) {
    throw new SpaceExhausted(
      scenario.name,
      `${details.numSkips} candidates refused by the scenario rules, ${state.runsDone} runs`,
    );
  }
  if (candidate === undefined || path === null) {
    throw new Error(
      `explore: fast-check failed without a counterexample: ${String(details.errorInstance)}`,
    );
  }
  const failing = candidateScenario(scenario, candidate);
  if (failing === null) throw new Error('explore: the counterexample is not a valid scenario');
  return {
    found: true,
    shrinkCut: state.stoppedAt?.shrinking === true,
    fcSeed,
    path,
    runsDone: state.runsDone,
    shrinkSteps: state.shrinkSteps,
    shrinksTaken: details.numShrinks,
    candidate,
    failing,
    anomalyTypes: state.failing.anomalyTypes,
  };
}
