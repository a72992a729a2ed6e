/**
 * Jepsen's perf plots for one run: throughput per region (ok solid, fail and info dashed) and
 * latency per region (p50 solid, p99 dashed, log scale), each with the fault windows shaded by
 * kind and one legend of the kinds below.
 */

import { escapeHtml } from '../escape.ts';
import type { FaultWindow } from '../fault-windows.ts';
import type { SeriesData } from '../time-series.ts';
import { faultColour, regionColour } from './palette.ts';
import { svgChart } from './svg-chart.ts';

function sumOf(a: number[], b: number[]): number[] {
  return a.map((value, index) => Math.round((value + (b[index] ?? 0)) * 100) / 100);
}

function faultLegend(faults: readonly FaultWindow[]): string {
  const kinds = [...new Set(faults.map((fault) => fault.kind))];
  if (kinds.length === 0) return '<p class="muted">No fault was injected in this run.</p>';
  const keys = kinds
    .map(
      (kind) =>
        `<span class="key"><span class="swatch fill" style="background:${faultColour(kind)}"></span>${escapeHtml(kind)}</span>`,
    )
    .join('');
  return `<div class="legend faults-legend">faults: ${keys}</div>`;
}

export function perfCharts(
  series: SeriesData,
  faults: readonly FaultWindow[],
  xMaxMs: number,
): string {
  const throughput = series.regions.flatMap((region, position) => [
    {
      label: `${region.region} ok/s`,
      colour: regionColour(position),
      dashed: false,
      values: region.okPerSec,
    },
    {
      label: `${region.region} fail+info/s`,
      colour: regionColour(position),
      dashed: true,
      values: sumOf(region.failPerSec, region.infoPerSec),
    },
  ]);
  const latency = series.regions.flatMap((region, position) => [
    {
      label: `${region.region} p50`,
      colour: regionColour(position),
      dashed: false,
      values: region.p50Ms,
    },
    {
      label: `${region.region} p99`,
      colour: regionColour(position),
      dashed: true,
      values: region.p99Ms,
    },
  ]);
  const common = { bucketMs: series.bucketMs, xMaxMs, faults };
  return [
    svgChart({
      id: 'chart-throughput',
      title: `Throughput per region (completions per second, ${series.bucketMs} ms buckets)`,
      yLabel: 'ops/s',
      logY: false,
      lines: throughput,
      ...common,
    }),
    svgChart({
      id: 'chart-latency',
      title: 'Latency per region (ms, log scale; ok and fail ops)',
      yLabel: 'latency (ms)',
      logY: true,
      lines: latency,
      ...common,
    }),
    faultLegend(faults),
  ].join('\n');
}
