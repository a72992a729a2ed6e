/**
 * What the saga checker keeps of a saga record after judging its steps on arrival: enough to
 * judge it later against its client's outcome and the ledger. About 60 bytes per saga.
 */
import type { SagaStatus } from '../../history/op.ts';

export interface SagaSummary {
  id: string;
  status: SagaStatus;
  /** The `sagas` line holding the record. */
  lineIndex: number;
  /** The id was first heard of after the ledger lines had started (see LedgerSums). */
  knownOnlyAfterLedger: boolean;
}
