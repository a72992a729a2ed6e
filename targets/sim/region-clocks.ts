/**
 * Each region's wall clock as its machines read it: the virtual time plus that region's skew
 * (the clock-skew fault). Stores stamp with the true clock (`trueNowUs`, what AWS's own time
 * service gives DynamoDB); code that trusts its region's clock reads `nowUs(region)`.
 */
import type { Scheduler } from './scheduler.ts';

/** A day either way: beyond that a "skew" is a broken scenario, not a clock fault. */
const SKEW_MS_MAX = 86_400_000;

/** The virtual time in whole microseconds. */
export function trueNowUs(scheduler: Scheduler): number {
  return Math.floor(scheduler.nowNs / 1000);
}

export class RegionClocks {
  private readonly skewUsByRegion = new Map<string, number>();

  constructor(
    private readonly scheduler: Scheduler,
    regions: readonly string[],
  ) {
    if (regions.length < 1) throw new Error('region clocks need at least one region');
    for (const region of regions) this.skewUsByRegion.set(region, 0);
  }

  /** Sets the region's skew (positive: its clock runs ahead); 0 heals the fault. */
  setSkewMs(region: string, skewMs: number): void {
    this.skewUs(region);
    if (!(Number.isFinite(skewMs) && Math.abs(skewMs) <= SKEW_MS_MAX)) {
      throw new Error(`clock skew must be finite and within ±${SKEW_MS_MAX} ms, got ${skewMs}`);
    }
    // `|| 0` keeps a rounded -0 out of the clock.
    this.skewUsByRegion.set(region, Math.round(skewMs * 1000) || 0);
  }

  skewMs(region: string): number {
    return this.skewUs(region) / 1000;
  }

  /** The region's clock reading in whole microseconds. */
  nowUs(region: string): number {
    return trueNowUs(this.scheduler) + this.skewUs(region);
  }

  trueNowUs(): number {
    return trueNowUs(this.scheduler);
  }

  private skewUs(region: string): number {
    const skewUs = this.skewUsByRegion.get(region);
    if (skewUs === undefined) {
      throw new Error(
        `unknown region "${region}" (regions: ${[...this.skewUsByRegion.keys()].join(', ')})`,
      );
    }
    return skewUs;
  }
}
