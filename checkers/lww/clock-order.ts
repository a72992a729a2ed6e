/**
 * Finds, for each ok write, the largest recorded ts among ok writes of the same key that
 * completed strictly before it was invoked — the writes real time says it must beat. O(1) per
 * op and two references per key.
 *
 * Completions arrive in time order. Those at the latest completion time sit in a "bucket" apart
 * from the settled ones, because a write invoked at that same nanosecond overlaps them (closed
 * intervals): W1 acked at 5 ns and W2 invoked at 5 ns are concurrent, not ordered.
 */
import type { WriteRecord } from './write-record.ts';

function largerTs(a: WriteRecord | null, b: WriteRecord | null): WriteRecord | null {
  if (a === null) return b;
  if (b === null) return a;
  return (b.ts ?? 0) > (a.ts ?? 0) ? b : a;
}

export class ClockOrder {
  /** Largest-ts ok write among those acked before bucketNs. */
  private settled: WriteRecord | null = null;
  /** Largest-ts ok write among those acked exactly at bucketNs. */
  private bucket: WriteRecord | null = null;
  private bucketNs = -1;

  /** The largest-ts ok write acked strictly before `startNs`. */
  priorTo(startNs: number): WriteRecord | null {
    if (startNs < this.bucketNs) {
      throw new Error(`clock order: invoke at ${startNs} ns before an ack at ${this.bucketNs} ns`);
    }
    return startNs > this.bucketNs ? largerTs(this.settled, this.bucket) : this.settled;
  }

  onAck(write: WriteRecord): void {
    if (write.ts === null) return;
    if (write.endNs < this.bucketNs) {
      throw new Error(`clock order: ack at ${write.endNs} ns before one at ${this.bucketNs} ns`);
    }
    if (write.endNs > this.bucketNs) {
      this.settled = largerTs(this.settled, this.bucket);
      this.bucket = write;
      this.bucketNs = write.endNs;
      return;
    }
    this.bucket = largerTs(this.bucket, write);
  }
}

/**
 * True when `write`'s ts is below that of a write acked before it was invoked. An equal ts is a
 * tie, not a contradiction: clocks of millisecond resolution stamp quick successive writes
 * alike, and which of them wins is then the store's tie-break (lost-write judges the outcome).
 */
export function contradictsClock(write: WriteRecord): boolean {
  const prior = write.tsPrior;
  return prior !== null && prior.ts !== null && write.ts !== null && prior.ts > write.ts;
}
