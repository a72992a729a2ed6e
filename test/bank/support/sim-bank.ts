/**
 * Test support: a two-region simulated bank and a client that reaches its endpoints over the
 * simulated network with a timeout, as the load driver will.
 */

import {
  createSimBankWorld,
  type SimBankWorld,
  type SimBankWorldOptions,
} from '../../../bank/adapters/sim/sim-bank-world.ts';
import type { BankRequest, BankResponse } from '../../../bank/api.ts';
import type { LedgerEntry } from '../../../history/op.ts';
import type { BugFlag } from '../../../scenario-dsl/bug-flags.ts';
import { CLIENTS } from '../../../targets/sim/network.ts';

export const TOKYO = 'ap-northeast-1';
export const OSAKA = 'ap-northeast-3';
export const MS = 1_000_000;
export const CLIENT_TIMEOUT_MS = 2_000;

export const ACCOUNTS = [
  { name: 'alice', balance: 1_000, home: TOKYO },
  { name: 'bob', balance: 1_000, home: OSAKA },
  { name: 'carol', balance: 500, home: TOKYO },
  { name: 'merchant', balance: 0, home: OSAKA },
];

export function world(
  options: Partial<SimBankWorldOptions> & { bugs?: readonly BugFlag[] } = {},
): SimBankWorld {
  return createSimBankWorld({
    seed: 1,
    regions: [TOKYO, OSAKA],
    writerRegion: TOKYO,
    accounts: ACCOUNTS,
    ...options,
  });
}

export type ClientOutcome = BankResponse | { outcome: 'timeout' };

/** Sends a request from a client to a region's endpoint; a client timeout reads as 'timeout'. */
export function send(
  w: SimBankWorld,
  region: string,
  request: BankRequest,
): Promise<ClientOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const timer = w.scheduler.after(CLIENT_TIMEOUT_MS * MS, () => {
      if (settled) return;
      settled = true;
      resolve({ outcome: 'timeout' });
    });
    w.network
      .request(CLIENTS, region, () => w.bank.endpoint(region).handle(request))
      .then((response) => {
        if (settled) return;
        settled = true;
        w.scheduler.cancel(timer);
        resolve(response);
      });
  });
}

/** Sends and runs the simulation until the answer is in (at most the client timeout). */
export async function call(
  w: SimBankWorld,
  region: string,
  request: BankRequest,
): Promise<ClientOutcome> {
  const pending = send(w, region, request);
  await w.runForMs(CLIENT_TIMEOUT_MS + 50);
  return pending;
}

export async function started(w: SimBankWorld): Promise<SimBankWorld> {
  const init = w.bank.init();
  await w.runForMs(100);
  await init;
  await w.runForMs(1_500);
  return w;
}

export interface FinalView {
  /** region -> account -> balance, from the key-value projection. */
  balancesByRegion: Map<string, Record<string, number>>;
  ledger: LedgerEntry[];
  sagas: { id: string; status: string; steps: { name: string; status: string }[] }[];
}

export async function finalView(w: SimBankWorld): Promise<FinalView> {
  const reading = w.bank.readFinalState({ eventual: [], strong: [] });
  await w.runForMs(5_000);
  const state = await reading;
  const balancesByRegion = new Map<string, Record<string, number>>();
  for (const read of state.reads) balancesByRegion.set(read.region, read.value.accounts ?? {});
  return { balancesByRegion, ledger: state.ledgerPages.flat(), sagas: state.sagaPages.flat() };
}

/** Initial balance plus the sum of the ledger entries, per account. */
export function ledgerBalances(ledger: readonly LedgerEntry[]): Record<string, number> {
  const balances: Record<string, number> = {};
  for (const { name, balance } of [...ACCOUNTS, { name: 'hold', balance: 0 }]) {
    balances[name] = balance;
  }
  for (const entry of ledger)
    balances[entry.account] = (balances[entry.account] ?? 0) + entry.amount;
  return balances;
}

export function entriesOf(ledger: readonly LedgerEntry[], tx: string): LedgerEntry[] {
  return ledger.filter((entry) => entry.tx === tx);
}
