/**
 * A distribution of durations (replication lags, latencies): exact (nearest-rank) while it holds at most `samplesMax` samples,
 * then an HDR histogram (3 significant digits, microseconds) so memory stays bounded however
 * long the run. Count and max stay exact either way.
 */
import { createRequire } from 'node:module';
import type { Histogram } from 'hdr-histogram-js';
import { percentile } from './percentiles.ts';

export interface DurationSummaryMs {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/**
 * hdr-histogram-js builds number formatters when it loads (~15 ms): load it the first time a
 * distribution outgrows its exact samples, not at every start of the command line.
 */
function buildHistogram(): Histogram {
  const hdr = createRequire(import.meta.url)(
    'hdr-histogram-js',
  ) as typeof import('hdr-histogram-js');
  return hdr.build({ numberOfSignificantValueDigits: 3 });
}

const NS_PER_US = 1_000;
const NS_PER_MS = 1_000_000;

function roundMs(valueNs: number): number {
  return Math.round((valueNs / NS_PER_MS) * 1000) / 1000;
}

export class DurationDistribution {
  private samplesNs: number[] | null = [];
  private histogramUs: Histogram | null = null;
  private count = 0;
  private lagNsMax = 0;

  constructor(private readonly samplesMax: number) {
    if (!(samplesMax >= 1)) throw new Error(`samplesMax must be >= 1, got ${samplesMax}`);
  }

  record(lagNs: number): void {
    if (!(lagNs >= 0 && Number.isFinite(lagNs))) throw new Error(`lag ${lagNs} ns is not >= 0`);
    this.count += 1;
    this.lagNsMax = Math.max(this.lagNsMax, lagNs);
    if (this.samplesNs !== null && this.samplesNs.length < this.samplesMax) {
      this.samplesNs.push(lagNs);
      return;
    }
    if (this.histogramUs === null) {
      this.histogramUs = buildHistogram();
      for (const sampleNs of this.samplesNs ?? []) this.recordUs(sampleNs);
      this.samplesNs = null;
    }
    this.recordUs(lagNs);
  }

  summaryMs(): DurationSummaryMs {
    if (this.count === 0) return { count: 0, p50: null, p99: null, max: null };
    return {
      count: this.count,
      p50: roundMs(this.quantileNs(0.5)),
      p99: roundMs(this.quantileNs(0.99)),
      max: roundMs(this.lagNsMax),
    };
  }

  private quantileNs(fraction: number): number {
    if (this.histogramUs !== null) {
      return Math.min(
        this.lagNsMax,
        this.histogramUs.getValueAtPercentile(fraction * 100) * NS_PER_US,
      );
    }
    const sorted = [...(this.samplesNs ?? [])].sort((a, b) => a - b);
    return percentile(sorted, fraction) ?? 0;
  }

  private recordUs(lagNs: number): void {
    this.histogramUs?.recordValue(Math.round(lagNs / NS_PER_US));
  }
}
