/**
 * Judges reads (and the `from` an ok cas observed) for phantom values and reads from the future.
 *
 * File order is time order, so when a read completes every write invoked before it is known.
 * A read is settled at once when its value's write has already resolved; otherwise it waits:
 * on the write while that write is in flight (a failure would make the read a phantom), or on
 * its value while no write of it has been invoked (a later invoke makes it a future read; none
 * by the end makes it a phantom). Waiting reads are capped; a read dropped by the cap is counted
 * as unjudged and makes the verdict "unknown" if nothing else is wrong.
 */
import type { AnomalyLog } from '../anomaly-log.ts';
import { futureRead, phantomRead } from './anomalies.ts';
import type { KeyState } from './key-state.ts';
import type { ReadRecord, WriteRecord } from './write-record.ts';

export class ReadJudge {
  private readsWaitingCount = 0;
  readsUnjudgedCount = 0;

  constructor(
    private readonly log: AnomalyLog,
    private readonly readsWaitingMax: number,
  ) {}

  /** Returns the write the read saw, when it can be attributed now (for visibility). */
  onRead(state: KeyState, read: ReadRecord, valueKey: string): WriteRecord | null {
    if (state.ambiguous) return null;
    const source = state.writesByValue.get(valueKey);
    if (source === undefined) {
      const waiting = state.readsUnsourced.get(valueKey) ?? [];
      if (this.wait(waiting, read)) state.readsUnsourced.set(valueKey, waiting);
      return null;
    }
    if (source.status === 'fail') {
      this.log.add(phantomRead(read, source));
      return null;
    }
    if (source.status === 'pending') {
      source.readers ??= [];
      this.wait(source.readers, read);
    }
    return source;
  }

  /** Reads that saw `write`'s value before it was invoked now wait on it. */
  onWriteInvoked(state: KeyState, write: WriteRecord): void {
    const reads = state.readsUnsourced.get(write.valueKey);
    if (reads === undefined) return;
    state.readsUnsourced.delete(write.valueKey);
    // Closed intervals: a write invoked at the very nanosecond a read completed may be what it saw.
    for (const read of reads) read.future = write.startNs > read.endNs;
    if (write.readers !== null) throw new Error(`write ${write.invokeIndex} has readers at invoke`);
    write.readers = reads;
  }

  /** `write` resolved (ok, fail, info, or pending at the end): settle the reads that waited. */
  onWriteResolved(write: WriteRecord): void {
    const reads = write.readers;
    if (reads === null) return;
    if (write.status === 'pending') throw new Error(`write ${write.invokeIndex} not resolved`);
    write.readers = null;
    this.readsWaitingCount -= reads.length;
    for (const read of reads) {
      // A failed write produced nothing, so its value seen anywhere is a phantom, even when the
      // write was also invoked too late to have been seen.
      if (write.status === 'fail') this.log.add(phantomRead(read, write));
      else if (read.future) this.log.add(futureRead(read, write));
    }
  }

  /** Reads whose value no write was ever invoked with are phantoms. */
  finish(state: KeyState, poll: () => void): void {
    for (const reads of state.readsUnsourced.values()) {
      for (const read of reads) {
        poll();
        this.log.add(phantomRead(read, null));
      }
      this.readsWaitingCount -= reads.length;
    }
    state.readsUnsourced.clear();
  }

  /** The key's values cannot be attributed: its waiting reads are no longer judged. */
  forget(state: KeyState): void {
    for (const reads of state.readsUnsourced.values()) this.readsWaitingCount -= reads.length;
    state.readsUnsourced.clear();
    for (const write of state.writesByValue.values()) {
      if (write.readers !== null) this.readsWaitingCount -= write.readers.length;
      write.readers = null;
    }
    state.writesByValue.clear();
  }

  private wait(waiting: ReadRecord[], read: ReadRecord): boolean {
    if (this.readsWaitingCount >= this.readsWaitingMax) {
      this.readsUnjudgedCount += 1;
      return false;
    }
    waiting.push(read);
    this.readsWaitingCount += 1;
    return true;
  }
}
