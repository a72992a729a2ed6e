/**
 * report.html: one self-contained file (inline styles, inline script, data embedded as JSON, no
 * request to anywhere). Everything a person needs is in the static HTML: verdict and the
 * conclusion sentence under it, hypothesis, reproduce command, measured figures in words, the
 * anomalies grouped by type and subject (each group expands to its flat list), and the anomaly
 * catalogue every anomaly name links to; the inline scripts draw the perf charts with uPlot
 * (inlined from node_modules, see uplot-assets.ts) from the embedded series, with the faults
 * shaded and the anomalies marked, and the interactive timeline of the ops around the chosen
 * anomaly.
 */
import { readFileSync } from 'node:fs';
import { catalogueAnchor } from '../anomaly-catalogue.ts';
import { type AnomalyGroup, subjectLabel } from '../anomaly-groups.ts';
import { escapeHtml, jsonForScript } from '../escape.ts';
import type { ReportAnomaly, ReportModel } from '../report-model.ts';
import { INDICES_PER_ANOMALY_MAX, LINES_AROUND } from '../timeline-picker.ts';
import { secondsText, verdictWord } from '../verdict-text.ts';
import { catalogueHtml } from './catalogue-html.ts';
import { measuredLagHtml } from './measured-lag-html.ts';
import { measuresHtml } from './measures-html.ts';
import { paletteForPage } from './palette.ts';
import { perfCharts } from './perf-charts.ts';
import { UPLOT_SCRIPT, UPLOT_STYLES } from './uplot-assets.ts';

const STYLES = readFileSync(new URL('./report.css', import.meta.url), 'utf8');
const SCRIPT = readFileSync(new URL('./report-client.js', import.meta.url), 'utf8');
const CHARTS_SCRIPT = readFileSync(new URL('./perf-charts-client.js', import.meta.url), 'utf8');

function verdictBadge(model: ReportModel): string {
  const word = verdictWord(model.valid);
  return `<span class="verdict ${word.toLowerCase()}" id="verdict">${word}</span>`;
}

function factsTable(model: ReportModel): string {
  const rows = model.facts
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  return `<table class="facts">${rows}</table>`;
}

function checkersTable(model: ReportModel): string {
  const rows = model.checkers
    .map((checker) => {
      const word = verdictWord(checker.valid);
      const detail =
        checker.error === null
          ? checker.counts.map(([type, count]) => `${anomalyLink(type)} x${count}`).join(', ')
          : escapeHtml(checker.error);
      return `<tr><td>${escapeHtml(checker.name)}</td><td><span class="verdict small ${word.toLowerCase()}">${word}</span></td><td>${detail}</td></tr>`;
    })
    .join('');
  return `<table class="checkers"><thead><tr><th>checker</th><th>verdict</th><th>anomalies</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** An anomaly's name, linked to its entry in the catalogue at the end of the page. */
export function anomalyLink(type: string): string {
  return `<a class="anomaly-link type" href="#${catalogueAnchor(type)}">${escapeHtml(type)}</a>`;
}

function atText(anomaly: ReportAnomaly): string {
  return anomaly.atMs === null ? '' : `<span class="at">${secondsText(anomaly.atMs)}</span> `;
}

function anomalyItem(anomaly: ReportAnomaly): string {
  const ops = anomaly.ops
    .map((index) => `<code class="op-ref" data-index="${index}">#${index}</code>`)
    .join(' ');
  return [
    // Numbered as in the whole list, which the timeline's title counts by.
    `<li class="anomaly" id="anomaly-${anomaly.n}" data-n="${anomaly.n}" value="${anomaly.n + 1}">`,
    `<div>${atText(anomaly)}${anomalyLink(anomaly.type)} <span class="muted">${escapeHtml(anomaly.checker)}</span>`,
    ` <button type="button" class="show-timeline" data-n="${anomaly.n}">timeline</button></div>`,
    `<p class="message">${escapeHtml(anomaly.message)}</p>`,
    `<div class="ops">ops: ${ops}</div>`,
    '</li>',
  ].join('');
}

function instance(label: string, anomaly: ReportAnomaly | undefined): string {
  if (anomaly === undefined) return '';
  return `<div class="instance"><span class="label">${label}</span> ${atText(anomaly)}${escapeHtml(anomaly.message)} <button type="button" class="show-timeline" data-n="${anomaly.n}">timeline</button></div>`;
}

function groupRow(model: ReportModel, group: AnomalyGroup, position: number): string {
  const count = group.count;
  const kept = group.members.length;
  const subject = subjectLabel(group) ?? 'all';
  const span =
    group.firstMs === null || group.lastMs === null
      ? ''
      : group.firstMs === group.lastMs
        ? `at ${secondsText(group.firstMs)}`
        : `${secondsText(group.firstMs)} to ${secondsText(group.lastMs)}`;
  const first = model.anomalies[group.first];
  const worst = model.anomalies[group.worst];
  const worstLabel = group.worstIsLatest ? 'latest' : 'worst';
  const members = group.members
    .map((n) => model.anomalies[n])
    .filter((anomaly) => anomaly !== undefined)
    .map(anomalyItem)
    .join('');
  return [
    `<details class="anomaly-group" id="group-${position}">`,
    `<summary><span class="count">${count}</span> ${anomalyLink(group.type)} <span class="subject">${escapeHtml(subject)}</span> <span class="span muted">${span}</span> <span class="muted">${escapeHtml(group.checker)}</span></summary>`,
    '<div class="group-body">',
    instance('first', first),
    group.worst === group.first ? '' : instance(worstLabel, worst),
    kept < count
      ? `<p class="muted">results.json keeps the first ${kept} of this type; the list shows those.</p>`
      : '',
    `<ol class="anomalies">${members}</ol>`,
    '</div></details>',
  ].join('');
}

function countOf(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function anomaliesSection(model: ReportModel): string {
  if (model.anomalies.length === 0) {
    return '<section id="anomalies"><h2>Anomalies</h2><p>None: every checker found the history legal.</p></section>';
  }
  const more = model.checkers
    .flatMap((checker) =>
      checker.counts.map(([type, count]) => {
        const kept = checker.anomalies.filter((anomaly) => anomaly.type === type).length;
        return count > kept ? `${type}: ${count - kept} more not kept in results.json` : null;
      }),
    )
    .filter((line) => line !== null);
  const dropped = model.aggregates.timeline.opsDropped;
  return [
    '<section id="anomalies"><h2>Anomalies</h2>',
    `<p class="muted">The timeline shows every client op within ${LINES_AROUND} history lines of an op the chosen anomaly names (its first ${INDICES_PER_ANOMALY_MAX}): one lane per process, a box from invoke to completion, coloured by outcome; the named ops are outlined. Hover a box for its details.</p>`,
    dropped > 0
      ? `<p class="warning">${dropped} ops around anomalies were left out of the timeline (size bound).</p>`
      : '',
    '<div class="legend">outcome: <span class="key"><span class="swatch fill ok"></span>ok</span><span class="key"><span class="swatch fill fail"></span>fail</span><span class="key"><span class="swatch fill info"></span>info (unknown) or pending</span><span class="key"><span class="swatch named"></span>named by the anomaly</span></div>',
    '<div id="timeline-title"></div><div id="timeline"><p class="muted">The timeline needs JavaScript.</p></div>',
    '<div id="op-detail" class="muted">Hover an op in the timeline.</div>',
    `<p class="muted">${countOf(model.anomalies.length, 'anomaly', 'anomalies')} in ${countOf(model.groups.length, 'group', 'groups')} of one type and one subject; open a group for its flat list.</p>`,
    `<div class="groups">${model.groups.map((group, position) => groupRow(model, group, position)).join('')}</div>`,
    more.length > 0 ? `<p class="muted">${more.map(escapeHtml).join('; ')}.</p>` : '',
    '</section>',
  ].join('\n');
}

function embeddedData(model: ReportModel): string {
  const data = {
    anomalies: model.anomalies.map((anomaly) => ({
      n: anomaly.n,
      type: anomaly.type,
      checker: anomaly.checker,
      message: anomaly.message,
      ops: anomaly.ops,
      atMs: anomaly.atMs,
    })),
    lead: model.groups[0]?.first ?? 0,
    ops: model.aggregates.timeline.ops,
    namedLines: model.aggregates.timeline.namedLines,
    faults: model.aggregates.faults,
    linesAround: LINES_AROUND,
    indicesPerAnomalyMax: INDICES_PER_ANOMALY_MAX,
    series: model.aggregates.series,
    chartEndMs: model.aggregates.lastTimeMs,
    palette: paletteForPage(),
  };
  return `<script type="application/json" id="report-data">${jsonForScript(data)}</script>`;
}

export function reportHtml(model: ReportModel): string {
  const title = `paychaos: ${model.title} — ${verdictWord(model.valid)}`;
  const text = (value: string | null, label: string): string =>
    value === null ? '' : `<p><strong>${label}:</strong> ${escapeHtml(value)}</p>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${UPLOT_STYLES}</style>`,
    `<style>${STYLES}</style></head><body>`,
    `<header><h1>paychaos: ${escapeHtml(model.title)} ${verdictBadge(model)}</h1>`,
    `<p id="conclusion" class="conclusion ${verdictWord(model.valid).toLowerCase()}">${escapeHtml(model.conclusion)}</p>`,
    text(model.hypothesis, 'Hypothesis'),
    text(model.description, 'Scenario'),
    `<p><strong>Reproduce:</strong></p><pre id="reproduce">${escapeHtml(model.reproduce)}</pre>`,
    factsTable(model),
    '</header>',
    `<section id="checkers"><h2>Checkers</h2>${checkersTable(model)}</section>`,
    measuresHtml(model.measures),
    measuredLagHtml(model.measuredLag),
    '<section id="perf"><h2>Throughput and latency</h2>',
    perfCharts(
      model.aggregates.series.bucketMs,
      model.aggregates.faults,
      model.anomalies.filter((anomaly) => anomaly.atMs !== null).length,
    ),
    '<div id="chart-readout" class="muted">The legends show each line\'s value in the last bucket with completions; hover a chart to read any other time, the faults active then and the anomalies there.</div></section>',
    anomaliesSection(model),
    catalogueHtml(model.anomalies.map((anomaly) => anomaly.type)),
    embeddedData(model),
    `<script>${UPLOT_SCRIPT}</script>`,
    `<script>${CHARTS_SCRIPT}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
