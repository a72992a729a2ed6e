/** How verdicts, anomaly counts and times on the run's clock read in every report format. */
import type { CheckResult, Validity } from '../checkers/checker.ts';

export function verdictWord(valid: Validity): 'VALID' | 'INVALID' | 'UNKNOWN' {
  if (valid === true) return 'VALID';
  if (valid === false) return 'INVALID';
  return 'UNKNOWN';
}

/**
 * Anomalies by type, counted in full: results keep a capped list per type, and
 * stats.anomalyCounts counts every one. The larger of the two wins, for checkers that predate it.
 */
export function anomalyCountsOf(result: CheckResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const anomaly of result.anomalies) {
    counts.set(anomaly.type, (counts.get(anomaly.type) ?? 0) + 1);
  }
  const stated = result.stats.anomalyCounts;
  if (typeof stated === 'object' && stated !== null) {
    for (const [type, count] of Object.entries(stated as Record<string, unknown>)) {
      if (typeof count === 'number') counts.set(type, Math.max(count, counts.get(type) ?? 0));
    }
  }
  return counts;
}

/** "negative-balance x97, lost-transfer x1". */
export function countsText(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([type, count]) => `${type} x${count}`).join(', ');
}

/** "42.3 s": a time on the run's clock, to the tenth of a second every sentence uses. */
export function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
