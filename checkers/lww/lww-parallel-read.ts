/** The lww checker's part in a parallel read (Checker.parallelRead): the register lines. */
import type { ParallelRead } from '../checker.ts';
import { registerInterest } from '../register-interest.ts';

export const lwwParallelRead: ParallelRead = { interest: () => registerInterest };
