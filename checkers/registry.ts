/**
 * Every checker paychaos knows, in the order results list them. Adding a checker is one line
 * here; no other checker changes.
 */
import { balanceChecker } from './balance/balance-checker.ts';
import type { Checker } from './checker.ts';
import { linearizableChecker } from './linearizable/linearizable-checker.ts';
import { lwwChecker } from './lww/lww-checker.ts';
import { sagaChecker } from './saga/saga-checker.ts';
import { sloChecker } from './slo/slo-checker.ts';

export const CHECKERS: readonly Checker[] = [
  balanceChecker,
  lwwChecker,
  sagaChecker,
  linearizableChecker,
  sloChecker,
];

export function checkerNames(): string[] {
  return CHECKERS.map((checker) => checker.name);
}
