/**
 * Turns a failed call to a real store into StoreError, telling a refusal that surely did nothing
 * (the connection was refused, the node is read-only) from an unknown outcome (a timeout, a reset
 * after the request left). A store that rejects a request as malformed is a bug of ours: that
 * error is rethrown as it is, never mistaken for a fault.
 */
import { StoreError } from '../../ports.ts';

/** Network errors raised before any byte of the request could reach the store. */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCode(cause);
}

function httpStatus(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return metadata?.httpStatusCode;
}

export function isRefusal(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && REFUSED_CODES.has(code);
}

/** The StoreError for an AWS SDK failure, or the error itself when it is a bug (HTTP 400). */
export function storeErrorOfAws(what: string, error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const status = httpStatus(error);
  if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
    const name = (error as { name?: string }).name ?? '';
    // Throttling is the store saying no before doing anything; any other 4xx is our mistake.
    if (!/Throttl|LimitExceeded/.test(name)) return error;
    return new StoreError(`${what}: ${message}`, true);
  }
  return new StoreError(`${what}: ${message}`, isRefusal(error));
}
