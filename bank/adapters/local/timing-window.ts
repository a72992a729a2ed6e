/**
 * Durations recorded since the window was last taken, for the bench's per-step breakdown of where
 * a request's time went (bench/lab-throughput.ts): an HDR histogram in µs (3 significant digits,
 * a few KB however many are recorded), count and max exact.
 */
import { build, type Histogram } from 'hdr-histogram-js';

const US_PER_MS = 1_000;

export interface TimingSummaryMs {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export class TimingWindow {
  private histogramUs: Histogram = build({ numberOfSignificantValueDigits: 3 });
  private count = 0;
  private msMax = 0;

  record(ms: number): void {
    if (!(ms >= 0 && Number.isFinite(ms))) throw new Error(`a duration of ${ms} ms`);
    this.count += 1;
    this.msMax = Math.max(this.msMax, ms);
    this.histogramUs.recordValue(Math.round(ms * US_PER_MS));
  }

  /** What was recorded since the last take; the window starts empty again. */
  take(): TimingSummaryMs {
    const summary: TimingSummaryMs =
      this.count === 0
        ? { count: 0, p50: null, p99: null, max: null }
        : {
            count: this.count,
            p50: this.quantileMs(0.5),
            p99: this.quantileMs(0.99),
            max: round(this.msMax),
          };
    this.histogramUs.reset();
    this.count = 0;
    this.msMax = 0;
    return summary;
  }

  /** A bucket can overshoot the true max; never report above it. */
  private quantileMs(fraction: number): number {
    return round(
      Math.min(this.msMax, this.histogramUs.getValueAtPercentile(fraction * 100) / US_PER_MS),
    );
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
