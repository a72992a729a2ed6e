/**
 * The plan and script of an Artillery bundle: each region's window cut at every workload's spike
 * edges, integer phase rates (Artillery's split asserts them) at or above the summed rate and
 * divisible by the local workers, and thinning that gives each workload exactly its own rate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  artilleryPlan,
  type PlanSegment,
  pickWorkload,
  segmentAt,
} from '../../artillery/artillery-plan.ts';
import { artilleryScript } from '../../artillery/artillery-script.ts';
import { validateScenario } from '../../scenario-dsl/validate-scenario.ts';
import scenarioFile from '../run/targets/local/fixtures/lab-isolation.ts';

function spiked() {
  const validation = validateScenario(scenarioFile, 'lab-isolation.ts');
  if (!validation.ok) throw new Error(validation.problems.join('; '));
  const base = validation.scenario;
  const [bank, registers, checkout] = base.workloads;
  return {
    ...base,
    workloads: [
      { ...bank!, spikes: [{ atMs: 2_000, durationMs: 1_000, factor: 3 }] },
      { ...registers!, opsPerSecByRegion: { 'ap-northeast-1': 2.5, 'ap-northeast-3': 0 } },
      { ...checkout!, spikes: [{ atMs: 2_500, durationMs: 3_000, factor: 0.5 }] },
    ],
  };
}

const options = { seed: 1, opsInFlightMaxPerWorker: 100, wallEpochMs: 0, wallClockErrorMs: 10 };

describe('artilleryPlan', () => {
  it('cuts each region at every spike edge, each workload at its own rate there', () => {
    const plan = artilleryPlan(spiked(), { ...options, workersPerRegion: 1 });
    const tokyo = plan.segmentsByRegion['ap-northeast-1']!;
    expect(tokyo.map((s) => [s.startMs, s.endMs])).toEqual([
      [0, 2_000],
      [2_000, 2_500],
      [2_500, 3_000],
      [3_000, 5_500],
      [5_500, 9_000],
    ]);
    expect(tokyo.map((s) => s.opsPerSec)).toEqual([
      [5, 2.5, 1],
      [15, 2.5, 1],
      [15, 2.5, 0.5],
      [5, 2.5, 0.5],
      [5, 2.5, 1],
    ]);
    expect(tokyo.map((s) => s.vuPerSec)).toEqual([9, 19, 18, 8, 9]);
  });

  it('makes every phase rate an integer that the local workers split evenly', () => {
    const plan = artilleryPlan(spiked(), { ...options, workersPerRegion: 4 });
    for (const segments of Object.values(plan.segmentsByRegion)) {
      for (const { vuPerSec, opsPerSec } of segments) {
        expect(vuPerSec % 4).toBe(0);
        expect(vuPerSec).toBeGreaterThanOrEqual(opsPerSec.reduce((a, b) => a + b, 0));
      }
    }
    const script = artilleryScript(plan, { perLocalWorker: true }) as {
      config: { environments: Record<string, { phases: Record<string, unknown>[] }> };
    };
    const phases = script.config.environments['ap-northeast-1']!.phases;
    expect(phases[0]).toEqual({
      name: 'ap-northeast-1 0-2000 ms',
      duration: '2000ms',
      arrivalRate: 3,
      mode: 'poisson',
    });
  });

  it('writes a segment without load as a pause', () => {
    const scenario = spiked();
    const quiet = {
      ...scenario,
      workloads: scenario.workloads.map((w) => ({
        ...w,
        opsPerSecByRegion: { ...w.opsPerSecByRegion, 'ap-northeast-3': 0 },
      })),
    };
    const plan = artilleryPlan(quiet, { ...options, workersPerRegion: 2 });
    const script = artilleryScript(plan, { perLocalWorker: true }) as {
      config: { environments: Record<string, { phases: Record<string, unknown>[] }> };
    };
    expect(script.config.environments['ap-northeast-3']!.phases[0]).toEqual({
      name: 'ap-northeast-3 0-2000 ms',
      pause: '2000ms',
    });
  });

  it('finds the segment of a time, the last one past the window', () => {
    const segments: PlanSegment[] = [
      { startMs: 0, endMs: 10, vuPerSec: 1, opsPerSec: [1] },
      { startMs: 10, endMs: 20, vuPerSec: 2, opsPerSec: [2] },
    ];
    expect(segmentAt(segments, 0).startMs).toBe(0);
    expect(segmentAt(segments, 10).startMs).toBe(10);
    expect(segmentAt(segments, 25).startMs).toBe(10);
  });
});

describe('pickWorkload (thinning)', () => {
  it('picks workload i with probability rate_i / phase rate and thins the rest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 10 }),
        (rates, extra) => {
          const sum = rates.reduce((a, b) => a + b, 0);
          const segment = { startMs: 0, endMs: 1, vuPerSec: sum + extra, opsPerSec: rates };
          const draws = 1_000;
          const picked = new Array<number>(rates.length).fill(0);
          let thinned = 0;
          for (let k = 0; k < draws; k += 1) {
            const w = pickWorkload(segment, (k + 0.5) / draws);
            if (w === null) thinned += 1;
            else picked[w]! += 1;
          }
          // Evenly spaced draws: each share is exact to within one draw per workload.
          rates.forEach((rate, i) => {
            const expected = segment.vuPerSec === 0 ? 0 : (rate / segment.vuPerSec) * draws;
            expect(Math.abs(picked[i]! - expected)).toBeLessThanOrEqual(1);
          });
          const thinnedExpected =
            segment.vuPerSec === 0 ? draws : (extra / segment.vuPerSec) * draws;
          expect(Math.abs(thinned - thinnedExpected)).toBeLessThanOrEqual(rates.length + 1);
        },
      ),
    );
  });
});
