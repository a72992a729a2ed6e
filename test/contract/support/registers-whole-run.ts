/**
 * A realistic whole run for the contract review: two regions, a region isolated and healed, bank
 * transfers (one retried with the same id, one timed-out deposit that never applied), checkout
 * sagas (one completed through a hold account, one compensated), registers in the LWW table and
 * in the strong table, then the final state with the ledger and sagas split over lines. Every
 * checker should find it valid; a mutation breaks exactly one register property.
 */
import { cas, OSAKA, RegisterHistory, read, TOKYO, write } from './registers-history.ts';

export type WholeRunMutation = 'none' | 'lww-lost-write' | 'strong-stale-read';

export interface WholeRunOptions {
  mutation: WholeRunMutation;
  /** The final lines in reverse order (sagas, ledger, then final reads). */
  finalsReversed: boolean;
}

const ACCOUNTS_INIT = { alice: 1000, bob: 500, shop: 0, hold: 0 };
const ACCOUNTS_FINAL = { alice: 700, bob: 600, shop: 200, hold: 0 };

function bank(h: RegisterHistory): void {
  const t1 = { id: 't1', from: 'alice', to: 'bob', amount: 100 };
  h.op(0, 'transfer', { atMs: 100, doneMs: 400, region: TOKYO }, t1, 'info');
  h.op(1, 'transfer', { atMs: 500, doneMs: 600, region: TOKYO }, t1, 'ok');
  const d1 = { id: 'd1', account: 'bob', amount: 50 };
  h.op(2, 'deposit', { atMs: 700, doneMs: 900, region: OSAKA }, d1, 'info');
  const c1 = { id: 'c1', from: 'alice', to: 'shop', amount: 200 };
  h.op(3, 'checkout', { atMs: 1000, doneMs: 1300, region: OSAKA }, c1, 'ok');
  const c2 = { id: 'c2', from: 'bob', to: 'shop', amount: 50 };
  h.op(4, 'checkout', { atMs: 1100, doneMs: 1500, region: TOKYO }, c2, 'fail');
  h.op(5, 'balances', { atMs: 1600, doneMs: 1610, region: TOKYO }, null, 'ok', {
    balances: ACCOUNTS_FINAL,
    consistent: true,
  });
}

function registers(h: RegisterHistory, mutation: WholeRunMutation): void {
  write(h, 10, 'profile:alice', 'p1', { atMs: 200, doneMs: 210, region: TOKYO }, 'ok', 200);
  write(h, 11, 'profile:alice', 'p2', { atMs: 300, doneMs: 310, region: OSAKA }, 'ok', 300);
  read(h, 12, 'profile:alice', 'p1', { atMs: 320, doneMs: 330, region: TOKYO });
  write(h, 13, 'profile:bob', 'b1', { atMs: 800, doneMs: 1900, region: OSAKA }, 'info');
  write(h, 14, 'limit:alice', 5000, { atMs: 400, doneMs: 420, region: TOKYO });
  cas(h, 15, 'limit:alice', [5000, 6000], { atMs: 450, doneMs: 470, region: TOKYO });
  const stale = mutation === 'strong-stale-read' ? 5000 : 6000;
  read(h, 16, 'limit:alice', stale, { atMs: 480, doneMs: 490, region: OSAKA });
}

function finals(h: RegisterHistory, options: WholeRunOptions): void {
  const profile = options.mutation === 'lww-lost-write' ? 'p1' : 'p2';
  const regs = { 'profile:alice': profile, 'profile:bob': 'b1', 'limit:alice': 6000 };
  const lines: [string, string | undefined, object][] = [
    ['final-read', TOKYO, { accounts: ACCOUNTS_FINAL, registers: regs }],
    ['final-read', OSAKA, { accounts: ACCOUNTS_FINAL, registers: regs }],
    ['ledger', undefined, { entries: ledgerPart(0) }],
    ['ledger', undefined, { entries: ledgerPart(1) }],
    ['sagas', undefined, [sagaC1()]],
    ['sagas', undefined, [sagaC2()]],
  ];
  if (options.finalsReversed) lines.reverse();
  lines.forEach(([f, region, value], i) => {
    h.line(10_000 + i, 'final', 'ok', f, region === undefined ? { value } : { region, value });
  });
}

function ledgerPart(part: 0 | 1): object[] {
  if (part === 0) {
    return [
      { tx: 't1', account: 'alice', amount: -100 },
      { tx: 't1', account: 'bob', amount: 100 },
      { tx: 'c1', account: 'alice', amount: -200 },
      { tx: 'c1', account: 'hold', amount: 200 },
    ];
  }
  return [
    { tx: 'c1', account: 'hold', amount: -200 },
    { tx: 'c1', account: 'shop', amount: 200 },
    { tx: 'c2', account: 'bob', amount: -50 },
    { tx: 'c2', account: 'hold', amount: 50 },
    { tx: 'c2', account: 'hold', amount: -50 },
    { tx: 'c2', account: 'bob', amount: 50 },
  ];
}

function sagaC1(): object {
  return {
    id: 'c1',
    status: 'completed',
    steps: [
      { name: 'reserve', status: 'done', at: 1_100_000_000 },
      { name: 'capture', status: 'done', at: 1_200_000_000 },
    ],
  };
}

function sagaC2(): object {
  return {
    id: 'c2',
    status: 'compensated',
    steps: [
      { name: 'reserve', status: 'compensated', at: 1_200_000_000, compensatedAt: 1_400_000_000 },
      { name: 'capture', status: 'failed', at: 1_300_000_000 },
    ],
  };
}

export function wholeRun(options: WholeRunOptions): string {
  const h = new RegisterHistory();
  h.init({
    accounts: ACCOUNTS_INIT,
    registers: { 'limit:alice': 1000 },
    strong: ['limit:alice'],
  });
  h.nemesis(150, 'start-isolate', { region: OSAKA });
  bank(h);
  registers(h, options.mutation);
  h.nemesis(2000, 'stop-isolate', { region: OSAKA });
  finals(h, options);
  return h.text();
}
