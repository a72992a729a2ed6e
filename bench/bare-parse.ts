/**
 * The baseline the check is measured against: read the file in the same 4 MiB chunks, split it
 * into lines, JSON.parse each one, nothing else. Prints its own figures as one JSON line.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES = 4 * 1024 * 1024;

function bareParse(file: string): number {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lines = 0;
  try {
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      const parts = (carry + decoder.write(buffer.subarray(0, bytesRead))).split('\n');
      carry = parts.pop() ?? '';
      for (const part of parts) {
        if (JSON.parse(part) !== null) lines += 1;
      }
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: bare-parse <history.jsonl>');
const startedMs = performance.now();
const lines = bareParse(file);
const ms = performance.now() - startedMs;
process.stdout.write(
  `${JSON.stringify({ lines, ms, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
);
