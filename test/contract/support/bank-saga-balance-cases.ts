/**
 * Contract cases for the balance checker, written from /work/shared/design.md alone (before its
 * code was read): each builds a small history and says which anomaly types an outsider expects
 * the balance checker to name, and which history lines those anomalies must include.
 */
import { OSAKA, Run, TOKYO } from './bank-saga-dsl.ts';

export interface Expected {
  run: Run;
  /** The exact set of anomaly types expected from the checker; empty means valid: true. */
  types: string[];
  /** For an anomaly type, history indices its anomalies must name (at least these). */
  ops?: Record<string, number[]>;
}

export interface ContractCase {
  name: string;
  checker: 'balance' | 'saga';
  build: () => Expected;
}

function ab(): Run {
  const run = new Run();
  run.init({ accounts: { a: 100, b: 0 } });
  return run;
}

const wrongTotal: ContractCase[] = [
  {
    name: 'wrong-total: both final reads gain 10 with no deposit (no ledger read)',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      const finals = run.finals({ a: 70, b: 40 });
      return { run, types: ['wrong-total'], ops: { 'wrong-total': finals } };
    },
  },
  {
    name: 'wrong-total: a consistent balances read mid-run sums to 110',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      const read = run.balances(2, { a: 70, b: 40 }, true);
      run.ledger(['t1', 'a', -30], ['t1', 'b', 30]);
      run.finals({ a: 70, b: 30 });
      return { run, types: ['wrong-total'], ops: { 'wrong-total': read.lines } };
    },
  },
  {
    name: 'near miss: the same read marked consistent:false is not held to the total',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      run.balances(2, { a: 70, b: 40 }, false);
      run.ledger(['t1', 'a', -30], ['t1', 'b', 30]);
      run.finals({ a: 70, b: 30 });
      return { run, types: [] };
    },
  },
  {
    name: 'near miss: a consistent read concurrent with an ok deposit may include it',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      run.begin(1, 'deposit', { id: 'd1', account: 'a', amount: 50 });
      run.balances(2, { a: 150 }, true);
      run.balances(3, { a: 100 }, true);
      run.complete(1, 'deposit', { id: 'd1', account: 'a', amount: 50 }, 'ok');
      run.ledger(['d1', 'a', 50]);
      run.finals({ a: 150 });
      return { run, types: [] };
    },
  },
  {
    name: 'wrong-total: a consistent read completed before the deposit was invoked sees it',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      const read = run.balances(2, { a: 150 }, true);
      run.deposit(1, 'd1', 'a', 50, 'ok');
      run.ledger(['d1', 'a', 50]);
      run.finals({ a: 150 });
      return { run, types: ['wrong-total'], ops: { 'wrong-total': read.lines } };
    },
  },
  {
    name: 'near miss: an info deposit widens the range; either total is legal',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100, b: 0 } });
      run.deposit(1, 'd1', 'a', 50, 'info');
      run.deposit(2, 'd2', 'b', 20, 'pending');
      run.ledger(['d1', 'a', 50]);
      run.finals({ a: 150, b: 0 });
      return { run, types: [] };
    },
  },
  {
    name: 'wrong-total: beyond the range an info deposit allows',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      run.deposit(1, 'd1', 'a', 50, 'info');
      const finals = run.finals({ a: 160 });
      return { run, types: ['wrong-total'], ops: { 'wrong-total': finals } };
    },
  },
  {
    name: 'near miss: an info withdraw that did not happen',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      run.withdraw(1, 'w1', 'a', 30, 'info');
      run.ledger();
      run.finals({ a: 100 });
      return { run, types: [] };
    },
  },
  {
    name: 'wrong-total: below the range an info withdraw allows',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      run.withdraw(1, 'w1', 'a', 30, 'info');
      const finals = run.finals({ a: 60 });
      return { run, types: ['wrong-total'], ops: { 'wrong-total': finals } };
    },
  },
  {
    name: 'wrong-total: a failed deposit counted in the final total',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      run.deposit(1, 'd1', 'a', 50, 'fail');
      const finals = run.finals({ a: 150 });
      return { run, types: ['wrong-total'], ops: { 'wrong-total': finals } };
    },
  },
  {
    name: 'near miss: a deposit retried with the same id (info then ok) counts once',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      run.deposit(1, 'd1', 'a', 50, 'info');
      run.deposit(2, 'd1', 'a', 50, 'ok');
      run.ledger(['d1', 'a', 50]);
      run.finals({ a: 150 });
      return { run, types: [] };
    },
  },
  {
    name: 'wrong-total: a retried deposit id applied twice in the totals (ids are unique per run)',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      run.deposit(1, 'd1', 'a', 50, 'info');
      run.deposit(2, 'd1', 'a', 50, 'ok');
      const finals = run.finals({ a: 200 });
      return { run, types: ['wrong-total'], ops: { 'wrong-total': finals } };
    },
  },
  {
    name: 'near miss: a consistent read of one account is not held to the total of all',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100, b: 100 } });
      run.balances(1, { a: 100 }, true, ['a']);
      run.ledger();
      run.finals({ a: 100, b: 100 });
      return { run, types: [] };
    },
  },
];

const negative: ContractCase[] = [
  {
    name: 'negative-balance: both final reads overdraw a',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 10, b: 0 } });
      run.transfer(1, 't1', 'a', 'b', 20, 'ok');
      run.ledger(['t1', 'a', -20], ['t1', 'b', 20]);
      const finals = run.finals({ a: -10, b: 20 });
      return { run, types: ['negative-balance'], ops: { 'negative-balance': finals } };
    },
  },
  {
    name: 'negative-balance: a consistent read shows a below zero',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 10, b: 0 } });
      run.transfer(1, 't1', 'a', 'b', 20, 'info');
      const read = run.balances(2, { a: -10, b: 20 }, true);
      run.ledger();
      run.finals({ a: 10, b: 0 });
      return { run, types: ['negative-balance'], ops: { 'negative-balance': read.lines } };
    },
  },
  {
    name: 'near miss: an inconsistent read below zero is not judged',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 10, b: 0 } });
      run.transfer(1, 't1', 'a', 'b', 20, 'fail');
      run.balances(2, { a: -10, b: 20 }, false);
      run.ledger();
      run.finals({ a: 10, b: 0 });
      return { run, types: [] };
    },
  },
];

const unexpected: ContractCase[] = [
  {
    name: 'unexpected-account: final reads include z that init never created',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.ledger();
      const [tokyo] = run.finals({ a: 100, b: 0, z: 0 });
      // One anomaly per account, at the first line naming it (docs/anomalies/balance.md).
      return { run, types: ['unexpected-account'], ops: { 'unexpected-account': [tokyo ?? -1] } };
    },
  },
  {
    name: 'unexpected-account: a transfer into z (named at the transfer, first seen there)',
    checker: 'balance',
    build: () => {
      const run = ab();
      const t1 = run.transfer(1, 't1', 'a', 'z', 10, 'ok');
      run.ledger(['t1', 'a', -10], ['t1', 'z', 10]);
      run.finals({ a: 90, b: 0, z: 10 });
      return { run, types: ['unexpected-account'], ops: { 'unexpected-account': t1.lines } };
    },
  },
  {
    name: 'unexpected-account: a consistent read names z',
    checker: 'balance',
    build: () => {
      const run = ab();
      const read = run.balances(1, { a: 100, b: 0, z: 0 }, true);
      run.ledger();
      run.finals({ a: 100, b: 0 });
      return { run, types: ['unexpected-account'], ops: { 'unexpected-account': read.lines } };
    },
  },
  {
    name: 'near miss: z declared in init with 0',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100, b: 0, z: 0 } });
      run.transfer(1, 't1', 'a', 'z', 10, 'ok');
      run.ledger(['t1', 'a', -10], ['t1', 'z', 10]);
      run.finals({ a: 90, b: 0, z: 10 });
      return { run, types: [] };
    },
  },
];

const divergence: ContractCase[] = [
  {
    name: 'divergence: Tokyo and Osaka disagree on a and b (totals both right)',
    checker: 'balance',
    build: () => {
      const run = ab();
      const tokyo = run.finalRead(TOKYO, { a: 60, b: 40 });
      const osaka = run.finalRead(OSAKA, { a: 50, b: 50 });
      return { run, types: ['divergence'], ops: { divergence: [tokyo, osaka] } };
    },
  },
  {
    name: 'near miss: same balances in another key order, ledger between the final reads',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      run.finalRead(OSAKA, { b: 30, a: 70 });
      run.ledger(['t1', 'b', 30], ['t1', 'a', -30]);
      run.finalRead(TOKYO, { a: 70, b: 30 });
      return { run, types: [] };
    },
  },
  {
    name: 'divergence: Osaka lacks account b that Tokyo reads',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100, b: 0 } });
      const tokyo = run.finalRead(TOKYO, { a: 100, b: 0 });
      const osaka = run.finalRead(OSAKA, { a: 100 });
      return { run, types: ['divergence'], ops: { divergence: [tokyo, osaka] } };
    },
  },
  {
    name: 'near miss: regions agree on accounts but not registers (lww owns that)',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.op(1, 'write', { key: 'x', value: 1 }, 'ok');
      run.op(2, 'write', { key: 'x', value: 2 }, 'ok', OSAKA);
      run.ledger();
      run.finalRead(TOKYO, { a: 100, b: 0 }, { x: 1 });
      run.finalRead(OSAKA, { a: 100, b: 0 }, { x: 2 });
      return { run, types: [] };
    },
  },
];

const ledgerCases: ContractCase[] = [
  {
    name: 'ledger-mismatch: final balances moved 40 while the ledger moved 30',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      const ledger = run.ledger(['t1', 'a', -30], ['t1', 'b', 30]);
      const finals = run.finals({ a: 60, b: 40 });
      return {
        run,
        types: ['ledger-mismatch'],
        ops: { 'ledger-mismatch': [ledger, ...finals] },
      };
    },
  },
  {
    name: 'near miss: one transfer split over two ledger lines, finals before the ledger',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      run.finals({ a: 70, b: 30 });
      run.ledger(['t1', 'a', -30]);
      run.ledger(['t1', 'b', 30]);
      return { run, types: [] };
    },
  },
  {
    name: 'lost-transfer: an ok transfer with no ledger entries',
    checker: 'balance',
    build: () => {
      const run = ab();
      const t1 = run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      run.ledger();
      run.finals({ a: 100, b: 0 });
      return { run, types: ['lost-transfer'], ops: { 'lost-transfer': t1.lines } };
    },
  },
  {
    name: 'lost-transfer: an ok deposit acked in Tokyo before failover is not in the ledger',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      const d1 = run.deposit(1, 'd1', 'a', 50, 'ok');
      run.b.nemesis('kill-cluster', { cluster: 'aurora', region: TOKYO });
      run.b.nemesis('failover', { cluster: 'aurora', from: TOKYO, to: OSAKA });
      run.ledger();
      run.finals({ a: 100 });
      return {
        run,
        types: ['lost-transfer', 'wrong-total'],
        ops: { 'lost-transfer': d1.lines },
      };
    },
  },
  {
    name: 'lost-transfer: an ok withdraw with no ledger entry',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      const w1 = run.withdraw(1, 'w1', 'a', 30, 'ok');
      run.ledger();
      run.finals({ a: 100 });
      return { run, types: ['lost-transfer', 'wrong-total'], ops: { 'lost-transfer': w1.lines } };
    },
  },
  {
    name: 'near miss: info and pending transfers may be missing from the ledger',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'info');
      run.transfer(2, 't2', 'a', 'b', 10, 'pending');
      run.ledger();
      run.finals({ a: 100, b: 0 });
      return { run, types: [] };
    },
  },
  {
    name: 'near miss: no ledger line at all, so nothing can be lost (ledger never read)',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      run.finals({ a: 70, b: 30 });
      return { run, types: [] };
    },
  },
  {
    name: 'duplicate-transfer: a transfer retried without idempotency applied twice',
    checker: 'balance',
    build: () => {
      const run = ab();
      const first = run.transfer(1, 't1', 'a', 'b', 30, 'info');
      const retry = run.transfer(2, 't1', 'a', 'b', 30, 'ok');
      const l1 = run.ledger(['t1', 'a', -30], ['t1', 'b', 30]);
      const l2 = run.ledger(['t1', 'a', -30], ['t1', 'b', 30]);
      run.finals({ a: 40, b: 60 });
      return {
        run,
        types: ['duplicate-transfer'],
        ops: { 'duplicate-transfer': [...first.lines, ...retry.lines, l1, l2] },
      };
    },
  },
  {
    name: 'duplicate-transfer: a deposit credited twice on one ledger line',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      const d1 = run.deposit(1, 'd1', 'a', 50, 'ok');
      const ledger = run.ledger(['d1', 'a', 50], ['d1', 'a', 50]);
      run.finals({ a: 200 });
      return {
        run,
        types: ['duplicate-transfer', 'wrong-total'],
        ops: { 'duplicate-transfer': [...d1.lines, ledger] },
      };
    },
  },
  {
    name: 'near miss: a self-transfer a->a has one debit and one credit on a',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'a', 30, 'ok');
      run.ledger(['t1', 'a', -30], ['t1', 'a', 30]);
      run.finals({ a: 100, b: 0 });
      return { run, types: [] };
    },
  },
  {
    name: 'near miss: two transfers with equal amounts and accounts but distinct ids',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      run.transfer(2, 't2', 'a', 'b', 30, 'ok');
      run.ledger(['t1', 'a', -30], ['t1', 'b', 30], ['t2', 'a', -30], ['t2', 'b', 30]);
      run.finals({ a: 40, b: 60 });
      return { run, types: [] };
    },
  },
  {
    name: 'failed-transfer-applied: a failed transfer is in the ledger',
    checker: 'balance',
    build: () => {
      const run = ab();
      const t1 = run.transfer(1, 't1', 'a', 'b', 30, 'fail');
      const ledger = run.ledger(['t1', 'a', -30], ['t1', 'b', 30]);
      run.finals({ a: 70, b: 30 });
      return {
        run,
        types: ['failed-transfer-applied'],
        ops: { 'failed-transfer-applied': [...t1.lines, ledger] },
      };
    },
  },
  {
    name: 'failed-transfer-applied: a failed deposit credited (total off too)',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100 } });
      const d1 = run.deposit(1, 'd1', 'a', 50, 'fail');
      const ledger = run.ledger(['d1', 'a', 50]);
      run.finals({ a: 150 });
      return {
        run,
        types: ['failed-transfer-applied', 'wrong-total'],
        ops: { 'failed-transfer-applied': [...d1.lines, ledger] },
      };
    },
  },
  {
    name: 'near miss: an info transfer that took effect',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'info');
      run.ledger(['t1', 'a', -30], ['t1', 'b', 30]);
      run.finals({ a: 70, b: 30 });
      return { run, types: [] };
    },
  },
  {
    name: 'near miss: a transfer failed once, then its retry with the same id succeeded',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'fail');
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      run.ledger(['t1', 'a', -30], ['t1', 'b', 30]);
      run.finals({ a: 70, b: 30 });
      return { run, types: [] };
    },
  },
  {
    name: 'unbalanced-transfer: entries sum to zero but move 40 for an amount of 30',
    checker: 'balance',
    build: () => {
      const run = ab();
      const t1 = run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      const ledger = run.ledger(['t1', 'a', -40], ['t1', 'b', 40]);
      run.finals({ a: 60, b: 40 });
      return {
        run,
        types: ['unbalanced-transfer'],
        ops: { 'unbalanced-transfer': [...t1.lines, ledger] },
      };
    },
  },
  {
    name: 'unbalanced-transfer: entries do not sum to zero',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      const ledger = run.ledger(['t1', 'a', -30], ['t1', 'b', 20]);
      run.finals({ a: 70, b: 20 });
      return {
        run,
        types: ['unbalanced-transfer', 'wrong-total'],
        ops: { 'unbalanced-transfer': [ledger] },
      };
    },
  },
  {
    name: 'unbalanced-transfer: the money moved the wrong way (b->a)',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100, b: 50 } });
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      const ledger = run.ledger(['t1', 'a', 30], ['t1', 'b', -30]);
      run.finals({ a: 130, b: 20 });
      return { run, types: ['unbalanced-transfer'], ops: { 'unbalanced-transfer': [ledger] } };
    },
  },
  {
    name: 'unbalanced-transfer: credited c instead of b',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100, b: 0, c: 0 } });
      run.transfer(1, 't1', 'a', 'b', 30, 'ok');
      const ledger = run.ledger(['t1', 'a', -30], ['t1', 'c', 30]);
      run.finals({ a: 70, b: 0, c: 30 });
      return { run, types: ['unbalanced-transfer'], ops: { 'unbalanced-transfer': [ledger] } };
    },
  },
  {
    name: 'unbalanced-transfer: an info transfer that took effect half',
    checker: 'balance',
    build: () => {
      const run = ab();
      run.transfer(1, 't1', 'a', 'b', 30, 'info');
      const ledger = run.ledger(['t1', 'a', -30]);
      run.finals({ a: 70, b: 0 });
      return {
        run,
        types: ['unbalanced-transfer', 'wrong-total'],
        ops: { 'unbalanced-transfer': [ledger] },
      };
    },
  },
];

const sagaEntries: ContractCase[] = [
  {
    name: 'near miss: a completed checkout saga in the ledger is not a lost/unknown transfer',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100, m: 0 } });
      run.checkout(1, 'c1', 'a', 'm', 30, 'ok');
      run.ledger(['c1', 'a', -30], ['c1', 'm', 30]);
      run.sagas({ id: 'c1', status: 'completed', steps: [{ name: 'capture', status: 'done' }] });
      run.finals({ a: 70, m: 30 });
      return { run, types: [] };
    },
  },
  {
    name: 'near miss: a failed (compensated) checkout has ledger entries netting zero',
    checker: 'balance',
    build: () => {
      const run = new Run();
      run.init({ accounts: { a: 100, m: 0, hold: 0 } });
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      run.ledger(['c1', 'a', -30], ['c1', 'hold', 30]);
      run.ledger(['c1', 'hold', -30], ['c1', 'a', 30]);
      run.sagas({
        id: 'c1',
        status: 'compensated',
        steps: [
          { name: 'reserve', status: 'compensated', at: 1, compensatedAt: 3 },
          { name: 'capture', status: 'failed' },
        ],
      });
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: [] };
    },
  },
];

export const BALANCE_CASES: ContractCase[] = [
  ...wrongTotal,
  ...negative,
  ...unexpected,
  ...divergence,
  ...ledgerCases,
  ...sagaEntries,
];
