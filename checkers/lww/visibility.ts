/**
 * Visibility lag per region pair: for each ok write W acked in R1 and each other region R2 that
 * reads, the time from W's ack to the completion of the first read in R2, invoked after the ack
 * (later in the file), that returns W's value or a newer one — a value whose write was invoked
 * after W's ack, or whose ts is larger than W's.
 *
 * Per key and reading region, the writes not yet seen wait twice: in ack order (the real-time
 * rule makes the seen ones a prefix of it) and in a min-heap by ts (the ts rule makes them the
 * smallest). Entries are deleted lazily, so a read costs O(log n) per write it settles. Memory:
 * one entry (~80 bytes) per acked write and other reading region, capped at `entriesMax`;
 * writes beyond the cap are counted as dropped and not followed.
 */

import { MinHeap } from '../../lib/min-heap.ts';
import { DurationDistribution, type DurationSummaryMs } from '../duration-distribution.ts';
import type { WriteRecord } from './write-record.ts';

interface Entry {
  readonly write: WriteRecord;
  seen: boolean;
}

/** What one region has yet to see of one key. */
class RegionView {
  readonly queue: Entry[] = [];
  head = 0;
  readonly heap = new MinHeap<Entry>((a, b) => (a.write.ts ?? 0) < (b.write.ts ?? 0));
  /** Exactly the entries not seen yet. */
  readonly unseen = new Map<WriteRecord, Entry>();

  add(write: WriteRecord): void {
    const entry: Entry = { write, seen: false };
    this.queue.push(entry);
    if (write.ts !== null) this.heap.push(entry);
    this.unseen.set(write, entry);
  }

  /** Drops lazily deleted entries once they outnumber the live ones. */
  compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.heap.size > 1024 && this.heap.size > 2 * this.unseen.size) {
      this.heap.retain((entry) => !entry.seen);
    }
  }
}

export interface VisibilityRead {
  key: string;
  region: string;
  invokeIndex: number;
  endNs: number;
  /** The write whose value the read returned. */
  source: WriteRecord;
}

export interface PairStats extends DurationSummaryMs {
  unseen: number;
}

export class VisibilityTracker {
  private readonly ackedByKey = new Map<string, WriteRecord[]>();
  private readonly views = new Map<string, Map<string, RegionView>>();
  private readonly lags = new Map<string, DurationDistribution>();
  private readonly ackRegions = new Set<string>();
  private readonly readRegions = new Set<string>();
  private entriesCount = 0;
  droppedCount = 0;

  constructor(
    private readonly entriesMax: number,
    private readonly samplesMax: number,
  ) {}

  onAck(write: WriteRecord): void {
    if (write.region === undefined || write.status !== 'ok') return;
    this.ackRegions.add(write.region);
    const acked = this.ackedByKey.get(write.key) ?? [];
    acked.push(write);
    this.ackedByKey.set(write.key, acked);
    for (const [region, view] of this.views.get(write.key) ?? []) {
      if (region !== write.region) this.addEntry(view, write);
    }
  }

  /** Every region with an ok read is a reader, even if what it read cannot be attributed. */
  onReader(region: string): void {
    this.readRegions.add(region);
  }

  onRead(read: VisibilityRead): void {
    this.readRegions.add(read.region);
    const view = this.viewOf(read.key, read.region);
    const seenBefore = (write: WriteRecord) =>
      write.completionIndex !== null && write.completionIndex < read.invokeIndex;
    const exact = view.unseen.get(read.source);
    if (exact !== undefined && seenBefore(exact.write)) this.see(view, exact, read);
    for (; view.head < view.queue.length; view.head += 1) {
      const entry = view.queue[view.head]!;
      if (entry.seen) continue;
      if (!seenBefore(entry.write) || !(entry.write.endNs < read.source.startNs)) break;
      this.see(view, entry, read);
    }
    this.seeOlderTs(view, read, seenBefore);
    view.compact();
  }

  /** Forgets a key whose values cannot be attributed. */
  forget(key: string): void {
    for (const view of this.views.get(key)?.values() ?? []) this.entriesCount -= view.unseen.size;
    this.views.delete(key);
    this.ackedByKey.delete(key);
  }

  /** `{"R1->R2": {count, p50, p99, max, unseen}}` over ack regions x reading regions. */
  statsByPair(poll: () => void): Record<string, PairStats> {
    const unseen = this.unseenByPair(poll);
    const pairs: Record<string, PairStats> = {};
    for (const from of [...this.ackRegions].sort()) {
      for (const to of [...this.readRegions].sort()) {
        if (from === to) continue;
        const pair = `${from}->${to}`;
        const summary = this.lags.get(pair)?.summaryMs() ?? {
          count: 0,
          p50: null,
          p99: null,
          max: null,
        };
        pairs[pair] = { ...summary, unseen: unseen.get(pair) ?? 0 };
      }
    }
    return pairs;
  }

  private unseenByPair(poll: () => void): Map<string, number> {
    const unseen = new Map<string, number>();
    const count = (from: string | undefined, to: string) => {
      poll();
      const pair = `${from}->${to}`;
      unseen.set(pair, (unseen.get(pair) ?? 0) + 1);
    };
    for (const [key, acked] of this.ackedByKey) {
      const views = this.views.get(key);
      for (const region of this.readRegions) {
        const view = views?.get(region);
        if (view !== undefined) {
          for (const write of view.unseen.keys()) count(write.region, region);
          continue;
        }
        // A region that never read the key saw none of its writes.
        for (const write of acked) if (write.region !== region) count(write.region, region);
      }
    }
    return unseen;
  }

  private seeOlderTs(
    view: RegionView,
    read: VisibilityRead,
    seenBefore: (write: WriteRecord) => boolean,
  ): void {
    const sourceTs = read.source.ts;
    if (sourceTs === null) return;
    // Writes acked after the read was invoked cannot count for it; they go back afterwards.
    const tooLate: Entry[] = [];
    for (let top = view.heap.peek(); top !== undefined; top = view.heap.peek()) {
      if (!top.seen && !((top.write.ts ?? 0) < sourceTs)) break;
      view.heap.pop();
      if (top.seen) continue;
      if (seenBefore(top.write)) this.see(view, top, read);
      else tooLate.push(top);
    }
    for (const entry of tooLate) view.heap.push(entry);
  }

  private see(view: RegionView, entry: Entry, read: VisibilityRead): void {
    const write = entry.write;
    entry.seen = true;
    view.unseen.delete(write);
    this.entriesCount -= 1;
    const pair = `${write.region}->${read.region}`;
    let lag = this.lags.get(pair);
    if (lag === undefined) {
      lag = new DurationDistribution(this.samplesMax);
      this.lags.set(pair, lag);
    }
    lag.record(read.endNs - write.endNs);
  }

  private viewOf(key: string, region: string): RegionView {
    let byRegion = this.views.get(key);
    if (byRegion === undefined) {
      byRegion = new Map();
      this.views.set(key, byRegion);
    }
    let view = byRegion.get(region);
    if (view === undefined) {
      view = new RegionView();
      byRegion.set(region, view);
      for (const write of this.ackedByKey.get(key) ?? []) {
        if (write.region !== region) this.addEntry(view, write);
      }
    }
    return view;
  }

  private addEntry(view: RegionView, write: WriteRecord): void {
    if (this.entriesCount >= this.entriesMax) {
      this.droppedCount += 1;
      return;
    }
    view.add(write);
    this.entriesCount += 1;
  }
}
