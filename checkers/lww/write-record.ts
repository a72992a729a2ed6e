/**
 * The compact records the lww checker keeps. Attribution needs every written value for the whole
 * run (a read or final read may name any of them), so each write or cas costs one WriteRecord,
 * about 200 bytes; reads are never kept except while they wait for a write to settle them.
 */

export type WriteStatus = 'pending' | 'ok' | 'fail' | 'info';

export interface WriteRecord {
  readonly key: string;
  /** `init` stands for the initial value: a write that completed before every op. */
  readonly f: 'write' | 'cas' | 'init';
  readonly value: unknown;
  readonly valueKey: string;
  /** The invoke line, or the init line (-1 when the history has no init). */
  readonly invokeIndex: number;
  readonly startNs: number;
  readonly region: string | undefined;
  status: WriteStatus;
  completionIndex: number | null;
  /** The ack time for ok and fail; Infinity while pending and for info (it may land any time). */
  endNs: number;
  /** The replication timestamp its ok carried, if any. */
  ts: number | null;
  /** The ok write with the largest ts that completed strictly before this one was invoked. */
  tsPrior: WriteRecord | null;
  /** Reads of this value waiting for this write's outcome (it was in flight when they read it). */
  readers: ReadRecord[] | null;
}

/** A read, or the `from` an ok cas observed, while it waits to be judged. */
export interface ReadRecord {
  readonly f: 'read' | 'cas';
  readonly key: string;
  readonly value: unknown;
  readonly invokeIndex: number;
  readonly completionIndex: number;
  readonly endNs: number;
  readonly region: string | undefined;
  /** True once the write of its value turned out to be invoked after this read completed. */
  future: boolean;
}

/** Init is a write that completed before any op (endNs -1), so every ok write comes after it. */
export function initRecord(key: string, value: unknown, valueKey: string, index: number) {
  const record: WriteRecord = {
    key,
    f: 'init',
    value,
    valueKey,
    invokeIndex: index,
    startNs: -1,
    region: undefined,
    status: 'ok',
    completionIndex: null,
    endNs: -1,
    ts: null,
    tsPrior: null,
    readers: null,
  };
  return record;
}

/** The history indices of a write: its invoke (or init line) and its completion, if any. */
export function writeOps(write: WriteRecord): number[] {
  const ops = write.invokeIndex >= 0 ? [write.invokeIndex] : [];
  if (write.completionIndex !== null) ops.push(write.completionIndex);
  return ops;
}

export function readOps(read: ReadRecord): number[] {
  return [read.invokeIndex, read.completionIndex];
}
