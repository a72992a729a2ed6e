/**
 * Checkers judge one after another at the end of a read; each one's time budget covers the read
 * and its own judging, so a checker that uses its whole budget leaves the next one its own.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { checkHistoryText } from '../../checkers/check-session.ts';
import type { Checker, CheckResult } from '../../checkers/checker.ts';
import { BudgetExceeded, Deadline } from '../../checkers/deadline.ts';

const BUDGET_S = 0.3;
const HISTORY =
  '{"index":0,"time":1,"type":"invoke","process":0,"f":"read","value":{"key":"a"}}\n' +
  '{"index":1,"time":2,"type":"ok","process":0,"f":"read","value":{"key":"a","value":1}}\n';

function busyMs(ms: number): void {
  const untilMs = performance.now() + ms;
  while (performance.now() < untilMs) {
    // Judging that takes this long.
  }
}

/** A checker whose judging takes `judgingMs`, then says whether its budget ran out. */
function slowChecker(name: string, judgingMs: number): Checker {
  return {
    name,
    description: `judges in ${judgingMs} ms`,
    start: (context) => ({
      onOp: () => {},
      onClientOp: () => {},
      applies: () => true,
      finish: (): CheckResult => {
        busyMs(judgingMs);
        if (context.deadline.expired()) throw new BudgetExceeded('while judging');
        return { valid: true, anomalies: [], stats: {} };
      },
    }),
  };
}

describe('check session budgets', () => {
  it('gives the second checker its own budget after the first used nearly all of its', () => {
    const results = checkHistoryText(
      'budget.jsonl',
      HISTORY,
      {
        checkers: [slowChecker('first', 250), slowChecker('second', 100)],
        only: ['first', 'second'],
        timeoutS: BUDGET_S,
      },
      { onWarning: () => {} },
    );
    expect(results.checkers.first?.valid).toBe(true);
    expect(results.checkers.second?.valid).toBe(true);
  });

  it('still gives up on a checker whose own judging is over its budget', () => {
    const results = checkHistoryText(
      'budget.jsonl',
      HISTORY,
      {
        checkers: [slowChecker('first', 50), slowChecker('slow', 400)],
        only: ['first', 'slow'],
        timeoutS: BUDGET_S,
      },
      { onWarning: () => {} },
    );
    expect(results.checkers.first?.valid).toBe(true);
    expect(results.checkers.slow?.valid).toBe('unknown');
    expect(results.checkers.slow?.error).toMatch(/slow ran out of its 0.3 s time budget/);
  });

  it('refuses to extend a deadline by a negative time', () => {
    expect(() => new Deadline(1000).extendByMs(-1)).toThrow(/non-negative/);
  });
});
