/**
 * Latencies of one region and phase: an HDR histogram in microseconds (3 significant digits,
 * auto-resizing), so memory stays bounded (a few KB) however long the run; count and max exact.
 */
import { build, type Histogram } from 'hdr-histogram-js';

const NS_PER_US = 1_000;
const NS_PER_MS = 1_000_000;

export interface LatencySummaryMs {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

function roundMs(valueNs: number): number {
  return Math.round((valueNs / NS_PER_MS) * 1000) / 1000;
}

export class LatencyHistogram {
  private readonly histogramUs: Histogram = build({ numberOfSignificantValueDigits: 3 });
  private count = 0;
  private latencyNsMax = 0;

  record(latencyNs: number): void {
    if (!(latencyNs >= 0 && Number.isFinite(latencyNs))) {
      throw new Error(`latency ${latencyNs} ns is not a finite value >= 0`);
    }
    this.count += 1;
    this.latencyNsMax = Math.max(this.latencyNsMax, latencyNs);
    this.histogramUs.recordValue(Math.round(latencyNs / NS_PER_US));
  }

  summaryMs(): LatencySummaryMs {
    if (this.count === 0) return { count: 0, p50: null, p99: null, max: null };
    return {
      count: this.count,
      p50: roundMs(this.quantileNs(0.5)),
      p99: roundMs(this.quantileNs(0.99)),
      max: roundMs(this.latencyNsMax),
    };
  }

  /** The histogram's bucket can overshoot the true max; never report above it. */
  private quantileNs(fraction: number): number {
    return Math.min(
      this.latencyNsMax,
      this.histogramUs.getValueAtPercentile(fraction * 100) * NS_PER_US,
    );
  }
}
