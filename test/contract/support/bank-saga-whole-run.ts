/**
 * A realistic "whole run" for the contract suite: bank ops, checkouts, LWW registers and a strong
 * key, interleaved over several processes and both regions, with an isolation fault, a pending
 * op at the end, and final lines in a mixed order (ledger and sagas split, ledger first). Written
 * from design.md alone. `plant` breaks exactly one property so each checker's anomaly can be seen
 * not to leak into the others.
 */
import { OSAKA, Run, TOKYO } from './bank-saga-dsl.ts';

export type Plant =
  | 'none'
  | 'duplicate-transfer'
  | 'wrong-outcome'
  | 'lww-divergence'
  | 'strong-key-final-differs';

const T1 = { id: 't1', from: 'a', to: 'b', amount: 100 };
const C1 = { id: 'c1', from: 'a', to: 'm', amount: 50 };

function clientOps(run: Run): void {
  run.begin(1, 'transfer', T1, TOKYO);
  run.begin(2, 'write', { key: 'x', value: 1 }, OSAKA);
  run.begin(3, 'checkout', C1, TOKYO);
  run.b.nemesis('start-isolate', { region: TOKYO });
  run.complete(1, 'transfer', T1, 'ok', TOKYO);
  run.complete(2, 'write', { key: 'x', value: 1 }, 'ok', OSAKA);
  run.op(4, 'write', { key: 's', value: 1 }, 'ok', OSAKA);
  run.complete(3, 'checkout', C1, 'ok', TOKYO);
  run.begin(5, 'read', { key: 'x' }, OSAKA);
  run.b.ok(5, 'read', { key: 'x', value: 1 }, { region: OSAKA });
  run.begin(6, 'read', { key: 's' }, TOKYO);
  run.b.ok(6, 'read', { key: 's', value: 1 }, { region: TOKYO });
  run.op(7, 'deposit', { id: 'd1', account: 'b', amount: 30 }, 'info', OSAKA);
  run.op(8, 'transfer', { id: 't2', from: 'b', to: 'a', amount: 10 }, 'fail', OSAKA);
  run.op(9, 'checkout', { id: 'c2', from: 'b', to: 'm', amount: 20 }, 'fail', OSAKA);
  run.balances(10, { a: 850, b: 1100, m: 50, hold: 0 }, true);
  run.b.nemesis('stop-isolate', { region: TOKYO });
  run.op(11, 'cas', { key: 's', from: 1, to: 2 }, 'ok', OSAKA);
  run.op(12, 'deposit', { id: 'd1', account: 'b', amount: 30 }, 'ok', TOKYO);
  run.begin(13, 'transfer', { id: 't3', from: 'a', to: 'b', amount: 5 }, TOKYO);
}

function finalLines(run: Run, plant: Plant): void {
  const t1 = plant === 'duplicate-transfer' ? 2 : 1;
  const t1Entries: Array<[string, string, number]> = [];
  for (let i = 0; i < t1; i += 1) t1Entries.push(['t1', 'a', -100], ['t1', 'b', 100]);
  const c1Undone = plant === 'wrong-outcome';
  run.ledger(...t1Entries, ['c1', 'a', -50], ['c1', 'hold', 50], ['d1', 'b', 30]);
  run.sagas({
    id: 'c2',
    status: 'compensated',
    steps: [
      { name: 'reserve', status: 'compensated', at: 20_000_000, compensatedAt: 22_000_000 },
      { name: 'capture', status: 'failed' },
    ],
  });
  run.ledger(
    ...(c1Undone
      ? ([
          ['c1', 'hold', -50],
          ['c1', 'a', 50],
        ] as Array<[string, string, number]>)
      : ([
          ['c1', 'hold', -50],
          ['c1', 'm', 50],
        ] as Array<[string, string, number]>)),
    ['c2', 'b', -20],
    ['c2', 'hold', 20],
    ['c2', 'hold', -20],
    ['c2', 'b', 20],
  );
  run.sagas({
    id: 'c1',
    status: c1Undone ? 'compensated' : 'completed',
    steps: c1Undone
      ? [
          { name: 'reserve', status: 'compensated', at: 3_000_000, compensatedAt: 30_000_000 },
          { name: 'capture', status: 'failed' },
        ]
      : [
          { name: 'reserve', status: 'done', at: 3_000_000 },
          { name: 'capture', status: 'done', at: 6_000_000 },
        ],
  });
  const a = 1000 - 100 * t1 - (c1Undone ? 0 : 50);
  const b = 1000 + 100 * t1 + 30;
  const accounts = { a, b, m: c1Undone ? 0 : 50, hold: 0 };
  const osakaX = plant === 'lww-divergence' ? 0 : 1;
  const osakaS = plant === 'strong-key-final-differs' ? 1 : 2;
  run.finalRead(OSAKA, accounts, { x: osakaX, s: osakaS });
  run.finalRead(TOKYO, accounts, { s: 2, x: 1 });
}

export function wholeRun(plant: Plant): Run {
  const run = new Run();
  run.init({
    accounts: { a: 1000, b: 1000, m: 0, hold: 0 },
    registers: { x: 0, s: 0 },
    strong: ['s'],
  });
  clientOps(run);
  finalLines(run, plant);
  return run;
}
