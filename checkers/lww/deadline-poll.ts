import { BudgetExceeded, type Deadline } from '../deadline.ts';

const POLL_STEPS = 4096;

/** A step counter for loops in finish(): every few thousand steps it checks the deadline. */
export function pollEvery(deadline: Deadline, what: string): () => void {
  let steps = 0;
  return () => {
    steps += 1;
    if (steps % POLL_STEPS === 0 && deadline.expired()) {
      throw new BudgetExceeded(`${what}, after ${steps} steps`);
    }
  };
}
