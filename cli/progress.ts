/**
 * Progress for long work on stderr: a line rewritten in place at most every 200 ms on a terminal,
 * nothing when stderr is not a terminal (CI logs stay quiet).
 */
import { performance } from 'node:perf_hooks';

const REDRAW_INTERVAL_MS = 200;

export interface Progress {
  update: (bytesDone: number, opsDone: number) => void;
  done: () => void;
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function progressReporter(label: string, bytesTotal: number): Progress {
  if (process.stderr.isTTY !== true) return { update: () => {}, done: () => {} };
  const startedAtMs = performance.now();
  let drawnAtMs = 0;
  let drawn = false;
  return {
    update: (bytesDone, opsDone) => {
      const nowMs = performance.now();
      if (nowMs - drawnAtMs < REDRAW_INTERVAL_MS) return;
      drawnAtMs = nowMs;
      drawn = true;
      const percent = bytesTotal > 0 ? Math.floor((100 * bytesDone) / bytesTotal) : 100;
      const opsPerS = Math.round(opsDone / Math.max((nowMs - startedAtMs) / 1000, 1e-3));
      process.stderr.write(
        `\r${label}: ${percent}% (${formatMiB(bytesDone)} of ${formatMiB(bytesTotal)}), ${opsDone} ops, ${opsPerS} ops/s `,
      );
    },
    done: () => {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}
