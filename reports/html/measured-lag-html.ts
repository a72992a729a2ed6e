/**
 * The replication lag a real target measured (lag.jsonl) as HTML tables beside RTO and RPO: the
 * Aurora lag per secondary region, DynamoDB's ReplicationLatency per table and region pair, and
 * the gaps. Nothing when the run measured none.
 */
import { escapeHtml } from '../escape.ts';
import { type LagTable, type MeasuredLag, measuredLagTables } from '../measured-lag.ts';

function tableHtml(table: LagTable): string {
  const head = table.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const body =
    table.rows.length === 0
      ? `<tr><td colspan="${table.columns.length}" class="muted">none</td></tr>`
      : table.rows
          .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
          .join('');
  return `<div><h3>${escapeHtml(table.title)}</h3><p class="muted note">${escapeHtml(table.note)}</p><table id="${table.id}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export function measuredLagHtml(lag: MeasuredLag | null): string {
  if (lag === null) return '';
  return [
    '<section id="measured-lag"><h2>Replication lag measured on the target</h2><div class="measures">',
    ...measuredLagTables(lag).map(tableHtml),
    '</div></section>',
  ].join('');
}
