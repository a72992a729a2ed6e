/**
 * The figures a game-day report leads with, taken from the checkers' stats rather than measured
 * again: RTO and RPO from the slo checker (every stats key that starts with "rto" or "rpo", shown
 * as it is nested, so the report follows that checker's format as it grows), and replication
 * visibility lag from the lww checker's `visibilityLagMs`. Absent figures read "not measured".
 */
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

function statsRows(results: Results, prefix: RegExp): MeasureRow[] | null {
  const stats = results.checkers.slo?.stats;
  if (stats === undefined) return null;
  const rows: MeasureRow[] = [];
  for (const [key, value] of Object.entries(stats)) {
    if (prefix.test(key)) flatten([key], value, key, rows);
  }
  return rows.length > 0 ? rows : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function lagRows(results: Results): LagRow[] | null {
  const lag = results.checkers.lww?.stats.visibilityLagMs;
  if (typeof lag !== 'object' || lag === null) return null;
  const rows = Object.entries(lag as Record<string, Record<string, unknown>>).map(
    ([link, summary]) => ({
      link,
      count: numberOrNull(summary?.count),
      p50Ms: numberOrNull(summary?.p50),
      p99Ms: numberOrNull(summary?.p99),
      maxMs: numberOrNull(summary?.max),
      unseen: numberOrNull(summary?.unseen),
    }),
  );
  return rows.length > 0 ? rows : null;
}

export function measuresOf(results: Results): Measures {
  return {
    rto: statsRows(results, /^rto/i),
    rpo: statsRows(results, /^rpo/i),
    visibilityLag: lagRows(results),
  };
}
