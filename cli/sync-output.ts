/**
 * Synchronous writes to stdout or a file, for streaming exporters that produce text in a loop.
 * A non-blocking stdout pipe answers EAGAIN when full: wait 1 ms and retry, a bounded number of
 * times, rather than buffering without limit.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const EAGAIN_RETRIES_MAX = 60_000;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** False once the reader has gone (`paychaos export edn h.jsonl | head`): the rest is dropped. */
function writeAll(fd: number, text: string): boolean {
  let buffer = Buffer.from(text);
  let retries = 0;
  while (buffer.length > 0) {
    try {
      const written = writeSync(fd, buffer);
      buffer = buffer.subarray(written);
      retries = 0;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE' && fd === 1) return false;
      if (code !== 'EAGAIN' || retries >= EAGAIN_RETRIES_MAX) throw error;
      retries += 1;
      Atomics.wait(sleepCell, 0, 0, 1);
    }
  }
  return true;
}

export interface SyncOutput {
  write: (text: string) => void;
  close: () => void;
}

/** `file` undefined means stdout. */
export function openSyncOutput(file: string | undefined): SyncOutput {
  const fd = file === undefined ? 1 : openSync(file, 'w');
  let readerGone = false;
  return {
    write: (text) => {
      if (!readerGone) readerGone = !writeAll(fd, text);
    },
    close: () => {
      if (fd !== 1) closeSync(fd);
    },
  };
}
