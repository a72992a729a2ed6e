/**
 * Where a worker's clock sits against the run's: from its samples (op-log.ts), the offset
 * (run time = worker time + offsetNs) and a bound on its error (the true offset lies within
 * offsetNs ± boundNs).
 *
 * Each sample confines the offset to [harnessNs - receivedNs, harnessNs - sentNs]: the harness
 * read its clock after the question left and before the answer came back. With a constant
 * offset every interval holds it, so their intersection does, and it is the tightest statement
 * the samples make. Worked example: sent 1,000, received 1,600, harness 50,300 gives
 * [48,700, 49,300]; a second sample sent 9,000, received 9,200, harness 58,200 gives
 * [49,000, 49,200]; together [49,000, 49,200]: offset 49,100 ± 100 ns.
 *
 * Should the intervals not meet, the offset moved during the run (a clock stepped, or drifted
 * past what the round trips hide): then the hull of all the intervals is taken, which holds
 * every offset the samples saw, and the correction says `drifted` so that the caller can warn.
 */
import type { ClockSample } from './op-log.ts';

export interface ClockCorrection {
  offsetNs: number;
  boundNs: number;
  samples: number;
  /** The samples' intervals did not all meet: the hull was used. */
  drifted: boolean;
}

/** A harness log is on the run's clock. */
export const EXACT: ClockCorrection = { offsetNs: 0, boundNs: 0, samples: 0, drifted: false };

/** null when there is no sample: nothing places the worker on the run's clock. */
export function clockCorrection(samples: readonly ClockSample[]): ClockCorrection | null {
  if (samples.length === 0) return null;
  let meetLow = Number.NEGATIVE_INFINITY;
  let meetHigh = Number.POSITIVE_INFINITY;
  let hullLow = Number.POSITIVE_INFINITY;
  let hullHigh = Number.NEGATIVE_INFINITY;
  for (const { sentNs, receivedNs, harnessNs } of samples) {
    if (!(receivedNs >= sentNs)) throw new Error(`clock sample received before it was sent`);
    const low = harnessNs - receivedNs;
    const high = harnessNs - sentNs;
    meetLow = Math.max(meetLow, low);
    meetHigh = Math.min(meetHigh, high);
    hullLow = Math.min(hullLow, low);
    hullHigh = Math.max(hullHigh, high);
  }
  const drifted = meetLow > meetHigh;
  const low = drifted ? hullLow : meetLow;
  const high = drifted ? hullHigh : meetHigh;
  // The midpoint is rounded down, the bound up: the interval offsetNs ± boundNs still covers it.
  const offsetNs = Math.floor((low + high) / 2);
  const boundNs = Math.max(offsetNs - low, high - offsetNs);
  return { offsetNs, boundNs, samples: samples.length, drifted };
}
