/**
 * Throughput and latency accounting per region and phase, for progress lines and the run
 * summary (the slo checker judges from the history, not from these). Counts are per attempt
 * except `latency`, which is per request: from its INTENDED start (its arrival) to its final
 * outcome, retries and backoff included — so a stall shows in the latency of every request
 * that arrived during it, and coordinated omission cannot hide it.
 *
 * Rows are keyed by the region a request was sent to (the history's `region`) and the phase
 * its arrival fell in. Memory: one row per region and phase.
 */

import { DurationHistogram, type DurationSummaryMs } from '../lib/duration-histogram.ts';
import { NS_PER_S } from './clock.ts';

export interface LoadCounts {
  /** Arrivals of the Poisson process (first attempts only). */
  arrivals: number;
  /** Attempts not sent because opsInFlightMax ops were in flight. */
  dropped: number;
  invokes: number;
  retries: number;
  /** Retries that would have started after the load window closed. */
  retriesAbandoned: number;
  ok: number;
  fail: number;
  info: number;
  timeouts: number;
  malformed: number;
}

export interface LoadStatsRow extends LoadCounts {
  region: string;
  phase: string;
  latencyMs: DurationSummaryMs;
}

export interface RegionThroughput {
  region: string;
  /** Completions (ok, fail, info) per second since the previous progress call. */
  opsPerSec: number;
  okPerSec: number;
}

type CountName = keyof LoadCounts;

interface Row {
  counts: LoadCounts;
  latency: DurationHistogram;
}

/** Every count at zero: where a sum of counts starts. */
export function zeroCounts(): LoadCounts {
  return {
    arrivals: 0,
    dropped: 0,
    invokes: 0,
    retries: 0,
    retriesAbandoned: 0,
    ok: 0,
    fail: 0,
    info: 0,
    timeouts: 0,
    malformed: 0,
  };
}

export class LoadStats {
  private readonly rows = new Map<string, Map<string, Row>>();
  private readonly completions = new Map<string, { all: number; ok: number }>();
  private readonly completionsAtProgress = new Map<string, { all: number; ok: number }>();
  private progressAtNs = 0;

  constructor(private readonly phaseOf: (timeNs: number) => string) {}

  count(name: CountName, region: string, arrivalNs: number): void {
    this.row(region, arrivalNs).counts[name] += 1;
    if (name === 'ok' || name === 'fail' || name === 'info') {
      const done = this.completions.get(region) ?? { all: 0, ok: 0 };
      done.all += 1;
      if (name === 'ok') done.ok += 1;
      this.completions.set(region, done);
    }
  }

  /** A request's final outcome, `latencyNs` after its arrival. */
  latency(region: string, arrivalNs: number, latencyNs: number): void {
    this.row(region, arrivalNs).latency.record(latencyNs);
  }

  /** Every row, by region then phase, in first-seen order. */
  table(): LoadStatsRow[] {
    const table: LoadStatsRow[] = [];
    for (const [region, byPhase] of this.rows) {
      for (const [phase, row] of byPhase) {
        table.push({ region, phase, ...row.counts, latencyMs: row.latency.summaryMs() });
      }
    }
    return table;
  }

  /** Sums of every row. */
  totals(): LoadCounts {
    const sum = zeroCounts();
    for (const byPhase of this.rows.values()) {
      for (const row of byPhase.values()) {
        for (const name of Object.keys(sum) as CountName[]) sum[name] += row.counts[name];
      }
    }
    return sum;
  }

  /** Completions per second by region since the previous call (or the start of the run). */
  progress(nowNs: number): RegionThroughput[] {
    const elapsedS = (nowNs - this.progressAtNs) / NS_PER_S;
    if (!(elapsedS > 0))
      throw new Error(`progress at ${nowNs} ns: no time since ${this.progressAtNs} ns`);
    const rates: RegionThroughput[] = [];
    for (const [region, done] of this.completions) {
      const before = this.completionsAtProgress.get(region) ?? { all: 0, ok: 0 };
      rates.push({
        region,
        opsPerSec: (done.all - before.all) / elapsedS,
        okPerSec: (done.ok - before.ok) / elapsedS,
      });
      this.completionsAtProgress.set(region, { ...done });
    }
    this.progressAtNs = nowNs;
    return rates;
  }

  private row(region: string, arrivalNs: number): Row {
    const phase = this.phaseOf(arrivalNs);
    let byPhase = this.rows.get(region);
    if (byPhase === undefined) {
      byPhase = new Map();
      this.rows.set(region, byPhase);
    }
    let row = byPhase.get(phase);
    if (row === undefined) {
      row = { counts: zeroCounts(), latency: new DurationHistogram() };
      byPhase.set(phase, row);
    }
    return row;
  }
}
