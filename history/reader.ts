/**
 * Streaming reader for history.jsonl. It reads the file in fixed-size chunks, validates each
 * line as it goes (fields, vocabulary shapes, the cross-line rules of the Sequencer) and hands
 * ops to a visitor, so a history of 10^8 ops never sits in memory.
 *
 * The first bad line stops the read with `<file>:<line>: <what is wrong>`. A torn last line —
 * no newline and not valid JSON, what a run killed mid-write leaves — is dropped with a warning,
 * unless it is the only line: a file with no valid line is not a history at all.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FieldError, HistoryError } from './history-error.ts';
import type { ClientOp, Op } from './op.ts';
import { checkOpFields, RuleError, Sequencer } from './sequencer.ts';

export interface HistoryVisitor {
  /** Every line, in file order. */
  onOp(op: Op): void;
  /**
   * A client op once its outcome is known: right after its completion line, or, for ops still
   * in flight when the history ends, after the last line (as info).
   */
  onClientOp(clientOp: ClientOp): void;
  /** Once every line has been read: the time of the last one (0 for an empty history). */
  onHistoryEnd?(lastTimeNs: number): void;
}

export interface ReadOptions {
  /** Where warnings go (a dropped torn line); stderr by default. */
  onWarning?: (message: string) => void;
  /** A longer line is bad input: writers split ledger and sagas over several lines. */
  lineBytesMax?: number;
  /** Called after each chunk read from a file, for progress displays. */
  onProgress?: (bytesRead: number, linesRead: number) => void;
}

export interface ReadSummary {
  linesCount: number;
  tornLineDropped: boolean;
}

export const LINE_BYTES_MAX_DEFAULT = 64 * 1024 * 1024;
/** Small chunks decode to strings that die young; multi-MiB ones fill the old generation. */
const CHUNK_BYTES = 64 * 1024;

function warnToStderr(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

/** Parses, validates and hands on one line at a time; a parallel read shares its Sequencer. */
export class LineHandler {
  linesCount = 0;

  constructor(
    private readonly file: string,
    private readonly visitor: HistoryVisitor,
    private readonly sequencer: Sequencer = new Sequencer(),
  ) {}

  /** `lineNumber` is 1-based. */
  handle(text: string, lineNumber: number): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HistoryError(this.file, lineNumber, `not valid JSON: ${text.slice(0, 60)}`);
    }
    this.accept(parsed, lineNumber);
  }

  /** True when `text` parses; used for the last line when it has no newline. */
  handleLast(text: string, lineNumber: number): boolean {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return false;
    }
    this.accept(parsed, lineNumber);
    return true;
  }

  finish(): void {
    for (const clientOp of this.sequencer.pending()) this.visitor.onClientOp(clientOp);
    this.visitor.onHistoryEnd?.(this.sequencer.lastTimeNs);
  }

  /** A line a parallel read already checked elsewhere: its neighbours were not shown here. */
  handleChecked(text: string, lineNumber: number): void {
    const parsed: unknown = JSON.parse(text);
    const op = parsed as Op;
    this.sequencer.skipTo(op.index, op.time);
    this.accept(parsed, lineNumber);
  }

  private accept(parsed: unknown, lineNumber: number): void {
    let op: Op;
    let clientOp: ClientOp | null;
    try {
      op = checkOpFields(parsed);
      clientOp = this.sequencer.accept(op);
    } catch (error) {
      if (error instanceof RuleError || error instanceof FieldError) {
        throw new HistoryError(this.file, lineNumber, error.message);
      }
      throw error;
    }
    this.linesCount += 1;
    this.visitor.onOp(op);
    if (clientOp !== null) this.visitor.onClientOp(clientOp);
  }
}

/** Feeds decoded text to a LineHandler, splitting on newlines across chunk boundaries. */
export class LineSplitter {
  private carry = '';
  private lineNumber: number;
  private lineBytesMax: number;

  /** `lineNumberBefore`: lines before this text (a parallel read's segment starts mid-file). */
  constructor(
    private readonly file: string,
    private readonly handler: LineHandler,
    lineBytesMax: number,
    lineNumberBefore = 0,
  ) {
    this.lineBytesMax = lineBytesMax;
    this.lineNumber = lineNumberBefore;
  }

  get linesSplit(): number {
    return this.lineNumber;
  }

  push(text: string): void {
    let start = 0;
    let newline = text.indexOf('\n', start);
    if (newline !== -1 && this.carry.length > 0) {
      this.emit(this.carry + text.slice(0, newline));
      this.carry = '';
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    while (newline !== -1) {
      this.emit(text.slice(start, newline));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.carry += text.slice(start);
    if (this.carry.length > this.lineBytesMax) {
      throw new HistoryError(
        this.file,
        this.lineNumber + 1,
        `line longer than ${this.lineBytesMax} characters; split ledger and sagas over several lines`,
      );
    }
  }

  /** Returns true when a torn last line was dropped. */
  end(onWarning: (message: string) => void): boolean {
    const torn = this.endText(onWarning);
    this.handler.finish();
    return torn;
  }

  /** The text ended: handles what follows the last newline. True when it was a torn line. */
  endText(onWarning: (message: string) => void): boolean {
    let torn = false;
    if (this.carry.length > 0) {
      this.lineNumber += 1;
      if (!this.handler.handleLast(this.carry, this.lineNumber)) {
        // A torn line ends what a run wrote; with no line before it, nothing was a history.
        if (this.lineNumber === 1) {
          throw new HistoryError(
            this.file,
            1,
            `not valid JSON, and no line of the file is: not a history (expected one JSON op per line): ${this.carry.slice(0, 60)}`,
          );
        }
        onWarning(
          `${this.file}:${this.lineNumber}: dropped a torn last line (no newline, not valid JSON: the run was probably killed mid-write)`,
        );
        torn = true;
      }
    }
    return torn;
  }

  private emit(line: string): void {
    this.lineNumber += 1;
    if (line.length === 0) {
      throw new HistoryError(
        this.file,
        this.lineNumber,
        'empty line; expected one JSON op per line',
      );
    }
    this.handler.handle(line, this.lineNumber);
  }
}

/** Reads and validates a history file, streaming. Throws HistoryError on the first bad line. */
export function readHistory(
  file: string,
  visitor: HistoryVisitor,
  options: ReadOptions = {},
): ReadSummary {
  const handler = new LineHandler(file, visitor);
  const splitter = new LineSplitter(file, handler, options.lineBytesMax ?? LINE_BYTES_MAX_DEFAULT);
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = openSync(file, 'r');
  let bytesReadTotal = 0;
  try {
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      splitter.push(decoder.write(buffer.subarray(0, bytesRead)));
      bytesReadTotal += bytesRead;
      options.onProgress?.(bytesReadTotal, handler.linesCount);
    }
    splitter.push(decoder.end());
  } finally {
    closeSync(fd);
  }
  const tornLineDropped = splitter.end(options.onWarning ?? warnToStderr);
  return { linesCount: handler.linesCount, tornLineDropped };
}

/** Reads and validates history text held in memory (tests, small imports). */
export function readHistoryText(
  name: string,
  text: string,
  visitor: HistoryVisitor,
  options: ReadOptions = {},
): ReadSummary {
  const handler = new LineHandler(name, visitor);
  const splitter = new LineSplitter(name, handler, options.lineBytesMax ?? LINE_BYTES_MAX_DEFAULT);
  splitter.push(text);
  const tornLineDropped = splitter.end(options.onWarning ?? warnToStderr);
  return { linesCount: handler.linesCount, tornLineDropped };
}

/** Every op of a small history, in memory: for tests and tools, never for checkers. */
export function loadHistoryOps(file: string, options: ReadOptions = {}): Op[] {
  const ops: Op[] = [];
  readHistory(file, { onOp: (op) => ops.push(op), onClientOp: () => {} }, options);
  return ops;
}
