/**
 * Arrivals on a clock whose timers fire late, as a real clock's do when the event loop is busy:
 * each arrival keeps the time the Poisson process drew for it (the one its latency counts from),
 * the stream is not thinned by the lateness, and no timer is asked for a negative delay.
 */
import { describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../../load/clock.ts';
import { startPoissonArrivals } from '../../load/poisson-arrivals.ts';
import { Prng } from '../../targets/sim/prng.ts';

const NS_PER_MS = 1_000_000;

/** A manual clock that stalls (a busy event loop): a timer due inside a stall fires at its end. */
function stallingClock(stalls: readonly { fromNs: number; toNs: number }[]) {
  let nowNs = 0;
  const timers: { dueNs: number; action: () => void; cancelled: boolean }[] = [];
  const delaysNs: number[] = [];
  const clock: Clock = {
    get nowNs() {
      return nowNs;
    },
    after(delayNs, action): TimerHandle {
      delaysNs.push(delayNs);
      const timer = { dueNs: nowNs + delayNs, action, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
  };
  const runUntil = (endNs: number) => {
    for (let fired = 0; fired < 1_000_000; fired += 1) {
      timers.sort((a, b) => a.dueNs - b.dueNs);
      const timer = timers.shift();
      if (timer === undefined || timer.dueNs > endNs) return;
      if (timer.cancelled) continue;
      const stall = stalls.find((s) => timer.dueNs >= s.fromNs && timer.dueNs < s.toNs);
      nowNs = Math.max(nowNs, stall?.toNs ?? timer.dueNs);
      timer.action();
    }
    throw new Error('runaway timers');
  };
  return { clock, runUntil, delaysNs };
}

function arrivals(stalls: readonly { fromNs: number; toNs: number }[]) {
  const { clock, runUntil, delaysNs } = stallingClock(stalls);
  const times: number[] = [];
  const segments = [{ startNs: 0, endNs: 10_000 * NS_PER_MS, opsPerSec: 200 }];
  startPoissonArrivals(clock, new Prng(7), segments, (timeNs) => times.push(timeNs));
  runUntil(20_000 * NS_PER_MS);
  return { times, delaysNs };
}

describe('arrivals on timers that fire late', () => {
  it('keeps the drawn times: the same stream as on time, never a negative delay', () => {
    const onTime = arrivals([]);
    const late = arrivals(
      [1_000, 2_500, 6_000].map((ms) => ({ fromNs: ms * NS_PER_MS, toNs: (ms + 300) * NS_PER_MS })),
    );
    expect(onTime.times.length).toBeGreaterThan(1_800);
    expect(late.times).toEqual(onTime.times);
    expect(Math.min(...late.delaysNs)).toBeGreaterThanOrEqual(0);
  });

  it('fires the arrivals a stall left behind in the turn that ends it, not one timer each', () => {
    const stalls = [1_000, 2_500, 6_000].map((ms) => ({
      fromNs: ms * NS_PER_MS,
      toNs: (ms + 300) * NS_PER_MS,
    }));
    const onTime = arrivals([]);
    const late = arrivals(stalls);
    // ~60 arrivals fall inside each 300 ms stall at 200/s: they need no timer of their own.
    const insideStalls = onTime.times.filter((t) =>
      stalls.some((s) => t >= s.fromNs && t < s.toNs),
    ).length;
    expect(insideStalls).toBeGreaterThan(100);
    expect(onTime.delaysNs.length).toBe(onTime.times.length);
    expect(late.delaysNs.length).toBeLessThanOrEqual(onTime.delaysNs.length - insideStalls + 3);
  });
});
