/**
 * The clock the load driver runs on. In the simulator it is the Scheduler's virtual clock;
 * nothing in load/ reads a wall clock or starts a real timer, so the same seed gives the same
 * history, byte for byte. A target on real time supplies its own Clock from outside load/.
 */
import type { Scheduler } from '../targets/sim/scheduler.ts';

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Nanoseconds since the run started. */
  readonly nowNs: number;
  /** Runs `action` once, `delayNs` from now (>= 0). */
  after(delayNs: number, action: () => void): TimerHandle;
}

export function schedulerClock(scheduler: Scheduler): Clock {
  return {
    get nowNs() {
      return scheduler.nowNs;
    },
    after(delayNs, action) {
      const event = scheduler.after(delayNs, action);
      return { cancel: () => scheduler.cancel(event) };
    },
  };
}

export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;
