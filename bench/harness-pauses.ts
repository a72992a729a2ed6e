/**
 * Where this process itself stalls, for the lab bench's tail: the event loop's delay (a request
 * whose answer has arrived waits that long to be handled) and garbage collection's pauses, both
 * per window of the bench's steps.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const NS_PER_MS = 1_000_000;
/** The event loop's delay is sampled this often (node's default is 10 ms). */
const LOOP_RESOLUTION_MS = 5;

export interface HarnessPauses {
  loopDelayMs: { p50: number; p99: number; max: number };
  gc: { count: number; ms: number; msMax: number };
  /** This process's heap in use at the window's end. */
  heapUsedMiB: number;
}

export class HarnessPauseMonitor {
  private readonly loop: ReturnType<typeof monitorEventLoopDelay> = monitorEventLoopDelay({
    resolution: LOOP_RESOLUTION_MS,
  });
  private readonly observer: PerformanceObserver;
  private gc = { count: 0, ms: 0, msMax: 0 };

  constructor() {
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.gc.count += 1;
        this.gc.ms += entry.duration;
        this.gc.msMax = Math.max(this.gc.msMax, entry.duration);
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
    this.loop.enable();
  }

  /** What was seen since the last take (or the start); a new window starts. */
  take(): HarnessPauses {
    const loopDelayMs = {
      p50: this.loop.percentile(50) / NS_PER_MS,
      p99: this.loop.percentile(99) / NS_PER_MS,
      max: this.loop.max / NS_PER_MS,
    };
    const gc = this.gc;
    this.loop.reset();
    this.gc = { count: 0, ms: 0, msMax: 0 };
    return { loopDelayMs, gc, heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20 };
  }

  stop(): void {
    this.loop.disable();
    this.observer.disconnect();
  }
}
