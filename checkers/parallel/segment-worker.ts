/**
 * The worker thread of a parallel read: scans the segments main sends, one at a time, in order,
 * and posts each result back, then bumps a shared counter so that main, waiting synchronously
 * with Atomics.wait, wakes up. Any failure is posted as a crash for main to raise.
 */
import { closeSync, openSync } from 'node:fs';
import { type MessagePort, workerData } from 'node:worker_threads';
import { parallelReadNamed } from '../registry.ts';
import { SegmentReader } from './segment-bounds.ts';
import { type ScanRequest, type ScanSetup, SegmentScanner } from './segment-scan.ts';

export interface WorkerSetup {
  file: string;
  setup: ScanSetup;
  /** Int32 counter of messages posted. */
  signal: SharedArrayBuffer;
  port: MessagePort;
}

const { file, setup, signal, port } = workerData as WorkerSetup;
const posted = new Int32Array(signal);
const fd = openSync(file, 'r');
const reader = new SegmentReader(fd);

function post(message: unknown, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
}

let scanner: SegmentScanner | null = null;
try {
  scanner = new SegmentScanner(setup, parallelReadNamed);
} catch (error) {
  post({ crash: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}

port.on('message', (message: ScanRequest | 'stop') => {
  if (message === 'stop') {
    closeSync(fd);
    port.close();
    return;
  }
  if (scanner === null) return;
  try {
    const text = reader.pieces(message.startByte, message.endByte);
    const result = scanner.scan(message, text);
    const transfer: ArrayBuffer[] = [result.textLines.buffer as ArrayBuffer];
    for (const { checker, data } of result.digests) {
      const digest = parallelReadNamed(checker)?.digest;
      if (digest === undefined)
        throw new Error(`checker ${checker} sent a digest it has no way to make`);
      transfer.push(...digest.transfer(data));
    }
    post({ result }, transfer);
  } catch (error) {
    post({ crash: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
