/**
 * The measured figures as HTML tables: RTO and RPO a sentence a row with the figure beside it,
 * and what the "requests sent to" and "clients homed in" rows mean; replication visibility lag.
 */
import { escapeHtml } from '../escape.ts';
import { formatMs, type MeasureRow, type Measures, RTO_VIEWS_TEXT } from '../measures.ts';

function rowsTable(label: string, id: string, rows: MeasureRow[] | null, note: string): string {
  if (rows === null) return `<h3>${label}</h3><p class="muted">not measured</p>`;
  const body = rows
    .map((row) => {
      const view = row.view === undefined ? '' : ` data-view="${row.view}"`;
      return `<tr${view}><td>${escapeHtml(row.key)}</td><td class="figure">${escapeHtml(row.text)}</td></tr>`;
    })
    .join('');
  const explained = note === '' ? '' : `<p class="muted note">${escapeHtml(note)}</p>`;
  return `<h3>${label}</h3>${explained}<table id="${id}"><thead><tr><th>what happened</th><th>${label}</th></tr></thead><tbody>${body}</tbody></table>`;
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
    `<div class="measure-rto">${rowsTable('RTO', 'rto-table', measures.rto, RTO_VIEWS_TEXT)}</div>`,
    `<div>${rowsTable('RPO', 'rpo-table', measures.rpo, '')}</div>`,
    `<div>${lagTable(measures)}</div>`,
    '</div></section>',
  ].join('');
}
