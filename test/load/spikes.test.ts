/**
 * Spikes in the load: the window cut at spike edges, the non-homogeneous Poisson stream (measured
 * rates inside and outside a spike match the plan; no spikes draws exactly as a constant stream
 * did), the runaway guard on the spiked expected count, and determinism through the driver.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schedulerClock } from '../../load/clock.ts';
import {
  expectedArrivals,
  type RateSegment,
  rateSegments,
  spikeSteps,
  startPoissonArrivals,
} from '../../load/poisson-arrivals.ts';
import type { RateSpike } from '../../scenario-dsl/resolved-scenario.ts';
import { Prng } from '../../targets/sim/prng.ts';
import { Scheduler } from '../../targets/sim/scheduler.ts';
import { invokes } from './support/history-queries.ts';
import {
  bankWorkload,
  checkoutWorkload,
  NS_PER_MS,
  OSAKA,
  runLoad,
  TOKYO,
} from './support/run-load.ts';

const NS_PER_S = 1_000_000_000;

/** Arrival times of one stream over `segments`, started at the first segment's start. */
async function arrivalTimes(segments: readonly RateSegment[], seed: number): Promise<number[]> {
  const scheduler = new Scheduler();
  const first = segments[0];
  if (first === undefined) throw new Error('no segments');
  const times: number[] = [];
  scheduler.at(first.startNs, () => {
    startPoissonArrivals(schedulerClock(scheduler), new Prng(seed), segments, (timeNs) =>
      times.push(timeNs),
    );
  });
  await scheduler.run({ untilNs: segments.at(-1)?.endNs ?? 0, eventsMax: 1_000_000 });
  return times;
}

function countIn(times: readonly number[], fromNs: number, toNs: number): number {
  return times.filter((t) => t >= fromNs && t < toNs).length;
}

/**
 * A Poisson count with this mean lies within `sigmas` standard deviations of it: at 5, a miss
 * has odds under 1e-5 even for a mean of 10; properties draw fresh seeds each run, so they use 6.
 */
function expectPoissonCount(count: number, mean: number, sigmas = 5): void {
  expect(Math.abs(count - mean)).toBeLessThanOrEqual(sigmas * Math.sqrt(mean));
}

describe('spikeSteps: the window cut at spike edges', () => {
  it('cuts the window into contiguous steps, spikes in any order, relative to the window start', () => {
    const startNs = 7 * NS_PER_MS;
    const spikes: RateSpike[] = [
      { atMs: 30, durationMs: 10, factor: 0.5 },
      { atMs: 10, durationMs: 20, factor: 4 },
    ];
    expect(spikeSteps(spikes, startNs, startNs + 50 * NS_PER_MS)).toEqual([
      { startNs, endNs: startNs + 10 * NS_PER_MS, factor: 1 },
      { startNs: startNs + 10 * NS_PER_MS, endNs: startNs + 30 * NS_PER_MS, factor: 4 },
      { startNs: startNs + 30 * NS_PER_MS, endNs: startNs + 40 * NS_PER_MS, factor: 0.5 },
      { startNs: startNs + 40 * NS_PER_MS, endNs: startNs + 50 * NS_PER_MS, factor: 1 },
    ]);
  });

  it('is one step of factor 1 without spikes, and has no empty step at the edges', () => {
    expect(spikeSteps([], 0, 5)).toEqual([{ startNs: 0, endNs: 5, factor: 1 }]);
    expect(spikeSteps([{ atMs: 0, durationMs: 2, factor: 3 }], 0, 2 * NS_PER_MS)).toEqual([
      { startNs: 0, endNs: 2 * NS_PER_MS, factor: 3 },
    ]);
  });

  it('throws on what the scenario rules refuse: overlap, outside the window, a bad factor', () => {
    const endNs = 100 * NS_PER_MS;
    const overlapping = [
      { atMs: 10, durationMs: 20, factor: 2 },
      { atMs: 20, durationMs: 20, factor: 2 },
    ];
    expect(() => spikeSteps(overlapping, 0, endNs)).toThrow(/overlaps the spike before it/);
    expect(() => spikeSteps([{ atMs: 90, durationMs: 20, factor: 2 }], 0, endNs)).toThrow(
      /ends after the window/,
    );
    expect(() => spikeSteps([{ atMs: 1, durationMs: 1, factor: 0 }], 0, endNs)).toThrow(/factor/);
    expect(() => spikeSteps([{ atMs: 1, durationMs: 0, factor: 2 }], 0, endNs)).toThrow(/0 ms/);
  });

  it('gives the expected count as the integral of the rate', () => {
    const steps = spikeSteps([{ atMs: 2000, durationMs: 1000, factor: 5 }], 0, 4 * NS_PER_S);
    expect(expectedArrivals(rateSegments(10, steps))).toBeCloseTo(10 * 3 + 50 * 1, 9);
  });
});

describe('the non-homogeneous Poisson stream', () => {
  it('arrives at the planned rate inside and outside a spike, and at a dip', async () => {
    // 100/s for 100 s; x5 over [40 s, 60 s), x0.5 over [80 s, 90 s).
    const spikes = [
      { atMs: 40_000, durationMs: 20_000, factor: 5 },
      { atMs: 80_000, durationMs: 10_000, factor: 0.5 },
    ];
    const segments = rateSegments(100, spikeSteps(spikes, 0, 100 * NS_PER_S));
    for (const seed of [1, 2, 3]) {
      const times = await arrivalTimes(segments, seed);
      expectPoissonCount(countIn(times, 0, 40 * NS_PER_S), 4000);
      expectPoissonCount(countIn(times, 40 * NS_PER_S, 60 * NS_PER_S), 10_000);
      expectPoissonCount(countIn(times, 60 * NS_PER_S, 80 * NS_PER_S), 2000);
      expectPoissonCount(countIn(times, 80 * NS_PER_S, 90 * NS_PER_S), 500);
      expectPoissonCount(countIn(times, 90 * NS_PER_S, 100 * NS_PER_S), 1000);
      // The spike is flat: its first and last seconds get the same rate (no warm-up).
      expectPoissonCount(countIn(times, 40 * NS_PER_S, 41 * NS_PER_S), 500);
      expectPoissonCount(countIn(times, 59 * NS_PER_S, 60 * NS_PER_S), 500);
    }
  });

  it('matches the planned count for random spike plans (property)', async () => {
    const plan = fc.record({
      seed: fc.integer({ min: 0, max: 1000 }),
      opsPerSec: fc.integer({ min: 40, max: 200 }),
      atS: fc.integer({ min: 0, max: 8 }),
      durationS: fc.integer({ min: 1, max: 5 }),
      factor: fc.constantFrom(0.25, 0.5, 2, 3, 4, 5, 10),
    });
    await fc.assert(
      fc.asyncProperty(plan, async ({ seed, opsPerSec, atS, durationS, factor }) => {
        const spike = { atMs: atS * 1000, durationMs: durationS * 1000, factor };
        const windowNs = 15 * NS_PER_S;
        const segments = rateSegments(opsPerSec, spikeSteps([spike], 0, windowNs));
        const times = await arrivalTimes(segments, seed);
        const startNs = atS * NS_PER_S;
        const endNs = (atS + durationS) * NS_PER_S;
        expectPoissonCount(countIn(times, startNs, endNs), opsPerSec * factor * durationS, 6);
        expectPoissonCount(
          times.length - countIn(times, startNs, endNs),
          opsPerSec * (15 - durationS),
          6,
        );
        expect(times.every((t, i) => i === 0 || t >= (times[i - 1] ?? 0))).toBe(true);
        expect(times.every((t) => t >= 0 && t < windowNs)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('without spikes draws exactly what a constant-rate stream draws', async () => {
    // The constant-rate stream as it was before spikes: gaps until one crosses the window end.
    const opsPerSec = 40;
    const windowNs = 10 * NS_PER_S;
    const reference: number[] = [];
    const prng = new Prng(9);
    for (let nowNs = 0, i = 0; i < 10_000; i++) {
      const gapNs = Math.round(prng.exponential(NS_PER_S / opsPerSec));
      if (nowNs + gapNs >= windowNs) break;
      nowNs += gapNs;
      reference.push(nowNs);
    }
    const times = await arrivalTimes(rateSegments(opsPerSec, spikeSteps([], 0, windowNs)), 9);
    expect(times).toEqual(reference);
  });
});

describe('the driver with spikes', () => {
  const spike = { atMs: 1000, durationMs: 1000, factor: 4 };
  const transfers = {
    mix: { transfer: 1, deposit: 0, withdraw: 0, consistentRead: 0, eventualRead: 0 },
    spikes: [spike],
  };

  it('multiplies every region rate inside the spike and only there', async () => {
    const { sink } = await runLoad({
      plan: {
        workloads: [bankWorkload({ [TOKYO]: 100, [OSAKA]: 25 }, transfers)],
        durationMs: 3000,
      },
    });
    const first = invokes(sink.ops).filter((op) => op.attempt === undefined);
    const inRegion = (region: string) =>
      first.filter((op) => op.region === region).map((op) => op.time);
    const tokyo = inRegion(TOKYO);
    const osaka = inRegion(OSAKA);
    expectPoissonCount(
      countIn(tokyo, 0, NS_PER_S) + countIn(tokyo, 2 * NS_PER_S, 3 * NS_PER_S),
      200,
    );
    expectPoissonCount(countIn(tokyo, NS_PER_S, 2 * NS_PER_S), 400);
    expectPoissonCount(
      countIn(osaka, 0, NS_PER_S) + countIn(osaka, 2 * NS_PER_S, 3 * NS_PER_S),
      50,
    );
    expectPoissonCount(countIn(osaka, NS_PER_S, 2 * NS_PER_S), 100);
  });

  it('keeps to each workload its own spikes', async () => {
    const { sink } = await runLoad({
      plan: {
        workloads: [
          bankWorkload({ [TOKYO]: 100, [OSAKA]: 0 }, transfers),
          checkoutWorkload({ [TOKYO]: 100, [OSAKA]: 0 }),
        ],
        durationMs: 3000,
      },
    });
    const times = (f: string) => invokes(sink.ops, f).map((op) => op.time);
    expectPoissonCount(countIn(times('transfer'), NS_PER_S, 2 * NS_PER_S), 400);
    expectPoissonCount(countIn(times('checkout'), NS_PER_S, 2 * NS_PER_S), 100);
  });

  it('does not take a spiked stream for a runaway: the guard counts the spike in', async () => {
    // 10/s for 2 s, x100 throughout: about 2000 arrivals, far over 2 x 10/s x 2 s + 1000.
    const { driver } = await runLoad({
      plan: {
        workloads: [
          bankWorkload(
            { [TOKYO]: 10, [OSAKA]: 0 },
            { spikes: [{ atMs: 0, durationMs: 2000, factor: 100 }] },
          ),
        ],
        durationMs: 2000,
      },
    });
    expectPoissonCount(driver.stats.totals().arrivals, 2000);
  });

  it('replays a spiked run exactly from its seed, and another seed differs', async () => {
    const plan = {
      workloads: [bankWorkload({ [TOKYO]: 50, [OSAKA]: 20 }, transfers)],
      durationMs: 3000,
    };
    const a = await runLoad({ plan, seed: 5 });
    const b = await runLoad({ plan, seed: 5 });
    const c = await runLoad({ plan, seed: 6 });
    expect(JSON.stringify(a.sink.ops)).toBe(JSON.stringify(b.sink.ops));
    expect(JSON.stringify(a.sink.ops)).not.toBe(JSON.stringify(c.sink.ops));
  });

  it('refuses a plan whose spike overlaps another, at construction', async () => {
    const overlapping = [
      { atMs: 100, durationMs: 500, factor: 2 },
      { atMs: 300, durationMs: 500, factor: 2 },
    ];
    await expect(
      runLoad({
        plan: { workloads: [bankWorkload({ [TOKYO]: 10, [OSAKA]: 0 }, { spikes: overlapping })] },
      }),
    ).rejects.toThrow(/overlaps the spike before it/);
  });
});
