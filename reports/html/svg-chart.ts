/**
 * A line chart over the run's time axis as an SVG string, drawn here rather than by a chart
 * library so the report needs no script to show its numbers and nothing from the network: fault
 * windows shaded by kind behind the lines (instant faults as a vertical line), one polyline per
 * series broken where a bucket has no value, linear or log10 y axis. Points per series are
 * bounded by the time series' BUCKETS_MAX, so a chart stays a few KB.
 */

import { escapeHtml } from '../escape.ts';
import type { FaultWindow } from '../fault-windows.ts';
import { faultColour } from './palette.ts';

export interface ChartLine {
  label: string;
  colour: string;
  dashed: boolean;
  values: (number | null)[];
}

export interface ChartInput {
  id: string;
  title: string;
  yLabel: string;
  logY: boolean;
  bucketMs: number;
  xMaxMs: number;
  lines: ChartLine[];
  faults: readonly FaultWindow[];
}

const WIDTH = 900;
const HEIGHT = 260;
const MARGIN = { left: 60, right: 16, top: 14, bottom: 34 };
const TICKS_MAX = 10;

interface Scale {
  x(ms: number): number;
  y(value: number): number;
  yTicks: number[];
}

function niceStep(span: number, ticksMax: number): number {
  const raw = span / ticksMax;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}

function scaleOf(input: ChartInput): Scale {
  const values = input.lines.flatMap((line) =>
    line.values.filter((value): value is number => value !== null && value > 0),
  );
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xMax = Math.max(input.xMaxMs, 1);
  const x = (ms: number): number => MARGIN.left + (ms / xMax) * plotWidth;
  if (input.logY) {
    const low = Math.floor(Math.log10(Math.min(...values, 1)));
    const high = Math.max(Math.ceil(Math.log10(Math.max(...values, 10))), low + 1);
    const y = (value: number): number =>
      MARGIN.top + plotHeight * (1 - (Math.log10(Math.max(value, 10 ** low)) - low) / (high - low));
    const yTicks = Array.from({ length: high - low + 1 }, (_, index) => 10 ** (low + index));
    return { x, y, yTicks };
  }
  const top = Math.max(...values, 1);
  const step = niceStep(top, 5);
  const yMax = Math.ceil(top / step) * step;
  const y = (value: number): number => MARGIN.top + plotHeight * (1 - value / yMax);
  const yTicks = Array.from({ length: Math.round(yMax / step) + 1 }, (_, index) => index * step);
  return { x, y, yTicks };
}

function tickText(value: number): string {
  if (value >= 1000) return `${Number((value / 1000).toFixed(1))}k`;
  return String(Number(value.toPrecision(3)));
}

function axes(input: ChartInput, scale: Scale): string {
  const parts: string[] = [];
  const bottom = HEIGHT - MARGIN.bottom;
  const stepMs = niceStep(Math.max(input.xMaxMs, 1), TICKS_MAX);
  for (let ms = 0, ticks = 0; ms <= input.xMaxMs && ticks <= TICKS_MAX * 2; ms += stepMs) {
    ticks += 1;
    const x = scale.x(ms).toFixed(1);
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${bottom}"/>`);
    parts.push(
      `<text x="${x}" y="${bottom + 14}" text-anchor="middle">${tickText(ms / 1000)}</text>`,
    );
  }
  for (const tick of scale.yTicks) {
    const y = scale.y(tick).toFixed(1);
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}"/>`,
    );
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dy="0.3em">${tickText(tick)}</text>`,
    );
  }
  parts.push(`<text x="${WIDTH / 2}" y="${HEIGHT - 4}" text-anchor="middle">time (s)</text>`);
  parts.push(
    `<text transform="translate(14 ${HEIGHT / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(input.yLabel)}</text>`,
  );
  return parts.join('');
}

function faultShapes(input: ChartInput, scale: Scale): string {
  const bottom = HEIGHT - MARGIN.bottom;
  return input.faults
    .map((fault) => {
      const x = scale.x(fault.startMs);
      const title = `<title>${escapeHtml(`${fault.kind} ${fault.subject}`.trim())}</title>`;
      const colour = faultColour(fault.kind);
      if (fault.instant) {
        return `<line class="fault-instant" data-kind="${escapeHtml(fault.kind)}" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${MARGIN.top}" y2="${bottom}" stroke="${colour}">${title}</line>`;
      }
      const width = Math.max(scale.x(fault.endMs) - x, 1);
      return `<rect class="fault" data-kind="${escapeHtml(fault.kind)}" x="${x.toFixed(1)}" y="${MARGIN.top}" width="${width.toFixed(1)}" height="${bottom - MARGIN.top}" fill="${colour}">${title}</rect>`;
    })
    .join('');
}

function polylines(input: ChartInput, scale: Scale): string {
  return input.lines
    .map((line) => {
      const segments: string[][] = [[]];
      line.values.forEach((value, bucket) => {
        if (value === null || (input.logY && value <= 0)) {
          if ((segments.at(-1)?.length ?? 0) > 0) segments.push([]);
          return;
        }
        const x = scale.x((bucket + 0.5) * input.bucketMs);
        segments.at(-1)?.push(`${x.toFixed(1)},${scale.y(value).toFixed(1)}`);
      });
      const dash = line.dashed ? ' stroke-dasharray="5 3"' : '';
      return segments
        .filter((segment) => segment.length > 0)
        .map(
          (segment) =>
            `<polyline class="series" data-label="${escapeHtml(line.label)}" points="${segment.join(' ')}" stroke="${line.colour}"${dash}/>`,
        )
        .join('');
    })
    .join('');
}

function legend(input: ChartInput): string {
  return input.lines
    .map((line) => {
      const style = line.dashed ? 'dashed' : 'solid';
      return `<span class="key"><span class="swatch ${style}" style="border-color:${line.colour}"></span>${escapeHtml(line.label)}</span>`;
    })
    .join('');
}

export function svgChart(input: ChartInput): string {
  const scale = scaleOf(input);
  return [
    `<figure class="chart" id="${escapeHtml(input.id)}" data-bucket-ms="${input.bucketMs}" data-x-max-ms="${input.xMaxMs}" data-view-width="${WIDTH}" data-plot-left="${MARGIN.left}" data-plot-right="${WIDTH - MARGIN.right}">`,
    `<figcaption>${escapeHtml(input.title)}</figcaption>`,
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="${escapeHtml(input.title)}">`,
    faultShapes(input, scale),
    axes(input, scale),
    polylines(input, scale),
    `<line class="cursor" x1="0" x2="0" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" visibility="hidden"/>`,
    '</svg>',
    `<div class="legend">${legend(input)}</div>`,
    '</figure>',
  ].join('');
}
