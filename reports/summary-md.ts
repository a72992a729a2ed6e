/**
 * summary.md: the run in a few lines of Markdown, for a pull-request comment or the game-day
 * document: verdict, the conclusion sentence report.html leads with, hypothesis, checkers, the
 * anomalies grouped by type and subject (count, first and worst instance), RTO and RPO in words,
 * visibility lag and the reproduce command. Kept short on purpose: GROUPS_MAX groups, the full
 * list is in report.html.
 */

import { escapeMarkdownCell } from './escape.ts';
import { measuredLagTables } from './measured-lag.ts';
import { formatMs, type MeasureRow, RTO_VIEWS_TEXT } from './measures.ts';
import type { ReportAnomaly, ReportModel } from './report-model.ts';
import { countsText, secondsText, verdictWord } from './verdict-text.ts';

const GROUPS_MAX = 10;

function measureLines(label: string, rows: MeasureRow[] | null, note: string | null): string[] {
  if (rows === null) return [`**${label}:** not measured`, ''];
  return [
    `**${label}:**${note === null ? '' : ` ${note}`}`,
    '',
    `| what happened | ${label} |`,
    '| --- | --- |',
    ...rows.map((row) => `| ${escapeMarkdownCell(row.key)} | ${escapeMarkdownCell(row.text)} |`),
    '',
  ];
}

function lagLines(model: ReportModel): string[] {
  const rows = model.measures.visibilityLag;
  if (rows === null) return ['**Replication visibility lag:** not measured', ''];
  const ms = (value: number | null): string => (value === null ? '-' : formatMs(value));
  return [
    '**Replication visibility lag:**',
    '',
    '| link | writes seen | p50 | p99 | max | never seen |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${escapeMarkdownCell(row.link)} | ${row.count ?? '-'} | ${ms(row.p50Ms)} | ${ms(row.p99Ms)} | ${ms(row.maxMs)} | ${row.unseen ?? '-'} |`,
    ),
    '',
  ];
}

/** The lag the target measured (lag.jsonl), where it measured any; the gaps only when any. */
function measuredLagLines(model: ReportModel): string[] {
  if (model.measuredLag === null) return [];
  return measuredLagTables(model.measuredLag)
    .filter((table) => table.id !== 'lag-gaps' || table.rows.length > 0)
    .flatMap((table) => [
      `**${table.title}:** ${table.note}`,
      '',
      `| ${table.columns.join(' | ')} |`,
      `|${' --- |'.repeat(table.columns.length)}`,
      ...(table.rows.length === 0
        ? [`| none |${' |'.repeat(table.columns.length - 1)}`]
        : table.rows.map((row) => `| ${row.map(escapeMarkdownCell).join(' | ')} |`)),
      '',
    ]);
}

function instanceText(anomaly: ReportAnomaly | undefined): string {
  if (anomaly === undefined) return '';
  const at = anomaly.atMs === null ? '' : `${secondsText(anomaly.atMs)}: `;
  return `${at}${anomaly.message} _(ops ${anomaly.ops.join(', ')})_`;
}

function anomalyLines(model: ReportModel): string[] {
  if (model.anomalies.length === 0) return ['No anomalies.', ''];
  const rows = model.groups.slice(0, GROUPS_MAX).map((group) => {
    const subject = group.subjectField === null ? 'all' : `${group.subjectField} ${group.subject}`;
    const first = instanceText(model.anomalies[group.first]);
    const worst =
      group.worst === group.first
        ? 'the first'
        : `${group.worstIsLatest ? '(latest) ' : ''}${instanceText(model.anomalies[group.worst])}`;
    const count =
      group.count > group.members.length
        ? `${group.count} (${group.members.length} kept)`
        : String(group.count);
    return `| ${group.type} | ${escapeMarkdownCell(subject)} | ${count} | ${escapeMarkdownCell(first)} | ${escapeMarkdownCell(worst)} |`;
  });
  const more = model.groups.length - rows.length;
  return [
    '### Anomalies',
    '',
    '| anomaly | subject | count | first | worst |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(more > 0 ? [`${more} more groups in report.html.`, ''] : []),
  ];
}

export function summaryMarkdown(model: ReportModel): string {
  const checkerRows = model.checkers.map((checker) => {
    const detail = checker.error ?? countsText(new Map(checker.counts));
    return `| ${checker.name} | ${verdictWord(checker.valid)} | ${escapeMarkdownCell(detail)} |`;
  });
  return [
    `## paychaos: ${model.title} — ${verdictWord(model.valid)}`,
    '',
    `**${model.conclusion}**`,
    '',
    ...(model.hypothesis === null ? [] : [`**Hypothesis:** ${model.hypothesis}`, '']),
    model.facts
      .filter(([label]) => ['target', 'seed', 'planted bugs', 'history'].includes(label))
      .map(([label, value]) => `${label}: ${value}`)
      .join(' · '),
    '',
    '| checker | verdict | anomalies |',
    '| --- | --- | --- |',
    ...checkerRows,
    '',
    ...anomalyLines(model),
    ...measureLines('RTO', model.measures.rto, RTO_VIEWS_TEXT),
    ...measureLines('RPO', model.measures.rpo, null),
    ...lagLines(model),
    ...measuredLagLines(model),
    'Reproduce:',
    '',
    '```sh',
    model.reproduce,
    '```',
    '',
  ].join('\n');
}
