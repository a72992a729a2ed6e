/**
 * Every checker paychaos knows, in the order results list them, each with its own parallel-read
 * capability (Checker.parallelRead, declared in its folder). Adding a checker is one line here;
 * no other checker, and nothing in checkers/parallel/, changes.
 */
import { balanceChecker } from './balance/balance-checker.ts';
import type { Checker, ParallelRead } from './checker.ts';
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

/**
 * A checker's parallel read by name: a worker thread is told the selected checkers' names, since
 * a checker (its functions) cannot cross threads.
 */
export function parallelReadNamed(name: string): ParallelRead | undefined {
  return CHECKERS.find((checker) => checker.name === name)?.parallelRead;
}
