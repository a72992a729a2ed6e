import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DurationDistribution } from '../../checkers/duration-distribution.ts';
import { MinHeap } from '../../lib/min-heap.ts';

describe('DurationDistribution', () => {
  it('gives exact nearest-rank percentiles while it keeps samples', () => {
    const lags = new DurationDistribution(100);
    for (const lagMs of [5, 1, 3, 2, 4]) lags.record(lagMs * 1_000_000);
    expect(lags.summaryMs()).toEqual({ count: 5, p50: 3, p99: 5, max: 5 });
  });

  it('switches to a histogram past its cap, within 0.1 %, with exact count and max', () => {
    const lags = new DurationDistribution(10);
    for (let lagMs = 1; lagMs <= 1000; lagMs += 1) lags.record(lagMs * 1_000_000);
    const summary = lags.summaryMs();
    expect(summary.count).toBe(1000);
    expect(summary.max).toBe(1000);
    expect(summary.p50).toBeGreaterThanOrEqual(500);
    expect(summary.p50).toBeLessThanOrEqual(500.5);
    expect(summary.p99).toBeGreaterThanOrEqual(990);
    expect(summary.p99).toBeLessThanOrEqual(991);
  });

  it('reports nulls when empty and rejects negative lags', () => {
    expect(new DurationDistribution(1).summaryMs()).toEqual({
      count: 0,
      p50: null,
      p99: null,
      max: null,
    });
    expect(() => new DurationDistribution(1).record(-1)).toThrow('is not >= 0');
  });
});

describe('MinHeap', () => {
  it('pops in ascending order, also after retain', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }), (values) => {
        const heap = new MinHeap<number>((a, b) => a < b);
        for (const value of values) heap.push(value);
        heap.retain((value) => value % 3 !== 0);
        const popped: number[] = [];
        for (let item = heap.pop(); item !== undefined; item = heap.pop()) popped.push(item);
        expect(popped).toEqual(values.filter((v) => v % 3 !== 0).sort((a, b) => a - b));
      }),
      { numRuns: 100 },
    );
  });
});
