/**
 * The static frame of Jepsen's perf plots for one run: a figure per chart (throughput per region,
 * latency per region on a log scale) that the inline perf-charts-client.js fills with a uPlot
 * chart from the embedded series, and one legend of the fault kinds shaded behind both and of the
 * anomaly marks along their top edge.
 */

import { escapeHtml } from '../escape.ts';
import type { FaultWindow } from '../fault-windows.ts';
import { ANOMALY_MARK_COLOUR, faultColour } from './palette.ts';

function anomalyKey(anomaliesMarked: number): string {
  if (anomaliesMarked === 0) return '';
  return `<span class="key"><span class="swatch fill" style="background:${ANOMALY_MARK_COLOUR}"></span>anomalies: a tick along the top edge where each happened (${anomaliesMarked})</span>`;
}

function faultLegend(faults: readonly FaultWindow[], anomaliesMarked: number): string {
  const kinds = [...new Set(faults.map((fault) => fault.kind))];
  const marks = anomalyKey(anomaliesMarked);
  if (kinds.length === 0) {
    return `<p class="muted">No fault was injected in this run.</p>${marks === '' ? '' : `<div class="legend">${marks}</div>`}`;
  }
  const keys = kinds
    .map(
      (kind) =>
        `<span class="key"><span class="swatch fill" style="background:${faultColour(kind)}"></span>${escapeHtml(kind)}</span>`,
    )
    .join('');
  return `<div class="legend faults-legend">faults (instants as a dashed line): ${keys}${marks}</div>`;
}

function chartFrame(id: string, title: string): string {
  return [
    `<figure class="chart" id="${id}">`,
    `<figcaption>${escapeHtml(title)}</figcaption>`,
    '<div class="chart-plot"><p class="muted">The chart needs JavaScript.</p></div>',
    '</figure>',
  ].join('');
}

export function perfCharts(
  bucketMs: number,
  faults: readonly FaultWindow[],
  anomaliesMarked: number,
): string {
  return [
    chartFrame(
      'chart-throughput',
      `Throughput per region (completions per second, ${bucketMs} ms buckets; ok solid, fail+info dashed)`,
    ),
    chartFrame(
      'chart-latency',
      'Latency per region (ms, log scale; ok and fail ops; p50 solid, p99 dashed)',
    ),
    faultLegend(faults, anomaliesMarked),
  ].join('\n');
}
