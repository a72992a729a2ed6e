/**
 * Properties over generated concurrent histories: a correct saga executor's histories are valid,
 * and each mutation that injects one anomaly is named, with the ops of the saga involved.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderWorld } from './support/render-world.ts';
import { anomalyTypes, runSaga } from './support/run-saga.ts';
import { buildWorld, worldPlan } from './support/saga-model.ts';
import { MUTATIONS } from './support/saga-mutations.ts';

const NUM_RUNS = 150;

describe('saga checker properties', () => {
  it('a correct saga executor always produces a valid history', () => {
    fc.assert(
      fc.property(worldPlan, (plan) => {
        const world = buildWorld(plan);
        const result = runSaga(renderWorld(world).text);
        expect(result?.anomalies).toEqual([]);
        expect(result?.valid).toBe(true);
        const byStatus = result?.stats.sagasByStatus as Record<string, number>;
        expect(Object.values(byStatus).reduce((a, b) => a + b, 0)).toBe(world.sagas.length);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  // design.md neither says steps are listed in execution order nor requires `at`: a correct
  // executor's saga log may list its steps in any order, or record no step times at all.
  it('a correct history stays valid with steps listed in reverse, or with no step times', () => {
    fc.assert(
      fc.property(worldPlan, fc.boolean(), (plan, stripTimes) => {
        const world = buildWorld(plan);
        const sagas = world.sagas.map((record) => ({
          ...record,
          steps: stripTimes
            ? record.steps.map(({ at: _at, compensatedAt: _c, ...step }) => step)
            : [...record.steps].reverse(),
        }));
        const result = runSaga(renderWorld({ ...world, sagas }).text);
        expect(result?.anomalies).toEqual([]);
        expect(result?.valid).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  for (const [name, mutate] of Object.entries(MUTATIONS)) {
    it(`${name} is named, with the ops of the saga involved`, () => {
      fc.assert(
        fc.property(worldPlan, fc.nat(), (plan, pick) => {
          const mutated = mutate(buildWorld(plan), pick);
          fc.pre(mutated !== null);
          if (mutated === null) return;
          const rendered = renderWorld(mutated.world);
          const result = runSaga(rendered.text);
          expect(result?.valid).toBe(false);
          expect(anomalyTypes(result)).toEqual([mutated.type]);
          const anomaly = result!.anomalies[0]!;
          expect(anomaly.saga).toBe(mutated.id);
          const expectedOps = [...(rendered.checkoutOps.get(mutated.id) ?? [])];
          if (mutated.namesSagaLine) expectedOps.push(rendered.sagaLine.get(mutated.id)!);
          expect(anomaly.ops).toEqual(expect.arrayContaining(expectedOps));
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }
});
