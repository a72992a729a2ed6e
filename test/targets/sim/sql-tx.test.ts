import { describe, expect, it } from 'vitest';
import {
  applyChanges,
  cloneTables,
  type JsonValue,
  type Tables,
} from '../../../targets/sim/sql-tx.ts';

describe('cloneTables', () => {
  it('gives a rebuilt node maps of its own, in the same order, over the shared rows', () => {
    const accounts = new Map<string, JsonValue>([
      ['bob', { balance: 5 }],
      ['alice', { balance: 7 }],
    ]);
    const tables: Tables = new Map([
      ['accounts', accounts],
      ['ledger', new Map<string, JsonValue>([['t1', { amount: 2 }]])],
    ]);
    const copy = cloneTables(tables);
    expect([...copy.keys()]).toEqual(['accounts', 'ledger']);
    expect([...(copy.get('accounts')?.keys() ?? [])]).toEqual(['bob', 'alice']);
    expect(copy.get('accounts')?.get('bob')).toBe(accounts.get('bob'));
    applyChanges(copy, [
      { table: 'accounts', key: 'carol', row: { balance: 1 } },
      { table: 'ledger', key: 't1', row: undefined },
      { table: 'outbox', key: 'o1', row: {} },
    ]);
    expect([...accounts.keys()]).toEqual(['bob', 'alice']);
    expect(tables.get('ledger')?.has('t1')).toBe(true);
    expect(tables.has('outbox')).toBe(false);
  });
});
