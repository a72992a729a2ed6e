/**
 * Arrivals as a Poisson process on the virtual clock: exponential gaps with mean 1/rate, drawn
 * from the stream's own Prng, until the window closes. Open model: the next arrival is
 * scheduled when this one fires, whatever happened to the requests before it.
 */
import type { Prng } from '../targets/sim/prng.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { NS_PER_S } from './clock.ts';

export interface ArrivalStream {
  /** Arrivals that have fired so far. */
  readonly arrivals: number;
  cancel(): void;
}

export function startPoissonArrivals(
  clock: Clock,
  prng: Prng,
  opsPerSec: number,
  windowEndNs: number,
  onArrival: (timeNs: number) => void,
): ArrivalStream {
  if (!(opsPerSec > 0 && Number.isFinite(opsPerSec))) {
    throw new Error(`arrival rate must be a finite number > 0 per second, got ${opsPerSec}`);
  }
  const gapMeanNs = NS_PER_S / opsPerSec;
  let next: TimerHandle | null = null;
  let cancelled = false;
  const stream = {
    arrivals: 0,
    cancel(): void {
      cancelled = true;
      next?.cancel();
    },
  };
  const scheduleNext = (): void => {
    const gapNs = Math.round(prng.exponential(gapMeanNs));
    if (cancelled || clock.nowNs + gapNs >= windowEndNs) return;
    next = clock.after(gapNs, () => {
      stream.arrivals += 1;
      onArrival(clock.nowNs);
      scheduleNext();
    });
  };
  scheduleNext();
  return stream;
}
