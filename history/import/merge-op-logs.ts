/**
 * Per-worker op logs (op-log.ts) into one history: every op placed on the run's clock by its
 * worker's clock correction, its window widened by the correction's bound, all of them in time
 * order, with run-wide process numbers.
 *
 * Why widening keeps every checker sound: a worker's op invoked at worker time i and completed at
 * c truly happened inside [i + offset, c + offset] for the true offset, which lies within
 * offsetNs ± boundNs; so it lies inside [i + offsetNs - boundNs, c + offsetNs + boundNs], the
 * window written. A checker that finds A before B (A completed before B was invoked) in the
 * merged history finds what was true: A's true completion <= A's written completion < B's written
 * invoke <= B's true invoke. Widening only makes more ops concurrent, which can hide an anomaly
 * that rests on a precedence closer than the clocks can tell, never invent one. Values and
 * outcomes are untouched, so the checkers that judge them (totals, ledger, sagas) see what the
 * workers saw.
 *
 * Processes: a worker's process numbers are its own; the merge hands out run-wide ones as the
 * merged history goes (an ok or fail op's process is reused, an info op's never is, as the Node
 * driver does), so that widened windows of one worker process never make it two ops in flight.
 *
 * Memory: every op of every log is held (two lines each) until it is written: OPS_MAX bounds it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FieldError, HistoryError } from '../history-error.ts';
import type { OpDraft } from '../op.ts';
import { type ClockCorrection, clockCorrection, EXACT } from './clock-correction.ts';
import {
  type ClockSample,
  type OpLogHeader,
  type OpLogLine,
  parseBodyLine,
  parseHeader,
} from './op-log.ts';

/** Lines over every log held in memory before the merge writes them. */
export const OPS_MAX = 4_000_000;
const LINE_CHARS_MAX = 16 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

export interface OpLog {
  file: string;
  header: OpLogHeader;
  samples: ClockSample[];
  /** The ops in file order, each with its line number. */
  ops: { op: OpDraft; line: number }[];
  /** The last line had no newline and was not JSON: the worker was killed mid-write. */
  tornLastLine: boolean;
}

/** Reads and validates one op log. Throws HistoryError naming the file and line. */
export function readOpLog(file: string, linesBudget: { left: number }): OpLog {
  const log: OpLog = { file, header: null as never, samples: [], ops: [], tornLastLine: false };
  let lineNumber = 0;
  const handle = (text: string, last: boolean): void => {
    lineNumber += 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (last && lineNumber > 1) {
        log.tornLastLine = true;
        return;
      }
      throw new HistoryError(file, lineNumber, `not valid JSON: ${text.slice(0, 60)}`);
    }
    try {
      if (lineNumber === 1) {
        log.header = parseHeader(value);
        return;
      }
      addLine(log, parseBodyLine(value, log.header.source), lineNumber);
    } catch (error) {
      if (error instanceof FieldError) throw new HistoryError(file, lineNumber, error.message);
      throw error;
    }
    linesBudget.left -= 1;
    if (linesBudget.left < 0) {
      throw new HistoryError(file, lineNumber, `more than ${OPS_MAX} lines over all op logs`);
    }
  };
  forEachLine(file, handle);
  if (lineNumber === 0) throw new HistoryError(file, 1, 'empty: expected an op log header');
  return log;
}

function addLine(log: OpLog, line: OpLogLine, lineNumber: number): void {
  if (line.kind === 'clock') log.samples.push(line.sample);
  else if (line.kind === 'op') log.ops.push({ op: line.op, line: lineNumber });
}

function forEachLine(file: string, handle: (text: string, last: boolean) => void): void {
  const fd = openSync(file, 'r');
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry = '';
  let lineNumber = 0;
  try {
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      const text =
        carry + (bytesRead === 0 ? decoder.end() : decoder.write(buffer.subarray(0, bytesRead)));
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        lineNumber += 1;
        if (line.length === 0) throw new HistoryError(file, lineNumber, 'empty line');
        handle(line, false);
      }
      if (carry.length > LINE_CHARS_MAX) {
        throw new HistoryError(
          file,
          lineNumber + 1,
          `line longer than ${LINE_CHARS_MAX} characters`,
        );
      }
      if (bytesRead === 0) break;
    }
  } finally {
    closeSync(fd);
  }
  if (carry.length > 0) handle(carry, true);
}

export interface MergeOptions {
  /**
   * No op was invoked before this run time, nor completed after `completedNsMax`: written
   * times are held inside [invokedNsMin, completedNsMax]. That narrows no true window (the
   * harness knows when the load started and when the workers had all exited), and keeps the
   * merged lines after the ones the harness wrote before the load.
   */
  invokedNsMin: number;
  completedNsMax: number;
  /**
   * Logs with no harness run behind them (imported on their own): when a widened window starts
   * before `invokedNsMin`, move every line later by the same amount instead of clamping, which
   * keeps every window and every order as it was.
   */
  shiftEarlyToMin?: boolean;
}

export interface WorkerPlacement {
  worker: string;
  file: string;
  correction: ClockCorrection;
  ops: number;
  tornLastLine: boolean;
}

export interface MergeResult {
  linesWritten: number;
  workers: WorkerPlacement[];
  /** The widest bound of any worker: how much any client op's window was widened each side. */
  boundNsMax: number;
  /** How much every line was moved later (shiftEarlyToMin); 0 otherwise. */
  shiftNs: number;
}

/** One line to write, at its run time; `order` breaks ties: invokes first, then file order. */
interface Pending {
  /** Unclamped until every log is read, then the time written. */
  timeNs: number;
  order: number;
  draft: OpDraft;
  /** For a client line: the op it belongs to (its invoke and completion share it). */
  client?: ClientOpRef;
}

interface ClientOpRef {
  processRun: number | null;
}

export function mergeOpLogs(
  logs: readonly OpLog[],
  sink: { append(draft: OpDraft): unknown },
  options: MergeOptions,
): MergeResult {
  const { invokedNsMin, completedNsMax } = options;
  if (!(invokedNsMin >= 0 && completedNsMax >= invokedNsMin)) {
    throw new Error(`merge window [${invokedNsMin}, ${completedNsMax}] ns is empty`);
  }
  const pending: Pending[] = [];
  const workers: WorkerPlacement[] = [];
  const seen = new Set<string>();
  for (const log of logs) {
    if (seen.has(log.header.worker)) {
      throw new HistoryError(log.file, 1, `worker ${log.header.worker} has another log too`);
    }
    seen.add(log.header.worker);
    const correction = correctionOf(log);
    workers.push({
      worker: log.header.worker,
      file: log.file,
      correction,
      ops: log.ops.length,
      tornLastLine: log.tornLastLine,
    });
    pairOps(log, correction, pending);
  }
  let earliestNs = invokedNsMin;
  for (const line of pending) earliestNs = Math.min(earliestNs, line.timeNs);
  const shiftNs = options.shiftEarlyToMin === true ? invokedNsMin - earliestNs : 0;
  const clamp = (ns: number) =>
    Math.min(Math.max(Math.round(ns + shiftNs), invokedNsMin), completedNsMax);
  for (const line of pending) {
    line.timeNs = clamp(line.timeNs);
    if (typeof line.draft.intendedNs === 'number')
      line.draft.intendedNs = clamp(line.draft.intendedNs);
  }
  pending.sort((a, b) => a.timeNs - b.timeNs || a.order - b.order);
  const linesWritten = writeInOrder(pending, sink);
  const boundNsMax = Math.max(0, ...workers.map((w) => w.correction.boundNs));
  return { linesWritten, workers, boundNsMax, shiftNs };
}

function correctionOf(log: OpLog): ClockCorrection {
  if (log.header.source === 'harness') return EXACT;
  const correction = clockCorrection(log.samples);
  if (correction === null) {
    throw new HistoryError(
      log.file,
      1,
      `worker ${log.header.worker} has no clock sample: nothing places its ops on the run's clock`,
    );
  }
  return correction;
}

/**
 * Pairs each invoke with its completion on the worker's own process numbers (each worker process
 * has at most one op in flight, in the worker's order) and queues both lines at their widened
 * run times.
 */
function pairOps(log: OpLog, correction: ClockCorrection, pending: Pending[]): void {
  const { offsetNs, boundNs } = correction;
  const inFlight = new Map<number, { f: string; client: ClientOpRef; timeNs: number }>();
  let order = pending.length;
  for (const { op, line } of log.ops) {
    const { time, process } = op;
    const runNs = time + offsetNs;
    if (typeof process !== 'number') {
      pending.push({ timeNs: runNs, order: order++, draft: { ...op, time: 0 } });
      continue;
    }
    const extra: Record<string, unknown> = { worker: log.header.worker };
    if (typeof op.intendedNs === 'number') extra.intendedNs = op.intendedNs + offsetNs;
    if (op.type === 'invoke') {
      if (inFlight.has(process)) {
        throw new HistoryError(log.file, line, `process ${process} invoked with an op in flight`);
      }
      const client: ClientOpRef = { processRun: null };
      inFlight.set(process, { f: op.f, client, timeNs: time });
      if (boundNs > 0) extra.clockBoundNs = boundNs;
      // Invokes sort before completions at the same time: the window never closes early.
      pending.push({
        timeNs: runNs - boundNs,
        order: -1 - order++,
        draft: { ...op, ...extra },
        client,
      });
      continue;
    }
    const open = inFlight.get(process);
    if (open === undefined || open.f !== op.f) {
      throw new HistoryError(
        log.file,
        line,
        `a ${op.type} of ${op.f} on process ${process} that has no such op in flight`,
      );
    }
    if (time < open.timeNs) {
      throw new HistoryError(
        log.file,
        line,
        `completed at ${time} ns, before its invoke (${open.timeNs} ns)`,
      );
    }
    inFlight.delete(process);
    pending.push({
      timeNs: runNs + boundNs,
      order: order++,
      draft: { ...op, ...extra },
      client: open.client,
    });
  }
}

function writeInOrder(
  pending: readonly Pending[],
  sink: { append(draft: OpDraft): unknown },
): number {
  const idle: number[] = [];
  let processNext = 0;
  for (const { timeNs, draft, client } of pending) {
    if (client === undefined) {
      sink.append({ ...draft, time: timeNs });
      continue;
    }
    if (draft.type === 'invoke') {
      client.processRun = idle.pop() ?? processNext++;
      sink.append({ ...draft, time: timeNs, process: client.processRun });
      continue;
    }
    const process = client.processRun;
    if (process === null) throw new Error('a completion sorted before its invoke');
    sink.append({ ...draft, time: timeNs, process });
    if (draft.type !== 'info') idle.push(process);
  }
  return pending.length;
}
