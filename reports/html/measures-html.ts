/** The measured figures as HTML tables: RTO, RPO, replication visibility lag. */
import { escapeHtml } from '../escape.ts';
import { formatMs, type MeasureRow, type Measures } from '../measures.ts';

function rowsTable(label: string, rows: MeasureRow[] | null): string {
  if (rows === null) return `<h3>${label}</h3><p class="muted">not measured</p>`;
  const body = rows
    .map((row) => `<tr><td>${escapeHtml(row.key)}</td><td>${escapeHtml(row.text)}</td></tr>`)
    .join('');
  return `<h3>${label}</h3><table><thead><tr><th>measure</th><th>value</th></tr></thead><tbody>${body}</tbody></table>`;
}

function lagTable(measures: Measures): string {
  const rows = measures.visibilityLag;
  if (rows === null) return '<h3>Replication visibility lag</h3><p class="muted">not measured</p>';
  const ms = (value: number | null): string => (value === null ? '-' : formatMs(value));
  const body = rows
    .map(
      (row) =>
        `<tr><td>${escapeHtml(row.link)}</td><td>${row.count ?? '-'}</td><td>${ms(row.p50Ms)}</td><td>${ms(row.p99Ms)}</td><td>${ms(row.maxMs)}</td><td>${row.unseen ?? '-'}</td></tr>`,
    )
    .join('');
  return `<h3>Replication visibility lag</h3><table><thead><tr><th>link</th><th>writes seen</th><th>p50</th><th>p99</th><th>max</th><th>never seen</th></tr></thead><tbody>${body}</tbody></table>`;
}

export function measuresHtml(measures: Measures): string {
  return [
    '<section id="measures"><h2>Recovery and replication</h2><div class="measures">',
    `<div>${rowsTable('RTO', measures.rto)}</div>`,
    `<div>${rowsTable('RPO', measures.rpo)}</div>`,
    `<div>${lagTable(measures)}</div>`,
    '</div></section>',
  ].join('');
}
