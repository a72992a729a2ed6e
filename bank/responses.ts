/** How the bank's internal outcomes and store failures become client responses (bank/api.ts). */
import type { BankResponse } from './api.ts';
import { StoreError } from './ports.ts';

export function ok(value?: unknown): BankResponse {
  return value === undefined ? { outcome: 'ok' } : { outcome: 'ok', value };
}

export function rejected(error: string): BankResponse {
  return { outcome: 'rejected', error };
}

export function unknown(error: string): BankResponse {
  return { outcome: 'unknown', error };
}

/**
 * A store that surely did nothing makes the request rejected; one that may have applied it makes
 * it unknown. Anything else is a bug in the bank and is thrown on, never hidden in a response.
 */
export function storeFailure(error: unknown): BankResponse {
  if (!(error instanceof StoreError)) throw error;
  return error.definite ? rejected(`store refused: ${error.message}`) : unknown(error.message);
}

export async function answering(work: () => Promise<BankResponse>): Promise<BankResponse> {
  try {
    return await work();
  } catch (error) {
    return storeFailure(error);
  }
}
