/**
 * Keeps, while the history streams by, the ops a person needs to see around each anomaly: every
 * client op whose lines [invoke index, completion index] come within LINES_AROUND lines of an
 * index an anomaly names (Jepsen's timeline and Porcupine's visualiser show the same neighbourhood),
 * and the non-client lines (final reads, ledger, nemesis) anomalies name, summarised.
 *
 * Bounds: the first ANOMALIES_MAX anomalies, INDICES_PER_ANOMALY_MAX indices each, and OPS_MAX
 * kept ops overall (about 200 bytes each); what is left out is counted, never silently lost.
 * A pending op (no completion) spans its invoke line only.
 */
import type { Anomaly } from '../checkers/checker.ts';
import type { ClientOp, Op } from '../history/op.ts';

export const LINES_AROUND = 30;
export const ANOMALIES_MAX = 60;
export const INDICES_PER_ANOMALY_MAX = 8;
export const OPS_MAX = 4_000;
const VALUE_CHARS_MAX = 120;

export interface TimelineOp {
  /** Invoke index: the op's id in the report. */
  i: number;
  /** Completion index; null while pending at the end. */
  c: number | null;
  process: number | string;
  f: string;
  type: 'ok' | 'fail' | 'info';
  startMs: number;
  /** null for an op still pending at the end of the history. */
  endMs: number | null;
  region: string | null;
  value: string;
  error: string | null;
}

export interface NamedLine {
  index: number;
  process: string;
  f: string;
  timeMs: number;
  region: string | null;
  summary: string;
}

interface Range {
  lo: number;
  hi: number;
}

export function shortValue(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > VALUE_CHARS_MAX ? `${text.slice(0, VALUE_CHARS_MAX)}...` : text;
}

function mergedRanges(indices: number[]): Range[] {
  const sorted = [...indices].sort((a, b) => a - b);
  const ranges: Range[] = [];
  for (const index of sorted) {
    const lo = Math.max(0, index - LINES_AROUND);
    const hi = index + LINES_AROUND;
    const last = ranges.at(-1);
    if (last !== undefined && lo <= last.hi + 1) last.hi = Math.max(last.hi, hi);
    else ranges.push({ lo, hi });
  }
  return ranges;
}

/** The anomalies whose neighbourhoods are kept: the first ANOMALIES_MAX, in results order. */
export function focusIndicesOf(anomalies: readonly Anomaly[]): number[] {
  return anomalies
    .slice(0, ANOMALIES_MAX)
    .flatMap((anomaly) => anomaly.ops.slice(0, INDICES_PER_ANOMALY_MAX));
}

export class TimelinePicker {
  readonly ops: TimelineOp[] = [];
  readonly namedLines: NamedLine[] = [];
  opsDropped = 0;
  private readonly ranges: Range[];
  private readonly named: Set<number>;

  constructor(focusIndices: number[]) {
    this.ranges = mergedRanges(focusIndices);
    this.named = new Set(focusIndices);
  }

  onOp(op: Op): void {
    if (typeof op.process === 'number' || !this.named.has(op.index)) return;
    this.namedLines.push({
      index: op.index,
      process: op.process,
      f: op.f,
      timeMs: op.time / 1e6,
      region: typeof op.region === 'string' ? op.region : null,
      summary: summaryOfLine(op),
    });
  }

  onClientOp(clientOp: ClientOp): void {
    const first = clientOp.invoke.index;
    const last = clientOp.completion?.index ?? first;
    if (!this.intersects(first, last)) return;
    if (this.ops.length >= OPS_MAX) {
      this.opsDropped += 1;
      return;
    }
    const completion = clientOp.completion;
    const error = completion?.error;
    this.ops.push({
      i: first,
      c: completion?.index ?? null,
      process: clientOp.invoke.process,
      f: clientOp.invoke.f,
      type: clientOp.type,
      startMs: clientOp.invoke.time / 1e6,
      endMs: completion === null ? null : completion.time / 1e6,
      region: typeof clientOp.invoke.region === 'string' ? clientOp.invoke.region : null,
      value: shortValue(completion?.value ?? clientOp.invoke.value),
      error: typeof error === 'string' ? error : null,
    });
  }

  private intersects(first: number, last: number): boolean {
    let low = 0;
    let high = this.ranges.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.ranges[middle]?.hi ?? 0) < first) low = middle + 1;
      else high = middle;
    }
    const range = this.ranges[low];
    return range !== undefined && range.lo <= last;
  }
}

/** A ledger or sagas line can hold 10,000 entries: say how many, never copy them. */
function summaryOfLine(op: Op): string {
  const value = op.value as Record<string, unknown> | unknown[] | null | undefined;
  if (op.f === 'ledger' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = value.entries;
    return `${Array.isArray(entries) ? entries.length : 0} ledger entries`;
  }
  if (op.f === 'sagas' && Array.isArray(value)) return `${value.length} sagas`;
  return shortValue(op.value);
}
