/**
 * Each checker's `interest` (see Checker.interest), in a module of its own so that a parallel
 * read's worker thread can classify lines without loading the checkers themselves.
 */
import { type Op, SLO_SETUP_F } from '../history/op.ts';
import { bankOpIndex } from './balance/op-counts.ts';
import type { InterestOf, LineInterest } from './checker.ts';
import { registerInterest } from './register-interest.ts';

/**
 * A checker's interest given the prelude (the lines before the first client op), or
 * `'every-line'` when it reads every line: then a second core cannot help, since every line
 * would travel back to main as text, and the history is read on one core.
 */
export type InterestFactory = (
  prelude: readonly Op[],
  explicit: boolean,
) => InterestOf | 'every-line';

function balanceInterest(op: Op): LineInterest {
  if (typeof op.process === 'number') return bankOpIndex(op.f) === -1 ? 'ignores' : 'reads';
  if (op.process === 'setup') return op.f === 'init' ? 'reads' : 'ignores';
  if (op.process !== 'final') return 'ignores';
  return op.f === 'final-read' || op.f === 'ledger' ? 'reads' : 'ignores';
}

/** Checkouts and the sagas line; the ledger only matters once a saga is judged. */
function sagaInterest(op: Op): LineInterest {
  if (typeof op.process === 'number') return op.f === 'checkout' ? 'reads' : 'ignores';
  if (op.process !== 'final' || op.type !== 'ok') return 'ignores';
  if (op.f === 'sagas') return 'reads';
  return op.f === 'ledger' ? 'context' : 'ignores';
}

/** Without a budgets line before the first client op the slo checker stops looking (SloRun). */
function sloInterest(prelude: readonly Op[]): InterestOf | 'every-line' {
  const budgets = prelude.some((op) => op.process === 'setup' && op.f === SLO_SETUP_F);
  return budgets ? 'every-line' : () => 'ignores';
}

export const INTERESTS: Readonly<Record<string, InterestFactory>> = {
  balance: () => balanceInterest,
  lww: () => registerInterest,
  saga: () => sagaInterest,
  linearizable: () => registerInterest,
  slo: sloInterest,
};
