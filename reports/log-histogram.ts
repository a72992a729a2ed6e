/**
 * A small mergeable latency histogram for charts: counts in logarithmic buckets, eight per
 * doubling from 1 µs, so a quantile is within about 4.5% of the truth. Fixed size (a few hundred
 * bytes), and two histograms merge by adding counts, which lets the time series halve its
 * resolution as a run grows. The load driver's HDR histogram is exact to three digits but cannot
 * be merged through its wrapper and weighs kilobytes: too much for one per region per bucket.
 */

const BUCKETS_PER_DOUBLING = 8;
/** 2^(208/8) µs = 2^26 µs, about 67 s: anything slower lands in the last bucket. */
const BUCKETS_COUNT = 208;
const NS_PER_US = 1_000;
const NS_PER_MS = 1_000_000;

function bucketOf(latencyNs: number): number {
  const latencyUs = latencyNs / NS_PER_US;
  if (latencyUs <= 1) return 0;
  const bucket = Math.floor(Math.log2(latencyUs) * BUCKETS_PER_DOUBLING) + 1;
  return Math.min(bucket, BUCKETS_COUNT - 1);
}

/** The geometric middle of a bucket, in ns: the value a quantile in it reports. */
function bucketMiddleNs(bucket: number): number {
  if (bucket === 0) return NS_PER_US;
  const lowUs = 2 ** ((bucket - 1) / BUCKETS_PER_DOUBLING);
  return lowUs * 2 ** (0.5 / BUCKETS_PER_DOUBLING) * NS_PER_US;
}

export class LogHistogram {
  private readonly counts = new Uint32Array(BUCKETS_COUNT);
  count = 0;
  latencyNsMax = 0;

  record(latencyNs: number): void {
    if (!(latencyNs >= 0 && Number.isFinite(latencyNs))) {
      throw new Error(`latency ${latencyNs} ns is not a finite value >= 0`);
    }
    const bucket = bucketOf(latencyNs);
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.count += 1;
    this.latencyNsMax = Math.max(this.latencyNsMax, latencyNs);
  }

  merge(other: LogHistogram): void {
    for (let bucket = 0; bucket < BUCKETS_COUNT; bucket += 1) {
      this.counts[bucket] = (this.counts[bucket] ?? 0) + (other.counts[bucket] ?? 0);
    }
    this.count += other.count;
    this.latencyNsMax = Math.max(this.latencyNsMax, other.latencyNsMax);
  }

  /** The latency in ms below which `fraction` of the recorded ones fall; null when empty. */
  quantileMs(fraction: number): number | null {
    if (!(fraction > 0 && fraction <= 1)) throw new Error(`quantile ${fraction} not in (0, 1]`);
    if (this.count === 0) return null;
    const rank = Math.ceil(fraction * this.count);
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS_COUNT; bucket += 1) {
      seen += this.counts[bucket] ?? 0;
      if (seen >= rank) {
        const valueNs = Math.min(bucketMiddleNs(bucket), this.latencyNsMax);
        return Math.round((valueNs / NS_PER_MS) * 1000) / 1000;
      }
    }
    throw new Error(`histogram counts add up to ${seen}, not ${this.count}`);
  }
}
