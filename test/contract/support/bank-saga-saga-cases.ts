/**
 * Contract cases for the saga checker, written from /work/shared/design.md alone (before its code
 * was read). A checkout c1 moves 30 from a to merchant m, through a hold account: reserve
 * (a -> hold), capture, credit (hold -> m). Times in steps are nanoseconds.
 */
import type { ContractCase } from './bank-saga-balance-cases.ts';
import { Run, type Saga, type Step } from './bank-saga-dsl.ts';

const MS = 1_000_000;

function shop(): Run {
  const run = new Run();
  run.init({ accounts: { a: 100, m: 0, hold: 0 } });
  return run;
}

const COMPLETED: Step[] = [
  { name: 'reserve', status: 'done', at: 1 * MS },
  { name: 'capture', status: 'done', at: 2 * MS },
  { name: 'credit', status: 'done', at: 3 * MS },
];

/** reserve done then compensated, capture failed: a correct rollback. */
const ROLLED_BACK: Step[] = [
  { name: 'reserve', status: 'compensated', at: 1 * MS, compensatedAt: 5 * MS },
  { name: 'capture', status: 'failed' },
];

function saga(status: Saga['status'], steps: Step[], id = 'c1'): Saga {
  return { id, status, steps };
}

/** The ledger of a completed c1 through the hold account. */
function completedLedger(run: Run): number {
  return run.ledger(['c1', 'a', -30], ['c1', 'hold', 30], ['c1', 'hold', -30], ['c1', 'm', 30]);
}

function rolledBackLedger(run: Run): number {
  return run.ledger(['c1', 'a', -30], ['c1', 'hold', 30], ['c1', 'hold', -30], ['c1', 'a', 30]);
}

const stuck: ContractCase[] = [
  {
    name: 'stuck-saga: c1 still pending after quiescence, client timed out',
    checker: 'saga',
    build: () => {
      const run = shop();
      const c1 = run.checkout(1, 'c1', 'a', 'm', 30, 'info');
      run.ledger(['c1', 'a', -30], ['c1', 'hold', 30]);
      const sagas = run.sagas(
        saga('pending', [
          { name: 'reserve', status: 'done', at: 1 * MS },
          { name: 'capture', status: 'pending' },
        ]),
      );
      run.finals({ a: 70, m: 0, hold: 30 });
      return { run, types: ['stuck-saga'], ops: { 'stuck-saga': [...c1.lines, sagas] } };
    },
  },
  {
    name: 'stuck-saga: the client never heard back (pending invoke) and the saga is pending',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'pending');
      run.ledger();
      const sagas = run.sagas(saga('pending', [{ name: 'reserve', status: 'pending' }]));
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: ['stuck-saga'], ops: { 'stuck-saga': [sagas] } };
    },
  },
  {
    name: 'near miss: a failed saga that never did a step is finished, not stuck',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      run.ledger();
      run.sagas(saga('failed', [{ name: 'reserve', status: 'failed' }]));
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: [] };
    },
  },
  {
    name: 'near miss: an info checkout whose saga completed',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'info');
      completedLedger(run);
      run.sagas(saga('completed', COMPLETED));
      run.finals({ a: 70, m: 30, hold: 0 });
      return { run, types: [] };
    },
  },
];

const compensation: ContractCase[] = [
  {
    name: 'missing-compensation: a compensated saga left reserve done (no money moved)',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      run.ledger();
      const sagas = run.sagas(
        saga('compensated', [
          { name: 'reserve', status: 'done', at: 1 * MS },
          { name: 'capture', status: 'failed' },
        ]),
      );
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: ['missing-compensation'], ops: { 'missing-compensation': [sagas] } };
    },
  },
  {
    name: 'missing-compensation + saga-leak: the timed-out capture skipped its rollback',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      const ledger = run.ledger(['c1', 'a', -30], ['c1', 'hold', 30]);
      const sagas = run.sagas(
        saga('failed', [
          { name: 'reserve', status: 'done', at: 1 * MS },
          { name: 'capture', status: 'failed' },
        ]),
      );
      run.finals({ a: 70, m: 0, hold: 30 });
      return {
        run,
        types: ['missing-compensation', 'saga-leak'],
        ops: { 'missing-compensation': [sagas], 'saga-leak': [ledger, sagas] },
      };
    },
  },
  {
    name: 'near miss: a correct rollback, sagas split over two lines',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      run.checkout(2, 'c2', 'a', 'm', 10, 'ok');
      rolledBackLedger(run);
      run.ledger(['c2', 'a', -10], ['c2', 'm', 10]);
      run.sagas(saga('compensated', ROLLED_BACK));
      run.sagas(saga('completed', [{ name: 'capture', status: 'done', at: 4 * MS }], 'c2'));
      run.finals({ a: 90, m: 10, hold: 0 });
      return { run, types: [] };
    },
  },
  {
    name: 'spurious-compensation: capture undone at 2 ms, before it was done at 4 ms',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      rolledBackLedger(run);
      const sagas = run.sagas(
        saga('compensated', [
          { name: 'reserve', status: 'compensated', at: 1 * MS, compensatedAt: 6 * MS },
          { name: 'capture', status: 'compensated', at: 4 * MS, compensatedAt: 2 * MS },
        ]),
      );
      run.finals({ a: 100, m: 0, hold: 0 });
      return {
        run,
        types: ['spurious-compensation'],
        ops: { 'spurious-compensation': [sagas] },
      };
    },
  },
  {
    name: 'spurious-compensation: a failed step carries a compensation time',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      rolledBackLedger(run);
      const sagas = run.sagas(
        saga('compensated', [
          { name: 'reserve', status: 'compensated', at: 1 * MS, compensatedAt: 6 * MS },
          { name: 'capture', status: 'failed', compensatedAt: 5 * MS },
        ]),
      );
      run.finals({ a: 100, m: 0, hold: 0 });
      return {
        run,
        types: ['spurious-compensation'],
        ops: { 'spurious-compensation': [sagas] },
      };
    },
  },
  {
    name: 'compensation-order: reserve undone before capture (forward order)',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      rolledBackLedger(run);
      const sagas = run.sagas(
        saga('compensated', [
          { name: 'reserve', status: 'compensated', at: 1 * MS, compensatedAt: 5 * MS },
          { name: 'capture', status: 'compensated', at: 2 * MS, compensatedAt: 6 * MS },
          { name: 'credit', status: 'failed' },
        ]),
      );
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: ['compensation-order'], ops: { 'compensation-order': [sagas] } };
    },
  },
  {
    name: 'near miss: compensations in reverse order',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      rolledBackLedger(run);
      run.sagas(
        saga('compensated', [
          { name: 'reserve', status: 'compensated', at: 1 * MS, compensatedAt: 6 * MS },
          { name: 'capture', status: 'compensated', at: 2 * MS, compensatedAt: 5 * MS },
          { name: 'credit', status: 'failed' },
        ]),
      );
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: [] };
    },
  },
];

const outcome: ContractCase[] = [
  {
    name: 'wrong-outcome: client got ok, saga compensated',
    checker: 'saga',
    build: () => {
      const run = shop();
      const c1 = run.checkout(1, 'c1', 'a', 'm', 30, 'ok');
      rolledBackLedger(run);
      const sagas = run.sagas(saga('compensated', ROLLED_BACK));
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: ['wrong-outcome'], ops: { 'wrong-outcome': [...c1.lines, sagas] } };
    },
  },
  {
    name: 'wrong-outcome: client got fail, saga completed',
    checker: 'saga',
    build: () => {
      const run = shop();
      const c1 = run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      completedLedger(run);
      const sagas = run.sagas(saga('completed', COMPLETED));
      run.finals({ a: 70, m: 30, hold: 0 });
      return { run, types: ['wrong-outcome'], ops: { 'wrong-outcome': [...c1.lines, sagas] } };
    },
  },
  {
    name: 'wrong-outcome: an ok checkout with no saga in the saga log',
    checker: 'saga',
    build: () => {
      const run = shop();
      const c1 = run.checkout(1, 'c1', 'a', 'm', 30, 'ok');
      run.ledger();
      run.sagas();
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: ['wrong-outcome'], ops: { 'wrong-outcome': c1.lines } };
    },
  },
  {
    name: 'near miss: a rejected checkout (fail) with no saga at all',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      run.ledger();
      run.sagas();
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: [] };
    },
  },
  {
    name: 'near miss: checkout retried with the same id (info then ok), saga completed',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'info');
      run.checkout(2, 'c1', 'a', 'm', 30, 'ok');
      completedLedger(run);
      run.sagas(saga('completed', COMPLETED));
      run.finals({ a: 70, m: 30, hold: 0 });
      return { run, types: [] };
    },
  },
  {
    name: 'near miss: info checkout, saga compensated',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'info');
      rolledBackLedger(run);
      run.sagas(saga('compensated', ROLLED_BACK));
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: [] };
    },
  },
];

const leak: ContractCase[] = [
  {
    name: 'saga-leak: a completed saga credited the merchant 20 of 30',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'ok');
      const ledger = run.ledger(['c1', 'a', -30], ['c1', 'm', 20]);
      const sagas = run.sagas(saga('completed', COMPLETED));
      run.finals({ a: 70, m: 20, hold: 0 });
      return { run, types: ['saga-leak'], ops: { 'saga-leak': [ledger, sagas] } };
    },
  },
  {
    name: 'saga-leak: a compensated saga left the money on hold',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'fail');
      const ledger = run.ledger(['c1', 'a', -30], ['c1', 'hold', 30]);
      const sagas = run.sagas(saga('compensated', ROLLED_BACK));
      run.finals({ a: 70, m: 0, hold: 30 });
      return { run, types: ['saga-leak'], ops: { 'saga-leak': [ledger, sagas] } };
    },
  },
  {
    name: 'saga-leak: a completed saga moved twice its amount',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'ok');
      const ledger = run.ledger(['c1', 'a', -60], ['c1', 'm', 60]);
      const sagas = run.sagas(saga('completed', COMPLETED));
      run.finals({ a: 40, m: 60, hold: 0 });
      return { run, types: ['saga-leak'], ops: { 'saga-leak': [ledger, sagas] } };
    },
  },
  {
    name: 'saga-leak: a completed saga with no ledger entries moved nothing',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'ok');
      run.ledger();
      const sagas = run.sagas(saga('completed', COMPLETED));
      run.finals({ a: 100, m: 0, hold: 0 });
      return { run, types: ['saga-leak'], ops: { 'saga-leak': [sagas] } };
    },
  },
  {
    name: 'near miss: completed through the hold account, entries split over ledger lines, sagas first',
    checker: 'saga',
    build: () => {
      const run = shop();
      run.checkout(1, 'c1', 'a', 'm', 30, 'ok');
      run.sagas(saga('completed', COMPLETED));
      run.ledger(['c1', 'a', -30], ['c1', 'hold', 30]);
      run.finals({ a: 70, m: 30, hold: 0 });
      run.ledger(['c1', 'hold', -30], ['c1', 'm', 30]);
      return { run, types: [] };
    },
  },
];

export const SAGA_CASES: ContractCase[] = [...stuck, ...compensation, ...outcome, ...leak];
