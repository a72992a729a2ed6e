/**
 * A history read and validated once and kept in memory as the reader's visitor calls, so that a
 * checker and a bare search can be timed over the same parsed ops, reading and JSON parsing
 * excluded from both (bench/linearizable-search.ts).
 */
import type { CheckContext, CheckResult } from '../checkers/checker.ts';
import { Deadline } from '../checkers/deadline.ts';
import { linearizableChecker } from '../checkers/linearizable/linearizable-checker.ts';
import type { ClientOp, Op } from '../history/op.ts';
import { type HistoryVisitor, readHistory, readHistoryText } from '../history/reader.ts';

export type RecordedEvent =
  | { readonly kind: 'op'; readonly op: Op }
  | { readonly kind: 'client'; readonly clientOp: ClientOp };

function recorder(events: RecordedEvent[]): HistoryVisitor {
  return {
    onOp: (op) => events.push({ kind: 'op', op }),
    onClientOp: (clientOp) => events.push({ kind: 'client', clientOp }),
  };
}

export function recordHistory(file: string): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  readHistory(file, recorder(events));
  return events;
}

export function recordHistoryText(text: string): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  readHistoryText('history.jsonl', text, recorder(events));
  return events;
}

/** The linearizable checker alone, named explicitly (every register key), over recorded events. */
export function runLinearizableChecker(
  events: readonly RecordedEvent[],
  timeoutS: number,
): CheckResult {
  const context: CheckContext = {
    deadline: new Deadline(timeoutS * 1000),
    explicit: true,
    anomaliesPerTypeMax: 100,
  };
  const run = linearizableChecker.start(context);
  for (const event of events) {
    if (event.kind === 'op') run.onOp(event.op);
    else run.onClientOp(event.clientOp);
  }
  return run.finish();
}
