import { describe, expect, it } from 'vitest';
import { balanceChecker } from '../../../checkers/balance/balance-checker.ts';
import { checkHistoryText } from '../../../checkers/check-session.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { checkBalance, ofType, types } from './support/run-balance.ts';

const R1 = 'ap-northeast-1';
const R3 = 'ap-northeast-3';

describe('balance: verdicts and stats', () => {
  it('is "unknown" when nothing about money could be checked', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 5 });
    h.ok(0, 'transfer');
    const result = checkBalance(h.text());
    expect(result.valid).toBe('unknown');
    expect(result.error).toContain(
      'no consistent balances read, final read with accounts or ledger',
    );
  });

  it('without init skips totals but still judges the ledger', () => {
    const h = new HistoryBuilder();
    h.init({ registers: { x: 1 } });
    h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 5 });
    h.ok(0, 'deposit');
    h.final('final-read', { accounts: { a: 999 } }, { region: R1 });
    h.final('ledger', { entries: [] });
    const result = checkBalance(h.text());
    expect(types(result)).toEqual(['lost-transfer']);
    expect(result.stats).toMatchObject({ totalsChecked: false, ledgerMismatchChecked: false });
  });

  it('is "unknown" when a final read lacks an init account, yet still compares regions', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    h.final('final-read', { accounts: { a: 100 } }, { region: R1 });
    h.final('final-read', { accounts: { a: 100 } }, { region: R3 });
    const partial = checkBalance(h.text());
    expect(partial.valid).toBe('unknown');
    expect(partial.error).toContain(`the final read in ${R1} (line 1) lacks accounts`);
    h.final('final-read', { accounts: { a: 90, b: 0 } }, { region: 'us-east-1' });
    const diverged = checkBalance(h.text());
    expect(diverged.valid).toBe(false);
    expect(ofType(diverged, 'divergence').map((a) => a.account)).toEqual(['a', 'b']);
  });

  it('is "unknown" when an id is reused with other arguments', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100 } });
    h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 5 });
    h.info(0, 'deposit');
    h.invoke(1, 'deposit', { id: 'd1', account: 'a', amount: 6 });
    h.ok(1, 'deposit');
    h.final('final-read', { accounts: { a: 106 } }, { region: R1 });
    const result = checkBalance(h.text());
    expect(result.valid).toBe('unknown');
    expect(result.error).toContain('first: d1');
    expect(result.stats).toMatchObject({ idsConflicting: 1, totalsChecked: false });
  });

  it('is "unknown" when a payment is invoked after the ledger was read', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100 } });
    h.final('ledger', { entries: [] });
    h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 5 });
    h.ok(0, 'deposit');
    const result = checkBalance(h.text());
    expect(result.valid).toBe('unknown');
    expect(result.error).toContain('invoked at line 2, after the ledger was read');
  });

  it('does not apply to a history without bank ops, unless named', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'write', { key: 'x', value: 1 });
    h.ok(0, 'write');
    const results = checkHistoryText('h.jsonl', h.text(), {
      checkers: [balanceChecker],
      timeoutS: 5,
    });
    expect(results.checkers.balance).toBeUndefined();
    expect(checkBalance(h.text()).valid).toBe('unknown');
  });

  it('counts ops by f and outcome, pending included, and entries of other txs', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100, b: 0 } });
    h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 5 });
    h.ok(0, 'transfer');
    h.invoke(1, 'withdraw', { id: 'w1', account: 'a', amount: 500 });
    h.fail(1, 'withdraw');
    h.invoke(0, 'balances', null);
    h.invoke(2, 'deposit', { id: 'd1', account: 'b', amount: 1 });
    h.final('ledger', {
      entries: [
        { tx: 't1', account: 'a', amount: -5 },
        { tx: 't1', account: 'b', amount: 5 },
        { tx: 'saga-9', account: 'a', amount: -1 },
        { tx: 'saga-9', account: 'b', amount: 1 },
      ],
    });
    const result = checkBalance(h.text());
    expect(result.valid).toBe(true);
    expect(result.stats).toMatchObject({
      ops: {
        transfer: { ok: 1, fail: 0, info: 0, pending: 0 },
        withdraw: { ok: 0, fail: 1, info: 0, pending: 0 },
        deposit: { ok: 0, fail: 0, info: 0, pending: 1 },
        balances: { ok: 0, fail: 0, info: 0, pending: 1 },
      },
      ledgerEntries: 4,
      ledgerEntriesForeign: 2,
      lostAcknowledged: 0,
      anomalyCounts: {},
    });
  });
});

describe('balance: edge cases decided', () => {
  it('counts a retried id once in the legal range of a read', () => {
    const history = (seen: number) => {
      const h = new HistoryBuilder();
      h.init({ accounts: { a: 100 } });
      h.invoke(0, 'withdraw', { id: 'w1', account: 'a', amount: 40 });
      h.info(0, 'withdraw');
      h.invoke(1, 'withdraw', { id: 'w1', account: 'a', amount: 40 });
      h.ok(1, 'withdraw');
      h.invoke(2, 'balances', null);
      h.ok(2, 'balances', { balances: { a: seen }, consistent: true });
      return h.text();
    };
    expect(checkBalance(history(60)).valid).toBe(true);
    const twice = checkBalance(history(20));
    expect(ofType(twice, 'wrong-total')[0]).toMatchObject({ lower: 60, upper: 60, total: 20 });
  });

  it('treats an ok at the nanosecond a read is invoked as concurrent with it', () => {
    const history = (seen: number) => {
      const h = new HistoryBuilder();
      h.init({ accounts: { a: 100 } });
      h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 50 }, { timeNs: 10 });
      h.ok(0, 'deposit', undefined, { timeNs: 20 });
      h.invoke(1, 'balances', null, { timeNs: 20 });
      h.ok(1, 'balances', { balances: { a: seen }, consistent: true }, { timeNs: 30 });
      return h.text();
    };
    expect(checkBalance(history(100)).valid).toBe(true);
    expect(checkBalance(history(150)).valid).toBe(true);
    expect(ofType(checkBalance(history(151)), 'wrong-total')).toHaveLength(1);
  });

  it('treats an invoke at the nanosecond a read completes as possibly before it', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100 } });
    h.invoke(1, 'balances', null, { timeNs: 10 });
    h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 50 }, { timeNs: 20 });
    h.ok(1, 'balances', { balances: { a: 150 }, consistent: true }, { timeNs: 20 });
    expect(checkBalance(h.text()).valid).toBe(true);
  });

  it('accepts a transfer from an account to itself applied once, and flags it twice', () => {
    const history = (copies: number) => {
      const h = new HistoryBuilder();
      h.init({ accounts: { a: 100 } });
      h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'a', amount: 0 });
      h.ok(0, 'transfer');
      const entries = [];
      for (let i = 0; i < copies; i += 1) {
        entries.push({ tx: 't1', account: 'a', amount: 0 }, { tx: 't1', account: 'a', amount: 0 });
      }
      h.final('ledger', { entries });
      return h.text();
    };
    expect(checkBalance(history(1)).valid).toBe(true);
    expect(types(checkBalance(history(2)))).toEqual(['duplicate-transfer']);
  });

  it('reports both a duplicate and an application of a failed op', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100 } });
    h.invoke(0, 'deposit', { id: 'd1', account: 'a', amount: 5 });
    h.fail(0, 'deposit');
    const entry = { tx: 'd1', account: 'a', amount: 5 };
    h.final('ledger', { entries: [entry, entry] });
    expect(types(checkBalance(h.text()))).toEqual([
      'duplicate-transfer',
      'failed-transfer-applied',
    ]);
  });

  it('concatenates ledger lines and keeps anomalies capped but counted', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 100 } });
    for (let p = 0; p < 3; p += 1) {
      h.invoke(p, 'balances', null);
      h.ok(p, 'balances', { balances: { a: -1 }, consistent: true });
    }
    const results = checkHistoryText('h.jsonl', h.text(), {
      checkers: [balanceChecker],
      only: ['balance'],
      timeoutS: 5,
      anomaliesPerTypeMax: 2,
    });
    const result = results.checkers.balance;
    expect(result?.anomalies).toHaveLength(4);
    expect(result?.stats.anomalyCounts).toEqual({ 'negative-balance': 3, 'wrong-total': 3 });
  });
});
