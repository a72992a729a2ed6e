/**
 * Totals without an init that declares accounts (a raw Jepsen bank history keeps them in its
 * test map): the first consistent read of every account is the reference (issue 10).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../history/op.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import {
  historyText,
  type ModelHistory,
  modelInputArbitrary,
  runModel,
} from './support/bank-model.ts';
import { checkBalance, ofType, types } from './support/run-balance.ts';

const RUNS = 120;

describe('balance without init: totals against the first consistent read of every account', () => {
  it('flags a later read whose total differs, naming both reads', () => {
    const h = new HistoryBuilder();
    const r1 = h.invoke(0, 'balances', null);
    const r1ok = h.ok(0, 'balances', { balances: { a: 10, b: 90 }, consistent: true });
    h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 5 });
    h.ok(0, 'transfer');
    const r2 = h.invoke(1, 'balances', null);
    const r2ok = h.ok(1, 'balances', { balances: { a: 5, b: 96 }, consistent: true });
    const result = checkBalance(h.text());
    expect(result.valid).toBe(false);
    expect(types(result)).toEqual(['wrong-total']);
    const [anomaly] = ofType(result, 'wrong-total');
    expect(anomaly).toMatchObject({
      ops: [r1, r1ok, r2, r2ok],
      total: 101,
      lower: 100,
      upper: 100,
      referenceTotal: 100,
      referenceOps: [r1, r1ok],
    });
    expect(anomaly?.message).toContain(
      'the total 100 of the first consistent read of every account',
    );
    expect(result.stats).toMatchObject({ totalsChecked: true, totalReferenceRead: r1ok });
  });

  it('near miss: a deposit of unknown outcome between the reads may explain the difference', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'balances', null);
    h.ok(0, 'balances', { balances: { a: 10, b: 90 }, consistent: true });
    h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 50 });
    h.info(0, 'deposit');
    h.invoke(1, 'balances', null);
    h.ok(1, 'balances', { balances: { a: 60, b: 90 }, consistent: true });
    expect(checkBalance(h.text()).valid).toBe(true);
  });

  it('widens the reference by the deposits around the first read (the docs example)', () => {
    const reads = (secondTotal: number) => {
      const h = new HistoryBuilder();
      h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 50 });
      h.info(0, 'deposit');
      h.invoke(1, 'balances', null);
      h.ok(1, 'balances', { balances: { a: 150 }, consistent: true });
      h.invoke(2, 'balances', null);
      h.ok(2, 'balances', { balances: { a: secondTotal }, consistent: true });
      return checkBalance(h.text());
    };
    expect(reads(90).valid).toBe(false);
    expect(ofType(reads(90), 'wrong-total')[0]).toMatchObject({ lower: 100, upper: 200 });
    expect(reads(100).valid).toBe(true);
    expect(reads(200).valid).toBe(true);
  });

  it('does not take a read of some accounts, or one with a nil balance, as the reference', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'balances', { accounts: ['a'] });
    h.ok(0, 'balances', { balances: { a: 1 }, consistent: true });
    h.invoke(0, 'balances', null);
    h.ok(0, 'balances', { balances: { a: 1, b: null }, consistent: true });
    h.invoke(0, 'balances', null);
    const ref = h.ok(0, 'balances', { balances: { a: 1, b: 9 }, consistent: true });
    h.invoke(0, 'balances', null);
    const wrong = h.ok(0, 'balances', { balances: { a: 1, b: 8 }, consistent: true });
    const result = checkBalance(h.text());
    expect(types(result)).toEqual(['nil-balance', 'wrong-total']);
    expect(ofType(result, 'wrong-total')[0]?.ops).toEqual([ref - 1, ref, wrong - 1, wrong]);
  });

  it('holds final reads with every reference account to the total', () => {
    const h = new HistoryBuilder();
    const r = h.invoke(0, 'balances', null);
    const rOk = h.ok(0, 'balances', { balances: { a: 10, b: 90 }, consistent: true });
    h.final('final-read', { accounts: { a: 10, b: 90 } }, { region: 'ap-northeast-1' });
    const f3 = h.final('final-read', { accounts: { a: 10, b: 80 } }, { region: 'ap-northeast-3' });
    const result = checkBalance(h.text());
    expect(ofType(result, 'wrong-total').map((a) => a.ops)).toEqual([[r, rOk, f3]]);
    expect(result.stats.finalReadTotalsChecked).toBe(2);
  });

  it('says "unknown" for final reads it cannot hold to any total', () => {
    const noReference = new HistoryBuilder();
    noReference.final('final-read', { accounts: { a: 10 } }, { region: 'ap-northeast-1' });
    const none = checkBalance(noReference.text());
    expect(none.valid).toBe('unknown');
    expect(none.error).toContain('no init declares the accounts');
    expect(none.stats.totalsChecked).toBe(false);

    const lacking = new HistoryBuilder();
    lacking.invoke(0, 'balances', null);
    lacking.ok(0, 'balances', { balances: { a: 10, b: 90 }, consistent: true });
    lacking.final('final-read', { accounts: { a: 10 } }, { region: 'ap-northeast-1' });
    const result = checkBalance(lacking.text());
    expect(result.valid).toBe('unknown');
    expect(result.error).toContain('lacks accounts that the reference read');
  });
});

/** The model's history with its init line removed: indices move down by one. */
function withoutInit(model: ModelHistory): Op[] {
  const [init, ...rest] = model.ops;
  if (init?.f !== 'init') throw new Error('the model history starts with its init');
  return rest.map((op) => ({ ...op, index: op.index - 1 }) as Op);
}

/** Reads (indices after the init is removed) that ask for every account: candidates for reference. */
function fullReads(model: ModelHistory): { invoke: number; completion: number }[] {
  return model.reads
    .filter((read) => read.consistent && model.ops[read.invoke]?.value === null)
    .map((read) => ({ invoke: read.invoke - 1, completion: read.completion - 1 }));
}

function shiftTotal(ops: Op[], completion: number, delta: number): void {
  const value = ops[completion]?.value as { balances: Record<string, number> };
  const [name] = Object.keys(value.balances) as [string];
  value.balances[name] = (value.balances[name] as number) + delta;
}

describe('balance without init: properties', () => {
  it('calls the history of a correct bank valid (unknown only without a reference read)', () => {
    fc.assert(
      fc.property(modelInputArbitrary, (input) => {
        const model = runModel(input);
        const result = checkBalance(historyText(withoutInit(model)));
        const expected = fullReads(model).length > 0 ? true : 'unknown';
        expect(result.anomalies).toEqual([]);
        expect(result.valid).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('wrong-total: a later full read off by more than any op explains, with both reads as ops', () => {
    fc.assert(
      fc.property(modelInputArbitrary, fc.nat(), fc.boolean(), (input, choice, up) => {
        const model = runModel(input);
        const [reference, ...later] = fullReads(model);
        fc.pre(reference !== undefined && later.length > 0);
        const read = later[choice % later.length] as { invoke: number; completion: number };
        const ops = withoutInit(model);
        shiftTotal(ops, read.completion, up ? 1_000_000 : -1_000_000);
        const result = checkBalance(historyText(ops));
        expect(result.valid).toBe(false);
        // Taking a million off also makes an account negative: that is negative-balance's.
        expect(ofType(result, 'wrong-total').map((a) => a.ops)).toEqual([
          [reference!.invoke, reference!.completion, read.invoke, read.completion].sort(
            (a, b) => a - b,
          ),
        ]);
        expect(types(result)).toEqual(up ? ['wrong-total'] : ['negative-balance', 'wrong-total']);
      }),
      { numRuns: RUNS },
    );
  });

  it("wrong-total: a region's final read off by more than any op explains", () => {
    fc.assert(
      fc.property(modelInputArbitrary, fc.nat(), (input, choice) => {
        const model = runModel(input);
        const [reference] = fullReads(model);
        fc.pre(reference !== undefined);
        const ops = withoutInit(model);
        const final = (model.finals[choice % model.finals.length] as number) - 1;
        const value = ops[final]?.value as { accounts: Record<string, number> };
        const [name] = Object.keys(value.accounts) as [string];
        value.accounts[name] = (value.accounts[name] as number) + 1_000_000;
        const result = checkBalance(historyText(ops));
        expect(ofType(result, 'wrong-total').map((a) => a.ops)).toEqual([
          [reference.invoke, reference.completion, final],
        ]);
        expect(types(result)).toContain('wrong-total');
      }),
      { numRuns: RUNS },
    );
  });
});
