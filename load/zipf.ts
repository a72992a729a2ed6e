/**
 * A Zipf distribution over ranks 0..n-1: rank k has weight 1 / (k + 1)^s, so with s near 1 a
 * few ranks (the big merchants, the hot keys) take most of the traffic; s = 0 is uniform.
 * The CDF is computed once (8 bytes a rank) and each sample is one uniform draw and a binary
 * search: O(log n), no rejection loop, the same draws on every platform.
 */
import type { Prng } from '../targets/sim/prng.ts';

/** A larger table is a scenario mistake, not a workload: 8 MB of CDF at this bound. */
export const ZIPF_ITEMS_MAX = 1_000_000;
/** Exponents beyond this put all but ~1e-30 of the mass on rank 0: no longer a workload. */
export const ZIPF_EXPONENT_MAX = 100;

export class ZipfSampler {
  private readonly cdf: Float64Array;

  constructor(
    readonly itemsCount: number,
    readonly exponent: number,
  ) {
    if (!Number.isSafeInteger(itemsCount) || itemsCount < 1 || itemsCount > ZIPF_ITEMS_MAX) {
      throw new Error(
        `zipf: itemsCount must be an integer in [1, ${ZIPF_ITEMS_MAX}], got ${itemsCount}`,
      );
    }
    if (!(exponent >= 0 && exponent <= ZIPF_EXPONENT_MAX)) {
      throw new Error(`zipf: exponent must be in [0, ${ZIPF_EXPONENT_MAX}], got ${exponent}`);
    }
    this.cdf = new Float64Array(itemsCount);
    let total = 0;
    for (let rank = 0; rank < itemsCount; rank += 1) {
      total += 1 / (rank + 1) ** exponent;
      this.cdf[rank] = total;
    }
    for (let rank = 0; rank < itemsCount; rank += 1) this.cdf[rank] = this.cdf[rank]! / total;
    // Rounding may leave the last entry a hair under 1; a draw just below 1 must still land.
    this.cdf[itemsCount - 1] = 1;
  }

  /** The probability of `rank`. */
  probability(rank: number): number {
    this.checkRank(rank);
    return this.cdf[rank]! - this.cdfBefore(rank);
  }

  sample(prng: Prng): number {
    return this.rankAt(prng.float());
  }

  /**
   * A rank other than `excluded`, distributed as Zipf conditioned on not being `excluded`: one
   * draw over the mass that remains, with the excluded rank's slice of the CDF skipped over.
   * Used for a transfer's second account, which must differ from the first.
   */
  sampleExcluding(prng: Prng, excluded: number): number {
    this.checkRank(excluded);
    if (this.itemsCount < 2) throw new Error('zipf: cannot exclude the only rank');
    const excludedLow = this.cdfBefore(excluded);
    const excludedMass = this.cdf[excluded]! - excludedLow;
    let u = prng.float() * (1 - excludedMass);
    if (u >= excludedLow) u += excludedMass;
    const rank = this.rankAt(u);
    if (rank !== excluded) return rank;
    // Only floating-point rounding at the slice's edge lands here: take the nearest other rank.
    return excluded < this.itemsCount - 1 ? excluded + 1 : excluded - 1;
  }

  /** The first rank whose CDF exceeds `u` (u in [0, 1)). The loop halves a range of n: log2 n steps. */
  private rankAt(u: number): number {
    let low = 0;
    let high = this.itemsCount - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cdf[middle]! > u) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private cdfBefore(rank: number): number {
    return rank === 0 ? 0 : this.cdf[rank - 1]!;
  }

  private checkRank(rank: number): void {
    if (!Number.isSafeInteger(rank) || rank < 0 || rank >= this.itemsCount) {
      throw new Error(`zipf: rank ${rank} is not in [0, ${this.itemsCount})`);
    }
  }
}
