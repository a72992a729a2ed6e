/**
 * Durations (a region's latencies in a phase, a SQL call's phases, a bank request's handling): an
 * HDR histogram in microseconds (3 significant digits, auto-resizing), so memory stays bounded (a
 * few KB) however many are recorded; count and max exact. `takeSummaryMs` starts it empty again,
 * for figures taken window by window.
 */
import { build, type Histogram } from 'hdr-histogram-js';

const NS_PER_US = 1_000;
const NS_PER_MS = 1_000_000;

export interface DurationSummaryMs {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

function roundMs(valueNs: number): number {
  return Math.round((valueNs / NS_PER_MS) * 1000) / 1000;
}

export class DurationHistogram {
  private readonly histogramUs: Histogram = build({ numberOfSignificantValueDigits: 3 });
  private count = 0;
  private durationNsMax = 0;

  record(durationNs: number): void {
    if (!(durationNs >= 0 && Number.isFinite(durationNs))) {
      throw new Error(`duration ${durationNs} ns is not a finite value >= 0`);
    }
    this.count += 1;
    this.durationNsMax = Math.max(this.durationNsMax, durationNs);
    this.histogramUs.recordValue(Math.round(durationNs / NS_PER_US));
  }

  recordMs(durationMs: number): void {
    this.record(durationMs * NS_PER_MS);
  }

  /** The summary of what was recorded since the last take; then it starts empty again. */
  takeSummaryMs(): DurationSummaryMs {
    const summary = this.summaryMs();
    this.histogramUs.reset();
    this.count = 0;
    this.durationNsMax = 0;
    return summary;
  }

  summaryMs(): DurationSummaryMs {
    if (this.count === 0) return { count: 0, p50: null, p99: null, max: null };
    return {
      count: this.count,
      p50: roundMs(this.quantileNs(0.5)),
      p99: roundMs(this.quantileNs(0.99)),
      max: roundMs(this.durationNsMax),
    };
  }

  /** The histogram's bucket can overshoot the true max; never report above it. */
  private quantileNs(fraction: number): number {
    return Math.min(
      this.durationNsMax,
      this.histogramUs.getValueAtPercentile(fraction * 100) * NS_PER_US,
    );
  }
}
