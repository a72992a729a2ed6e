import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogHistogram } from '../../reports/log-histogram.ts';

const NS_PER_MS = 1_000_000;

function exactQuantileMs(latenciesNs: number[], fraction: number): number {
  const sorted = [...latenciesNs].sort((a, b) => a - b);
  const rank = Math.ceil(fraction * sorted.length);
  return (sorted[rank - 1] ?? 0) / NS_PER_MS;
}

describe('LogHistogram', () => {
  it('has no quantile when empty', () => {
    expect(new LogHistogram().quantileMs(0.5)).toBeNull();
  });

  it('never reports above the largest latency it saw', () => {
    const histogram = new LogHistogram();
    histogram.record(3 * NS_PER_MS);
    expect(histogram.quantileMs(0.99)).toBeLessThanOrEqual(3);
    expect(histogram.quantileMs(0.99)).toBeGreaterThan(2.8);
  });

  it('refuses a negative or infinite latency', () => {
    expect(() => new LogHistogram().record(-1)).toThrow(/not a finite value/);
    expect(() => new LogHistogram().record(Number.POSITIVE_INFINITY)).toThrow(/not a finite value/);
  });

  it('answers p50 and p99 within 5% of the exact quantile, merged or not', () => {
    const latencyNs = fc.integer({ min: 2_000, max: 30_000 * NS_PER_MS });
    fc.assert(
      fc.property(
        fc.array(latencyNs, { minLength: 1, maxLength: 200 }),
        fc.array(latencyNs, { maxLength: 200 }),
        (first, second) => {
          const left = new LogHistogram();
          const right = new LogHistogram();
          for (const value of first) left.record(value);
          for (const value of second) right.record(value);
          left.merge(right);
          const all = [...first, ...second];
          expect(left.count).toBe(all.length);
          for (const fraction of [0.5, 0.99]) {
            const exact = exactQuantileMs(all, fraction);
            const got = left.quantileMs(fraction) ?? -1;
            expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * 0.05 + 0.001);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
