import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../history/op.ts';
import {
  entriesOf,
  historyText,
  type IdFacts,
  type ModelHistory,
  modelInputArbitrary,
  runModel,
} from './support/bank-model.ts';
import { checkBalance, ofType } from './support/run-balance.ts';

const RUNS = 120;

interface LedgerValue {
  entries: { tx: string; account: string; amount: number }[];
}

function cloneOps(ops: readonly Op[]): Op[] {
  return JSON.parse(JSON.stringify(ops)) as Op[];
}

function pick<T>(items: readonly T[], choice: number): T {
  fc.pre(items.length > 0);
  return items[choice % items.length] as T;
}

function idsWhere(model: ModelHistory, keep: (facts: IdFacts) => boolean): IdFacts[] {
  return [...model.ids.values()].filter(keep);
}

function ledgerOf(ops: Op[], line: number): LedgerValue {
  return (ops[line] as Op).value as LedgerValue;
}

function balancesOf(ops: Op[], completion: number): Record<string, number> {
  return ((ops[completion] as Op).value as { balances: Record<string, number> }).balances;
}

/** The same run with `extra` more in `account` from init on: every read and final read shows it. */
function withExtraMoney(ops: Op[], account: string, extra: number): Op[] {
  for (const op of ops) {
    const value = op.value as Record<string, Record<string, number> | undefined> | null;
    let named: Record<string, number> | undefined;
    if (op.f === 'init' || op.f === 'final-read') named = value?.accounts;
    else if (op.f === 'balances' && op.type === 'ok') named = value?.balances;
    if (named !== undefined && account in named) {
      named[account] = (named[account] as number) + extra;
    }
  }
  return ops;
}

/** Checks a mutated history and returns the anomalies of `type`, asserting there is one. */
function anomaliesAfter(ops: Op[], type: string) {
  const result = checkBalance(historyText(ops));
  expect(result.valid).toBe(false);
  const found = ofType(result, type);
  expect(found.length).toBeGreaterThan(0);
  return found;
}

describe('balance: properties of a correct bank', () => {
  it('calls every history of a correct bank valid', () => {
    fc.assert(
      fc.property(modelInputArbitrary, (input) => {
        const model = runModel(input);
        const result = checkBalance(historyText(model.ops));
        expect(result.anomalies).toEqual([]);
        expect(result.valid).toBe(true);
        expect(result.stats.finalReadTotalsChecked).toBe(2);
      }),
      { numRuns: 200 },
    );
  });
});

describe('balance: one injected anomaly is named', () => {
  it('lost-transfer: the entries of an acknowledged op dropped from the ledger', () => {
    fc.assert(
      fc.property(modelInputArbitrary, fc.nat(), (input, choice) => {
        const model = runModel(input);
        const facts = pick(
          idsWhere(model, (f) => f.outcomes.includes('ok')),
          choice,
        );
        const ops = cloneOps(model.ops);
        for (const line of model.ledgerLines) {
          const value = ledgerOf(ops, line);
          value.entries = value.entries.filter((e) => e.tx !== facts.op.id);
        }
        const ok = facts.attempts[facts.outcomes.indexOf('ok')] as [number, number];
        const found = anomaliesAfter(ops, 'lost-transfer');
        expect(found.map((a) => a.id)).toEqual([facts.op.id]);
        expect(found[0]?.ops).toEqual(
          [...new Set([...ok, model.ledgerLines[0], model.ledgerLines.at(-1)])].sort(
            (a, b) => (a as number) - (b as number),
          ),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("duplicate-transfer: an applied op's entries repeated", () => {
    fc.assert(
      fc.property(modelInputArbitrary, fc.nat(), (input, choice) => {
        const model = runModel(input);
        const facts = pick(
          idsWhere(model, (f) => f.applied),
          choice,
        );
        const ops = cloneOps(model.ops);
        const last = model.ledgerLines.at(-1) as number;
        ledgerOf(ops, last).entries.push(...entriesOf(facts.op));
        const found = anomaliesAfter(ops, 'duplicate-transfer');
        expect(found.map((a) => [a.id, a.applications])).toEqual([[facts.op.id, 2]]);
        expect(found[0]?.ops).toContain(last);
        expect(found[0]?.ops).toContain(facts.attempts[0]?.[0]);
      }),
      { numRuns: RUNS },
    );
  });

  it('failed-transfer-applied: entries added for an op whose every attempt failed', () => {
    fc.assert(
      fc.property(modelInputArbitrary, fc.nat(), (input, choice) => {
        const model = runModel(input);
        const facts = pick(
          idsWhere(model, (f) => f.outcomes.length > 0 && f.outcomes.every((o) => o === 'fail')),
          choice,
        );
        const ops = cloneOps(model.ops);
        const last = model.ledgerLines.at(-1) as number;
        ledgerOf(ops, last).entries.push(...entriesOf(facts.op));
        const found = anomaliesAfter(ops, 'failed-transfer-applied');
        expect(found.map((a) => a.id)).toEqual([facts.op.id]);
        expect(found[0]?.ops).toEqual(expect.arrayContaining([...(facts.attempts[0] ?? []), last]));
      }),
      { numRuns: RUNS },
    );
  });

  it('unbalanced-transfer: one entry of an applied op skewed', () => {
    fc.assert(
      fc.property(
        modelInputArbitrary,
        fc.nat(),
        fc.integer({ min: 1, max: 5 }),
        (input, choice, skew) => {
          const model = runModel(input);
          const facts = pick(
            idsWhere(model, (f) => f.applied),
            choice,
          );
          const ops = cloneOps(model.ops);
          const line = model.ledgerLines.find((l) =>
            ledgerOf(ops, l).entries.some((e) => e.tx === facts.op.id),
          ) as number;
          const entry = ledgerOf(ops, line).entries.find((e) => e.tx === facts.op.id);
          if (entry === undefined) throw new Error('an applied op has no entry');
          entry.amount += skew;
          const found = anomaliesAfter(ops, 'unbalanced-transfer');
          expect(found.map((a) => a.id)).toEqual([facts.op.id]);
          expect(found[0]?.ops).toContain(line);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("divergence: one account of one region's final read changed", () => {
    fc.assert(
      fc.property(
        modelInputArbitrary,
        fc.nat(),
        fc.integer({ min: 1, max: 50 }),
        (input, choice, delta) => {
          const model = runModel(input);
          const ops = cloneOps(model.ops);
          const account = pick(model.accounts, choice);
          const [f1, f3] = model.finals as [number, number];
          const accounts = ((ops[f3] as Op).value as { accounts: Record<string, number> }).accounts;
          accounts[account] = (accounts[account] as number) + delta;
          const found = anomaliesAfter(ops, 'divergence');
          expect(found.map((a) => [a.account, a.ops])).toEqual([[account, [f1, f3]]]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("wrong-total: a covering consistent read's total off by more than any op could explain", () => {
    fc.assert(
      fc.property(modelInputArbitrary, fc.nat(), fc.boolean(), (input, choice, up) => {
        const model = runModel(input);
        const read = pick(
          model.reads.filter((r) => r.covering),
          choice,
        );
        const ops = cloneOps(model.ops);
        const balances = balancesOf(ops, read.completion);
        const account = model.accounts[choice % model.accounts.length] as string;
        balances[account] = (balances[account] as number) + (up ? 1_000_000 : -1_000_000);
        const found = anomaliesAfter(ops, 'wrong-total');
        expect(found.map((a) => a.ops)).toEqual([[read.invoke, read.completion]]);
      }),
      { numRuns: RUNS },
    );
  });

  it("wrong-total: a covering consistent read's result silently omits an account", () => {
    fc.assert(
      fc.property(modelInputArbitrary, fc.nat(), (input, choice) => {
        const model = runModel(input);
        const read = pick(
          model.reads.filter((r) => r.covering),
          choice,
        );
        const account = model.accounts[choice % model.accounts.length] as string;
        // The account holds a million more throughout the run, so dropping it from one read
        // takes the sum below anything deposits or withdrawals of unknown outcome could explain.
        const ops = withExtraMoney(cloneOps(model.ops), account, 1_000_000);
        delete balancesOf(ops, read.completion)[account];
        const found = anomaliesAfter(ops, 'wrong-total');
        expect(found.map((a) => a.ops)).toEqual([[read.invoke, read.completion]]);
      }),
      { numRuns: RUNS },
    );
  });

  it('negative-balance: money moved within a consistent read so one account is below zero', () => {
    fc.assert(
      fc.property(modelInputArbitrary, fc.nat(), (input, choice) => {
        const model = runModel(input);
        const ops = cloneOps(model.ops);
        const read = pick(
          model.reads.filter(
            (r) => r.consistent && Object.keys(balancesOf(ops, r.completion)).length >= 2,
          ),
          choice,
        );
        const balances = balancesOf(ops, read.completion);
        const [low, high] = Object.keys(balances) as [string, string];
        balances[high] = (balances[high] as number) + (balances[low] as number) + 1;
        balances[low] = -1;
        const found = anomaliesAfter(ops, 'negative-balance');
        expect(found.map((a) => [a.account, a.ops])).toEqual([
          [low, [read.invoke, read.completion]],
        ]);
        expect(ofType(checkBalance(historyText(ops)), 'wrong-total')).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it("nil-balance: one account of a consistent read has no balance (Jepsen's :nil-balance)", () => {
    fc.assert(
      fc.property(modelInputArbitrary, fc.nat(), (input, choice) => {
        const model = runModel(input);
        const read = pick(
          model.reads.filter((r) => r.consistent),
          choice,
        );
        const ops = cloneOps(model.ops);
        const balances = balancesOf(ops, read.completion) as Record<string, number | null>;
        const names = Object.keys(balances);
        const account = names[choice % names.length] as string;
        balances[account] = null;
        const result = checkBalance(historyText(ops));
        expect(result.valid).toBe(false);
        expect(result.anomalies.map((a) => [a.type, a.accounts, a.ops])).toEqual([
          ['nil-balance', [account], [read.invoke, read.completion]],
        ]);
      }),
      { numRuns: RUNS },
    );
  });

  it('unexpected-account: an account init never created shows up in a read', () => {
    fc.assert(
      fc.property(modelInputArbitrary, fc.nat(), (input, choice) => {
        const model = runModel(input);
        const read = pick(model.reads, choice);
        const ops = cloneOps(model.ops);
        balancesOf(ops, read.completion).ghost = 0;
        const found = anomaliesAfter(ops, 'unexpected-account');
        expect(found.map((a) => [a.account, a.ops])).toEqual([
          ['ghost', [read.invoke, read.completion]],
        ]);
      }),
      { numRuns: RUNS },
    );
  });
});
