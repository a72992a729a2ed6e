/** Exact percentiles of a small sample (nearest-rank). Large samples use an HDR histogram. */
export function percentile(sortedAscending: readonly number[], fraction: number): number | null {
  if (sortedAscending.length === 0) return null;
  if (!(fraction >= 0 && fraction <= 1))
    throw new Error(`percentile fraction ${fraction} not in [0, 1]`);
  const rank = Math.max(1, Math.ceil(fraction * sortedAscending.length));
  return sortedAscending[rank - 1]!;
}
