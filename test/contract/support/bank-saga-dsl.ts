/**
 * A small vocabulary for the contract histories of test/contract/bank-saga.test.ts: whole client
 * ops (invoke + completion) and the final lines of design.md, on top of HistoryBuilder, so each
 * case reads like the run it models. Every helper returns the history indices it wrote, because
 * the contract checks that anomalies name exactly those.
 */

import { checkHistoryText, TIMEOUT_S_DEFAULT } from '../../../checkers/check-session.ts';
import type { Validity } from '../../../checkers/checker.ts';
import { CHECKERS } from '../../../checkers/registry.ts';
import type { Results } from '../../../checkers/verdict.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';

export const TOKYO = 'ap-northeast-1';
export const OSAKA = 'ap-northeast-3';

export type Outcome = 'ok' | 'fail' | 'info' | 'pending';

/** The history indices of one client op: its invoke and, unless pending, its completion. */
export interface OpLines {
  invoke: number;
  completion: number | null;
  lines: number[];
}

export interface LedgerEntry {
  tx: string;
  account: string;
  amount: number;
}

export interface Step {
  name: string;
  status: 'done' | 'failed' | 'compensated' | 'pending';
  at?: number;
  compensatedAt?: number;
}

export interface Saga {
  id: string;
  status: 'completed' | 'compensated' | 'failed' | 'pending';
  steps: Step[];
}

export class Run {
  readonly b = new HistoryBuilder();

  init(value: unknown): number {
    return this.b.init(value);
  }

  /** A client op that completes at once; `pending` leaves the invoke without completion. */
  op(process: number, f: string, value: unknown, outcome: Outcome, region = TOKYO): OpLines {
    const invoke = this.b.invoke(process, f, value, { region });
    const completion = this.complete(process, f, value, outcome, region);
    return { invoke, completion, lines: completion === null ? [invoke] : [invoke, completion] };
  }

  /** Completes a process's op in flight (opened with `begin`). */
  complete(
    process: number,
    f: string,
    value: unknown,
    outcome: Outcome,
    region = TOKYO,
  ): number | null {
    if (outcome === 'pending') return null;
    if (outcome === 'ok') return this.b.ok(process, f, value, { region });
    if (outcome === 'fail') return this.b.fail(process, f, value, { region });
    return this.b.info(process, f, value, { region });
  }

  begin(process: number, f: string, value: unknown, region = TOKYO): number {
    return this.b.invoke(process, f, value, { region });
  }

  transfer(p: number, id: string, from: string, to: string, amount: number, o: Outcome): OpLines {
    return this.op(p, 'transfer', { id, from, to, amount }, o);
  }

  deposit(p: number, id: string, account: string, amount: number, o: Outcome): OpLines {
    return this.op(p, 'deposit', { id, account, amount }, o);
  }

  withdraw(p: number, id: string, account: string, amount: number, o: Outcome): OpLines {
    return this.op(p, 'withdraw', { id, account, amount }, o);
  }

  checkout(p: number, id: string, from: string, to: string, amount: number, o: Outcome): OpLines {
    return this.op(p, 'checkout', { id, from, to, amount }, o);
  }

  balances(p: number, balances: Record<string, number>, consistent: boolean, only?: string[]) {
    const request = only === undefined ? null : { accounts: only };
    const invoke = this.b.invoke(p, 'balances', request, { region: TOKYO });
    const completion = this.b.ok(p, 'balances', { balances, consistent }, { region: TOKYO });
    return { invoke, completion, lines: [invoke, completion] };
  }

  finalRead(region: string, accounts: Record<string, number>, registers?: Record<string, unknown>) {
    const value: Record<string, unknown> = { accounts };
    if (registers !== undefined) value.registers = registers;
    return this.b.final('final-read', value, { region });
  }

  /** Both regions read the same final state (the common quiesced case). */
  finals(accounts: Record<string, number>, registers?: Record<string, unknown>): number[] {
    return [this.finalRead(TOKYO, accounts, registers), this.finalRead(OSAKA, accounts, registers)];
  }

  ledger(...entries: Array<[string, string, number]>): number {
    const value = { entries: entries.map(([tx, account, amount]) => ({ tx, account, amount })) };
    return this.b.final('ledger', value);
  }

  sagas(...sagas: Saga[]): number {
    return this.b.final('sagas', sagas);
  }

  text(): string {
    return this.b.text();
  }
}

export function check(run: Run, only?: string[]): Results {
  const options = { checkers: CHECKERS, timeoutS: TIMEOUT_S_DEFAULT };
  return checkHistoryText(
    'contract.jsonl',
    run.text(),
    only === undefined ? options : { ...options, only },
  );
}

export interface Found {
  valid: Validity;
  types: string[];
}

/** One checker's verdict and the sorted set of anomaly types it named. */
export function verdictOf(results: Results, checker: string): Found {
  const result = results.checkers[checker];
  if (result === undefined) return { valid: 'unknown', types: [`<${checker} did not run>`] };
  const types = [...new Set(result.anomalies.map((anomaly) => anomaly.type))].sort();
  return { valid: result.valid, types };
}

/** The union of history indices named by one checker's anomalies of one type. */
export function opsOf(results: Results, checker: string, type: string): number[] {
  const found = new Set<number>();
  for (const anomaly of results.checkers[checker]?.anomalies ?? []) {
    if (anomaly.type === type) for (const index of anomaly.ops) found.add(index);
  }
  return [...found].sort((a, b) => a - b);
}

export function messagesOf(results: Results, checker: string, type: string): string[] {
  return (results.checkers[checker]?.anomalies ?? [])
    .filter((anomaly) => anomaly.type === type)
    .map((anomaly) => anomaly.message);
}

export function sorted(indices: Array<number | null>): number[] {
  return indices.filter((i): i is number => i !== null).sort((a, b) => a - b);
}
