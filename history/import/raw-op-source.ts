/**
 * Streams the ops of a Jepsen file in either format, telling the formats apart by content: a
 * history.edn starts (after whitespace and `;` comments) with `{`, `[`, `(` or a `#tag`; anything
 * else is read as a text log.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { EdnFormStream } from '../edn/edn-form-stream.ts';
import { EdnSyntaxError } from '../edn/edn-reader.ts';
import { forEachLine } from '../edn/text-chunks.ts';
import { HistoryError } from '../history-error.ts';
import { ImportProblem } from './import-problem.ts';
import { type RawOp, rawOpFromEdn } from './raw-op.ts';
import { rawOpFromLogLine } from './text-log-op.ts';

export type JepsenFormat = 'edn' | 'text-log';

const SNIFF_BYTES = 64 * 1024;
/** Text-log lines longer than this are bad input (an op line is under a kilobyte). */
export const LOG_LINE_CHARS_MAX = 16 * 1024 * 1024;

export function detectFormat(file: string): JepsenFormat {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(SNIFF_BYTES);
  let bytesRead: number;
  try {
    bytesRead = readSync(fd, buffer, 0, SNIFF_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const text = buffer
    .subarray(0, bytesRead)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const significant = text.replace(/^(?:[\s,]+|;[^\n]*(?:\n|$))*/, '');
  return /^[{[(#]/.test(significant) ? 'edn' : 'text-log';
}

/** Wraps a problem in one op as `file:line: problem`. */
export function atLine<T>(file: string, line: number, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (error instanceof ImportProblem) throw new HistoryError(file, line, error.message);
    throw error;
  }
}

function forEachEdnOp(file: string, visit: (op: RawOp) => void): void {
  const stream = new EdnFormStream(file);
  try {
    // One form per op: the file's size bounds the loop.
    for (let form = stream.next(); form !== null; form = stream.next()) {
      const { value, line } = form;
      visit(atLine(file, line, () => rawOpFromEdn(value, line)));
    }
  } catch (error) {
    if (error instanceof EdnSyntaxError)
      throw new HistoryError(file, error.line, `not valid EDN: ${error.problem}`);
    throw error;
  } finally {
    stream.dispose();
  }
}

function forEachLogOp(file: string, visit: (op: RawOp) => void): void {
  forEachLine(
    file,
    LOG_LINE_CHARS_MAX,
    (text, line) => {
      const op = atLine(file, line, () => rawOpFromLogLine(text, line));
      if (op !== null) visit(op);
    },
    (line) => {
      throw new HistoryError(file, line, `line longer than ${LOG_LINE_CHARS_MAX} characters`);
    },
  );
}

export function forEachRawOp(file: string, format: JepsenFormat, visit: (op: RawOp) => void): void {
  if (format === 'edn') forEachEdnOp(file, visit);
  else forEachLogOp(file, visit);
}
