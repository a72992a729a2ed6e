/**
 * The saga checker's part in a parallel read (Checker.parallelRead): checkouts and the sagas line;
 * the ledger is `context`, read only once a saga is judged, so a worker may skip it until then.
 */
import type { Op } from '../../history/op.ts';
import type { LineInterest, ParallelRead } from '../checker.ts';

function sagaInterest(op: Op): LineInterest {
  if (typeof op.process === 'number') return op.f === 'checkout' ? 'reads' : 'ignores';
  if (op.process !== 'final' || op.type !== 'ok') return 'ignores';
  if (op.f === 'sagas') return 'reads';
  return op.f === 'ledger' ? 'context' : 'ignores';
}

export const sagaParallelRead: ParallelRead = { interest: () => sagaInterest };
