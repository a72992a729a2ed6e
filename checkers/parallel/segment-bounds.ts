/**
 * Splits a file into segments of whole lines for a parallel read: each boundary is the byte after
 * the first newline at or past a multiple of `segmentBytes`. A newline byte never occurs inside a
 * multi-byte UTF-8 character, so every segment decodes on its own.
 */
import { readSync } from 'node:fs';

const PROBE_BYTES = 64 * 1024;

/** Offsets [0, b1, ..., sizeBytes], strictly increasing. */
export function segmentBounds(fd: number, sizeBytes: number, segmentBytes: number): number[] {
  if (!(segmentBytes >= 1)) throw new Error(`segmentBytes must be >= 1, got ${segmentBytes}`);
  const bounds = [0];
  const probe = Buffer.allocUnsafe(PROBE_BYTES);
  let target = segmentBytes;
  while (target < sizeBytes) {
    const boundary = newlineAfter(fd, probe, target, sizeBytes);
    if (boundary >= sizeBytes) break;
    bounds.push(boundary);
    target = Math.max(boundary, target) + segmentBytes;
  }
  bounds.push(sizeBytes);
  return bounds;
}

/** The offset just past the first newline at or after `from`, or `sizeBytes` when none. */
function newlineAfter(fd: number, probe: Buffer, from: number, sizeBytes: number): number {
  let position = from;
  while (position < sizeBytes) {
    const bytesRead = readSync(fd, probe, 0, Math.min(PROBE_BYTES, sizeBytes - position), position);
    if (bytesRead === 0) break;
    const newline = probe.subarray(0, bytesRead).indexOf(0x0a);
    if (newline !== -1) return position + newline + 1;
    position += bytesRead;
  }
  return sizeBytes;
}

/** Pieces of a segment's text end at a newline past this many bytes: see `SegmentReader`. */
const PIECE_BYTES = 64 * 1024;

/**
 * Reads a segment's text through one buffer, reused, as pieces of whole lines of about 64 KiB:
 * strings that small die young, where one 2 MiB string per segment filled the old generation and
 * made V8 collect the whole heap every few segments.
 */
export class SegmentReader {
  private buffer = Buffer.allocUnsafe(0);

  constructor(private readonly fd: number) {}

  /** The text of bytes [startByte, endByte), in pieces that end at a newline (but the last). */
  pieces(startByte: number, endByte: number): string[] {
    const length = endByte - startByte;
    if (length > this.buffer.length) this.buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const bytesRead = readSync(this.fd, this.buffer, done, length - done, startByte + done);
      if (bytesRead === 0) {
        throw new Error(`file ended at byte ${startByte + done}, expected ${endByte}`);
      }
      done += bytesRead;
    }
    const pieces: string[] = [];
    let start = 0;
    while (start < length) {
      let end = length;
      if (length - start > PIECE_BYTES) {
        const newline = this.buffer.indexOf(0x0a, start + PIECE_BYTES);
        if (newline !== -1 && newline < length) end = newline + 1;
      }
      pieces.push(this.buffer.toString('utf8', start, end));
      start = end;
    }
    return pieces;
  }
}
