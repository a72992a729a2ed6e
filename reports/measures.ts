/**
 * The figures a game-day report leads with, taken from the checkers' stats rather than measured
 * again: RTO and RPO from the slo checker (`rtoByRegion`/`rtoByHome`: per region or client home,
 * one RTO per fault; `rpoMs`, `rpoMsByRegion`, `lostPayments`; any other stats key starting with
 * "rto" or "rpo" is shown as it is nested), and replication visibility lag from the lww checker's
 * `visibilityLagMs`. Absent figures read "not measured". The keys are typed by the checkers
 * (SloStats, LwwStats); results.json may come from another version, so every value is checked.
 */

/** A checker's stats as read back from results.json: the typed keys, each possibly absent. */
type Read<T> = Partial<T>;

/**
 */
import type { LwwStats } from '../checkers/lww/lww-stats.ts';
import type { SloStats } from '../checkers/slo/slo-stats.ts';
import type { Results } from '../checkers/verdict.ts';

const ROWS_MAX = 200;
const DEPTH_MAX = 6;

export interface MeasureRow {
  /** "rtoMs / ap-northeast-1 / isolate". */
  key: string;
  text: string;
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
  return typeof value === 'string' ? value : JSON.stringify(value);
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
}

function rtoEntryRows(label: string, byKey: unknown): MeasureRow[] {
  if (typeof byKey !== 'object' || byKey === null) return [];
  const rows: MeasureRow[] = [];
  for (const [key, entries] of Object.entries(byKey as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as RtoEntry[]) {
      const at = typeof entry.startNs === 'number' ? ` at ${formatMs(entry.startNs / 1e6)}` : '';
      const text = typeof entry.rtoMs === 'number' ? formatMs(entry.rtoMs) : 'not recovered';
      rows.push({ key: `${label} ${key}: ${String(entry.fault ?? 'fault')}${at}`, text });
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
  const rows: MeasureRow[] = [{ key: 'all regions', text: formatMs(stats.rpoMs) }];
  const byRegion = stats.rpoMsByRegion;
  if (typeof byRegion === 'object' && byRegion !== null) {
    for (const [region, rpoMs] of Object.entries(byRegion as Record<string, unknown>)) {
      if (typeof rpoMs === 'number') rows.push({ key: `region ${region}`, text: formatMs(rpoMs) });
    }
  }
  if (typeof stats.lostPayments === 'number') {
    rows.push({ key: 'acknowledged payments lost', text: String(stats.lostPayments) });
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
