/**
 * The slo checker's part in a parallel read (Checker.parallelRead): with budgets it reads every
 * line (every client op counts towards a phase), so the history is read on one core; without a
 * budgets line before the first client op it stops looking (SloRun) and ignores the rest.
 */
import { type Op, SLO_SETUP_F } from '../../history/op.ts';
import type { ParallelRead } from '../checker.ts';

export const sloParallelRead: ParallelRead = {
  interest: (prelude: readonly Op[]) => {
    const budgets = prelude.some((op) => op.process === 'setup' && op.f === SLO_SETUP_F);
    return budgets ? 'every-line' : () => 'ignores';
  },
};
