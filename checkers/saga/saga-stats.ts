/** Counters for the saga checker's stats: O(1) memory apart from the durations sample. */
import type { SagaRecord } from '../../history/op.ts';
import { percentile } from '../percentiles.ts';
import { type CheckoutBook, outcomeOf } from './checkout-book.ts';

export class SagaStats {
  readonly sagasByStatus = { completed: 0, compensated: 0, failed: 0, pending: 0 };
  sagasWithoutCheckout = 0;
  steps = 0;
  compensations = 0;

  addSaga(saga: SagaRecord, hasCheckout: boolean): void {
    this.sagasByStatus[saga.status] += 1;
    if (!hasCheckout) this.sagasWithoutCheckout += 1;
    this.steps += saga.steps.length;
    for (const step of saga.steps) if (step.status === 'compensated') this.compensations += 1;
  }

  toJson(book: CheckoutBook): Record<string, unknown> {
    const checkoutsByOutcome = { acknowledged: 0, failed: 0, unknown: 0 };
    for (const record of book.values()) checkoutsByOutcome[outcomeOf(record)] += 1;
    const sortedMs = [...book.durationsMs].sort((a, b) => a - b);
    return {
      sagasByStatus: { ...this.sagasByStatus },
      sagasWithoutCheckout: this.sagasWithoutCheckout,
      checkoutsByOutcome,
      checkoutAttemptsByOutcome: { ...book.attemptsByOutcome },
      steps: this.steps,
      compensations: this.compensations,
      sagaDurationMs: {
        count: sortedMs.length,
        p50: percentile(sortedMs, 0.5),
        p99: percentile(sortedMs, 0.99),
        max: sortedMs.length === 0 ? null : sortedMs[sortedMs.length - 1],
      },
    };
  }
}
