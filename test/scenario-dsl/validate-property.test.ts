import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE, problemsOf } from './scenario-test-support.ts';

const REGIONS = ['ap-northeast-1', 'ap-northeast-3'];
const RUN_S = 60;

/** Faults from a correct model: each region's crashes run one after another, inside the run. */
const validFaults = fc
  .array(
    fc.record({
      region: fc.constantFrom(...REGIONS),
      gapS: fc.integer({ min: 0, max: 10 }),
      durationS: fc.integer({ min: 1, max: 10 }),
    }),
    { maxLength: 8 },
  )
  .map((specs) => {
    const freeAtS = new Map<string, number>();
    const faults: Array<{
      at: string;
      duration: string;
      fault: { kind: 'crash-bank'; region: string };
    }> = [];
    for (const { region, gapS, durationS } of specs) {
      const atS = (freeAtS.get(region) ?? 0) + gapS;
      if (atS + durationS > RUN_S) continue;
      freeAtS.set(region, atS + durationS);
      faults.push({
        at: `${atS}s`,
        duration: `${durationS}s`,
        fault: { kind: 'crash-bank', region },
      });
    }
    return faults;
  });

describe('validateScenario over generated schedules', () => {
  it('accepts every schedule a correct model writes', () => {
    fc.assert(
      fc.property(validFaults, (faults) => {
        expect(problemsOf({ ...BASE, duration: `${RUN_S}s`, faults })).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('names exactly the one fault moved past the end of the run', () => {
    const mutated = validFaults
      .filter((faults) => faults.length > 0)
      .chain((faults) => fc.tuple(fc.constant(faults), fc.nat({ max: faults.length - 1 })));
    fc.assert(
      fc.property(mutated, ([faults, i]) => {
        const moved = faults.map((f, j) => (j === i ? { ...f, at: '75s' } : f));
        // Moving it away can only free its region, so no overlap appears in its place.
        expect(problemsOf({ ...BASE, duration: `${RUN_S}s`, faults: moved })).toEqual([
          `scenarios/x.ts: faults[${i}].at: 75s is after the end of the run (60s)`,
        ]);
      }),
      { numRuns: 150 },
    );
  });
});
