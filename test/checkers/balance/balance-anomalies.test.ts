import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { checkBalance, ofType, types } from './support/run-balance.ts';

const R1 = 'ap-northeast-1';
const R3 = 'ap-northeast-3';

function transfer(id: string, from: string, to: string, amount: number) {
  return { id, from, to, amount };
}

describe('balance: wrong-total', () => {
  function readAfterDeposit(readFirst: boolean) {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    const dInvoke = h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 50 }, { region: R1 });
    const rInvoke = readFirst ? h.invoke(1, 'balances', null, { region: R1 }) : -1;
    h.ok(0, 'deposit');
    const rInvoke2 = readFirst ? rInvoke : h.invoke(1, 'balances', null, { region: R1 });
    const rOk = h.ok(1, 'balances', { balances: { a: 100, b: 0 }, consistent: true });
    return { text: h.text(), ops: [rInvoke2, rOk], dInvoke };
  }

  it('flags a consistent read that misses a deposit acknowledged before it was invoked', () => {
    const { text, ops } = readAfterDeposit(false);
    const result = checkBalance(text);
    expect(result.valid).toBe(false);
    const [anomaly] = ofType(result, 'wrong-total');
    expect(anomaly?.ops).toEqual(ops);
    expect(anomaly).toMatchObject({ total: 100, lower: 150, upper: 150 });
    expect(anomaly?.message).toContain('sums to 100');
    expect(types(result)).toEqual(['wrong-total']);
  });

  it('near miss: a deposit still in flight when the read was invoked may or may not be seen', () => {
    const result = checkBalance(readAfterDeposit(true).text);
    expect(result.valid).toBe(true);
    expect(result.stats.consistentReadsChecked).toBe(1);
  });

  function withdrawThenRead(outcome: 'fail' | 'info') {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100 } });
    h.invoke(0, 'withdraw', { id: 'w1', account: 'a', amount: 40 });
    h[outcome](0, 'withdraw');
    const inv = h.invoke(1, 'balances', { accounts: ['a'] });
    const ok = h.ok(1, 'balances', { balances: { a: 60 }, consistent: true });
    return { text: h.text(), ops: [inv, ok] };
  }

  it('a failed withdrawal never counts', () => {
    const { text, ops } = withdrawThenRead('fail');
    const result = checkBalance(text);
    expect(ofType(result, 'wrong-total').map((a) => a.ops)).toEqual([ops]);
  });

  it('near miss: a withdrawal of unknown outcome widens the range', () => {
    expect(checkBalance(withdrawThenRead('info').text).valid).toBe(true);
  });

  function finalAfterDeposit(outcome: 'ok' | 'info') {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100 } });
    h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 50 });
    h[outcome](0, 'deposit');
    const f1 = h.final('final-read', { accounts: { a: 100 } }, { region: R1 });
    return { text: h.text(), f1 };
  }

  it("flags a region's final read whose total misses an acknowledged deposit", () => {
    const { text, f1 } = finalAfterDeposit('ok');
    const result = checkBalance(text);
    const anomalies = ofType(result, 'wrong-total');
    expect(anomalies.map((a) => a.ops)).toEqual([[f1]]);
    expect(anomalies[0]).toMatchObject({ region: R1, total: 100, lower: 150, upper: 150 });
  });

  it('near miss: a deposit of unknown outcome may be missing from the final read', () => {
    expect(checkBalance(finalAfterDeposit('info').text).valid).toBe(true);
  });

  function readOfAllOmittingB(request: null | { accounts: string[] }, bBalance: number) {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: bBalance } });
    const inv = h.invoke(0, 'balances', request, { region: R1 });
    const ok = h.ok(0, 'balances', { balances: { a: 100 }, consistent: true });
    return { text: h.text(), ops: [inv, ok] };
  }

  it.each([
    ['null (all accounts)', null],
    ['naming every init account', { accounts: ['b', 'a'] }],
  ])('flags a consistent read whose request is %s but whose result omits one', (_n, request) => {
    const { text, ops } = readOfAllOmittingB(request, 30);
    const result = checkBalance(text);
    expect(types(result)).toEqual(['wrong-total']);
    const [anomaly] = ofType(result, 'wrong-total');
    expect(anomaly?.ops).toEqual(ops);
    expect(anomaly).toMatchObject({ total: 100, lower: 130, upper: 130 });
    expect(result.stats).toMatchObject({ consistentReadsChecked: 1, consistentReadsPartial: 0 });
  });

  it('near miss: the omitted account really was 0, so the sum is right', () => {
    const result = checkBalance(readOfAllOmittingB(null, 0).text);
    expect(result.valid).toBe(true);
    expect(result.stats.consistentReadsChecked).toBe(1);
  });

  it('near miss: a request that names only a is not held to the total', () => {
    const result = checkBalance(readOfAllOmittingB({ accounts: ['a'] }, 30).text);
    expect(result.valid).toBe(true);
    expect(result.stats).toMatchObject({ consistentReadsChecked: 0, consistentReadsPartial: 1 });
  });

  it('does not hold a partial consistent read to the total', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 100 } });
    h.invoke(0, 'balances', { accounts: ['a'] });
    h.ok(0, 'balances', { balances: { a: 10 }, consistent: true });
    const result = checkBalance(h.text());
    expect(result.valid).toBe(true);
    expect(result.stats).toMatchObject({ consistentReadsChecked: 0, consistentReadsPartial: 1 });
  });
});

describe('balance: negative-balance', () => {
  function readWith(consistent: boolean) {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    const inv = h.invoke(0, 'balances', null, { region: R3 });
    const ok = h.ok(0, 'balances', { balances: { a: -10, b: 110 }, consistent });
    return { text: h.text(), ops: [inv, ok] };
  }

  it('flags an account below zero in a consistent read', () => {
    const { text, ops } = readWith(true);
    const result = checkBalance(text);
    expect(types(result)).toEqual(['negative-balance']);
    const [anomaly] = ofType(result, 'negative-balance');
    expect(anomaly?.ops).toEqual(ops);
    expect(anomaly).toMatchObject({ account: 'a', balance: -10 });
    expect(anomaly?.message).toContain(`account a is -10 in the consistent balances read`);
  });

  it('near miss: an eventual read may lag and is not held to it', () => {
    const result = checkBalance(readWith(false).text);
    expect(result.anomalies).toEqual([]);
  });

  it('flags an account below zero in a final read', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 0, b: 0 } });
    const f1 = h.final('final-read', { accounts: { a: -5, b: 5 } }, { region: R1 });
    const result = checkBalance(h.text());
    expect(ofType(result, 'negative-balance').map((a) => a.ops)).toEqual([[f1]]);
  });
});

describe('balance: unexpected-account', () => {
  function history(declareZ: boolean) {
    const h = new HistoryBuilder();
    h.init({ accounts: declareZ ? { a: 100, b: 0, z: 0 } : { a: 100, b: 0 } });
    const inv = h.invoke(0, 'transfer', transfer('t1', 'a', 'z', 10), { region: R1 });
    const ok = h.ok(0, 'transfer');
    h.invoke(1, 'balances', null);
    h.ok(1, 'balances', { balances: { a: 90, b: 0, z: 10 }, consistent: true });
    h.final('final-read', { accounts: { a: 90, b: 0, z: 10 } }, { region: R1 });
    return { text: h.text(), ops: [inv, ok] };
  }

  it('flags an account init never created, once, where it is first seen', () => {
    const { text, ops } = history(false);
    const result = checkBalance(text);
    const anomalies = ofType(result, 'unexpected-account');
    expect(anomalies.map((a) => a.ops)).toEqual([ops]);
    expect(anomalies[0]?.message).toContain('transfer t1 invoked by process 0');
    expect(types(result)).toEqual(['unexpected-account']);
  });

  it('near miss: the same account declared in init', () => {
    expect(checkBalance(history(true).text).valid).toBe(true);
  });

  function depositTo(account: string, outcome: 'fail' | 'pending') {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100 } });
    const inv = h.invoke(0, 'deposit', { id: 'd1', account, amount: 5 }, { region: R3 });
    const done = outcome === 'fail' ? h.fail(0, 'deposit') : -1;
    return { text: h.text(), ops: done === -1 ? [inv] : [inv, done] };
  }

  it.each(['fail', 'pending'] as const)(
    'names the invoke and any completion of a %s deposit into an unknown account',
    (outcome) => {
      const { text, ops } = depositTo('z', outcome);
      const result = checkBalance(text);
      expect(types(result)).toEqual(['unexpected-account']);
      const [anomaly] = ofType(result, 'unexpected-account');
      expect(anomaly?.ops).toEqual(ops);
      expect(anomaly).toMatchObject({ account: 'z' });
      expect(anomaly?.message).toContain(`deposit d1 invoked by process 0`);
    },
  );

  it.each(['fail', 'pending'] as const)(
    'near miss: a %s deposit into a known account',
    (outcome) => {
      expect(checkBalance(depositTo('a', outcome).text).anomalies).toEqual([]);
    },
  );

  it('is not judged without an init that declares accounts', () => {
    const h = new HistoryBuilder();
    h.init({});
    h.invoke(0, 'balances', null);
    const ok = h.ok(0, 'balances', { balances: { q: 1 }, consistent: true });
    const result = checkBalance(h.text());
    expect(result.valid).toBe(true);
    expect(result.stats).toMatchObject({ totalsChecked: true, totalReferenceRead: ok });
  });
});

describe('balance: divergence', () => {
  function finals(bInR3: number) {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    const f1 = h.final('final-read', { accounts: { a: 90, b: 10 } }, { region: R1 });
    const f3 = h.final('final-read', { accounts: { a: 100 - bInR3, b: bInR3 } }, { region: R3 });
    return { text: h.text(), ops: [f1, f3] };
  }

  it('flags each account whose final balance differs between regions', () => {
    const { text, ops } = finals(0);
    const result = checkBalance(text);
    const anomalies = ofType(result, 'divergence');
    expect(anomalies.map((a) => [a.account, a.ops])).toEqual([
      ['a', ops],
      ['b', ops],
    ]);
    expect(anomalies[0]?.message).toContain(`90 in ${R1}, 100 in ${R3}`);
  });

  it('near miss: regions agree', () => {
    expect(checkBalance(finals(10).text).valid).toBe(true);
  });
});

describe('balance: ledger-mismatch', () => {
  function history(sagaEntry: boolean) {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    h.invoke(0, 'transfer', transfer('t1', 'a', 'b', 30));
    h.ok(0, 'transfer');
    const f1 = h.final('final-read', { accounts: { a: 70, b: 30 } }, { region: R1 });
    const entries = [
      { tx: 't1', account: 'a', amount: -30 },
      { tx: 't1', account: 'b', amount: 30 },
    ];
    const l1 = h.final('ledger', { entries });
    const l2 = h.final('ledger', {
      entries: sagaEntry ? [{ tx: 'saga-1', account: 'a', amount: -5 }] : [],
    });
    return { text: h.text(), f1, l1, l2 };
  }

  it("flags a final balance that is not init plus the account's ledger entries", () => {
    const { text, f1, l1, l2 } = history(true);
    const result = checkBalance(text);
    expect(types(result)).toEqual(['ledger-mismatch']);
    const [anomaly] = ofType(result, 'ledger-mismatch');
    expect(anomaly?.ops).toEqual([f1, l1, l2]);
    expect(anomaly).toMatchObject({ account: 'a', balance: 70, expected: 65, ledgerNet: -35 });
    expect(result.stats.ledgerEntriesForeign).toBe(1);
  });

  it('near miss: without the stray saga entry', () => {
    expect(checkBalance(history(false).text).valid).toBe(true);
  });
});

describe('balance: lost-transfer', () => {
  function history(outcome: 'ok' | 'info') {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    const inv = h.invoke(0, 'transfer', transfer('t17', 'a', 'b', 30), { region: R1 });
    const done = h[outcome](0, 'transfer');
    const l1 = h.final('ledger', { entries: [] });
    return { text: h.text(), ops: [inv, done, l1] };
  }

  it('flags an acknowledged transfer with no ledger entries', () => {
    const { text, ops } = history('ok');
    const result = checkBalance(text);
    const [anomaly] = ofType(result, 'lost-transfer');
    expect(anomaly?.ops).toEqual(ops);
    expect(anomaly?.message).toBe(
      `transfer t17 (a -> b, 30) was acknowledged at 0.002 s in ${R1} but has no entry in the ledger read after recovery: an acknowledged payment was lost (RPO > 0)`,
    );
    expect(result.stats.lostAcknowledged).toBe(1);
  });

  it('near miss: a transfer of unknown outcome may be absent', () => {
    const result = checkBalance(history('info').text);
    expect(result.valid).toBe(true);
    expect(result.stats.lostAcknowledged).toBe(0);
  });
});

describe('balance: duplicate-transfer', () => {
  function history(copies: number) {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    const i0 = h.invoke(0, 'transfer', transfer('t1', 'a', 'b', 30));
    const c0 = h.info(0, 'transfer');
    const i1 = h.invoke(1, 'transfer', transfer('t1', 'a', 'b', 30));
    const c1 = h.ok(1, 'transfer');
    const entries = [];
    for (let i = 0; i < copies; i += 1) {
      entries.push({ tx: 't1', account: 'a', amount: -30 }, { tx: 't1', account: 'b', amount: 30 });
    }
    const l1 = h.final('ledger', { entries });
    return { text: h.text(), ops: [i0, c0, i1, c1, l1] };
  }

  it('flags a retried transfer applied twice', () => {
    const { text, ops } = history(2);
    const result = checkBalance(text);
    expect(types(result)).toEqual(['duplicate-transfer']);
    const [anomaly] = ofType(result, 'duplicate-transfer');
    expect(anomaly?.ops).toEqual(ops);
    expect(anomaly).toMatchObject({ id: 't1', applications: 2, attempts: 2 });
  });

  it('near miss: the retry applied once', () => {
    expect(checkBalance(history(1).text).valid).toBe(true);
  });
});

describe('balance: failed-transfer-applied', () => {
  function history(outcome: 'fail' | 'info') {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100 } });
    const inv = h.invoke(0, 'withdraw', { id: 'w1', account: 'a', amount: 40 }, { region: R3 });
    const done = h[outcome](0, 'withdraw');
    const l1 = h.final('ledger', { entries: [{ tx: 'w1', account: 'a', amount: -40 }] });
    return { text: h.text(), ops: [inv, done, l1] };
  }

  it('flags entries for an op whose every attempt failed', () => {
    const { text, ops } = history('fail');
    const result = checkBalance(text);
    expect(types(result)).toEqual(['failed-transfer-applied']);
    const [anomaly] = ofType(result, 'failed-transfer-applied');
    expect(anomaly?.ops).toEqual(ops);
    expect(anomaly).toMatchObject({ id: 'w1', account: 'a', entries: 1 });
  });

  it('near miss: an op of unknown outcome may have applied', () => {
    expect(checkBalance(history('info').text).valid).toBe(true);
  });
});

describe('balance: unbalanced-transfer', () => {
  function history(creditAmount: number) {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    const inv = h.invoke(0, 'transfer', transfer('t1', 'a', 'b', 30));
    const done = h.ok(0, 'transfer');
    const l1 = h.final('ledger', {
      entries: [
        { tx: 't1', account: 'a', amount: -30 },
        { tx: 't1', account: 'b', amount: creditAmount },
      ],
    });
    return { text: h.text(), ops: [inv, done, l1] };
  }

  it('flags transfer entries that do not match its amount', () => {
    const { text, ops } = history(25);
    const result = checkBalance(text);
    expect(types(result)).toEqual(['unbalanced-transfer']);
    const [anomaly] = ofType(result, 'unbalanced-transfer');
    expect(anomaly?.ops).toEqual(ops);
    expect(anomaly).toMatchObject({ id: 't1', entriesNet: -5, entriesOther: 1 });
    expect(anomaly?.message).toContain('expected a -30 and b +30');
  });

  it('near miss: entries that match', () => {
    expect(checkBalance(history(30).text).valid).toBe(true);
  });

  it('flags a debit without its credit, and a deposit on the wrong account', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    h.invoke(0, 'transfer', transfer('t1', 'a', 'b', 30));
    h.ok(0, 'transfer');
    h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 5 });
    h.ok(0, 'deposit');
    h.final('ledger', {
      entries: [
        { tx: 't1', account: 'a', amount: -30 },
        { tx: 'd1', account: 'b', amount: 5 },
      ],
    });
    const result = checkBalance(h.text());
    expect(ofType(result, 'unbalanced-transfer').map((a) => a.id)).toEqual(['t1', 'd1']);
  });
});
