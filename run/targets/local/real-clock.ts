/**
 * The load driver's Clock on real time: nanoseconds since the session started, from the
 * monotonic clock (never the wall clock, which may step), and timers on node's own. A delay is
 * bounded: a timer further out than a day is a broken schedule, not a wait; one already past
 * fires at once.
 */
import type { Clock } from '../../../load/clock.ts';

const DELAY_NS_MAX = 86_400_000_000_000;
const NS_PER_MS = 1_000_000;

export function realClock(): Clock {
  const startNs = process.hrtime.bigint();
  return {
    get nowNs() {
      return Number(process.hrtime.bigint() - startNs);
    },
    after(delayNs, action) {
      // Real time moves between a caller reading nowNs and asking for a timer: a deadline it
      // computed from a late timer's now is already past (seen: -2.7 ms at load average 13, which
      // crashed a run). Such a timer fires at once; a delay beyond the bound is still refused.
      if (!(delayNs >= -DELAY_NS_MAX && delayNs <= DELAY_NS_MAX)) {
        throw new Error(`a real-time timer needs |delayNs| <= ${DELAY_NS_MAX}, got ${delayNs}`);
      }
      const timer = setTimeout(action, Math.max(0, delayNs) / NS_PER_MS);
      return { cancel: () => clearTimeout(timer) };
    },
  };
}
