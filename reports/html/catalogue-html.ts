/**
 * The anomaly catalogue embedded at the end of report.html, so that every anomaly name in the
 * page links to what it means and its usual cause without leaving the page (the report stays
 * offline). Every entry is there: the types this run found open, the others behind one
 * expandable row (a link to one of them opens it, see report-client.js).
 */
import { CATALOGUE, type CatalogueEntry, catalogueAnchor } from '../anomaly-catalogue.ts';
import { escapeHtml } from '../escape.ts';

/** The catalogue's texts quote names in backticks, as docs/anomalies.md does. */
function withCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function entryHtml(entry: CatalogueEntry, found: boolean): string {
  return [
    `<div class="catalogue-entry${found ? ' found' : ''}" id="${catalogueAnchor(entry.name)}">`,
    `<dt><code>${escapeHtml(entry.name)}</code> <span class="muted">${escapeHtml(entry.checkers.join(', '))}${found ? ' · found in this run' : ''}</span></dt>`,
    `<dd><p class="meaning">${withCode(entry.meaning)}.</p>`,
    `<p class="cause"><strong>Usual cause:</strong> ${withCode(entry.cause)}.</p>`,
    `<p class="muted">The exact rule and what to do: docs/anomalies/${escapeHtml(entry.page)}.md in paychaos.</p></dd>`,
    '</div>',
  ].join('');
}

/** Types found but not in the catalogue (a newer checker) get an entry saying so. */
function unknownEntryHtml(type: string): string {
  return `<div class="catalogue-entry found" id="${catalogueAnchor(type)}"><dt><code>${escapeHtml(type)}</code></dt><dd><p class="meaning">Not in this report's catalogue: see docs/anomalies.md.</p></dd></div>`;
}

export function catalogueHtml(foundTypes: readonly string[]): string {
  const found = new Set(foundTypes);
  const known = new Set(CATALOGUE.map((entry) => entry.name));
  const others = CATALOGUE.filter((entry) => !found.has(entry.name));
  const unknown = [...found].filter((type) => !known.has(type)).sort();
  return [
    '<section id="catalogue"><h2>Anomaly catalogue</h2>',
    '<p class="muted">What each anomaly means and what usually causes it (docs/anomalies.md, embedded so the page needs nothing else).</p>',
    '<dl>',
    ...unknown.map(unknownEntryHtml),
    ...CATALOGUE.filter((entry) => found.has(entry.name)).map((entry) => entryHtml(entry, true)),
    '</dl>',
    `<details id="catalogue-others"><summary>The other ${others.length} anomalies paychaos reports</summary><dl>`,
    ...others.map((entry) => entryHtml(entry, false)),
    '</dl></details></section>',
  ].join('');
}
