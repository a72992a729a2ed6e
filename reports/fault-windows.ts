/**
 * Fault windows from the nemesis lines, for shading the charts: `start-<kind>` opens a window
 * that the next `stop-<kind>` on the same subject (region, link, cluster) closes;
 * `kill-cluster`/`restart-cluster` and `crash-bank`/`restart-bank` pair the same way. Any other
 * nemesis line (`failover`) is an instant. A window never closed runs to the end of the history
 * (the run died, or the schedule never healed it): it is drawn to the last line and marked open.
 *
 * Memory: one record per nemesis line, which schedules keep to a handful.
 */
import type { Op } from '../history/op.ts';

const WINDOWS_MAX = 10_000;

export interface FaultWindow {
  kind: string;
  /** "ap-northeast-1", "ap-northeast-1 -> ap-northeast-3", "ledger in ap-northeast-1". */
  subject: string;
  startMs: number;
  /** Equal to startMs for an instant. */
  endMs: number;
  instant: boolean;
  /** Still active when the history ended. */
  open: boolean;
  startIndex: number;
  endIndex: number | null;
  value: unknown;
}

const PAIRS: Record<string, { kind: string; opens: boolean }> = {
  'kill-cluster': { kind: 'kill-cluster', opens: true },
  'restart-cluster': { kind: 'kill-cluster', opens: false },
  'crash-bank': { kind: 'crash-bank', opens: true },
  'restart-bank': { kind: 'crash-bank', opens: false },
};

function classify(f: string): { kind: string; opens: boolean | null } {
  const pair = PAIRS[f];
  if (pair !== undefined) return pair;
  if (f.startsWith('start-')) return { kind: f.slice('start-'.length), opens: true };
  if (f.startsWith('stop-')) return { kind: f.slice('stop-'.length), opens: false };
  return { kind: f, opens: null };
}

export function subjectOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  const record = value as Record<string, unknown>;
  const text = (key: string): string | null =>
    typeof record[key] === 'string' ? (record[key] as string) : null;
  if (Array.isArray(record.regions)) return record.regions.map(String).join(' <-> ');
  const from = text('from');
  const to = text('to');
  const cluster = text('cluster');
  const region = text('region');
  const link = from !== null && to !== null ? `${from} -> ${to}` : null;
  const parts = [cluster, link, region].filter((part) => part !== null);
  if (cluster !== null && parts.length > 1) return `${cluster} ${parts.slice(1).join(' ')}`;
  return parts.join(' ');
}

export class FaultWindows {
  readonly windows: FaultWindow[] = [];
  private lastTimeMs = 0;

  onOp(op: Op): void {
    this.lastTimeMs = op.time / 1e6;
    if (op.process !== 'nemesis') return;
    const { kind, opens } = classify(op.f);
    const subject = subjectOf(op.value);
    if (opens === false) {
      const open = this.windows.find(
        (window) => window.open && window.kind === kind && window.subject === subject,
      );
      const fallback = open ?? this.windows.find((window) => window.open && window.kind === kind);
      if (fallback !== undefined) {
        fallback.endMs = this.lastTimeMs;
        fallback.endIndex = op.index;
        fallback.open = false;
        return;
      }
    }
    if (this.windows.length >= WINDOWS_MAX) {
      throw new Error(`more than ${WINDOWS_MAX} nemesis lines: too many faults to draw`);
    }
    const instant = opens !== true;
    this.windows.push({
      kind,
      subject,
      startMs: this.lastTimeMs,
      endMs: this.lastTimeMs,
      instant,
      open: !instant,
      startIndex: op.index,
      endIndex: instant ? op.index : null,
      value: op.value,
    });
  }

  /** Windows still open run to the last line of the history. */
  finish(): FaultWindow[] {
    for (const window of this.windows) if (window.open) window.endMs = this.lastTimeMs;
    return this.windows;
  }
}
