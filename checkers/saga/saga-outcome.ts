/**
 * wrong-outcome: the client's ok/fail disagrees with the saga's final status. A checkout id may be
 * retried: it is acknowledged if any attempt was ok, failed only if every attempt failed, and
 * unknown otherwise (unknown agrees with any status). A pending saga is judged by stuck-saga
 * alone: it has no final status to disagree with.
 */
import type { Anomaly } from '../checker.ts';
import { type CheckoutRecord, outcomeOf } from './checkout-book.ts';
import { describeClient, describeSaga, describeStatus, opsOf } from './saga-describe.ts';
import type { SagaSummary } from './saga-summary.ts';

function details(checkout: CheckoutRecord, summary: SagaSummary | undefined) {
  return {
    saga: checkout.id,
    clientOutcome: outcomeOf(checkout),
    attempts: checkout.attempts,
    sagaStatus: summary?.status ?? null,
  };
}

export function judgeOutcome(
  checkout: CheckoutRecord,
  summary: SagaSummary | undefined,
): Anomaly | null {
  const outcome = outcomeOf(checkout);
  const saga = describeSaga(checkout.id, checkout);
  if (outcome === 'acknowledged' && summary === undefined) {
    return {
      type: 'wrong-outcome',
      message: `${saga} has no saga record although ${describeClient(checkout)}: the saga log lost an acknowledged payment`,
      ops: opsOf(checkout.opIndices),
      ...details(checkout, summary),
    };
  }
  if (summary === undefined) return null;
  const okButUndone =
    outcome === 'acknowledged' && (summary.status === 'compensated' || summary.status === 'failed');
  const failedButDone = outcome === 'failed' && summary.status === 'completed';
  if (!okButUndone && !failedButDone) return null;
  const advice = okButUndone
    ? 'the customer was told the payment went through but it was undone'
    : 'the customer was told the payment failed but it went through';
  return {
    type: 'wrong-outcome',
    message: `${saga} ${describeStatus(summary.status)} although ${describeClient(checkout)}${checkout.attempts > 1 ? ` (${checkout.attempts} attempts)` : ''}: ${advice}`,
    ops: opsOf(checkout.opIndices, [summary.lineIndex]),
    ...details(checkout, summary),
  };
}
