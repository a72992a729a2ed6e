/**
 * The lab's per-region wall clocks: this machine's clock plus a region's skew (the clock-skew
 * fault). The key-value tables stamp each write's last-writer-wins timestamp with the clock of
 * the region that takes it, so a skewed region's writes win or lose as a skewed store's would.
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
