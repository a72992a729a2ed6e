/**
 * Appends ops to history.jsonl as they happen. Each op is validated by the same Sequencer the
 * reader uses before it is written (an invalid op is a harness bug: it throws). Lines are
 * buffered and written with one write(2) per flush; a flush happens when the buffer is full,
 * when `flushIntervalMs` has passed since the last one (checked on append and by a timer), and
 * on close. A SIGKILL loses at most the unflushed tail: what write(2) handed the kernel stays.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Op, OpDraft } from './op.ts';
import { checkOpFields, Sequencer } from './sequencer.ts';

export interface WriterOptions {
  flushIntervalMs?: number;
  bufferBytesMax?: number;
  /** Append to an existing file instead of truncating it. */
  append?: boolean;
}

export const FLUSH_INTERVAL_MS_DEFAULT = 100;
const BUFFER_BYTES_MAX_DEFAULT = 1024 * 1024;
/** Lines beyond this are a writer bug: split ledgers and saga lists (design.md). */
export const LINE_BYTES_MAX_WRITE = 16 * 1024 * 1024;

export class HistoryWriter {
  private readonly fd: number;
  private readonly sequencer = new Sequencer();
  private readonly flushIntervalMs: number;
  private readonly bufferBytesMax: number;
  private readonly timer: NodeJS.Timeout;
  private chunks: string[] = [];
  private bufferedBytes = 0;
  private flushedAtMs = performance.now();
  private closed = false;
  opsWritten = 0;

  constructor(
    readonly file: string,
    options: WriterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? FLUSH_INTERVAL_MS_DEFAULT;
    this.bufferBytesMax = options.bufferBytesMax ?? BUFFER_BYTES_MAX_DEFAULT;
    this.fd = openSync(file, options.append === true ? 'a' : 'w');
    this.timer = setInterval(() => this.flushIfDue(), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Assigns the next index, validates, buffers; returns the op as written. */
  append(draft: OpDraft): Op {
    if (this.closed) throw new Error(`history writer for ${this.file} is closed`);
    const { time, process, type, f, ...rest } = draft;
    const op: Op = { index: this.sequencer.nextIndex, time, process, type, f, ...rest };
    this.sequencer.accept(checkOpFields(op));
    const line = `${JSON.stringify(op)}\n`;
    if (line.length > LINE_BYTES_MAX_WRITE) {
      throw new Error(`history line ${op.index} (${op.f}) is ${line.length} bytes; split it`);
    }
    this.chunks.push(line);
    this.bufferedBytes += line.length;
    this.opsWritten += 1;
    if (this.bufferedBytes >= this.bufferBytesMax) this.flush();
    else this.flushIfDue();
    return op;
  }

  flush(): void {
    if (this.chunks.length > 0) {
      const text = this.chunks.join('');
      this.chunks = [];
      this.bufferedBytes = 0;
      writeSync(this.fd, text);
    }
    this.flushedAtMs = performance.now();
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }

  private flushIfDue(): void {
    if (!this.closed && performance.now() - this.flushedAtMs >= this.flushIntervalMs) this.flush();
  }
}
