/**
 * Throughput and latency per region over time, aggregated as the history streams by: one cell per
 * (region, time bucket) with its completions by outcome and a LogHistogram of the latencies of the
 * ops that completed (ok or fail; an info op's latency is only its timeout). An op counts in the
 * bucket of its completion, as in Jepsen's rate plot. Ops still pending at the end have no
 * completion and are only counted in `pendingByRegion`.
 *
 * Buckets start 100 ms wide; when a run outgrows BUCKETS_MAX buckets, the width doubles and
 * neighbouring cells merge, so memory stays at BUCKETS_MAX cells per region (about 1 KB each)
 * whatever the run's length, and the chart keeps between BUCKETS_MAX/2 and BUCKETS_MAX points.
 */
import type { ClientOp } from '../history/op.ts';
import { LogHistogram } from './log-histogram.ts';

export const BUCKETS_MAX = 240;
const BUCKET_NS_START = 100_000_000;
const REGIONS_MAX = 64;
/** Bounds the doubling loop: 2^40 x 100 ms is far beyond any run. */
const DOUBLINGS_MAX = 40;
export const NO_REGION = '(no region)';

interface Cell {
  ok: number;
  fail: number;
  info: number;
  latency: LogHistogram;
}

/** One region's series, ready for a chart: arrays aligned on the bucket starts. */
export interface RegionSeries {
  region: string;
  okPerSec: number[];
  failPerSec: number[];
  infoPerSec: number[];
  p50Ms: (number | null)[];
  p99Ms: (number | null)[];
  totals: { ok: number; fail: number; info: number; pending: number };
}

export interface SeriesData {
  bucketMs: number;
  bucketsCount: number;
  regions: RegionSeries[];
}

function emptyCell(): Cell {
  return { ok: 0, fail: 0, info: 0, latency: new LogHistogram() };
}

export class TimeSeries {
  private bucketNs = BUCKET_NS_START;
  private readonly cellsByRegion = new Map<string, (Cell | undefined)[]>();
  private readonly pendingByRegion = new Map<string, number>();
  private bucketsUsed = 0;

  onClientOp(clientOp: ClientOp): void {
    const region = typeof clientOp.invoke.region === 'string' ? clientOp.invoke.region : NO_REGION;
    const cells = this.cells(region);
    const completion = clientOp.completion;
    if (completion === null) {
      this.pendingByRegion.set(region, (this.pendingByRegion.get(region) ?? 0) + 1);
      return;
    }
    const bucket = this.bucketFor(completion.time);
    const cell = cells[bucket] ?? emptyCell();
    cells[bucket] = cell;
    cell[clientOp.type] += 1;
    if (clientOp.type !== 'info') cell.latency.record(completion.time - clientOp.invoke.time);
  }

  data(): SeriesData {
    const bucketSec = this.bucketNs / 1e9;
    const regions = [...this.cellsByRegion.keys()].sort().map((region) => {
      const cells = this.cellsByRegion.get(region) ?? [];
      const at = (index: number): Cell => cells[index] ?? emptyCell();
      const range = Array.from({ length: this.bucketsUsed }, (_, index) => at(index));
      const rate = (count: number): number => Math.round((count / bucketSec) * 100) / 100;
      const sum = (pick: (cell: Cell) => number): number =>
        range.reduce((total, cell) => total + pick(cell), 0);
      return {
        region,
        okPerSec: range.map((cell) => rate(cell.ok)),
        failPerSec: range.map((cell) => rate(cell.fail)),
        infoPerSec: range.map((cell) => rate(cell.info)),
        p50Ms: range.map((cell) => cell.latency.quantileMs(0.5)),
        p99Ms: range.map((cell) => cell.latency.quantileMs(0.99)),
        totals: {
          ok: sum((cell) => cell.ok),
          fail: sum((cell) => cell.fail),
          info: sum((cell) => cell.info),
          pending: this.pendingByRegion.get(region) ?? 0,
        },
      };
    });
    return { bucketMs: this.bucketNs / 1e6, bucketsCount: this.bucketsUsed, regions };
  }

  private bucketFor(timeNs: number): number {
    for (let doublings = 0; doublings <= DOUBLINGS_MAX; doublings += 1) {
      const bucket = Math.floor(timeNs / this.bucketNs);
      if (bucket < BUCKETS_MAX) {
        this.bucketsUsed = Math.max(this.bucketsUsed, bucket + 1);
        return bucket;
      }
      this.halveResolution();
    }
    throw new Error(`time ${timeNs} ns is beyond any run the report can chart`);
  }

  private halveResolution(): void {
    this.bucketNs *= 2;
    for (const [region, cells] of this.cellsByRegion) {
      const merged: (Cell | undefined)[] = [];
      cells.forEach((cell, index) => {
        if (cell === undefined) return;
        const target = merged[index >> 1];
        if (target === undefined) merged[index >> 1] = cell;
        else {
          target.ok += cell.ok;
          target.fail += cell.fail;
          target.info += cell.info;
          target.latency.merge(cell.latency);
        }
      });
      this.cellsByRegion.set(region, merged);
    }
    this.bucketsUsed = Math.ceil(this.bucketsUsed / 2);
  }

  private cells(region: string): (Cell | undefined)[] {
    let cells = this.cellsByRegion.get(region);
    if (cells === undefined) {
      if (this.cellsByRegion.size >= REGIONS_MAX) {
        throw new Error(`more than ${REGIONS_MAX} regions in one history`);
      }
      cells = [];
      this.cellsByRegion.set(region, cells);
    }
    return cells;
  }
}
