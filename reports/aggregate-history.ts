/**
 * The report's one streaming pass over history.jsonl: the throughput and latency series, the
 * fault windows, the ops around the anomalies and when each anomaly happened, all bounded whatever the history's length (see
 * each part for its cost). The history is never loaded whole.
 */
import type { Anomaly } from '../checkers/checker.ts';
import { readHistory } from '../history/reader.ts';
import { AnomalyTimes } from './anomaly-times.ts';
import { type FaultWindow, FaultWindows } from './fault-windows.ts';
import { type SeriesData, TimeSeries } from './time-series.ts';
import {
  focusIndicesOf,
  type NamedLine,
  type TimelineOp,
  TimelinePicker,
} from './timeline-picker.ts';

export interface HistoryAggregates {
  linesCount: number;
  clientOpsCount: number;
  lastTimeMs: number;
  series: SeriesData;
  faults: FaultWindow[];
  timeline: { ops: TimelineOp[]; namedLines: NamedLine[]; opsDropped: number };
  /** When each anomaly happened (ms), aligned with the anomalies passed in; null when unknown. */
  anomalyTimesMs: (number | null)[];
}

export function aggregateHistory(
  historyFile: string,
  anomalies: readonly Anomaly[],
  onWarning?: (message: string) => void,
): HistoryAggregates {
  const series = new TimeSeries();
  const faults = new FaultWindows();
  const picker = new TimelinePicker(focusIndicesOf(anomalies));
  const anomalyTimes = new AnomalyTimes(anomalies);
  let clientOpsCount = 0;
  let lastTimeNs = 0;
  const summary = readHistory(
    historyFile,
    {
      onOp(op) {
        lastTimeNs = op.time;
        faults.onOp(op);
        picker.onOp(op);
        anomalyTimes.onOp(op);
      },
      onClientOp(clientOp) {
        clientOpsCount += 1;
        series.onClientOp(clientOp);
        picker.onClientOp(clientOp);
      },
    },
    onWarning === undefined ? {} : { onWarning },
  );
  return {
    linesCount: summary.linesCount,
    clientOpsCount,
    lastTimeMs: lastTimeNs / 1e6,
    series: series.data(),
    faults: faults.finish(),
    timeline: { ops: picker.ops, namedLines: picker.namedLines, opsDropped: picker.opsDropped },
    anomalyTimesMs: anomalyTimes.finish(anomalies.length),
  };
}
