/** The linearizable checker's part in a parallel read (Checker.parallelRead): the register lines. */
import type { ParallelRead } from '../checker.ts';
import { registerInterest } from '../register-interest.ts';

export const linearizableParallelRead: ParallelRead = { interest: () => registerInterest };
