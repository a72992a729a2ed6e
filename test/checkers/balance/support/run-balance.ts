/** Runs the balance checker alone over history text, through the reader (which validates it). */
import { balanceChecker } from '../../../../checkers/balance/balance-checker.ts';
import { checkHistoryText } from '../../../../checkers/check-session.ts';
import type { Anomaly, CheckResult } from '../../../../checkers/checker.ts';

export function checkBalance(text: string): CheckResult {
  const results = checkHistoryText('h.jsonl', text, {
    checkers: [balanceChecker],
    only: ['balance'],
    timeoutS: 30,
  });
  const result = results.checkers.balance;
  if (result === undefined) throw new Error('the balance checker returned no result');
  return result;
}

export function ofType(result: CheckResult, type: string): Anomaly[] {
  return result.anomalies.filter((anomaly) => anomaly.type === type);
}

export function types(result: CheckResult): string[] {
  return [...new Set(result.anomalies.map((anomaly) => anomaly.type))].sort();
}
