import type { AnomalyLog } from './anomaly-log.ts';
import type { CheckResult } from './checker.ts';

const REASONS_KEPT_MAX = 10;

/**
 * Why a checker could not judge some of the history. Anomalies still make the verdict false; with
 * none, any reason here makes it "unknown" rather than a pass that was never earned.
 */
export class Unjudged {
  private readonly kept: string[] = [];
  private count = 0;

  add(reason: string): void {
    this.count += 1;
    if (this.kept.length < REASONS_KEPT_MAX) this.kept.push(reason);
  }

  /** The verdict from the anomalies and these reasons; the kept reasons go in stats.problems. */
  result(log: AnomalyLog, stats: Record<string, unknown>): CheckResult {
    const anomalies = log.anomalies();
    if (log.size > 0) return { valid: false, anomalies, stats };
    if (this.count === 0) return { valid: true, anomalies, stats };
    const more = this.count > 1 ? ` (and ${this.count - 1} more such problem(s))` : '';
    return {
      valid: 'unknown',
      anomalies,
      stats: { ...stats, problems: this.kept },
      error: `${this.kept[0]}${more}`,
    };
  }
}
