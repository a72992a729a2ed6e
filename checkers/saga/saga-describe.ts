/** Shared wording for saga anomaly messages, so that every message names a saga the same way. */
import type { SagaStatus } from '../../history/op.ts';
import { formatTimeNs, inRegion } from '../format.ts';
import { type CheckoutRecord, outcomeOf } from './checkout-book.ts';

/** "saga c42 (a -> m3, 1200)", or "saga c42 (no checkout op)". */
export function describeSaga(id: string, checkout: CheckoutRecord | undefined): string {
  if (checkout === undefined) return `saga ${id} (no checkout op)`;
  return `saga ${id} (${checkout.from} -> ${checkout.to}, ${checkout.amount})`;
}

/**
 * What the client was told, as a clause: "the client was told ok at 3.200 s in r1" (its first ok),
 * "the client was told it failed at 4.100 s in r1" (its latest fail).
 */
export function describeClient(checkout: CheckoutRecord | undefined): string {
  if (checkout === undefined) return 'no client op names it';
  const outcome = outcomeOf(checkout);
  if (outcome === 'acknowledged') {
    const atNs = checkout.okAtNs ?? Number.POSITIVE_INFINITY;
    return `the client was told ok at ${formatTimeNs(atNs)}${inRegion(checkout.okRegion)}`;
  }
  if (outcome === 'failed') {
    const atNs = checkout.failAtNs ?? Number.POSITIVE_INFINITY;
    return `the client was told it failed at ${formatTimeNs(atNs)}${inRegion(checkout.failRegion)}`;
  }
  return `the client's outcome is unknown`;
}

/** "completed", "was compensated", "failed", "is still pending". */
export function describeStatus(status: SagaStatus): string {
  switch (status) {
    case 'completed':
      return 'completed';
    case 'compensated':
      return 'was compensated';
    case 'failed':
      return 'failed';
    case 'pending':
      return 'is still pending';
  }
}

/** Sorted, de-duplicated history indices for an anomaly's `ops`. */
export function opsOf(...groups: readonly (readonly number[])[]): number[] {
  return [...new Set(groups.flat())].sort((a, b) => a - b);
}
