/**
 * Where two files first differ, as a 1-based line number, read in lockstep in fixed chunks so
 * that histories of any size compare in constant memory. null when they are byte-identical.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

function countNewlines(buffer: Buffer, end: number): number {
  let lines = 0;
  for (let i = 0; i < end; i += 1) if (buffer[i] === NEWLINE) lines += 1;
  return lines;
}

export function firstDifferentLine(fileA: string, fileB: string): number | null {
  const fdA = openSync(fileA, 'r');
  const fdB = openSync(fileB, 'r');
  const a = Buffer.alloc(CHUNK_BYTES);
  const b = Buffer.alloc(CHUNK_BYTES);
  let linesBefore = 0;
  try {
    for (;;) {
      const readA = readSync(fdA, a, 0, CHUNK_BYTES, null);
      const readB = readSync(fdB, b, 0, CHUNK_BYTES, null);
      const common = Math.min(readA, readB);
      for (let i = 0; i < common; i += 1) {
        if (a[i] !== b[i]) return linesBefore + countNewlines(a, i) + 1;
      }
      if (readA !== readB) return linesBefore + countNewlines(a, common) + 1;
      if (readA === 0) return null;
      linesBefore += countNewlines(a, readA);
    }
  } finally {
    closeSync(fdA);
    closeSync(fdB);
  }
}
