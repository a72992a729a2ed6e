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
}

export type SearchOutcome =
  | { found: false; fcSeed: number; runsDone: number; unknownRuns: number }
  | {
      found: true;
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
  const state = new SearchState();
  const property = fc.asyncProperty(candidateArbitrary(scenario, space), async (candidate) => {
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
  return outcomeOf(details, state, scenario, options.fcSeed);
}

function outcomeOf(
  details: fc.RunDetails<[Candidate]>,
  state: SearchState,
  scenario: ResolvedScenario,
  fcSeed: number,
): SearchOutcome {
  if (!details.failed) {
    return { found: false, fcSeed, runsDone: state.runsDone, unknownRuns: state.unknownRuns };
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
