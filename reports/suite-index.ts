/**
 * The nightly's own pages: index.html linking each run's report (relative links, so the folder
 * can be published or archived as it is), one junit.xml with a <testsuite> per scenario, and
 * summary.md. A scenario that could not be run at all is listed with its error and becomes an
 * <error> testsuite, so CI shows it next to the scenarios that ran.
 */
import { relative } from 'node:path';
import type { Validity } from '../checkers/checker.ts';
import { escapeHtml, escapeMarkdownCell } from './escape.ts';
import { type JunitSuiteInput, junitXml } from './junit-xml.ts';
import { anomalyCountsOf, countsText, verdictWord } from './verdict-text.ts';

export interface SuiteEntry {
  file: string;
  /** Present when the scenario ran. */
  junit: JunitSuiteInput | null;
  reportFile: string | null;
  /** Why the scenario could not run. */
  error: string | null;
}

function entryValidity(entry: SuiteEntry): Validity {
  return entry.junit === null ? 'unknown' : entry.junit.results.valid;
}

function entryCounts(entry: SuiteEntry): string {
  if (entry.junit === null) return entry.error ?? '';
  const counts = new Map<string, number>();
  for (const result of Object.values(entry.junit.results.checkers)) {
    for (const [type, count] of anomalyCountsOf(result))
      counts.set(type, (counts.get(type) ?? 0) + count);
  }
  return countsText(counts);
}

export function suiteIndexHtml(
  title: string,
  suiteDir: string,
  entries: readonly SuiteEntry[],
): string {
  const rows = entries
    .map((entry) => {
      const word = verdictWord(entryValidity(entry));
      const name = entry.junit?.name ?? entry.file;
      const link =
        entry.reportFile === null
          ? escapeHtml(name)
          : `<a href="${escapeHtml(relative(suiteDir, entry.reportFile))}">${escapeHtml(name)}</a>`;
      const verdict = entry.junit === null ? 'ERROR' : word;
      return `<tr><td>${link}</td><td><span class="verdict ${entry.junit === null ? 'unknown' : word.toLowerCase()}">${verdict}</span></td><td>${escapeHtml(entryCounts(entry))}</td><td><code>${escapeHtml(entry.junit?.reproduce ?? entry.file)}</code></td></tr>`;
    })
    .join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:0 auto;padding:0 16px}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}.verdict{color:#fff;border-radius:4px;padding:1px 6px;font-size:.8em}.valid{background:#2e7d32}.invalid{background:#c62828}.unknown{background:#ef8f00}</style>',
    `</head><body><h1>${escapeHtml(title)}</h1>`,
    '<table><thead><tr><th>scenario</th><th>verdict</th><th>anomalies</th><th>reproduce</th></tr></thead><tbody>',
    rows,
    '</tbody></table></body></html>',
    '',
  ].join('\n');
}

/** A scenario that did not run, as a testsuite whose one testcase is the error. */
function errorSuite(entry: SuiteEntry): JunitSuiteInput {
  return {
    name: entry.file,
    results: {
      valid: 'unknown',
      anomalyTypes: [],
      checkers: {
        run: { valid: 'unknown', anomalies: [], stats: {}, error: entry.error ?? 'did not run' },
      },
    },
    properties: { file: entry.file },
    stories: {},
    timeS: 0,
    timestamp: null,
    reproduce: `paychaos run ${entry.file}`,
  };
}

export function suiteJunitXml(entries: readonly SuiteEntry[]): string {
  return junitXml(entries.map((entry) => entry.junit ?? errorSuite(entry)));
}

export function suiteSummaryMarkdown(title: string, entries: readonly SuiteEntry[]): string {
  const rows = entries.map((entry) => {
    const verdict = entry.junit === null ? 'ERROR' : verdictWord(entry.junit.results.valid);
    const name = escapeMarkdownCell(entry.junit?.name ?? entry.file);
    return `| ${name} | ${verdict} | ${escapeMarkdownCell(entryCounts(entry))} | \`${escapeMarkdownCell(entry.junit?.reproduce ?? entry.file)}\` |`;
  });
  return [
    `## ${title}`,
    '',
    '| scenario | verdict | anomalies | reproduce |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
