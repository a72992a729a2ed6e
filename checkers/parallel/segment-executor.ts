/**
 * Where a parallel read's worker side runs: a worker thread (the default), or in-process for
 * tests, which then exercise the same segments, piles and boundary checks deterministically.
 * Main waits synchronously (Atomics.wait on a shared counter, then receiveMessageOnPort), so
 * checking stays a synchronous call for every caller.
 */
import { closeSync, openSync } from 'node:fs';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import { parallelReadNamed } from '../registry.ts';
import { SegmentReader } from './segment-bounds.ts';
import {
  type ScanRequest,
  type ScanResult,
  type ScanSetup,
  SegmentScanner,
} from './segment-scan.ts';

export interface SegmentExecutor {
  dispatch(request: ScanRequest): void;
  /** The result of a dispatched segment; blocks until it is there. */
  take(segment: number): ScanResult;
  close(): void;
}

/**
 * How long main waits for the worker between two messages before it gives up. A segment is
 * 2 MiB (a few 64 MiB lines at most): seconds at worst; a worker that died says nothing at all.
 */
const WORKER_SILENCE_MS_MAX = 30_000;

/** The worker crashed or went silent: the caller reads the history on one core instead. */
export class WorkerFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerFailed';
  }
}
const WAIT_SLICE_MS = 1000;

class WorkerExecutor implements SegmentExecutor {
  private readonly posted: Int32Array;
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly results = new Map<number, ScanResult>();
  private seen = 0;

  constructor(file: string, setup: ScanSetup) {
    const signal = new SharedArrayBuffer(4);
    this.posted = new Int32Array(signal);
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.worker = new Worker(new URL('./segment-worker-entry.js', import.meta.url), {
      workerData: { file, setup, signal, port: channel.port2 },
      transferList: [channel.port2],
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
  }

  dispatch(request: ScanRequest): void {
    this.port.postMessage(request);
  }

  take(segment: number): ScanResult {
    let silentMs = 0;
    for (;;) {
      const ready = this.results.get(segment);
      if (ready !== undefined) {
        this.results.delete(segment);
        return ready;
      }
      const message = receiveMessageOnPort(this.port);
      if (message !== undefined) {
        silentMs = 0;
        this.seen += 1;
        this.accept(message.message as { result?: ScanResult; crash?: string });
        continue;
      }
      if (silentMs >= WORKER_SILENCE_MS_MAX) {
        throw new WorkerFailed(
          `the parse worker sent nothing for ${WORKER_SILENCE_MS_MAX / 1000} s`,
        );
      }
      Atomics.wait(this.posted, 0, this.seen, WAIT_SLICE_MS);
      if (Atomics.load(this.posted, 0) === this.seen) silentMs += WAIT_SLICE_MS;
    }
  }

  private accept(message: { result?: ScanResult; crash?: string }): void {
    if (message.crash !== undefined)
      throw new WorkerFailed(`the parse worker failed: ${message.crash}`);
    if (message.result === undefined)
      throw new WorkerFailed('the parse worker sent an empty message');
    this.results.set(message.result.segment, message.result);
  }

  close(): void {
    this.port.postMessage('stop');
    this.port.close();
    void this.worker.terminate();
  }
}

export function startWorkerExecutor(file: string, setup: ScanSetup): SegmentExecutor {
  return new WorkerExecutor(file, setup);
}

/** Scans each segment when main takes it, on main's own thread. */
export function startInProcessExecutor(file: string, setup: ScanSetup): SegmentExecutor {
  const scanner = new SegmentScanner(setup, parallelReadNamed);
  const fd = openSync(file, 'r');
  const reader = new SegmentReader(fd);
  const requests = new Map<number, ScanRequest>();
  return {
    dispatch: (request) => {
      requests.set(request.segment, request);
    },
    take: (segment) => {
      const request = requests.get(segment);
      if (request === undefined) throw new Error(`segment ${segment} was never dispatched`);
      requests.delete(segment);
      return scanner.scan(request, reader.pieces(request.startByte, request.endByte));
    },
    close: () => closeSync(fd),
  };
}
