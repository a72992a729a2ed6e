/**
 * The lab's per-region wall clocks: this machine's clock plus a region's skew (the clock-skew
 * fault). The key-value tables stamp each write's last-writer-wins timestamp with the clock of
 * the region that takes it, so a skewed region's writes win or lose as a skewed store's would.
 */

/** A day either way: beyond that a "skew" is a broken scenario, not a clock fault. */
const SKEW_MS_MAX = 86_400_000;

/** This machine's wall clock in whole microseconds. */
export function wallNowUs(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

export class LabClocks {
  private readonly skewUsByRegion = new Map<string, number>();

  constructor(regions: readonly string[]) {
    if (regions.length < 1) throw new Error('lab clocks need at least one region');
    for (const region of regions) this.skewUsByRegion.set(region, 0);
  }

  /** Positive: the region's clock runs ahead. 0 heals the fault. */
  setSkewMs(region: string, skewMs: number): void {
    this.skewUs(region);
    if (!(Number.isFinite(skewMs) && Math.abs(skewMs) <= SKEW_MS_MAX)) {
      throw new Error(`clock skew must be finite and within ±${SKEW_MS_MAX} ms, got ${skewMs}`);
    }
    this.skewUsByRegion.set(region, Math.round(skewMs * 1000) || 0);
  }

  nowUs(region: string): number {
    return wallNowUs() + this.skewUs(region);
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
