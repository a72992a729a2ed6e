/**
 * An arrival stream on a clock that moves while the stream computes its next gap, as a real
 * clock does: an arrival already due is scheduled with no delay, never a negative one (which a
 * real-time Clock refuses, and which stopped the Node driver in the bench at 250/s per region).
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../load/clock.ts';
import { startPoissonArrivals } from '../../load/poisson-arrivals.ts';
import { Prng } from '../../targets/sim/prng.ts';

describe('startPoissonArrivals on a clock that moves between reads', () => {
  it('schedules every arrival at a delay >= 0', () => {
    let nowNs = 0;
    const delaysNs: number[] = [];
    const due: (() => void)[] = [];
    const clock: Clock = {
      get nowNs() {
        // Every read finds the clock 50 µs later: more than most gaps at 100,000/s.
        nowNs += 50_000;
        return nowNs;
      },
      after(delayNs, action) {
        if (delayNs < 0) throw new Error(`negative delay ${delayNs}`);
        delaysNs.push(delayNs);
        due.push(action);
        return { cancel: () => undefined };
      },
    };
    const stream = startPoissonArrivals(
      clock,
      new Prng(1),
      [{ startNs: 0, endNs: 1_000_000_000, opsPerSec: 100_000 }],
      () => undefined,
    );
    for (let i = 0; i < 1_000 && due.length > 0; i += 1) due.shift()?.();
    expect(stream.arrivals).toBeGreaterThan(100);
    expect(delaysNs.some((delay) => delay === 0)).toBe(true);
    expect(Math.min(...delaysNs)).toBeGreaterThanOrEqual(0);
  });
});
