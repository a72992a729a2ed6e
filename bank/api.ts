/**
 * What a client sends to a regional bank endpoint and what it gets back. The same requests go
 * over a simulated network (sim), HTTP (local) or k6 (aws); the load driver maps them to history
 * ops one for one (design.md's vocabulary).
 */

/** The eventually consistent (LWW) register table, or the strongly consistent one. */
export type RegisterTable = 'eventual' | 'strong';

/** Register values are JSON scalars; written values are unique per key (design.md). */
export type RegisterValue = string | number | null;

export type BankRequest =
  | { kind: 'transfer'; id: string; from: string; to: string; amount: number }
  | { kind: 'deposit'; id: string; account: string; amount: number }
  | { kind: 'withdraw'; id: string; account: string; amount: number }
  /** `accounts` null reads every account; `consistent` asks for a snapshot on the writer. */
  | { kind: 'balances'; accounts: string[] | null; consistent: boolean }
  | { kind: 'checkout'; id: string; from: string; to: string; amount: number }
  | { kind: 'write'; table: RegisterTable; key: string; value: RegisterValue }
  | { kind: 'read'; table: RegisterTable; key: string }
  | { kind: 'cas'; table: RegisterTable; key: string; from: RegisterValue; to: RegisterValue };

export type BankRequestKind = BankRequest['kind'];

/**
 * `ok`: it took effect (history `ok`, with `value` as the op's result where the vocabulary has
 * one: a balances result, a read's value, a write's replication `ts`).
 * `rejected`: it definitely did not take effect (history `fail`): insufficient funds, a cas whose
 * compare failed, a saga fully compensated.
 * `unknown`: it may or may not have taken effect (history `info`): a store timed out mid-commit.
 * A client that hears nothing before its timeout also records `info`.
 */
export type BankResponse =
  | { outcome: 'ok'; value?: unknown }
  | { outcome: 'rejected'; error: string }
  | { outcome: 'unknown'; error: string };

/** One region's bank service, as a client reaches it. */
export interface BankEndpoint {
  readonly region: string;
  handle(request: BankRequest): Promise<BankResponse>;
}
