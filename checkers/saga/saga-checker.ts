/**
 * The saga checker: every checkout saga either completes or is fully compensated, in reverse
 * order, never compensating what never ran; the client is told the truth about it; and its ledger
 * entries move exactly its amount, or nothing. Rules: docs/anomalies/saga.md.
 */
import type { Checker } from '../checker.ts';
import { sagaParallelRead } from './saga-parallel-read.ts';
import { SagaRun } from './saga-run.ts';

export const sagaChecker: Checker = {
  name: 'saga',
  description:
    'checkout sagas complete or are fully compensated in reverse order, agree with what clients were told, and net correctly in the ledger',
  start: (context) => new SagaRun(context),
  parallelRead: sagaParallelRead,
};
