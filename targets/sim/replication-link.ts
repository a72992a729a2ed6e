/**
 * One direction of asynchronous replication between two regions, shared by the global table and
 * the SQL cluster: a bounded FIFO of records, shipped after the network's cross-region latency
 * plus the link's extra lag, applied at the far end by `apply`.
 *
 * Records stay in the queue until applied, so `backlog` counts everything not yet applied. The
 * first `dispatched` of them are in flight; arrivals keep queue order (arrival times never go
 * backwards on a link, and same-time events run in scheduling order), so an arrival is always
 * the head. A link that cannot ship (the network cannot reach, an endpoint is down) holds its
 * records and polls; a cut found when a record arrives recalls everything in flight (the
 * replicator retries from the oldest unapplied record, as a stream consumer resumes from its
 * checkpoint). Pausing recalls in-flight records too: nothing lands while paused.
 */
import { BoundedFifo } from './bounded-fifo.ts';
import type { SimNetwork } from './network.ts';
import type { Scheduler } from './scheduler.ts';

export interface ReplicationLinkOptions<R> {
  from: string;
  to: string;
  scheduler: Scheduler;
  network: SimNetwork;
  recordsMax: number;
  pollIntervalNs: number;
  lagNs: number;
  paused: boolean;
  /** Whether the link can carry records now: both ends up and the network reaching. */
  canShip: () => boolean;
  apply: (record: R) => void;
}

export class ReplicationLink<R> {
  private readonly queue: BoundedFifo<R>;
  private dispatched = 0;
  /** Bumped on every recall: arrivals scheduled under an older epoch are void. */
  private epoch = 0;
  private arrivalLastNs = 0;
  private pollPending = false;
  private closed = false;
  private pausedNow: boolean;
  private lagNsNow: number;

  constructor(private readonly options: ReplicationLinkOptions<R>) {
    if (options.from === options.to) throw new Error(`a link from ${options.from} to itself`);
    if (!(options.pollIntervalNs > 0)) throw new Error('the poll interval must be positive');
    this.queue = new BoundedFifo(
      options.recordsMax,
      `replication ${options.from} -> ${options.to}`,
    );
    this.pausedNow = options.paused;
    this.lagNsNow = checkedLagNs(options.lagNs);
  }

  get backlog(): number {
    return this.queue.length;
  }

  /** The oldest record not yet applied at the far end. */
  oldest(): R | undefined {
    return this.queue.length === 0 ? undefined : this.queue.at(0);
  }

  get paused(): boolean {
    return this.pausedNow;
  }

  enqueue(record: R): void {
    if (this.closed) throw new Error(`replication ${this.label()} is closed`);
    this.queue.push(record);
    this.pump();
  }

  /** Applies to records shipped from now on; records in flight keep the lag they left with. */
  setLagNs(lagNs: number): void {
    this.lagNsNow = checkedLagNs(lagNs);
  }

  pause(): void {
    this.pausedNow = true;
    this.recall();
  }

  resume(): void {
    this.pausedNow = false;
    this.pump();
  }

  /** Stops the link for good and returns the records it had not applied, oldest first. */
  close(): R[] {
    this.closed = true;
    this.recall();
    return this.queue.drain();
  }

  /** Ships every record not yet in flight, or polls until the link can ship. */
  pump(): void {
    if (this.closed || this.pausedNow || this.dispatched === this.queue.length) return;
    if (!this.options.canShip()) {
      this.pollLater();
      return;
    }
    const { scheduler, network, from, to } = this.options;
    while (this.dispatched < this.queue.length) {
      const arrivalNs = Math.max(
        scheduler.nowNs + network.latencyNs(from, to) + this.lagNsNow,
        this.arrivalLastNs,
      );
      this.arrivalLastNs = arrivalNs;
      const epoch = this.epoch;
      scheduler.at(arrivalNs, () => this.arrive(epoch));
      this.dispatched += 1;
    }
  }

  private arrive(epoch: number): void {
    if (epoch !== this.epoch) return;
    if (this.dispatched < 1) throw new Error(`${this.label()}: an arrival with nothing in flight`);
    if (!this.options.canShip()) {
      this.recall();
      this.pollLater();
      return;
    }
    const record = this.queue.shift();
    this.dispatched -= 1;
    this.options.apply(record);
  }

  private recall(): void {
    this.epoch += 1;
    this.dispatched = 0;
    this.arrivalLastNs = this.options.scheduler.nowNs;
  }

  private pollLater(): void {
    if (this.pollPending) return;
    this.pollPending = true;
    this.options.scheduler.after(this.options.pollIntervalNs, () => {
      this.pollPending = false;
      this.pump();
    });
  }

  private label(): string {
    return `${this.options.from} -> ${this.options.to}`;
  }
}

function checkedLagNs(lagNs: number): number {
  if (!(Number.isFinite(lagNs) && lagNs >= 0)) {
    throw new Error(`replica lag must be a finite number >= 0, got ${lagNs} ns`);
  }
  return lagNs;
}
