/** The Clock port over the simulator: the region's (possibly skewed) clock, virtual sleeps. */
import type { RegionClocks } from '../../../targets/sim/region-clocks.ts';
import type { Scheduler } from '../../../targets/sim/scheduler.ts';
import type { Clock } from '../../ports.ts';

const NS_PER_MS = 1_000_000;

export class SimClock implements Clock {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly clocks: RegionClocks,
    private readonly region: string,
  ) {}

  nowUs(): number {
    return this.clocks.nowUs(this.region);
  }

  sleep(delayMs: number): Promise<void> {
    return this.scheduler.sleep(delayMs * NS_PER_MS);
  }
}
