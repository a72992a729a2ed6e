/**
 * How far each region's clock is off (the clock-skew fault), shared by the simulator's and the
 * lab's region clocks: each adds a region's skew to its own true time.
 */

/** A day either way: beyond that a "skew" is a broken scenario, not a clock fault. */
const SKEW_MS_MAX = 86_400_000;

export class RegionSkews {
  private readonly skewUsByRegion = new Map<string, number>();

  constructor(regions: readonly string[]) {
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

  skewUs(region: string): number {
    const skewUs = this.skewUsByRegion.get(region);
    if (skewUs === undefined) {
      throw new Error(
        `unknown region "${region}" (regions: ${[...this.skewUsByRegion.keys()].join(', ')})`,
      );
    }
    return skewUs;
  }
}
