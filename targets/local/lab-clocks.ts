/**
 * The lab's per-region wall clocks: this machine's clock plus a region's skew (the clock-skew
 * fault), as the simulator's RegionClocks. The local target gives them to each region's bank;
 * its tables stamp with the true clock, as DynamoDB and the simulator's tables do, so a skew
 * reaches their last-writer-wins timestamps only through the planted bug 'skewed-clock-lww'.
 */
import { RegionSkews } from '../region-skews.ts';

/** This machine's wall clock in whole microseconds. */
export function wallNowUs(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

export class LabClocks {
  private readonly skews: RegionSkews;

  constructor(regions: readonly string[]) {
    this.skews = new RegionSkews(regions);
  }

  /** Positive: the region's clock runs ahead. 0 heals the fault. */
  setSkewMs(region: string, skewMs: number): void {
    this.skews.setSkewMs(region, skewMs);
  }

  nowUs(region: string): number {
    return wallNowUs() + this.skews.skewUs(region);
  }
}
