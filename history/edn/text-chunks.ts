/**
 * Reads a UTF-8 file as text in fixed-size chunks, so that importers stream files of any size.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export const CHUNK_BYTES = 1024 * 1024;

export class TextChunks {
  private readonly fd: number;
  private readonly decoder = new StringDecoder('utf8');
  private readonly buffer: Buffer;
  private ended = false;

  constructor(
    readonly file: string,
    chunkBytes = CHUNK_BYTES,
  ) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
    this.fd = openSync(file, 'r');
  }

  get atEnd(): boolean {
    return this.ended;
  }

  /** The next piece of text ('' once, at the end, after which `atEnd` is true). */
  next(): string {
    if (this.ended) return '';
    const bytesRead = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
    if (bytesRead > 0) return this.decoder.write(this.buffer.subarray(0, bytesRead));
    this.ended = true;
    return this.decoder.end();
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Calls `visit` with each line of a file (without its "\n" or "\r\n") and its 1-based number.
 * A line longer than `lineCharsMax` is bad input.
 */
export function forEachLine(
  file: string,
  lineCharsMax: number,
  visit: (text: string, lineNumber: number) => void,
  onTooLong: (lineNumber: number) => never,
): void {
  const chunks = new TextChunks(file);
  let carry = '';
  let lineNumber = 0;
  const emit = (line: string): void => {
    lineNumber += 1;
    visit(line.endsWith('\r') ? line.slice(0, -1) : line, lineNumber);
  };
  try {
    while (!chunks.atEnd) {
      const text = carry + chunks.next();
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        emit(text.slice(start, nl));
        start = nl + 1;
      }
      carry = text.slice(start);
      if (carry.length > lineCharsMax) onTooLong(lineNumber + 1);
    }
    if (carry.length > 0) emit(carry);
  } finally {
    chunks.close();
  }
}
