import { checkHistoryText } from '../../../../checkers/check-session.ts';
import type { CheckResult } from '../../../../checkers/checker.ts';
import { lwwChecker } from '../../../../checkers/lww/lww-checker.ts';

/** Runs the lww checker alone over history text, through the validating reader. */
export function checkLww(text: string): CheckResult {
  const results = checkHistoryText(
    'lww-test.jsonl',
    text,
    { checkers: [lwwChecker], only: ['lww'], timeoutS: 10 },
    { onWarning: () => {} },
  );
  const result = results.checkers.lww;
  if (result === undefined) throw new Error('the lww checker returned no result');
  return result;
}
