/**
 * When each anomaly happened, on the run's clock, for the conclusion, the grouped rows and the
 * marks on the charts: results.json names an anomaly's ops by history index only, so the report's
 * streaming pass notes the time of every line an anomaly names. An anomaly happened at the latest
 * client line it names (the read that saw the negative balance, the ack of the payment later
 * lost); one that names no client line (a divergence between final reads) at its earliest line.
 *
 * Bounds: the first ANOMALIES_TIMED_MAX anomalies (results keep at most 100 per type), their first
 * INDICES_PER_ANOMALY_MAX indices each; an anomaly beyond them, or naming no line of the
 * history, has no time (null) and is listed but not marked.
 */
import type { Anomaly } from '../checkers/checker.ts';
import type { Op } from '../history/op.ts';
import { INDICES_PER_ANOMALY_MAX } from './timeline-picker.ts';

export const ANOMALIES_TIMED_MAX = 5_000;

interface LineTime {
  timeMs: number;
  client: boolean;
}

export class AnomalyTimes {
  private readonly lines = new Map<number, LineTime | null>();
  private readonly indicesByAnomaly: number[][];

  constructor(anomalies: readonly Anomaly[]) {
    this.indicesByAnomaly = anomalies
      .slice(0, ANOMALIES_TIMED_MAX)
      .map((anomaly) => anomaly.ops.slice(0, INDICES_PER_ANOMALY_MAX));
    for (const indices of this.indicesByAnomaly)
      for (const index of indices) this.lines.set(index, null);
  }

  onOp(op: Op): void {
    if (!this.lines.has(op.index)) return;
    this.lines.set(op.index, { timeMs: op.time / 1e6, client: typeof op.process === 'number' });
  }

  /** One time (ms) per anomaly given to the constructor, in its order; null when unknown. */
  finish(anomaliesCount: number): (number | null)[] {
    return Array.from({ length: anomaliesCount }, (_, position) => {
      const seen = (this.indicesByAnomaly[position] ?? [])
        .map((index) => this.lines.get(index))
        .filter((line) => line !== null && line !== undefined);
      const client = seen.filter((line) => line.client).map((line) => line.timeMs);
      if (client.length > 0) return Math.max(...client);
      return seen.length > 0 ? Math.min(...seen.map((line) => line.timeMs)) : null;
    });
  }
}
