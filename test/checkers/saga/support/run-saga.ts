/** Runs the saga checker alone over history text, as `paychaos check --checker saga` would. */
import { checkHistoryText } from '../../../../checkers/check-session.ts';
import type { CheckResult } from '../../../../checkers/checker.ts';
import { sagaChecker } from '../../../../checkers/saga/saga-checker.ts';

/** The saga result, or undefined when the checker did not apply. */
export function runSaga(text: string): CheckResult | undefined {
  const results = checkHistoryText('h.jsonl', text, {
    checkers: [sagaChecker],
    timeoutS: 10,
  });
  return results.checkers.saga;
}

export function anomalyTypes(result: CheckResult | undefined): string[] {
  return (result?.anomalies ?? []).map((anomaly) => anomaly.type);
}
