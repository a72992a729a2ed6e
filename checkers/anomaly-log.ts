import type { Anomaly } from './checker.ts';

/**
 * Collects anomalies, keeping the first `perTypeMax` of each type so that a badly broken
 * 10^8-op history cannot fill memory or results.json; all are counted.
 */
export class AnomalyLog {
  private readonly kept: Anomaly[] = [];
  private readonly counts = new Map<string, number>();

  constructor(private readonly perTypeMax: number) {
    if (!(perTypeMax >= 1)) throw new Error(`anomaliesPerTypeMax must be >= 1, got ${perTypeMax}`);
  }

  add(anomaly: Anomaly): void {
    const count = (this.counts.get(anomaly.type) ?? 0) + 1;
    this.counts.set(anomaly.type, count);
    if (count <= this.perTypeMax) this.kept.push(anomaly);
  }

  get size(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  anomalies(): Anomaly[] {
    return this.kept;
  }

  /** Anomaly counts by type, including those not kept. */
  countsByType(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
