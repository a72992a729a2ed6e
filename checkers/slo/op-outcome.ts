/**
 * What a client op says about availability. A `fail` the business decided — insufficient funds, a
 * cas whose compare failed, a declined card, a request the bank refused as invalid — is the
 * service working as intended: it counts neither for nor against the success rate. Every other
 * `fail` (a store that refused, a timed-out capture, a replayed rejection whose first cause is not
 * in the history), every `info` and every op still pending at the end is a failure to serve.
 *
 * The texts are the reference bank's (bank/payments.ts, bank/registers.ts, bank/checkout.ts);
 * a fail with no `error` is counted against availability, because nothing says the business
 * chose it.
 */
import type { ClientOp } from '../../history/op.ts';

export type Outcome = 'ok' | 'business' | 'unavailable';

/** Exact error texts of business rejections. */
const BUSINESS_ERRORS: ReadonlySet<string> = new Set([
  'insufficient funds',
  'cas: the register does not hold the expected value',
  'declined',
  'amount must be a positive integer',
]);

/** Business rejections that name an account: invalid requests, not outages. */
const BUSINESS_PATTERNS: readonly RegExp[] = [/^unknown account \S+$/, /^\S+ is a system account$/];

export function isBusinessRejection(error: string | undefined): boolean {
  if (error === undefined) return false;
  if (BUSINESS_ERRORS.has(error)) return true;
  return BUSINESS_PATTERNS.some((pattern) => pattern.test(error));
}

export function outcomeOf(clientOp: ClientOp): Outcome {
  if (clientOp.type === 'ok') return 'ok';
  if (clientOp.type === 'fail' && isBusinessRejection(clientOp.completion?.error))
    return 'business';
  return 'unavailable';
}

/**
 * When the request behind an op was meant to start: a retry's invoke carries the first
 * attempt's arrival as `intendedNs`, so a stall cannot hide behind a retry that succeeds.
 * A value that is not a time at or before the invoke is ignored.
 */
export function intendedStartNs(clientOp: ClientOp): number {
  const intendedNs = clientOp.invoke.intendedNs;
  if (
    typeof intendedNs === 'number' &&
    Number.isSafeInteger(intendedNs) &&
    intendedNs >= 0 &&
    intendedNs <= clientOp.invoke.time
  ) {
    return intendedNs;
  }
  return clientOp.invoke.time;
}

/** The region the invoke names, or null. */
export function regionOf(clientOp: ClientOp): string | null {
  const region = clientOp.invoke.region;
  return typeof region === 'string' ? region : null;
}

/** "transfer t-ap-northeast-1-3" or "read" when the op has no id. */
export function describeOp(clientOp: ClientOp): string {
  const value = clientOp.invoke.value;
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'string') return `${clientOp.invoke.f} ${id}`;
  }
  return `${clientOp.invoke.f} (index ${clientOp.invoke.index})`;
}

/** The invoke and completion indices of an op (only the invoke while pending). */
export function indicesOf(clientOp: ClientOp): number[] {
  return clientOp.completion === null
    ? [clientOp.invoke.index]
    : [clientOp.invoke.index, clientOp.completion.index];
}
