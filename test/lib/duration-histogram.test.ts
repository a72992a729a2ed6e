import { describe, expect, it } from 'vitest';
import { DurationHistogram } from '../../lib/duration-histogram.ts';

describe('DurationHistogram', () => {
  it('summarizes count, p50, p99 and the exact max, never a quantile above the max', () => {
    const histogram = new DurationHistogram();
    for (let ms = 1; ms <= 100; ms += 1) histogram.recordMs(ms);
    const summary = histogram.summaryMs();
    expect(summary.count).toBe(100);
    expect(summary.p50).toBeCloseTo(50, 1);
    expect(summary.p99).toBeCloseTo(99, 1);
    expect(summary.max).toBe(100);
  });

  it('takes a window: the summary of what was recorded since the last take, then empty', () => {
    const histogram = new DurationHistogram();
    histogram.recordMs(7);
    expect(histogram.takeSummaryMs()).toEqual({ count: 1, p50: 7, p99: 7, max: 7 });
    expect(histogram.takeSummaryMs()).toEqual({ count: 0, p50: null, p99: null, max: null });
    histogram.recordMs(3);
    expect(histogram.takeSummaryMs().max).toBe(3);
  });

  it('refuses a duration that is negative or not finite', () => {
    const histogram = new DurationHistogram();
    expect(() => histogram.record(-1)).toThrow(/not a finite value >= 0/);
    expect(() => histogram.recordMs(Number.NaN)).toThrow(/not a finite value >= 0/);
  });
});
