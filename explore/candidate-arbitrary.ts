/**
 * The fast-check arbitrary of a scenario's explore space: candidates (explore/candidate.ts) that
 * shrink toward fewer faults, then earlier and shorter ones, then lower rates. The simulator seed
 * does not shrink: another seed is another run, not a smaller one.
 *
 * Not every candidate is a valid scenario: `candidateScenario` applies one, writes it back as a
 * spec and puts it through validateScenario (the same rules `paychaos run` applies), and the
 * search skips those refused (two faults holding one region at once, a failover to a killed
 * replica, a rate past the cap) with fc.pre. Not with .filter: a filter retries without bound on
 * a space where nothing is valid, while fast-check counts skipped preconditions and gives up.
 */
import fc from 'fast-check';
import type { ExploreSpace, ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import { validateScenario } from '../scenario-dsl/validate-scenario.ts';
import { applyCandidate, type Candidate } from './candidate.ts';
import { faultGeneArbitrary, faultsOfGenes } from './fault-genes.ts';
import { sameScenario, scenarioSpecOf } from './scenario-spec.ts';

/** Rate scales and skews are drawn in hundredths. */
const HUNDREDTHS = 100;
/** Simulator seeds: any 31-bit integer, so that they print short. */
export const SIM_SEED_MAX = 2 ** 31 - 1;

function hundredths(range: { min: number; max: number }): fc.Arbitrary<number> {
  return fc
    .integer({
      min: Math.ceil(range.min * HUNDREDTHS),
      max: Math.floor(range.max * HUNDREDTHS),
    })
    .map((units) => units / HUNDREDTHS);
}

/** A range narrower than a hundredth still has its own min (e.g. {min: 1, max: 1}). */
function scaleArbitrary(range: { min: number; max: number }): fc.Arbitrary<number> {
  if (Math.ceil(range.min * HUNDREDTHS) > Math.floor(range.max * HUNDREDTHS))
    return fc.constant(range.min);
  return hundredths(range);
}

/** The scenario the candidate gives, or null when the scenario rules refuse it. */
export function candidateScenario(
  scenario: ResolvedScenario,
  candidate: Candidate,
): ResolvedScenario | null {
  const applied = applyCandidate(scenario, candidate);
  const validation = validateScenario(scenarioSpecOf(applied, applied.name), '(explored)');
  if (!validation.ok) return null;
  if (!sameScenario(validation.scenario, applied)) {
    throw new Error(
      `explore: candidate of ${scenario.name} does not survive its own spec (a paychaos bug): ${JSON.stringify(candidate)}`,
    );
  }
  return applied;
}

export function candidateArbitrary(
  scenario: ResolvedScenario,
  space: ExploreSpace,
): fc.Arbitrary<Candidate> {
  const world = { space: space.faults, clusters: scenario.clusters, runMs: scenario.durationMs };
  const genes = fc.array(faultGeneArbitrary(space.faults, scenario.clusters.length), {
    minLength: space.faults.count.min,
    maxLength: space.faults.count.max,
  });
  const skew = space.workloads.skew;
  return fc.record({
    faults: genes.map((g) => faultsOfGenes(g, world)),
    rateScale: scaleArbitrary(space.workloads.rateScale),
    skew: skew === null ? fc.constant(null) : scaleArbitrary(skew),
    simSeed: fc.noShrink(fc.integer({ min: 0, max: SIM_SEED_MAX })),
  });
}
