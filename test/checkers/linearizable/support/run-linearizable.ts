/** Runs the linearizable checker alone over history text, as `paychaos check` would. */
import { checkHistoryText } from '../../../../checkers/check-session.ts';
import type { CheckResult } from '../../../../checkers/checker.ts';
import { linearizableChecker } from '../../../../checkers/linearizable/linearizable-checker.ts';

export interface RunOptions {
  /** As if named with --checker (every register key is checked); default true. */
  explicit?: boolean;
  timeoutS?: number;
}

/** The checker's result, or null when it did not apply and was not named. */
export function checkLinearizable(text: string, options: RunOptions = {}): CheckResult | null {
  const explicit = options.explicit ?? true;
  const results = checkHistoryText('history.jsonl', text, {
    checkers: [linearizableChecker],
    ...(explicit ? { only: ['linearizable'] } : {}),
    timeoutS: options.timeoutS ?? 10,
  });
  return results.checkers.linearizable ?? null;
}
