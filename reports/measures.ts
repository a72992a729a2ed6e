/**
 * The figures a game-day report leads with, taken from the checkers' stats rather than measured
 * again: RTO and RPO from the slo checker (`rtoByRegion`/`rtoByHome`: per region or client home,
 * one RTO per fault; `rpoMs`, `rpoMsByRegion`, `lostPayments`), each row a sentence ("Tokyo
 * isolated at 20.1 s: requests sent to Tokyo were served again at 42.2 s, RTO 22.1 s"); any other
 * stats key starting with "rto" or "rpo" is shown by its keys' path, never as JSON. Replication
 * visibility lag from the lww checker's `visibilityLagMs`. Absent figures read "not measured". The keys are typed by the checkers
 * (SloStats, LwwStats); results.json may come from another version, so every value is checked.
 */

import type { LwwStats } from '../checkers/lww/lww-stats.ts';
import type { SloStats } from '../checkers/slo/slo-stats.ts';
import type { Results } from '../checkers/verdict.ts';
import { faultWordsOfLine } from './fault-words.ts';
import { placeName } from './place-names.ts';
import { secondsText } from './verdict-text.ts';

/** A checker's stats as read back from results.json: the typed keys, each possibly absent. */
type Read<T> = Partial<T>;

const ROWS_MAX = 200;
const DEPTH_MAX = 6;

export interface MeasureRow {
  /**
   * What the figure is, in words: "Tokyo isolated at 20.1 s: requests sent to Tokyo were served
   * again at 42.2 s, RTO 22.1 s"; for a stats shape this file does not know, the keys' path
   * ("rtoMs / ap-northeast-1 / isolate").
   */
  key: string;
  text: string;
  /** Requests sent to `region` (its endpoint), or clients whose home it is. */
  view?: 'region' | 'home';
  region?: string;
}

export interface LagRow {
  link: string;
  count: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  unseen: number | null;
}

export interface Measures {
  rto: MeasureRow[] | null;
  rpo: MeasureRow[] | null;
  visibilityLag: LagRow[] | null;
}

/** "850 ms", "21.3 s". */
export function formatMs(ms: number): string {
  if (Math.abs(ms) >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (Math.abs(ms) >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Number(ms.toFixed(1))} ms`;
}

function leafText(key: string, value: unknown): string {
  if (value === null) return 'not reached';
  if (typeof value === 'number') {
    if (/Ms$/.test(key)) return formatMs(value);
    if (/Ns$/.test(key)) return formatMs(value / 1e6);
    return String(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return 'nested deeper than shown';
}

function flatten(path: string[], value: unknown, unitKey: string, rows: MeasureRow[]): void {
  if (rows.length >= ROWS_MAX) return;
  const isRecord = typeof value === 'object' && value !== null;
  if (!isRecord || path.length >= DEPTH_MAX) {
    rows.push({ key: path.join(' / '), text: leafText(unitKey, value) });
    return;
  }
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value as Record<string, unknown>);
  for (const [key, item] of entries) {
    // A nested key with its own unit ("lostMs") names the unit; a region name inherits it.
    const unit = /(Ms|Ns)$/.test(key) ? key : unitKey;
    flatten([...path, key], item, unit, rows);
  }
}

/** The slo checker's `rtoBy<Key>`: per region (or home) one entry per fault it was serving at. */
interface RtoEntry {
  fault?: unknown;
  startNs?: unknown;
  rtoMs?: unknown;
  firstFailureNs?: unknown;
  recoveryNs?: unknown;
}

/** What the two kinds of RTO rows mean, for every report format. */
export const RTO_VIEWS_TEXT =
  '"requests sent to" a region: recovery as that region\'s endpoint saw it (the requests sent there); "clients homed in" a region: recovery as the clients whose home it is saw it, wherever their requests went (they may fail over to another region, so they recover sooner). RTO runs from the fault\'s start to the first request served again after the first failure.';

/** Who a row of RTO speaks for: where requests were sent, or where their clients live. */
type RtoView = 'region' | 'home';

function whoText(view: RtoView, region: string): string {
  const name = placeName(region);
  return view === 'region' ? `requests sent to ${name}` : `clients homed in ${name}`;
}

function timeText(valueNs: unknown): string | null {
  return typeof valueNs === 'number' ? secondsText(valueNs / 1e6) : null;
}

/** "Tokyo isolated at 20.1 s: requests sent to Tokyo were served again at 42.2 s, RTO 22.1 s". */
function rtoSentence(view: RtoView, region: string, entry: RtoEntry): string {
  const fault = typeof entry.fault === 'string' ? faultWordsOfLine(entry.fault).phrase : 'a fault';
  const at = timeText(entry.startNs);
  const head = `${fault}${at === null ? '' : ` at ${at}`}: ${whoText(view, region)}`;
  const recovered = timeText(entry.recoveryNs);
  if (typeof entry.rtoMs !== 'number') {
    const failed = timeText(entry.firstFailureNs);
    return `${head} ${failed === null ? 'failed' : `failed from ${failed}`} and were not served again before the history ended`;
  }
  if (entry.rtoMs === 0) return `${head} never failed to be served, RTO 0`;
  const when = recovered === null ? '' : ` at ${recovered}`;
  return `${head} were served again${when}, RTO ${formatMs(entry.rtoMs)}`;
}

function rtoEntryRows(view: RtoView, byKey: unknown): MeasureRow[] {
  if (typeof byKey !== 'object' || byKey === null) return [];
  const rows: MeasureRow[] = [];
  for (const [key, entries] of Object.entries(byKey as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as RtoEntry[]) {
      const text = typeof entry.rtoMs === 'number' ? formatMs(entry.rtoMs) : 'not recovered';
      rows.push({ key: rtoSentence(view, key, entry), text, view, region: key });
      if (rows.length >= ROWS_MAX) return rows;
    }
  }
  return rows;
}

function rtoRows(stats: Read<SloStats>): MeasureRow[] {
  if ('rtoByRegion' in stats || 'rtoByHome' in stats) {
    return [...rtoEntryRows('region', stats.rtoByRegion), ...rtoEntryRows('home', stats.rtoByHome)];
  }
  return genericRows(stats, /^rto/i);
}

function rpoRows(stats: Read<SloStats>): MeasureRow[] {
  if (!('rpoMs' in stats)) return genericRows(stats, /^rpo/i);
  if (typeof stats.rpoMs !== 'number') return [];
  const lost = typeof stats.lostPayments === 'number' ? stats.lostPayments : null;
  const acknowledged =
    typeof stats.acknowledgedPayments === 'number' ? stats.acknowledgedPayments : null;
  const count = (value: number): string => value.toLocaleString('en-US');
  const ofAcknowledged = acknowledged === null ? '' : ` of ${count(acknowledged)} acknowledged`;
  const overall =
    lost === 0
      ? `all regions: ${acknowledged === null ? 'no acknowledged payment' : `none of ${count(acknowledged)} acknowledged payments`} was lost`
      : `all regions: ${lost === null ? 'some' : count(lost)}${ofAcknowledged} payments lost, the earliest acknowledged ${formatMs(stats.rpoMs)} before the failover (or the end of the load) that lost it`;
  const rows: MeasureRow[] = [{ key: overall, text: formatMs(stats.rpoMs) }];
  const byRegion = stats.rpoMsByRegion;
  if (typeof byRegion === 'object' && byRegion !== null) {
    for (const [region, rpoMs] of Object.entries(byRegion as Record<string, unknown>)) {
      if (typeof rpoMs !== 'number') continue;
      rows.push({
        key: `payments sent to ${placeName(region)} (${region})`,
        text: formatMs(rpoMs),
        view: 'region',
        region,
      });
    }
  }
  return rows;
}

/** Any other shape: every key matching `prefix`, flattened as it is nested. */
function genericRows(stats: Record<string, unknown>, prefix: RegExp): MeasureRow[] {
  const rows: MeasureRow[] = [];
  for (const [key, value] of Object.entries(stats)) {
    if (prefix.test(key)) flatten([key], value, key, rows);
  }
  return rows;
}

function sloRows(
  results: Results,
  pick: (stats: Read<SloStats>) => MeasureRow[],
): MeasureRow[] | null {
  const stats = results.checkers.slo?.stats as Read<SloStats> | undefined;
  if (stats === undefined) return null;
  const rows = pick(stats);
  return rows.length > 0 ? rows : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function lagRows(results: Results): LagRow[] | null {
  const lag = (results.checkers.lww?.stats as Read<LwwStats> | undefined)?.visibilityLagMs;
  if (typeof lag !== 'object' || lag === null) return null;
  const rows = Object.entries(
    lag as Record<string, Partial<LwwStats['visibilityLagMs'][string]>>,
  ).map(([link, summary]) => ({
    link,
    count: numberOrNull(summary?.count),
    p50Ms: numberOrNull(summary?.p50),
    p99Ms: numberOrNull(summary?.p99),
    maxMs: numberOrNull(summary?.max),
    unseen: numberOrNull(summary?.unseen),
  }));
  return rows.length > 0 ? rows : null;
}

export function measuresOf(results: Results): Measures {
  return {
    rto: sloRows(results, rtoRows),
    rpo: sloRows(results, rpoRows),
    visibilityLag: lagRows(results),
  };
}
