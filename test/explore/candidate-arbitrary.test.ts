import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../explore/candidate.ts';
import { candidateArbitrary, candidateScenario } from '../../explore/candidate-arbitrary.ts';
import { TIME_STEP_MS } from '../../explore/fault-genes.ts';
import type { ResolvedScenario } from '../../scenario-dsl/resolved-scenario.ts';
import { checkSchedule } from '../../scenario-dsl/schedule-rules.ts';
import { validateScenario } from '../../scenario-dsl/validate-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';
const US = 'us-east-1';

function scenarioWith(
  explore: Record<string, unknown>,
  regions: string[] = [TOKYO, OSAKA],
): ResolvedScenario {
  const validation = validateScenario(
    {
      name: 'space',
      regions,
      hypothesis: 'The space is searched.',
      duration: '20s',
      bank: {
        accounts: [
          { name: 'a', balance: 10 },
          { name: 'b', balance: 10 },
        ],
      },
      workloads: [{ kind: 'bank', rate: { [TOKYO]: 10, [OSAKA]: 30 }, skew: 1 }],
      explore,
    },
    'space.ts',
  );
  if (!validation.ok) throw new Error(validation.problems.join('\n'));
  return validation.scenario;
}

const EVERY_KIND = scenarioWith({
  faults: { count: { min: 0, max: 6 } },
  workloads: { rateScale: { min: 0.25, max: 3 }, skew: { min: 0, max: 2 } },
});

function arbitraryOf(scenario: ResolvedScenario): fc.Arbitrary<Candidate> {
  if (scenario.explore === null) throw new Error('no explore space');
  return candidateArbitrary(scenario, scenario.explore);
}

/** Runs fast-check on a predicate standing in for the simulator; returns the shrunk candidate. */
function shrunkBy(scenario: ResolvedScenario, fails: (c: Candidate) => boolean): Candidate {
  const details = fc.check(
    fc.property(arbitraryOf(scenario), (c) => {
      fc.pre(candidateScenario(scenario, c) !== null);
      return !fails(c);
    }),
    { seed: 7, numRuns: 300 },
  );
  const candidate = details.counterexample?.[0];
  if (candidate === undefined) throw new Error('expected a counterexample');
  return candidate;
}

describe('explore candidates', () => {
  it('are mostly valid scenarios, and the valid ones lie inside the space', () => {
    const space = EVERY_KIND.explore!;
    const world = { regions: EVERY_KIND.regions, clusters: EVERY_KIND.clusters };
    const samples = fc.sample(arbitraryOf(EVERY_KIND), { numRuns: 300, seed: 3 });
    const valid = samples.filter((c) => candidateScenario(EVERY_KIND, c) !== null);
    // Six faults of every kind in two regions: overlaps are common, yet most schedules hold.
    expect(valid.length).toBeGreaterThan(samples.length / 2);
    for (const candidate of samples) {
      const problems = checkSchedule(candidate.faults, world, EVERY_KIND.durationMs);
      expect(problems.length === 0).toBe(valid.includes(candidate));
    }
    fc.assert(
      fc.property(arbitraryOf(EVERY_KIND), (candidate) => {
        fc.pre(candidateScenario(EVERY_KIND, candidate) !== null);
        expect(candidate.faults.length).toBeLessThanOrEqual(space.faults.count.max);
        for (const { atMs, durationMs, fault } of candidate.faults) {
          expect(space.faults.kinds).toContain(fault.kind);
          expect(atMs).toBeGreaterThanOrEqual(space.faults.atMs.min);
          expect(atMs).toBeLessThanOrEqual(space.faults.atMs.max);
          expect(atMs % TIME_STEP_MS).toBe(0);
          if (fault.kind !== 'failover') expect(durationMs).toBeGreaterThan(0);
        }
        expect(candidate.rateScale).toBeGreaterThanOrEqual(0.25);
        expect(candidate.rateScale).toBeLessThanOrEqual(3);
      }),
      { numRuns: 150, seed: 3 },
    );
  });

  it('scale every rate and replace every skew; the seed is the simulator seed', () => {
    const candidate: Candidate = { faults: [], rateScale: 0.5, skew: 0.25, simSeed: 9 };
    const applied = candidateScenario(EVERY_KIND, candidate);
    expect(applied?.workloads[0]?.opsPerSecByRegion).toEqual({ [TOKYO]: 5, [OSAKA]: 15 });
    expect(applied?.workloads[0]?.skew).toBe(0.25);
    expect(applied?.seed).toBe(9);
    expect(applied?.explore).toBeNull();
  });

  it('shrink to the fewest faults: one fault when any isolation fails', () => {
    const shrunk = shrunkBy(EVERY_KIND, (c) => c.faults.some((f) => f.fault.kind === 'isolate'));
    expect(shrunk.faults).toHaveLength(1);
    expect(shrunk.faults[0]).toMatchObject({
      atMs: 0,
      durationMs: 1000,
      fault: { kind: 'isolate', region: TOKYO },
    });
  });

  it('shrink to the earliest, shortest fault that still fails, and the lowest rate', () => {
    const shrunk = shrunkBy(EVERY_KIND, (c) =>
      c.faults.some(
        (f) => f.fault.kind === 'replica-lag' && f.atMs >= 2000 && f.durationMs >= 2500,
      ),
    );
    expect(shrunk.faults).toHaveLength(1);
    expect(shrunk.faults[0]).toMatchObject({ atMs: 2000, durationMs: 2500 });
    expect(shrunk.faults[0]?.fault).toMatchObject({ kind: 'replica-lag', lagMs: 100 });
    expect(shrunk.rateScale).toBe(0.25);
    expect(shrunk.skew).toBe(0);
  });

  it('shrink to no fault at all when the workload alone fails', () => {
    const shrunk = shrunkBy(EVERY_KIND, (c) => c.rateScale >= 2);
    expect(shrunk.faults).toEqual([]);
    expect(shrunk.rateScale).toBe(2);
  });

  it('promote from the writer of the moment, never back to an old writer', () => {
    const failovers = scenarioWith({ faults: { kinds: ['failover'], count: { min: 2, max: 2 } } }, [
      TOKYO,
      OSAKA,
      US,
    ]);
    fc.assert(
      fc.property(arbitraryOf(failovers), (candidate) => {
        expect(candidateScenario(failovers, candidate)).not.toBeNull();
        const [first, second] = candidate.faults.map((f) => f.fault);
        if (first?.kind !== 'failover' || second?.kind !== 'failover') throw new Error('kinds');
        expect(first.from).toBe(TOKYO);
        expect(second.from).toBe(first.to);
        expect([first.from, first.to, second.to].sort()).toEqual([TOKYO, OSAKA, US].sort());
      }),
      { numRuns: 50, seed: 5 },
    );
  });
});
