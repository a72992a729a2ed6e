/**
 * Hand-built histories for the contract review of the register checkers, written from design.md
 * alone: times in milliseconds (a person reads "2000 ms" faster than 2_000_000_000 ns), one call
 * per client op so a test reads like the history it builds, and the line indices handed back so
 * tests can name the exact `ops` an anomaly should point at.
 */
import { checkHistoryText } from '../../../checkers/check-session.ts';
import type { Anomaly, CheckResult } from '../../../checkers/checker.ts';
import { CHECKERS } from '../../../checkers/registry.ts';
import type { Results } from '../../../checkers/verdict.ts';

export const TOKYO = 'ap-northeast-1';
export const OSAKA = 'ap-northeast-3';

const NS_PER_MS = 1_000_000;
const CHECK_TIMEOUT_S = 10;

type Process = number | 'setup' | 'final' | 'nemesis';
type Outcome = 'ok' | 'fail' | 'info' | 'pending';

/**
 * [invoke id, completion id]: ids in the order lines were added; a pending op's completion id is
 * -1. Lines are sorted by time (ties in the order added) when the text is built, so concurrent
 * ops are written as a whole op at a time; `at` turns ids into the history indices.
 */
export type OpLines = [number, number];

export interface Line {
  index: number;
  time: number;
  process: Process;
  type: string;
  f: string;
  [key: string]: unknown;
}

export class RegisterHistory {
  readonly lines: Line[] = [];

  line(timeMs: number, process: Process, type: string, f: string, extra: object = {}): number {
    const id = this.lines.length;
    this.lines.push({
      index: id,
      time: Math.round(timeMs * NS_PER_MS),
      process,
      type,
      f,
      ...extra,
    });
    return id;
  }

  init(value: object): number {
    return this.line(0, 'setup', 'ok', 'init', { value });
  }

  nemesis(timeMs: number, f: string, value: object): number {
    return this.line(timeMs, 'nemesis', 'info', f, { value });
  }

  finalRead(timeMs: number, region: string, value: object): number {
    return this.line(timeMs, 'final', 'ok', 'final-read', { region, value });
  }

  /** One client op with its invoke and completion lines at the given times. */
  op(
    process: number,
    f: string,
    span: { atMs: number; doneMs?: number; region?: string },
    invokeValue: unknown,
    outcome: Outcome,
    doneValue: unknown = invokeValue,
  ): OpLines {
    const where = span.region === undefined ? {} : { region: span.region };
    const invoke = this.line(span.atMs, process, 'invoke', f, { value: invokeValue, ...where });
    if (outcome === 'pending') return [invoke, -1];
    if (span.doneMs === undefined) throw new Error(`op ${f} at ${span.atMs} ms needs doneMs`);
    const error = outcome === 'ok' ? {} : { error: outcome === 'fail' ? 'rejected' : 'timeout' };
    const done = this.line(span.doneMs, process, outcome, f, {
      value: doneValue,
      ...where,
      ...error,
    });
    return [invoke, done];
  }

  /** Line ids in file order: by time, ties in the order added. */
  private fileOrder(): number[] {
    const ids = this.lines.map((_, id) => id);
    return ids.sort((a, b) => this.time(a) - this.time(b) || a - b);
  }

  private time(id: number): number {
    const line = this.lines[id];
    if (line === undefined) throw new Error(`no line with id ${id}`);
    return line.time;
  }

  /** The history indices of lines and ops by their ids; pending completions left out. */
  at(...items: (number | OpLines)[]): number[] {
    const order = this.fileOrder();
    return items
      .flat()
      .filter((id) => id >= 0)
      .map((id) => order.indexOf(id));
  }

  text(): string {
    return this.fileOrder()
      .map((id, index) => `${JSON.stringify({ ...this.lines[id], index })}\n`)
      .join('');
  }
}

/** A register op's completion times: `[atMs, doneMs]`, and where it was sent. */
export interface Span {
  atMs: number;
  doneMs?: number;
  region?: string;
}

export function write(
  h: RegisterHistory,
  process: number,
  key: string,
  value: unknown,
  span: Span,
  outcome: Outcome = 'ok',
  ts?: number,
): OpLines {
  const done = ts === undefined ? { key, value } : { key, value, ts };
  return h.op(process, 'write', span, { key, value }, outcome, done);
}

export function read(
  h: RegisterHistory,
  process: number,
  key: string,
  value: unknown,
  span: Span,
  outcome: Outcome = 'ok',
): OpLines {
  return h.op(process, 'read', span, { key }, outcome, outcome === 'ok' ? { key, value } : { key });
}

export function cas(
  h: RegisterHistory,
  process: number,
  key: string,
  fromTo: [unknown, unknown],
  span: Span,
  outcome: Outcome = 'ok',
): OpLines {
  return h.op(process, 'cas', span, { key, from: fromTo[0], to: fromTo[1] }, outcome);
}

export function checkText(text: string, only?: string[]): Results {
  const options = { checkers: CHECKERS, timeoutS: CHECK_TIMEOUT_S };
  return checkHistoryText(
    'contract.jsonl',
    text,
    only === undefined ? options : { ...options, only },
  );
}

/** One checker's result, which must be present. */
export function resultOf(results: Results, checker: string): CheckResult {
  const result = results.checkers[checker];
  if (result === undefined) {
    throw new Error(`${checker} did not run; ran: ${Object.keys(results.checkers).join(', ')}`);
  }
  return result;
}

export function anomaliesOf(result: CheckResult, type: string): Anomaly[] {
  return result.anomalies.filter((anomaly) => anomaly.type === type);
}
