/**
 * A request generator turns draws of its own Prng into the requests of one workload in one
 * region (bank/api.ts's BankRequest). It is deterministic: same Prng stream, same observations,
 * same requests. One generator per workload and region, so each has its own stream and adding
 * draws in one never shifts another (Prng.fork).
 */
import type { BankRequest, BankResponse } from '../bank/api.ts';
import type { AmountRange } from '../scenario-dsl/resolved-scenario.ts';
import type { Prng } from '../targets/sim/prng.ts';
import type { IdSource } from './id-source.ts';

export interface GeneratorContext {
  /** The region the generator's clients live in: ids and written values carry it. */
  region: string;
  prng: Prng;
  ids: IdSource;
  /** Account names in Zipf rank order: the first take the most traffic. */
  accounts: readonly string[];
}

export interface RequestGenerator {
  next(): BankRequest;
  /**
   * The request to send when `request`'s attempt ended in info: the same id when
   * `idempotencyKeys` is on (the bank deduplicates), a new id when it is off (the retry is a
   * new payment); a written value always fresh, because written values are unique per key.
   */
  retry(request: BankRequest, idempotencyKeys: boolean): BankRequest;
  /** What a completed attempt returned: lets a register generator pick cas `from` values it saw. */
  observe(request: BankRequest, response: BankResponse): void;
}

/** An integer amount in [min, max], uniform. */
export function amountIn(range: AmountRange, prng: Prng): number {
  if (!Number.isSafeInteger(range.min) || !Number.isSafeInteger(range.max) || range.min < 0) {
    throw new Error(`amount range [${range.min}, ${range.max}] must be non-negative integers`);
  }
  if (range.min > range.max) throw new Error(`amount range min ${range.min} > max ${range.max}`);
  return prng.int(range.min, range.max + 1);
}

/** Asserts `accounts` has at least `countMin` distinct names. */
export function checkAccounts(accounts: readonly string[], countMin: number, what: string): void {
  if (accounts.length < countMin) {
    throw new Error(`${what} need at least ${countMin} accounts, got ${accounts.length}`);
  }
  if (new Set(accounts).size !== accounts.length) {
    throw new Error(`${what}: account names must be unique, got ${accounts.join(', ')}`);
  }
}
