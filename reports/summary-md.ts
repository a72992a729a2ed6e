/**
 * summary.md: the run in a few lines of Markdown, for a pull-request comment or the game-day
 * document: verdict and hypothesis, checkers, the first anomalies of each type, RTO, RPO,
 * visibility lag and the reproduce command. Kept short on purpose: ANOMALIES_PER_TYPE_MAX per type,
 * the full list is in report.html.
 */
import { escapeMarkdownCell } from './escape.ts';
import { formatMs, type MeasureRow } from './measures.ts';
import type { ReportModel } from './report-model.ts';
import { countsText, verdictWord } from './verdict-text.ts';

const ANOMALIES_PER_TYPE_MAX = 3;

function measureLines(label: string, rows: MeasureRow[] | null): string[] {
  if (rows === null) return [`**${label}:** not measured`, ''];
  return [
    `**${label}:**`,
    '',
    '| measure | value |',
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

function anomalyLines(model: ReportModel): string[] {
  if (model.anomalies.length === 0) return ['No anomalies.', ''];
  const lines: string[] = ['### Anomalies', ''];
  const shown = new Map<string, number>();
  for (const anomaly of model.anomalies) {
    const count = shown.get(anomaly.type) ?? 0;
    shown.set(anomaly.type, count + 1);
    if (count >= ANOMALIES_PER_TYPE_MAX) continue;
    const ops = anomaly.ops.join(', ');
    lines.push(`- **${anomaly.type}** (${anomaly.checker}): ${anomaly.message} _(ops ${ops})_`);
  }
  lines.push('');
  return lines;
}

export function summaryMarkdown(model: ReportModel): string {
  const checkerRows = model.checkers.map((checker) => {
    const detail = checker.error ?? countsText(new Map(checker.counts));
    return `| ${checker.name} | ${verdictWord(checker.valid)} | ${escapeMarkdownCell(detail)} |`;
  });
  return [
    `## paychaos: ${model.title} — ${verdictWord(model.valid)}`,
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
    ...measureLines('RTO', model.measures.rto),
    ...measureLines('RPO', model.measures.rpo),
    ...lagLines(model),
    'Reproduce:',
    '',
    '```sh',
    model.reproduce,
    '```',
    '',
  ].join('\n');
}
