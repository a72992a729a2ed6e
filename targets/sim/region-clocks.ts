/**
 * Each region's wall clock as its machines read it: the virtual time plus that region's skew
 * (the clock-skew fault). Stores stamp with the true clock (`trueNowUs`, what AWS's own time
 * service gives DynamoDB); code that trusts its region's clock reads `nowUs(region)`.
 */
import { RegionSkews } from '../region-skews.ts';
import type { Scheduler } from './scheduler.ts';

/** The virtual time in whole microseconds. */
export function trueNowUs(scheduler: Scheduler): number {
  return Math.floor(scheduler.nowNs / 1000);
}

export class RegionClocks {
  private readonly skews: RegionSkews;

  constructor(
    private readonly scheduler: Scheduler,
    regions: readonly string[],
  ) {
    this.skews = new RegionSkews(regions);
  }

  /** Sets the region's skew (positive: its clock runs ahead); 0 heals the fault. */
  setSkewMs(region: string, skewMs: number): void {
    this.skews.setSkewMs(region, skewMs);
  }

  skewMs(region: string): number {
    return this.skews.skewUs(region) / 1000;
  }

  /** The region's clock reading in whole microseconds. */
  nowUs(region: string): number {
    return trueNowUs(this.scheduler) + this.skews.skewUs(region);
  }

  trueNowUs(): number {
    return trueNowUs(this.scheduler);
  }
}
