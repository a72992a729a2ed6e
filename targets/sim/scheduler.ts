/**
 * The simulator's virtual clock and event loop. Time moves only when the scheduler takes the next
 * event; between events, the async code an event woke up runs to its next wait (see
 * microtask-barrier.ts). Same events scheduled in the same order give the same run.
 */
import { MinHeap } from '../../lib/min-heap.ts';
import { macrotaskBarrier, microtaskBarrier } from './microtask-barrier.ts';

/**
 * Events run between two turns of the real event loop: bounds how long a signal or the history
 * writer's flush timer waits (a region-isolation run does about 1,600 events per simulated second,
 * at 5-10 us of CPU each) while costing one turn in a thousand events.
 */
export const EVENTS_PER_TURN_MAX = 1_000;

/** `seq` is the order events were scheduled in: two events at one time always run in that order. */
export interface SimEvent {
  timeNs: number;
  seq: number;
  action: () => void;
  cancelled: boolean;
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.timeNs < b.timeNs || (a.timeNs === b.timeNs && a.seq < b.seq);
}

export interface RunLimits {
  /** Stop before the first event later than this. */
  untilNs: number;
  /** A run that needs more events than this is a runaway: it throws. */
  eventsMax: number;
}

export interface RunStats {
  eventsRun: number;
  nowNs: number;
}

export class Scheduler {
  private readonly heap = new MinHeap<SimEvent>(before);
  private timeNs = 0;
  private seqNext = 0;
  private running = false;

  get nowNs(): number {
    return this.timeNs;
  }

  get pendingEvents(): number {
    return this.heap.size;
  }

  /** Runs `action` at virtual time `timeNs` (never in the past). Returns a handle to cancel it. */
  at(timeNs: number, action: () => void): SimEvent {
    if (!Number.isFinite(timeNs) || timeNs < this.timeNs) {
      throw new Error(`cannot schedule at ${timeNs} ns: the clock is at ${this.timeNs} ns`);
    }
    const event: SimEvent = {
      timeNs: Math.round(timeNs),
      seq: this.seqNext++,
      action,
      cancelled: false,
    };
    this.heap.push(event);
    return event;
  }

  after(delayNs: number, action: () => void): SimEvent {
    if (!(delayNs >= 0)) throw new Error(`delay must be >= 0 ns, got ${delayNs}`);
    return this.at(this.timeNs + delayNs, action);
  }

  cancel(event: SimEvent): void {
    event.cancelled = true;
  }

  /** A promise that resolves `delayNs` of virtual time from now. */
  sleep(delayNs: number): Promise<void> {
    return new Promise((resolve) => this.after(delayNs, resolve));
  }

  /** Runs events in order until none is left at or before `untilNs`; the clock ends at `untilNs`. */
  async run(limits: RunLimits): Promise<RunStats> {
    if (this.running) throw new Error('scheduler.run is not reentrant');
    this.running = true;
    let eventsRun = 0;
    try {
      await macrotaskBarrier();
      for (;;) {
        const next = this.heap.peek();
        if (next === undefined || next.timeNs > limits.untilNs) break;
        this.heap.pop();
        if (next.cancelled) continue;
        eventsRun += 1;
        if (eventsRun > limits.eventsMax) {
          throw new Error(
            `simulation ran more than ${limits.eventsMax} events before ${limits.untilNs} ns: a runaway`,
          );
        }
        this.timeNs = next.timeNs;
        next.action();
        if (eventsRun % EVENTS_PER_TURN_MAX === 0) await macrotaskBarrier();
        else await microtaskBarrier();
      }
      if (limits.untilNs > this.timeNs && Number.isFinite(limits.untilNs))
        this.timeNs = limits.untilNs;
      return { eventsRun, nowNs: this.timeNs };
    } finally {
      this.running = false;
    }
  }
}
