/**
 * A correct bank, for property tests: accounts that never go negative, several regions, three
 * concurrent client slots, transfers that fail when funds are short, deposits and withdrawals,
 * ok/fail/info outcomes (an info op may or may not have applied: the model decides in secret, and
 * the ledger and final reads reflect it), retries of an info op under the same id on a fresh
 * process (applied at most once), consistent reads that return a state between their invoke and
 * completion, eventual reads, ops still pending at the end, identical final reads in every region,
 * and a ledger of exactly the applied ops split over several lines.
 *
 * Every op takes effect at its completion line (or, pending, after the last one), inside its
 * interval, so the history is legal by construction.
 */
import fc from 'fast-check';
import type { Op } from '../../../../history/op.ts';
import { HistoryBuilder } from '../../../support/history-builder.ts';

export const REGIONS = ['ap-northeast-1', 'ap-northeast-3'] as const;
const SLOTS = 3;
const LEDGER_ENTRIES_PER_LINE = 3;

export interface Step {
  slot: number;
  /** 0 transfer, 1 deposit, 2 withdraw, 3 read all, 4 read some, 5 eventual read. */
  what: number;
  a: number;
  b: number;
  amount: number;
  /** 0-5 ok, 6-7 fail, 8-9 info. */
  outcome: number;
  /** Whether an info (or pending) op secretly applies, if it can. */
  applies: boolean;
  /** Whether an idle slot retries an id whose last attempt was info. */
  retry: boolean;
  region: number;
  /** Whether a consistent read returns the state at its invoke (else at its completion). */
  early: boolean;
}

export interface ModelInput {
  initBalances: number[];
  steps: Step[];
}

export const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  slot: fc.nat(SLOTS - 1),
  what: fc.nat(5),
  a: fc.nat(3),
  b: fc.nat(3),
  amount: fc.integer({ min: 1, max: 60 }),
  outcome: fc.nat(9),
  applies: fc.boolean(),
  retry: fc.boolean(),
  region: fc.nat(REGIONS.length - 1),
  early: fc.boolean(),
});

export const modelInputArbitrary: fc.Arbitrary<ModelInput> = fc.record({
  initBalances: fc.array(fc.nat(100), { minLength: 2, maxLength: 4 }),
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 40 }),
});

export type Kind = 'transfer' | 'deposit' | 'withdraw';

export interface Mutation {
  kind: Kind;
  id: string;
  accounts: string[];
  amount: number;
}

export interface IdFacts {
  op: Mutation;
  /** [invoke, completion or -1] per attempt. */
  attempts: [number, number][];
  outcomes: ('ok' | 'fail' | 'info')[];
  applied: boolean;
}

export interface ReadFacts {
  invoke: number;
  completion: number;
  consistent: boolean;
  covering: boolean;
}

export interface ModelHistory {
  ops: Op[];
  accounts: string[];
  ids: Map<string, IdFacts>;
  reads: ReadFacts[];
  finals: number[];
  ledgerLines: number[];
}

interface InFlight {
  process: number;
  step: Step;
  mutation: Mutation | null;
  invoke: number;
  snapshot: number[];
}

export function entriesOf(mutation: Mutation): { tx: string; account: string; amount: number }[] {
  const [first, second] = mutation.accounts as [string, string | undefined];
  if (mutation.kind === 'transfer') {
    return [
      { tx: mutation.id, account: first, amount: -mutation.amount },
      { tx: mutation.id, account: second ?? first, amount: mutation.amount },
    ];
  }
  const sign = mutation.kind === 'deposit' ? 1 : -1;
  return [{ tx: mutation.id, account: first, amount: sign * mutation.amount }];
}

export function runModel(input: ModelInput): ModelHistory {
  return new BankModel(input).run();
}

class BankModel {
  private readonly h = new HistoryBuilder();
  private readonly accounts: string[];
  private readonly balances: number[];
  private readonly slots: (InFlight | null)[] = Array.from({ length: SLOTS }, () => null);
  private readonly processes = Array.from({ length: SLOTS }, (_, i) => i);
  private processNext = SLOTS;
  private idNext = 0;
  private readonly retries: Mutation[] = [];
  private readonly ids = new Map<string, IdFacts>();
  private readonly reads: ReadFacts[] = [];
  private readonly ledger: { tx: string; account: string; amount: number }[] = [];

  constructor(private readonly input: ModelInput) {
    this.accounts = input.initBalances.map((_, i) => `acct-${i}`);
    this.balances = [...input.initBalances];
  }

  run(): ModelHistory {
    this.h.init({
      accounts: Object.fromEntries(this.accounts.map((a, i) => [a, this.balances[i]])),
    });
    for (const step of this.input.steps) {
      const inFlight = this.slots[step.slot];
      if (inFlight === null || inFlight === undefined) this.invoke(step);
      else this.complete(step.slot, inFlight, step);
    }
    for (const inFlight of this.slots) {
      if (inFlight?.mutation && inFlight.step.applies) this.apply(inFlight.mutation);
    }
    const finals = REGIONS.map((region) =>
      this.h.final('final-read', { accounts: this.snapshotRecord(this.balances) }, { region }),
    );
    const ledgerLines: number[] = [];
    for (
      let start = 0;
      start === 0 || start < this.ledger.length;
      start += LEDGER_ENTRIES_PER_LINE
    ) {
      const entries = this.ledger.slice(start, start + LEDGER_ENTRIES_PER_LINE);
      ledgerLines.push(this.h.final('ledger', { entries }));
    }
    return {
      ops: this.h.ops,
      accounts: this.accounts,
      ids: this.ids,
      reads: this.reads,
      finals,
      ledgerLines,
    };
  }

  private invoke(step: Step): void {
    const process = this.processes[step.slot] as number;
    const region = REGIONS[step.region];
    const retried = step.retry ? this.retries.shift() : undefined;
    const mutation = retried ?? (step.what <= 2 ? this.newMutation(step) : null);
    const snapshot = [...this.balances];
    if (mutation !== null) {
      const [first, second] = mutation.accounts;
      const value =
        mutation.kind === 'transfer'
          ? { id: mutation.id, from: first, to: second, amount: mutation.amount }
          : { id: mutation.id, account: first, amount: mutation.amount };
      const invoke = this.h.invoke(process, mutation.kind, value, { region });
      const facts = this.ids.get(mutation.id) ?? {
        op: mutation,
        attempts: [],
        outcomes: [],
        applied: false,
      };
      facts.attempts.push([invoke, -1]);
      this.ids.set(mutation.id, facts);
      this.slots[step.slot] = { process, step, mutation, invoke, snapshot };
      return;
    }
    const value = step.what === 4 ? { accounts: this.accounts.slice(0, 1 + (step.a % 2)) } : null;
    const invoke = this.h.invoke(process, 'balances', value, { region });
    this.slots[step.slot] = { process, step, mutation: null, invoke, snapshot };
  }

  private newMutation(step: Step): Mutation {
    const n = this.accounts.length;
    const a = step.a % n;
    const id = `${['t', 'd', 'w'][step.what]}${this.idNext++}`;
    const kind = (['transfer', 'deposit', 'withdraw'] as const)[step.what] as Kind;
    const accounts =
      kind === 'transfer'
        ? [this.accounts[a] as string, this.accounts[(a + 1 + (step.b % (n - 1))) % n] as string]
        : [this.accounts[a] as string];
    return { kind, id, accounts, amount: step.amount };
  }

  private complete(slot: number, inFlight: InFlight, step: Step): void {
    this.slots[slot] = null;
    if (inFlight.mutation === null) {
      this.completeRead(inFlight);
      return;
    }
    const mutation = inFlight.mutation;
    const facts = this.ids.get(mutation.id) as IdFacts;
    let outcome: 'ok' | 'fail' | 'info' =
      step.outcome <= 5 ? 'ok' : step.outcome <= 7 ? 'fail' : 'info';
    if (facts.applied) {
      // Idempotency: a retry of an applied id returns the original ok without applying again.
      if (outcome === 'fail') outcome = 'ok';
    } else if (outcome === 'ok') {
      if (this.canApply(mutation)) this.apply(mutation);
      else outcome = 'fail';
    } else if (outcome === 'info' && step.applies) {
      this.apply(mutation);
    }
    const kind = mutation.kind;
    const completion = this.h[outcome](inFlight.process, kind);
    const attempt = facts.attempts[facts.attempts.length - 1] as [number, number];
    attempt[1] = completion;
    facts.outcomes.push(outcome);
    if (outcome === 'info') {
      this.processes[slot] = this.processNext++;
      this.retries.push(mutation);
    }
  }

  private completeRead(inFlight: InFlight): void {
    const what = inFlight.step.what;
    const consistent = what !== 5;
    const state = inFlight.step.early || !consistent ? inFlight.snapshot : this.balances;
    const count = what === 4 ? 1 + (inFlight.step.a % 2) : this.accounts.length;
    const balances = this.snapshotRecord(state.slice(0, count));
    const completion = this.h.ok(inFlight.process, 'balances', { balances, consistent });
    this.reads.push({
      invoke: inFlight.invoke,
      completion,
      consistent,
      covering: consistent && count === this.accounts.length,
    });
  }

  private canApply(mutation: Mutation): boolean {
    if (this.ids.get(mutation.id)?.applied) return false;
    if (mutation.kind === 'deposit') return true;
    const from = this.accounts.indexOf(mutation.accounts[0] as string);
    return (this.balances[from] as number) >= mutation.amount;
  }

  private apply(mutation: Mutation): void {
    if (!this.canApply(mutation)) return;
    for (const entry of entriesOf(mutation)) {
      const account = this.accounts.indexOf(entry.account);
      this.balances[account] = (this.balances[account] as number) + entry.amount;
      this.ledger.push(entry);
    }
    (this.ids.get(mutation.id) as IdFacts).applied = true;
  }

  private snapshotRecord(state: number[]): Record<string, number> {
    return Object.fromEntries(state.map((balance, i) => [this.accounts[i], balance]));
  }
}

export function historyText(ops: readonly Op[]): string {
  return ops.map((op) => `${JSON.stringify(op)}\n`).join('');
}
