/**
 * Everything the lww checker keeps for one register key: every written value (attribution
 * needs them all), reads waiting for a write that is not invoked yet, and O(1) summaries for
 * lost writes and clock order.
 */
import { ClockOrder } from './clock-order.ts';
import type { ReadRecord, WriteRecord } from './write-record.ts';

export class KeyState {
  /** Written values (and init's), by valueKey; emptied once the key turns out ambiguous. */
  readonly writesByValue = new Map<string, WriteRecord>();
  /** Reads of a value no write has been invoked with yet, by valueKey. */
  readonly readsUnsourced = new Map<string, ReadRecord[]>();
  readonly clock = new ClockOrder();
  /** The ok write invoked last: if any ok write came after the final value's, this one did. */
  okStartLatest: WriteRecord | null = null;
  /** Two writes (or a write and init) had the same value: reads cannot be attributed. */
  ambiguous = false;

  constructor(
    readonly key: string,
    readonly init: WriteRecord,
  ) {
    this.writesByValue.set(init.valueKey, init);
  }

  onOk(write: WriteRecord): void {
    if (this.okStartLatest === null || write.startNs > this.okStartLatest.startNs) {
      this.okStartLatest = write;
    }
    this.clock.onAck(write);
  }
}
