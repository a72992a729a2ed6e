/**
 * The load driver's Clock on real time: nanoseconds since the session started, from the
 * monotonic clock (never the wall clock, which may step), and timers on node's own, never firing
 * before their time. A delay is bounded: a timer further out than a day is a broken schedule, not
 * a wait; one already past fires at once.
 */
import type { Clock } from '../../../load/clock.ts';

const DELAY_NS_MAX = 86_400_000_000_000;
const NS_PER_MS = 1_000_000;

export function realClock(): Clock {
  const startNs = process.hrtime.bigint();
  const nowNs = () => Number(process.hrtime.bigint() - startNs);
  return {
    get nowNs() {
      return nowNs();
    },
    after(delayNs, action) {
      // Real time moves between a caller reading nowNs and asking for a timer: a deadline it
      // computed from a late timer's now is already past (seen: -2.7 ms at load average 13, which
      // crashed a run). Such a timer fires at once; a delay beyond the bound is still refused.
      if (!(delayNs >= -DELAY_NS_MAX && delayNs <= DELAY_NS_MAX)) {
        throw new Error(`a real-time timer needs |delayNs| <= ${DELAY_NS_MAX}, got ${delayNs}`);
      }
      // node's timers count whole ms from the event loop's cached time, so one can fire up to a
      // ms before the monotonic clock reaches its due time; what it runs may rely on that time
      // having come (an arrival is stamped with its due time): wait out the remainder.
      const dueNs = nowNs() + delayNs;
      let timer: NodeJS.Timeout;
      const fire = () => {
        const earlyNs = dueNs - nowNs();
        if (earlyNs > 0) timer = setTimeout(fire, Math.ceil(earlyNs / NS_PER_MS));
        else action();
      };
      timer = setTimeout(fire, Math.ceil(Math.max(0, delayNs) / NS_PER_MS));
      return { cancel: () => clearTimeout(timer) };
    },
  };
}
