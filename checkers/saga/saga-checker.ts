/**
 * The saga checker: every checkout saga either completes or is fully compensated, in reverse
 * order, never compensating what never ran; the client is told the truth about it; and its ledger
 * entries move exactly its amount, or nothing. Rules: docs/anomalies/saga.md.
 */
import type { Op } from '../../history/op.ts';
import type { Checker, LineInterest } from '../checker.ts';
import { SagaRun } from './saga-run.ts';

export const sagaChecker: Checker = {
  name: 'saga',
  description:
    'checkout sagas complete or are fully compensated in reverse order, agree with what clients were told, and net correctly in the ledger',
  start: (context) => new SagaRun(context),
  interest: () => sagaInterest,
};

/** Checkouts and the sagas line; the ledger only matters once a saga is judged. */
function sagaInterest(op: Op): LineInterest {
  if (typeof op.process === 'number') return op.f === 'checkout' ? 'reads' : 'ignores';
  if (op.process !== 'final' || op.type !== 'ok') return 'ignores';
  if (op.f === 'sagas') return 'reads';
  return op.f === 'ledger' ? 'context' : 'ignores';
}
